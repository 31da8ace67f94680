"""Stretch files: `stretches/<name>.yaml` holds exercises and routines in English;
`stretches/<name>.<lang>.yaml` holds the same ids with only their words."""

from __future__ import annotations

from pathlib import Path

from bot.library.files import read_mapping, split_name, validate_list
from bot.library.models import (
    REFERENCE,
    Exercise,
    ExerciseSpec,
    ExerciseText,
    Library,
    Routine,
    RoutineSpec,
    RoutineText,
)
from bot.problems import Problem


def load_stretches(root: Path, library: Library, languages: set[str], problems: list[Problem]):
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
    raw = read_mapping(path, rel, problems, ("exercises", "routines"))
    exercise_ids: set[str] = set()
    routine_ids: set[str] = set()
    for spec in validate_list(ExerciseSpec, raw, "exercises", rel, problems):
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
    for spec in validate_list(RoutineSpec, raw, "routines", rel, problems):
        if spec.id in library.routines:
            problems.append(Problem(rel, f"routines[{spec.id}]", "id used twice"))
            continue
        library.routines[spec.id] = Routine(
            id=spec.id,
            minutes=spec.minutes,
            exercises=tuple(spec.exercises),
            texts={REFERENCE: RoutineText(id=spec.id, title=spec.title, summary=spec.summary)},
            file=rel,
            level=spec.level,
        )
        routine_ids.add(spec.id)
    return exercise_ids, routine_ids


def _translated_stretches(path, lang, owned, library: Library, problems: list[Problem]) -> None:
    rel = f"stretches/{path.name}"
    exercise_ids, routine_ids = owned
    raw = read_mapping(path, rel, problems, ("exercises", "routines"))
    for text in validate_list(ExerciseText, raw, "exercises", rel, problems):
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
    for text in validate_list(RoutineText, raw, "routines", rel, problems):
        if text.id not in routine_ids:
            problems.append(Problem(rel, f"routines[{text.id}]", "not in the English file"))
            continue
        library.routines[text.id].texts[lang] = text
