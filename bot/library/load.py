"""Load content/sources.yaml, content/conditions/*.md and content/stretches/*.yaml.

English files are the reference. A translation is a sibling file named with the
language code: `conditions/stenosis.es.md`, `stretches/exercises.es.yaml`.
Every problem is collected with its file and place; nothing is raised.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.library.files import read_yaml, validate, yaml_problem
from bot.library.models import (
    CONDITION_IDS,
    CONDITION_SECTIONS,
    REFERENCE,
    REQUIRED_PAGES,
    Exercise,
    ExerciseText,
    Library,
    Page,
    PageFront,
    PageFrontText,
    Routine,
    RoutineText,
    SourcesFile,
    StretchFile,
    StretchTextFile,
)
from bot.library.pages import parse_page
from bot.problems import Problem

_NAME = re.compile(r"^(?P<stem>[^.]+)(?:\.(?P<lang>[a-z]{2,3}))?\.(?:md|yaml)$")


def split_name(path: Path) -> tuple[str, str] | None:
    """("stenosis", "es") for stenosis.es.md; English files have no language part."""
    match = _NAME.match(path.name)
    if not match:
        return None
    return match["stem"], match["lang"] or REFERENCE


def load_library(root: Path, languages: list[str]) -> tuple[Library, list[Problem]]:
    problems: list[Problem] = []
    library = Library()
    _load_sources(root, library, problems)
    _load_pages(root, library, set(languages), problems)
    _load_stretches(root, library, set(languages), problems)
    _check_references(library, problems)
    return library, problems


def _read(path: Path, rel: str, problems: list[Problem]) -> object:
    try:
        return read_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        problems.append(yaml_problem(rel, exc))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(rel, "", f"cannot read: {exc}"))
    return None


def _load_sources(root: Path, library: Library, problems: list[Problem]) -> None:
    rel = "sources.yaml"
    if not (root / rel).is_file():
        problems.append(Problem(rel, "", "missing"))
        return
    parsed = validate(SourcesFile, _read(root / rel, rel, problems), rel, problems)
    for source in parsed.sources if parsed else []:
        if source.id in library.sources:
            problems.append(Problem(rel, f"sources[{source.id}]", "id used twice"))
        library.sources[source.id] = source


# ------------------------------------------------------------------ pages
def _load_pages(root: Path, library: Library, languages: set[str], problems: list[Problem]):
    folder = root / "conditions"
    files: list[tuple[str, str, Path]] = []
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        named = split_name(path) if path.suffix == ".md" else None
        if named is None:
            problems.append(Problem(f"conditions/{path.name}", "", "not a <id>[.<lang>].md file"))
            continue
        files.append((*named, path))
    english: dict[str, Page] = {}
    for stem, lang, path in files:
        if lang == REFERENCE:
            page = _english_page(stem, path, problems)
            if page is not None:
                english[page.id] = page
    library.pages[REFERENCE] = english
    for stem, lang, path in files:
        rel = f"conditions/{path.name}"
        if lang == REFERENCE:
            continue
        if lang not in languages:
            problems.append(Problem(rel, "", f"no locales/{lang}.yaml for this language"))
        elif stem not in english:
            problems.append(Problem(rel, "", f"no English page conditions/{stem}.md"))
        else:
            page = _translated_page(english[stem], lang, path, problems)
            if page is not None:
                library.pages.setdefault(lang, {})[page.id] = page
    for page_id in REQUIRED_PAGES:
        if page_id not in english and not (folder / f"{page_id}.md").is_file():
            problems.append(Problem(f"conditions/{page_id}.md", "", "missing (required page)"))
    for lang in sorted(languages - {REFERENCE}):
        for page_id in sorted(english):
            if not (folder / f"{page_id}.{lang}.md").is_file():
                problems.append(
                    Problem(
                        f"conditions/{page_id}.{lang}.md",
                        "",
                        f"missing: locales/{lang}.yaml exists, so every page needs it",
                    )
                )


def _english_page(stem: str, path: Path, problems: list[Problem]) -> Page | None:
    rel = f"conditions/{path.name}"
    parsed = parse_page(path.read_text(encoding="utf-8"), rel, problems)
    if parsed is None:
        return None
    front = validate(PageFront, parsed.front, rel, problems, "front matter")
    if front is None:
        return None
    if front.id != stem:
        problems.append(Problem(rel, "front matter.id", f"{front.id!r} must match the file name"))
    ids = [s.id for s in parsed.sections]
    if front.kind == "condition" and tuple(ids) != CONDITION_SECTIONS:
        missing = [s for s in CONDITION_SECTIONS if s not in ids]
        extra = [s for s in ids if s not in CONDITION_SECTIONS]
        detail = []
        if missing:
            detail.append(f"missing {', '.join(missing)}")
        if extra:
            detail.append(f"unexpected {', '.join(extra)}")
        if not detail:
            detail.append("out of order")
        problems.append(
            Problem(
                rel,
                "sections",
                f"{'; '.join(detail)} (a condition page has {', '.join(CONDITION_SECTIONS)})",
            )
        )
    if front.kind == "guide" and not ids:
        problems.append(Problem(rel, "sections", "a page needs at least one ## section"))
    if front.id in CONDITION_IDS and front.kind != "condition":
        problems.append(Problem(rel, "front matter.kind", "must be condition for this id"))
    return Page(
        id=front.id,
        lang=REFERENCE,
        kind=front.kind,
        order=front.order,
        title=front.title,
        summary=front.summary,
        stretches=tuple(front.stretches),
        cautions=tuple(front.cautions),
        sources=tuple(front.sources),
        sections=parsed.sections,
        file=rel,
    )


def _translated_page(base: Page, lang: str, path: Path, problems: list[Problem]) -> Page | None:
    rel = f"conditions/{path.name}"
    parsed = parse_page(path.read_text(encoding="utf-8"), rel, problems)
    if parsed is None:
        return None
    front = validate(PageFrontText, parsed.front, rel, problems, "front matter")
    if front is None:
        return None
    if front.id != base.id:
        problems.append(Problem(rel, "front matter.id", f"{front.id!r} must match the file name"))
    ids = [s.id for s in parsed.sections]
    want = [s.id for s in base.sections]
    if ids != want:
        problems.append(
            Problem(rel, "sections", f"{', '.join(ids)} differ from English: {', '.join(want)}")
        )
    return Page(
        id=base.id,
        lang=lang,
        kind=base.kind,
        order=base.order,
        title=front.title,
        summary=front.summary,
        stretches=base.stretches,
        cautions=base.cautions,
        sources=base.sources,
        sections=parsed.sections,
        file=rel,
    )


# ------------------------------------------------------------------ stretches
def _load_stretches(root: Path, library: Library, languages: set[str], problems: list[Problem]):
    folder = root / "stretches"
    named = []
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        split = split_name(path) if path.suffix == ".yaml" else None
        if split is None:
            problems.append(Problem(f"stretches/{path.name}", "", "not a <name>[.<lang>].yaml"))
            continue
        named.append((*split, path))
    owners: dict[str, tuple[set[str], set[str]]] = {}  # base file stem -> (exercise, routine) ids
    for stem, lang, path in named:
        if lang == REFERENCE:
            owners[stem] = _english_stretches(path, library, problems)
    if not library.exercises and not problems:
        problems.append(Problem("stretches", "", "no exercises found"))
    for stem, lang, path in named:
        rel = f"stretches/{path.name}"
        if lang == REFERENCE:
            continue
        if lang not in languages:
            problems.append(Problem(rel, "", f"no locales/{lang}.yaml for this language"))
        elif stem not in owners:
            problems.append(Problem(rel, "", f"no English file stretches/{stem}.yaml"))
        else:
            _translated_stretches(path, lang, owners[stem], library, problems)
    for lang in sorted(languages - {REFERENCE}):
        for stem in sorted(owners):
            ex_ids, routine_ids = owners[stem]
            rel = f"stretches/{stem}.{lang}.yaml"
            if not (folder / f"{stem}.{lang}.yaml").is_file():
                if ex_ids or routine_ids:
                    problems.append(Problem(rel, "", f"missing: locales/{lang}.yaml exists"))
                continue
            for ex_id in sorted(ex_ids):
                if lang not in library.exercises[ex_id].texts:
                    problems.append(Problem(rel, f"exercises[{ex_id}]", f"missing in {lang}"))
            for routine_id in sorted(routine_ids):
                if lang not in library.routines[routine_id].texts:
                    problems.append(Problem(rel, f"routines[{routine_id}]", f"missing in {lang}"))


def _english_stretches(path: Path, library: Library, problems: list[Problem]):
    rel = f"stretches/{path.name}"
    parsed = validate(StretchFile, _read(path, rel, problems), rel, problems)
    exercise_ids: set[str] = set()
    routine_ids: set[str] = set()
    for spec in parsed.exercises if parsed else []:
        if spec.id in library.exercises:
            problems.append(Problem(rel, f"exercises[{spec.id}]", "id used twice"))
            continue
        library.exercises[spec.id] = Exercise(
            id=spec.id,
            dose=spec.dose,
            suits=tuple(spec.suits),
            avoid_if=tuple(spec.avoid_if),
            sources=tuple(spec.sources),
            texts={
                REFERENCE: ExerciseText(
                    id=spec.id, title=spec.title, steps=spec.steps, feel=spec.feel, stop=spec.stop
                )
            },
            file=rel,
        )
        exercise_ids.add(spec.id)
        for source in spec.sources:
            if source not in library.sources:
                problems.append(Problem(rel, f"exercises[{spec.id}].sources", f"no {source!r}"))
    for spec in parsed.routines if parsed else []:
        if spec.id in library.routines:
            problems.append(Problem(rel, f"routines[{spec.id}]", "id used twice"))
            continue
        library.routines[spec.id] = Routine(
            id=spec.id,
            minutes=spec.minutes,
            exercises=tuple(spec.exercises),
            texts={REFERENCE: RoutineText(id=spec.id, title=spec.title, summary=spec.summary)},
            file=rel,
        )
        routine_ids.add(spec.id)
    return exercise_ids, routine_ids


def _translated_stretches(path, lang, owned, library: Library, problems: list[Problem]) -> None:
    rel = f"stretches/{path.name}"
    exercise_ids, routine_ids = owned
    parsed = validate(StretchTextFile, _read(path, rel, problems), rel, problems)
    for text in parsed.exercises if parsed else []:
        if text.id not in exercise_ids:
            problems.append(Problem(rel, f"exercises[{text.id}]", "not in the English file"))
            continue
        exercise = library.exercises[text.id]
        english = exercise.texts[REFERENCE]
        if len(text.steps) != len(english.steps):
            problems.append(
                Problem(
                    rel,
                    f"exercises[{text.id}].steps",
                    f"{len(text.steps)} steps, English has {len(english.steps)}",
                )
            )
        exercise.texts[lang] = text
    for text in parsed.routines if parsed else []:
        if text.id not in routine_ids:
            problems.append(Problem(rel, f"routines[{text.id}]", "not in the English file"))
            continue
        library.routines[text.id].texts[lang] = text


# ------------------------------------------------------------------ references
def _check_references(library: Library, problems: list[Problem]) -> None:
    for page in library.pages.get(REFERENCE, {}).values():
        for source in page.sources:
            if source not in library.sources:
                problems.append(Problem(page.file, "front matter.sources", f"no source {source!r}"))
        for routine_id in page.stretches:
            routine = library.routines.get(routine_id)
            if routine is None:
                problems.append(
                    Problem(page.file, "front matter.stretches", f"no routine {routine_id!r}")
                )
                continue
            if page.kind != "condition":
                continue
            if page.id not in library.routine_suits(routine):
                problems.append(
                    Problem(
                        page.file,
                        "front matter.stretches",
                        f"routine {routine_id} has exercises whose suits do not list {page.id}",
                    )
                )
            clash = ", ".join(sorted(library.routine_avoid(routine) & set(page.cautions)))
            if clash:
                problems.append(
                    Problem(
                        page.file,
                        "front matter.stretches",
                        f"routine {routine_id} has exercises to avoid with {clash}",
                    )
                )
    for routine in library.routines.values():
        for exercise_id in routine.exercises:
            if exercise_id not in library.exercises:
                problems.append(
                    Problem(routine.file, f"routines[{routine.id}]", f"no exercise {exercise_id!r}")
                )
        if len(set(routine.exercises)) != len(routine.exercises):
            problems.append(Problem(routine.file, f"routines[{routine.id}]", "exercise repeated"))
