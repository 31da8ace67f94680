"""Stretch routines: which ones suit a person, and how each screen reads. No telegram here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from bot.library.models import REFERENCE, Dose, Exercise, Library, Routine
from bot.library.render import Labels


def suitable_routines(
    library: Library, condition_ids: Iterable[str], avoid_tags: Iterable[str]
) -> list[Routine]:
    """Routines linked from these conditions' pages, most likely condition first, leaving out
    any routine with an exercise to avoid for `avoid_tags` or for those conditions' own cautions
    (back-arching is not suggested while stenosis is a possible explanation).
    With no conditions, every routine that is safe for `avoid_tags`."""
    conditions = list(condition_ids)
    avoid = set(avoid_tags)
    ordered: list[str] = []
    for condition_id in conditions:
        page = library.page(condition_id, REFERENCE)
        if page is None:
            continue
        avoid |= set(page.cautions)
        ordered += [r for r in page.stretches if r not in ordered]
    if not conditions:
        ordered = list(library.routines)
    chosen = [library.routines[r] for r in ordered if r in library.routines]
    return [r for r in chosen if not library.routine_avoid(r) & avoid]


def dose_text(dose: Dose, t: Labels) -> str:
    side = "_each_side" if dose.each_side else ""
    if dose.minutes is not None:
        return t("stretches.dose.minutes", minutes=dose.minutes)
    if dose.hold_seconds is not None:
        return t(f"stretches.dose.hold{side}", seconds=dose.hold_seconds, times=dose.times)
    return t(f"stretches.dose.repeat{side}", times=dose.times)


def _avoid_line(key: str, tags: Iterable[str], t: Labels) -> str | None:
    names = [t(f"stretches.tags.{tag}") for tag in sorted(tags)]
    return f"<b>{t(key)}</b> {'; '.join(names)}." if names else None


def _sources_line(library: Library, ids: Iterable[str], t: Labels) -> str:
    names = "; ".join(escape(n, quote=False) for n in library.source_names(list(ids)))
    return f"<i>{t('library.sources', names=names)}</i>"


def routine_sources(library: Library, routine: Routine) -> list[str]:
    seen: list[str] = []
    for exercise in library.routine_exercises(routine):
        seen += [s for s in exercise.sources if s not in seen]
    return seen


def routine_overview(library: Library, routine: Routine, lang: str, t: Labels) -> str:
    """What a routine involves, before starting it."""
    text = routine.text(lang)
    exercises = library.routine_exercises(routine)
    lines = [
        f"<b>{escape(text.title, quote=False)}</b>",
        f"<i>{escape(text.summary, quote=False)}</i>",
        "",
        t("stretches.overview_length", minutes=routine.minutes, count=len(exercises)),
    ]
    for number, exercise in enumerate(exercises, start=1):
        title = escape(exercise.text(lang).title, quote=False)
        lines.append(f"{number}. {title}: {dose_text(exercise.dose, t)}")
    blocks = ["\n".join(lines)]
    avoid = _avoid_line("stretches.avoid_routine", library.routine_avoid(routine), t)
    if avoid:
        blocks.append(avoid)
    blocks.append(t("stretches.safety"))
    blocks.append(_sources_line(library, routine_sources(library, routine), t))
    return "\n\n".join(blocks)


def exercise_screen(
    library: Library,
    routine: Routine,
    index: int,
    lang: str,
    t: Labels,
    dose: Callable[[Exercise], Dose] | None = None,
) -> str:
    """One exercise of a routine: steps, how much (the exercise's own dose, or `dose`'s: a
    plan's level), what to feel, when to stop."""
    exercise: Exercise = library.routine_exercises(routine)[index]
    how_much = dose(exercise) if dose is not None else exercise.dose
    text = exercise.text(lang)
    total = len(routine.exercises)
    counter = t("stretches.exercise_counter", n=index + 1, total=total)
    head = [
        f"<b>{escape(text.title, quote=False)}</b>",
        f"<i>{escape(routine.text(lang).title, quote=False)} · {counter}</i>",
    ]
    steps = [f"{number}. {step}" for number, step in enumerate(text.steps, start=1)]
    details = [
        f"<b>{t('stretches.how_much')}</b> {dose_text(how_much, t)}",
        f"<b>{t('stretches.feel')}</b> {text.feel}",
        f"<b>{t('stretches.stop')}</b> {text.stop}",
    ]
    avoid = _avoid_line("stretches.avoid_exercise", exercise.avoid_if, t)
    if avoid:
        details.append(avoid)
    blocks = ["\n".join(head), "\n".join(steps), "\n".join(details)]
    blocks.append(_sources_line(library, exercise.sources, t))
    return "\n\n".join(blocks)
