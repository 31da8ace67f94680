"""For the people in BACKCARE_ADMIN_IDS: /stats, and a note in their chat when something breaks.

Everyone else never sees any of it: /stats is not registered for them, so it
gets the same reply as any unknown command.
"""

from __future__ import annotations

import html
import logging
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.chat.registry import services
from bot.chat.turn import begin
from storage import stats, users

log = logging.getLogger(__name__)

REPORT_INTERVAL = timedelta(minutes=1)  # at most one error report per minute
REPORTS_KEY = "admin_error_reports"


@dataclass
class ReportState:
    last_sent: datetime | None = None
    held_back: int = 0  # errors since the last report that were not reported


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    figures = stats.collect(turn.db, turn.now())
    tiers = "\n".join(
        turn.t("admin.stats_tier", tier=html.escape(tier), count=count)
        for tier, count in figures.triage_by_tier.items()
    )
    await turn.send(
        turn.t(
            "admin.stats",
            users=figures.users,
            consented=figures.consented,
            blocked=figures.blocked,
            active=figures.active_7d,
            schedules=figures.schedules_active,
            paused=figures.schedules_paused,
            entries=figures.diary_entries,
            results=figures.triage_results,
            tiers=tiers,
            plans=figures.plans,
            states=", ".join(
                f"{turn.t(f'admin.plan_states.{state}')} {count}"
                for state, count in figures.plans_by_status.items()
            ),
        )
    )


def where(error: BaseException | None) -> str:
    """file:line of the innermost frame of our own code (never the message: it may quote a user)."""
    if error is None or error.__traceback__ is None:
        return "?"
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/bot/" in f.filename or "/storage/" in f.filename]
    frame = (ours or frames)[-1]
    parts = frame.filename.replace("\\", "/").split("/")
    short = "/".join(parts[-2:])
    return f"{short}:{frame.lineno}"


async def report_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tell the admins an update failed; at most one message per minute, the rest counted."""
    svc = services(context)
    if not svc.settings.admin_ids:
        return
    state: ReportState = context.bot_data.setdefault(REPORTS_KEY, ReportState())
    now = svc.now()
    if state.last_sent is not None and now - state.last_sent < REPORT_INTERVAL:
        state.held_back += 1
        return
    held_back, state.held_back, state.last_sent = state.held_back, 0, now
    update_id = update.update_id if isinstance(update, Update) else "-"
    strings = svc.content.strings
    for admin_id in sorted(svc.settings.admin_ids):
        admin = users.get(svc.db, admin_id)
        if admin is None or not admin.active:
            continue  # never opened the chat, or stopped the bot: Telegram would refuse
        lang = admin.language
        text = strings.t(
            lang,
            "admin.error_report",
            error=html.escape(type(context.error).__name__),
            where=html.escape(where(context.error)),
            update=update_id,
        )
        if held_back:
            text += "\n" + strings.t(lang, "admin.error_held_back", count=held_back)
        try:
            await context.bot.send_message(admin_id, text)
        except TelegramError as exc:  # the admin never opened the chat, or blocked the bot
            log.warning("could not report the error to admin %s: %s", admin_id, type(exc).__name__)


def register(app: Application) -> None:
    admin_ids = services(app).settings.admin_ids
    if admin_ids:
        only_admins = filters.ChatType.PRIVATE & filters.User(user_id=admin_ids)
        app.add_handler(CommandHandler("stats", stats_command, filters=only_admins))
