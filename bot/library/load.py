"""Load content/sources.yaml, content/conditions/*.md and content/stretches/*.yaml.

English files are the reference. A translation is a sibling file named with the
language code: `conditions/stenosis.es.md`, `stretches/exercises.es.yaml`.
Every problem is collected with its file and place; nothing is raised.
"""

from __future__ import annotations

from pathlib import Path

from bot.library.files import read_mapping, validate_list
from bot.library.models import HARDER, REFERENCE, Library, Routine, SourceSpec
from bot.library.pages import load_pages
from bot.library.stretch_files import load_stretches
from bot.problems import Problem


def load_library(root: Path, languages: list[str]) -> tuple[Library, list[Problem]]:
    problems: list[Problem] = []
    library = Library()
    _load_sources(root, library, problems)
    load_pages(root, library, set(languages), problems)
    load_stretches(root, library, set(languages), problems)
    _check_references(library, problems)
    return library, problems


def _load_sources(root: Path, library: Library, problems: list[Problem]) -> None:
    rel = "sources.yaml"
    if not (root / rel).is_file():
        problems.append(Problem(rel, "", "missing"))
        return
    raw = read_mapping(root / rel, rel, problems, ("sources",))
    for source in validate_list(SourceSpec, raw, "sources", rel, problems):
        if source.id in library.sources:
            problems.append(Problem(rel, f"sources[{source.id}]", "id used twice"))
        library.sources[source.id] = source


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
        _check_level(library, routine, problems)


def _check_level(library: Library, routine: Routine, problems: list[Problem]) -> None:
    """A gentle routine is offered in the first two weeks, so none of its exercises may wait."""
    if routine.level == HARDER:
        return
    waiting = [e.id for e in library.routine_exercises(routine) if "acute" in e.avoid_if]
    if waiting:
        problems.append(
            Problem(
                routine.file,
                f"routines[{routine.id}].level",
                f"gentle, but {', '.join(waiting)} is avoided with acute: mark it harder",
            )
        )
