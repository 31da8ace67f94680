"""/export: the whole diary as CSV and a PDF report for a clinician, sent as documents."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

from telegram.constants import ChatAction

from bot.chat.callbacks import Expired, Press
from bot.chat.turn import Turn, keyboard
from bot.diary import queries as diary_service
from bot.diary import report as reports
from bot.diary.dates import local_date
from bot.diary.text import button, dates, user_zone
from storage import diary, preferences

log = logging.getLogger(__name__)

CHOICES = {"plain": False, "notes": True}  # include notes in the report?


async def ask(turn: Turn, *, new: bool) -> None:
    """Ask whether the report should carry the notes (the CSV always has everything)."""
    if diary.count_entries(turn.db, turn.user_id) == 0:
        text, markup = turn.t("diary.export.empty"), keyboard([[turn.menu_button()]])
    else:
        text = turn.t("diary.export.question")
        choices = [
            [button(turn, "report_plain", "export", "plain")],
            [button(turn, "report_notes", "export", "notes")],
        ]
        if preferences.report_notes(turn.db, turn.user_id):  # the default set in /settings
            choices.reverse()
        markup = keyboard([*choices, [turn.menu_button()]])
    await turn.reply(text, markup, new_message=new)


async def send_export(turn: Turn, include_notes: bool) -> None:
    entries = diary.all_entries(turn.db, turn.user_id)
    if not entries:
        await turn.reply(turn.t("diary.export.empty"), keyboard([[turn.menu_button()]]))
        return
    await turn.answer()
    bot, chat, now, tz = turn.context.bot, turn.chat_id, turn.now(), user_zone(turn)
    stamp = local_date(now, tz).isoformat()
    await bot.send_chat_action(chat, ChatAction.UPLOAD_DOCUMENT)
    table = await asyncio.to_thread(reports.diary_csv, entries, tz, turn.t)
    await bot.send_document(
        chat,
        table,
        filename=f"backcare-diary-{stamp}.csv",
        caption=turn.t("diary.export.csv_caption"),
    )
    await bot.send_chat_action(chat, ChatAction.UPLOAD_DOCUMENT)
    data = diary_service.report_data(
        turn.db, turn.user_id, turn.user.time_zone, now, include_notes=include_notes
    )
    pages = [page(turn.svc, turn.user_id, turn.t) for page in turn.svc.registry.report_pages]
    data = replace(data, pages=tuple(p for p in pages if p is not None))
    chart = diary_service.chart_text(turn.t, diary_service.REPORT_DAYS)
    graph = turn.svc.content.triage
    pdf = await asyncio.to_thread(reports.clinician_pdf, data, turn.t, dates(turn), chart, graph)
    await bot.send_document(
        chat,
        pdf,
        filename=f"backcare-report-{stamp}.pdf",
        caption=turn.t("diary.export.pdf_caption"),
        reply_markup=keyboard([[turn.menu_button()]]),
    )
    log.info("diary export for user %s: %s entries", turn.user_id, len(entries))


async def on_export(turn: Turn, press: Press) -> None:
    if not press.args:
        await ask(turn, new=False)
        return
    choice = press.arg(0)
    if choice not in CHOICES:
        raise Expired("unknown export choice")
    await send_export(turn, CHOICES[choice])


ACTIONS: dict[str, Callable[[Turn, Press], Awaitable[None]]] = {"export": on_export}
