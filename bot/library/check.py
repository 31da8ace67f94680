"""Checks that need the UI strings: every screen of every page and routine, in every
language, renders to HTML Telegram accepts and fits on a screen."""

from __future__ import annotations

from bot.i18n import Strings
from bot.library import buttons as library_buttons
from bot.library.html import TELEGRAM_TEXT_LIMIT, html_problems, visible_length
from bot.library.models import AVOID_TAGS, REFERENCE, Exercise, Library, Page, Routine
from bot.library.render import SCREEN_LIMIT, Labels, page_screens
from bot.library.stretches import exercise_screen, routine_overview
from bot.problems import Problem

LABEL_KEYS = (
    "library.sections.stretches",
    "library.stretches_intro",
    "library.sources",
    "library.screen_counter",
    "stretches.overview_length",
    "stretches.exercise_counter",
    "stretches.how_much",
    "stretches.feel",
    "stretches.stop",
    "stretches.avoid_exercise",
    "stretches.avoid_routine",
    "stretches.safety",
    "stretches.dose.minutes",
    "stretches.dose.hold",
    "stretches.dose.hold_each_side",
    "stretches.dose.repeat",
    "stretches.dose.repeat_each_side",
    *(f"stretches.tags.{tag}" for tag in AVOID_TAGS),
)


def lang_file(rel: str, lang: str) -> str:
    """stretches/exercises.yaml -> stretches/exercises.es.yaml"""
    if lang == REFERENCE:
        return rel
    stem, _, ext = rel.rpartition(".")
    return f"{stem}.{lang}.{ext}"


def check_rendering(library: Library, strings: Strings) -> list[Problem]:
    rel = f"locales/{REFERENCE}.yaml"
    missing = [key for key in LABEL_KEYS if not strings.has(key)]
    if missing:  # nothing renders without these
        return [Problem(rel, key, "missing (the library needs it)") for key in missing]
    problems: list[Problem] = []
    unrenderable: set[str] = set()  # files with a section that has no heading
    for page in (p for pages in library.pages.values() for p in pages.values()):
        for section in page.sections:
            if not strings.has(f"library.sections.{section.id}"):
                unrenderable.add(page.file)
                problems.append(
                    Problem(
                        page.file,
                        f"line {section.line}",
                        f"section {section.id} has no "
                        f"heading: add library.sections.{section.id} to {rel}",
                    )
                )
    for lang in strings.languages:

        def t(key: str, _lang: str = lang, **params: object) -> str:
            return strings.t(_lang, key, **params)

        for page in library.pages.get(lang, {}).values():
            if page.file not in unrenderable:
                problems += _check_page(library, page, t)
        for exercise in library.exercises.values():
            problems += _check_exercise(exercise, lang)
        for routine in library.routines.values():
            problems += _check_routine(library, routine, lang, t)
    used = {e for routine in library.routines.values() for e in routine.exercises}
    for exercise in library.exercises.values():
        if exercise.id not in used:
            problems.append(
                Problem(exercise.file, f"exercises[{exercise.id}]", "not used by any routine")
            )
    problems += _check_callbacks(library)
    return problems


def _screen_problems(rel: str, where: str, text: str) -> list[Problem]:
    found = [Problem(rel, where, message) for message in html_problems(text)]
    length = visible_length(text)
    limit = min(SCREEN_LIMIT, TELEGRAM_TEXT_LIMIT)
    if length > limit:
        found.append(
            Problem(
                rel,
                where,
                f"{length} characters, over the {limit} a screen may hold: split a long paragraph",
            )
        )
    return found


def _check_page(library: Library, page: Page, t: Labels) -> list[Problem]:
    problems = []
    for section in page.sections:
        for number, paragraph in enumerate(section.paragraphs, start=1):
            where = f"line {section.line}: {section.id} paragraph {number}"
            problems += [Problem(page.file, where, m) for m in html_problems(paragraph)]
    if problems:  # the screens would only repeat these
        return problems
    for number, screen in enumerate(page_screens(library, page, t), start=1):
        problems += _screen_problems(page.file, f"screen {number}", screen.text)
    return problems


def _check_exercise(exercise: Exercise, lang: str) -> list[Problem]:
    if lang not in exercise.texts:
        return []  # the loader already reported the missing translation
    text = exercise.texts[lang]
    fields = [(f"exercises[{exercise.id}].steps[{i}]", s) for i, s in enumerate(text.steps)]
    fields += [(f"exercises[{exercise.id}].feel", text.feel)]
    fields += [(f"exercises[{exercise.id}].stop", text.stop)]
    rel = lang_file(exercise.file, lang)
    return [Problem(rel, where, m) for where, value in fields for m in html_problems(value)]


def _check_routine(library: Library, routine: Routine, lang: str, t: Labels) -> list[Problem]:
    exercises = library.routine_exercises(routine)
    if len(exercises) != len(routine.exercises):
        return []  # an unknown exercise, already reported
    if lang not in routine.texts or any(lang not in e.texts for e in exercises):
        return []  # a missing translation, already reported
    if any(_check_exercise(e, lang) for e in exercises):
        return []  # the screens would only repeat those problems
    rel = lang_file(routine.file, lang)
    overview = routine_overview(library, routine, lang, t)
    problems = _screen_problems(rel, f"routines[{routine.id}] overview", overview)
    for index, exercise in enumerate(exercises):
        screen = exercise_screen(library, routine, index, lang, t)
        where = f"routines[{routine.id}] screen {index + 1} ({exercise.id})"
        problems += _screen_problems(rel, where, screen)
    return problems


def _check_callbacks(library: Library) -> list[Problem]:
    """Page and routine ids travel in buttons: they must fit Telegram's 64 bytes."""
    problems = []
    for page_id in library.page_ids():
        try:
            library_buttons.page(page_id, 99)
        except ValueError as exc:
            problems.append(Problem(f"conditions/{page_id}.md", "id", str(exc)))
    for routine in library.routines.values():
        try:
            library_buttons.step(routine.id, 99, seq=10**12 - 1)
        except ValueError as exc:
            problems.append(Problem(routine.file, f"routines[{routine.id}]", str(exc)))
    return problems
