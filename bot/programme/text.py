"""What the plan's screens say. No telegram here: each takes the person's words (`t`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from bot.library.models import Dose, Exercise, Library
from bot.library.stretches import dose_text
from bot.programme import plan as rules
from bot.programme.load import Lesson, Programme
from bot.programme.models import WEEKS, Progression
from storage.plans import Activity, Plan, Rating

Words = Callable[..., str]


def dose_of(progression: Progression, level: int) -> Callable[[Exercise], Dose]:
    return lambda exercise: rules.scaled(progression, exercise.dose, level)


def exercise_line(t: Words, library: Library, progression: Progression, routine_id: str,
                  level: int, lang: str) -> str:  # fmt: skip
    routine = library.routines[routine_id]
    return t(
        "programme.exercise_line",
        routine=escape(routine.text(lang).title, quote=False),
        level=level,
        levels=len(progression.levels),
    )


def dose_lines(t: Words, library: Library, progression: Progression, routine_id: str,
               level: int, lang: str) -> list[str]:  # fmt: skip
    routine = library.routines[routine_id]
    dose = dose_of(progression, level)
    return [
        f"• {escape(ex.text(lang).title, quote=False)}: {dose_text(dose(ex), t)}"
        for ex in library.routine_exercises(routine)
    ]


EMERGENCY = "{emergency}"  # in a lesson: the person's own emergency line ("call 999 now")


def lesson_screen(t: Words, lesson: Lesson, lang: str, emergency: str) -> str:
    text = lesson.text(lang)
    head = t("programme.lesson.head", title=escape(text.title, quote=False))
    body = text.body.strip().replace(EMERGENCY, emergency)
    return f"{head}\n\n{body}\n\n<b>{escape(text.question, quote=False)}</b>"


def answer_screen(t: Words, lesson: Lesson, lang: str, choice: int, sources: str) -> str:
    text = lesson.text(lang)
    verdict = t(
        "programme.lesson.right" if choice == lesson.spec.correct else "programme.lesson.not_quite"
    )
    picked = escape(text.choices[choice], quote=False)
    right = escape(text.choices[lesson.spec.correct], quote=False)
    return "\n\n".join(
        [
            t("programme.lesson.head", title=escape(text.title, quote=False)),
            t("programme.lesson.you_said", choice=picked),
            f"<b>{verdict}</b> {t('programme.lesson.answer_is', answer=right)}",
            escape(text.explain, quote=False),
            f"<i>{t('library.sources', names=sources)}</i>",
        ]
    )


def rating_line(t: Words, activity: Activity, before: int | None, now: int | None) -> str:
    name = escape(activity.name, quote=False)
    if before is None or now is None:
        return t("programme.rating.one", name=name, score=now if now is not None else before)
    if not rules.real_change(before, now):
        return t("programme.rating.same", name=name, before=before, now=now)
    key = "programme.rating.better" if now > before else "programme.rating.worse"
    return t(key, name=name, before=before, now=now, change=abs(now - before))


def rating_lines(t: Words, activities: Sequence[Activity], ratings: Sequence[Rating]) -> list[str]:
    """Each activity: its first rating and its latest, and whether that is a real change."""
    lines = []
    for activity in activities:
        mine = sorted((r for r in ratings if r.activity_id == activity.id), key=lambda r: r.week)
        first = mine[0].score if mine else None
        last = mine[-1].score if len(mine) > 1 else None
        lines.append(rating_line(t, activity, first, last))
    return lines


def trend_text(t: Words, trend: str | None) -> str:
    return t(f"programme.trend.{trend or 'unknown'}")


def status_text(t: Words, programme: Programme, library: Library, plan: Plan, lang: str,
                activities: Sequence[Activity], ratings: Sequence[Rating],
                daily_at: str | None = None) -> str:  # fmt: skip
    """My plan: its state, what it is for, when its message comes, this week's doses."""
    progression = programme.progression
    assert progression is not None
    lines = [
        f"<b>{t('programme.title')}</b>",
        t(f"programme.status.{plan.status}"),
        t("programme.status.week", week=plan.week, weeks=WEEKS),
    ]
    if plan.goal != "other":  # "Something else" says nothing worth repeating
        lines.append(t("programme.status.goal", goal=t(f"programme.goals.{plan.goal}")))
    if daily_at is not None:
        lines.append(t("programme.status.daily_at", time=daily_at))
    lines += [
        "",
        exercise_line(t, library, progression, plan.routine, plan.level, lang),
        t("programme.activity_line", minutes=plan.minutes),
        "",
        f"<b>{t('programme.rating.title')}</b>",
        *rating_lines(t, activities, ratings),
    ]
    return "\n".join(lines)
