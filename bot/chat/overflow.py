"""The one reply a person gets when they send more than the bot queues for them."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application

from bot.chat.registry import services
from bot.chat.turn import language_of

log = logging.getLogger(__name__)


async def slow_down(app: Application, update: Update) -> None:
    """Sent beside the person's queue, not in it, so it arrives before the backlog."""
    chat, sender = update.effective_chat, update.effective_user
    if chat is None or sender is None or chat.type != "private" or chat.id != sender.id:
        return
    svc = services(app)
    text = svc.content.strings.t(language_of(svc, sender), "common.slow_down")
    try:
        await app.bot.send_message(chat.id, text)
    except Exception as exc:  # the chat may be unreachable; nothing else depends on this
        log.warning("could not ask a person to slow down: %s", type(exc).__name__)
