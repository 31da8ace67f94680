"""/diary: the summary with its chart, the paged list of entries, and one entry's
Edit and Delete."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable

from telegram.constants import ChatAction

from bot.chat import callbacks
from bot.chat.callbacks import Expired, Press
from bot.chat.turn import Button, Turn, keyboard
from bot.diary import log as diary_log
from bot.diary import queries as diary_service
from bot.diary.charts import pain_chart_png
from bot.diary.queries import PERIODS
from bot.diary.stats import Summary
from bot.diary.text import FLOW, button, dates, entry_details, entry_label, entry_view
from storage import diary

log = logging.getLogger(__name__)

LIST_PAGE = 8  # entries per page of the list
DEFAULT_DAYS = 30


def _trend_line(turn: Turn, summary: Summary) -> str:
    words = dates(turn)
    trend = summary.trend
    if trend is None:
        return turn.t("diary.summary.no_trend")
    direction = "same"
    if trend.meaningful:
        direction = "better" if trend.change < 0 else "worse"
    week = "week_" if summary.days <= 7 else ""
    return turn.t(
        f"diary.summary.trend_{week}{direction}",
        first=words.number(trend.first),
        last=words.number(trend.last),
        change=words.number(abs(trend.change)),
    )


def summary_text(turn: Turn, summary: Summary) -> str:
    words = dates(turn)
    lines = [turn.t("diary.summary.title", days=summary.days)]
    if summary.average is None:
        lines.append(turn.t("diary.summary.empty", days=summary.days))
    else:
        if summary.other_entries:
            entries = turn.t(
                "diary.summary.entries_with_other",
                count=summary.entries,
                other=summary.other_entries,
            )
        else:
            entries = turn.t("diary.summary.entries", count=summary.entries)
        lines += [
            entries,
            turn.t(
                "diary.summary.average",
                average=words.number(summary.average),
                lowest=summary.lowest,
                highest=summary.highest,
            ),
            _trend_line(turn, summary),
        ]
    lines.append(turn.t("diary.summary.streak", days=summary.streak))
    if not turn.user.time_zone:
        lines.append(turn.t("diary.summary.in_utc"))
    return "\n".join(lines)


def summary_buttons(turn: Turn, days: int):
    periods = [
        button(turn, "period_chosen" if d == days else "period", "view", d, days=d) for d in PERIODS
    ]
    return keyboard(
        [
            periods,
            [button(turn, "entries", "list", 0), button(turn, "log", "new")],
            [button(turn, "tried", "tried"), button(turn, "helps", "helps")],
            [button(turn, "export", "export"), turn.menu_button()],
        ]
    )


async def show_summary(turn: Turn, days: int = DEFAULT_DAYS) -> None:
    """The figures for the last `days` days, on a chart when there are scores to draw."""
    await turn.answer()
    period = diary_service.period(turn.db, turn.user_id, turn.user.time_zone, turn.now(), days)
    text, markup = summary_text(turn, period.summary), summary_buttons(turn, days)
    if not period.scored:
        await turn.send(text, markup)
        return
    bot = turn.context.bot
    await bot.send_chat_action(turn.chat_id, ChatAction.UPLOAD_PHOTO)
    png = await asyncio.to_thread(
        pain_chart_png,
        period.entries,
        start=period.summary.start,
        end=period.summary.end,
        tz=period.tz,
        text=diary_service.chart_text(turn.t, days),
    )
    await bot.send_photo(
        turn.chat_id, png, caption=text, reply_markup=markup, filename="pain-chart.png"
    )


async def on_view(turn: Turn, press: Press) -> None:
    days = press.int_arg(0)
    if days not in PERIODS:
        raise Expired("unknown period")
    await show_summary(turn, days)


async def on_list(turn: Turn, press: Press) -> None:
    page = press.int_arg(0)
    total = diary.count_entries(turn.db, turn.user_id)
    if total == 0:
        markup = keyboard([[button(turn, "log", "new")], [turn.menu_button()]])
        await turn.reply(turn.t("diary.list.empty"), markup)
        return
    pages = math.ceil(total / LIST_PAGE)
    page = min(page, pages - 1)
    entries = diary.entries_page(turn.db, turn.user_id, page * LIST_PAGE, LIST_PAGE)
    rows: list[list[Button]] = [
        [(entry_label(turn, e), callbacks.encode(FLOW, "entry", e.id, page))] for e in entries
    ]
    pager = []
    if page > 0:
        pager.append(button(turn, "newer", "list", page - 1))
    if page < pages - 1:
        pager.append(button(turn, "older", "list", page + 1))
    if pager:
        rows.append(pager)
    rows.append([turn.menu_button()])
    await turn.reply(turn.t("diary.list.title", page=page + 1, pages=pages), keyboard(rows))


def _owned(turn: Turn, press: Press) -> tuple[diary.Entry, int]:
    """The entry a button names, if it is this person's; else Expired."""
    entry = diary.get_entry(turn.db, turn.user_id, press.int_arg(0))
    if entry is None:
        raise Expired("no such entry for this person")
    page = press.int_arg(1) if len(press.args) > 1 else 0
    return entry, page


async def on_entry(turn: Turn, press: Press) -> None:
    entry, page = _owned(turn, press)
    await turn.reply(*entry_view(turn, entry, page))


async def on_edit(turn: Turn, press: Press) -> None:
    entry, page = _owned(turn, press)
    await diary_log.start_edit(turn, entry, page)


async def on_delete(turn: Turn, press: Press) -> None:
    entry, page = _owned(turn, press)
    text = turn.t("diary.entry.delete_question", details=entry_details(turn, entry))
    markup = keyboard(
        [
            [button(turn, "delete_yes", "delok", entry.id, page)],
            [button(turn, "delete_no", "entry", entry.id, page)],
        ]
    )
    await turn.reply(text, markup)


async def on_delete_ok(turn: Turn, press: Press) -> None:
    entry, page = _owned(turn, press)
    if not diary.delete_entry(turn.db, turn.user_id, entry.id):
        raise Expired("already gone")
    log.info("diary entry %s deleted for user %s", entry.id, turn.user_id)
    markup = keyboard([[button(turn, "back_to_entries", "list", page), turn.menu_button()]])
    await turn.reply(turn.t("diary.entry.deleted"), markup)


ACTIONS: dict[str, Callable[[Turn, Press], Awaitable[None]]] = {
    "view": on_view,
    "list": on_list,
    "entry": on_entry,
    "edit": on_edit,
    "del": on_delete,
    "delok": on_delete_ok,
}
