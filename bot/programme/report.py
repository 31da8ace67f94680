"""The plan's page in the diary's PDF report: the activities before and after, each week's
figures and what changed, and the chart. No telegram here."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from bot.diary.report import ReportPage
from bot.library.html import visible_text
from bot.programme import charts
from bot.programme import text as words
from storage import plans

if TYPE_CHECKING:  # the services only hand over the database
    from bot.chat.registry import Services


def report_page(svc: Services, user_id: int, t: Callable[..., str]) -> ReportPage | None:
    """The person's newest plan as a report page, or None if they never began one."""
    plan = plans.latest(svc.db, user_id)
    if plan is None:
        return None
    db = svc.db
    activities = plans.activities(db, user_id, plan.id)
    ratings = plans.ratings(db, user_id, plan.id)
    weeks = plans.weeks(db, user_id, plan.id)
    lines = [
        t(
            "programme.report.status",
            status=t(f"programme.report.state.{plan.status}"),
            week=plan.week,
        ),
        t("programme.report.rated"),
        *(_plain(line) for line in words.rating_lines(t, activities, ratings)),
        t("programme.report.sessions", sessions=len(plans.sessions(db, user_id, plan.id))),
        "",
        t("programme.report.weeks"),
    ]
    for week in weeks:
        pain = "–" if week.pain_avg is None else f"{week.pain_avg:g}"
        lines.append(
            t(
                f"programme.report.week_{week.outcome}",
                week=week.week,
                pain=pain,
                sessions=week.sessions,
                level=week.level_after or week.level_before or "–",
                minutes=week.minutes_after or week.minutes_before or "–",
            )
        )
    chart = partial(charts.progress_png, activities, ratings, weeks, charts.chart_words(t))
    return ReportPage(title=t("programme.report.title"), lines=tuple(lines), chart=chart)


def _plain(line: str) -> str:
    return visible_text(line)
