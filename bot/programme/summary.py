"""The end of a plan (its summary) and the chart sent with a review or the summary."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram import InlineKeyboardMarkup

from bot.chat.registry import Services
from bot.chat.turn import MENU_DATA, Button, Turn, keyboard
from bot.diary import buttons as diary_buttons
from bot.programme import charts, service
from bot.programme import text as words
from bot.programme.buttons import FLOW
from storage import plans, schedules
from storage.plans import Plan


def end_message(svc: Services, lang: str, plan: Plan) -> tuple[str, InlineKeyboardMarkup]:
    """The summary at the end: activities before and after, pain, sessions."""

    def t(key: str, **params: object) -> str:
        return svc.content.strings.t(lang, key, **params)

    db = svc.db
    activities = plans.activities(db, plan.user_id, plan.id)
    ratings = plans.ratings(db, plan.user_id, plan.id)
    weeks = [w for w in plans.weeks(db, plan.user_id, plan.id) if w.pain_avg is not None]
    sessions = plans.sessions(db, plan.user_id, plan.id)
    title = "programme.end.title" if plan.status == "finished" else "programme.end.title_so_far"
    lines = [
        f"<b>{t(title)}</b>",
        "",
        f"<b>{t('programme.rating.title')}</b>",
        *words.rating_lines(t, activities, ratings),
        "",
        _pain_line(t, db, plan, weeks, svc.now()),
        t("programme.end.sessions", sessions=len(sessions)),
        "",
        t("programme.end.next"),
    ]
    rows: list[list[Button]] = [
        [(t("programme.end.report"), diary_buttons.export())],
        [(t("programme.end.again"), FLOW.button("new")), (t("common.menu_button"), MENU_DATA)],
    ]
    return "\n".join(lines), keyboard(rows)


def _pain_line(t, db, plan: Plan, weeks: list[plans.Week], now) -> str:
    """First and last reviewed week; stopped before any review, the scores so far."""
    if weeks:
        first, last = weeks[0].pain_avg, weeks[-1].pain_avg
        return t("programme.end.pain", first=f"{first:g}", last=f"{last:g}")
    until = (plan.ended_at or now) + timedelta(seconds=1)  # up to and including this moment
    scores = service.pain_scores(db, plan.user_id, plan.started_at, until)
    if not scores:  # the check-in would have put a pain score on each day's message
        checkin = schedules.checkin_for(db, plan.user_id)
        return t("programme.end.no_pain" if checkin else "programme.end.no_pain_tip")
    average = round(sum(scores) / len(scores), 1)
    return t("programme.end.pain_so_far", pain=f"{average:g}", count=len(scores))


async def send_with_chart(turn: Turn, plan: Plan, text: str, markup) -> None:
    """The chart of the activities week by week (and average pain), then the words."""
    activities = plans.activities(turn.db, turn.user_id, plan.id)
    ratings = plans.ratings(turn.db, turn.user_id, plan.id)
    weeks = plans.weeks(turn.db, turn.user_id, plan.id)
    png = await asyncio.to_thread(
        charts.progress_png, activities, ratings, weeks, charts.chart_words(turn.t)
    )
    await turn.context.bot.send_photo(
        turn.chat_id, png, caption=turn.t("programme.chart.caption"), filename="plan-progress.png"
    )
    await turn.send(text, markup)
