"""Load and check content/programme/: the lessons (English and their translations) and the
progression rules. Every problem is collected with its file and place; nothing is raised."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.i18n import Strings
from bot.library.files import read_mapping, validate_list
from bot.library.html import html_problems, visible_text
from bot.library.models import REFERENCE, Library
from bot.problems import Problem, read_model
from bot.programme.models import (
    FLARE_LESSON,
    LESSONS_PER_WEEK,
    WEEKS,
    LessonSpec,
    LessonText,
    Progression,
)
from bot.programme.plan import unsafe_rules

# A lesson is one screen of about 100-150 words; a translation may run a little longer.
WORDS = {REFERENCE: (100, 150)}
OTHER_WORDS = (90, 185)
LESSON_TAGS = {"b", "i"}


@dataclass(frozen=True)
class Lesson:
    spec: LessonSpec
    texts: dict[str, LessonText] = field(default_factory=dict)  # lang -> words

    @property
    def id(self) -> str:
        return self.spec.id

    def text(self, lang: str) -> LessonSpec | LessonText:
        return self.texts.get(lang) or self.spec


@dataclass(frozen=True)
class Programme:
    lessons: tuple[Lesson, ...] = ()  # in reading order
    progression: Progression | None = None

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)


def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", visible_text(text)))


def load_programme(
    root: Path, strings: Strings, library: Library
) -> tuple[Programme, list[Problem]]:
    problems: list[Problem] = []
    lessons = _lessons(root, strings, library, problems)
    progression = _progression(root, strings, library, problems)
    return Programme(lessons=lessons, progression=progression), problems


def _words_problems(text: str, lang: str) -> list[str]:
    low, high = WORDS.get(lang, OTHER_WORDS)
    found = [*html_problems(text)]
    if any(tag not in LESSON_TAGS for tag in re.findall(r"</?([a-z]+)", text)):
        found.append("only <b> and <i> are used in lessons")
    words = word_count(text)
    if not low <= words <= high:
        found.append(f"{words} words; a lesson is {low}-{high}")
    return found


def _lessons(root: Path, strings: Strings, library: Library, problems: list[Problem]):
    rel = "programme/lessons.yaml"
    if not (root / rel).is_file():
        problems.append(Problem(rel, "", "missing"))
        return ()
    raw = read_mapping(root / rel, rel, problems, ("lessons",))
    specs: list[LessonSpec] = validate_list(LessonSpec, raw, "lessons", rel, problems)
    seen: set[str] = set()
    for spec in specs:
        where = f"lessons[{spec.id}]"
        if spec.id in seen:
            problems.append(Problem(rel, where, "id used twice"))
        seen.add(spec.id)
        problems += [Problem(rel, f"{where}.body", p) for p in _words_problems(spec.body, "en")]
        problems += [
            Problem(rel, f"{where}.sources", f"no source {s!r} in sources.yaml")
            for s in spec.sources
            if s not in library.sources
        ]
    if len(seen) == len(specs):  # counts only mean something once ids are unique
        for week in range(1, WEEKS + 1):
            count = sum(1 for s in specs if s.week == week)
            if count != LESSONS_PER_WEEK:
                problems.append(
                    Problem(rel, "lessons", f"week {week} has {count}; each has {LESSONS_PER_WEEK}")
                )
        if [s.week for s in specs] != sorted(s.week for s in specs):
            problems.append(Problem(rel, "lessons", "lessons are listed week by week, in order"))
    if specs and FLARE_LESSON not in seen:
        problems.append(Problem(rel, "lessons", f"no lesson {FLARE_LESSON!r} (shown in a flare)"))
    texts: dict[str, dict[str, LessonText]] = {}
    for lang in strings.languages:
        if lang == REFERENCE:
            continue
        texts[lang] = _translation(root, lang, specs, problems)
    return tuple(
        Lesson(spec, {lang: found[spec.id] for lang, found in texts.items() if spec.id in found})
        for spec in specs
    )


def _translation(root: Path, lang: str, specs: list[LessonSpec], problems: list[Problem]):
    rel = f"programme/lessons.{lang}.yaml"
    if not (root / rel).is_file():
        problems.append(Problem(rel, "", "missing: every lesson needs its translation"))
        return {}
    raw = read_mapping(root / rel, rel, problems, ("lessons",))
    found: dict[str, LessonText] = {}
    for text in validate_list(LessonText, raw, "lessons", rel, problems):
        where = f"lessons[{text.id}]"
        if text.id in found:
            problems.append(Problem(rel, where, "id used twice"))
        found[text.id] = text
        problems += [Problem(rel, f"{where}.body", p) for p in _words_problems(text.body, lang)]
    for spec in specs:
        text = found.get(spec.id)
        if text is None:
            problems.append(Problem(rel, f"lessons[{spec.id}]", "missing translation"))
        elif len(text.choices) != len(spec.choices):
            problems.append(
                Problem(rel, f"lessons[{spec.id}].choices", "not the same number as in English")
            )
    for extra in sorted(set(found) - {s.id for s in specs}):
        problems.append(Problem(rel, f"lessons[{extra}]", "no such lesson in English"))
    return found


@lru_cache(maxsize=8)
def _unsafe(rules: str) -> tuple[str, ...]:
    """The exhaustive walk (0.1 s) once per set of rules, not once per start in the tests."""
    return tuple(unsafe_rules(Progression.model_validate_json(rules)))


def _progression(root: Path, strings: Strings, library: Library, problems: list[Problem]):
    rel = "programme/progression.yaml"
    progression, found = read_model(root, rel, Progression)
    problems += found
    if progression is None:
        return None
    for start, following in progression.next_routine.items():
        for routine_id in (start, *following):
            if routine_id not in library.routines:
                problems.append(Problem(rel, f"next_routine.{start}", f"no routine {routine_id!r}"))
    problems += [Problem(rel, "exercise_rules", p) for p in _unsafe(progression.model_dump_json())]
    for rule in (*progression.exercise_rules, *progression.activity_rules):
        if not strings.has(f"programme.why.{rule.id}"):
            problems.append(
                Problem(rel, f"rules[{rule.id}]", f"no words: add programme.why.{rule.id}")
            )
    return progression
