"""Last in line: typed input a flow is waiting for, and a friendly pointer for the rest.

Registered after every capability, so it only sees what nobody else took. Every
typed text is screened for red-flag words first (bot/safety/handlers.py).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.chat import router
from bot.chat.registry import services
from bot.chat.turn import Turn, begin
from bot.safety.handlers import check_and_menu, crisis_only, screen

log = logging.getLogger(__name__)
PRIVATE = filters.ChatType.PRIVATE


def outside_private_chat(update: object) -> bool:
    """Groups and channels, and updates with no person or chat (inline queries, polls,
    chat-member changes, buttons on inline messages): the bot offers none of these.
    Also a "private" chat that is not the sender's own, which Telegram never sends:
    answering it would write one person's data into another's chat."""
    if not isinstance(update, Update):
        return False
    chat, sender = update.effective_chat, update.effective_user
    return chat is None or sender is None or chat.type != "private" or chat.id != sender.id


class Guard(BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]):
    """Stops what `outside_private_chat` matches before any other handler sees it.

    A check rather than a TypeHandler for every update: a private chat's update then
    costs no callback and no context of its own, on every tap."""

    def check_update(self, update: object) -> bool:
        return outside_private_chat(update)


async def not_private(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say that we only work in private chats (once an hour per chat, so a busy group is
    not answered message by message); say nothing to the rest, and nothing into a chat
    that is not the sender's (a button pressed there only hears that it expired)."""
    chat, sender = update.effective_chat, update.effective_user
    if chat is not None and chat.type == "private" and sender is not None and chat.id != sender.id:
        log.warning("update %s refused: its private chat is not its sender's", update.update_id)
        if update.callback_query is not None:  # only the presser sees this, not the chat
            strings = services(context).content.strings
            lang = strings.pick_language(sender.language_code)
            await update.callback_query.answer(strings.t(lang, "common.expired"))
        raise ApplicationHandlerStop
    if (
        chat is not None
        and chat.type != "private"
        and update.effective_message is not None
        and update.callback_query is None
        and _notice_due(context, chat.id)
    ):
        strings = services(context).content.strings
        lang = strings.pick_language(sender.language_code if sender else None)
        await context.bot.send_message(chat.id, strings.t(lang, "common.private_only"))
    raise ApplicationHandlerStop


GROUP_NOTICE_INTERVAL = timedelta(hours=1)
NOTICES_KEY = "group_notices"


def _notice_due(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> bool:
    now = services(context).now()
    sent: dict[int, datetime] = context.bot_data.setdefault(NOTICES_KEY, {})
    last = sent.get(chat_id)
    if last is not None and now - last < GROUP_NOTICE_INTERVAL:
        return False
    if len(sent) > 10_000:
        sent.clear()
    sent[chat_id] = now
    return True


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    alarmed = await screen(turn)
    conversation = turn.conversation()
    if conversation is not None and not crisis_only(alarmed):
        handler = turn.svc.registry.text_inputs.get(conversation.flow)
        if handler is not None:  # what they typed still counts: a note is still saved
            return await handler(update, context)
    if not alarmed:  # the emergency reply already offers the way on
        await not_understood(turn)


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    conversation = turn.conversation()
    if conversation is not None:
        handler = turn.svc.registry.location_inputs.get(conversation.flow)
        if handler is not None:
            return await handler(update, context)
    await not_understood(turn)


async def pointer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Commands we lack, stickers, photos, edits...: a caption or an edit is typed words too."""
    turn = await begin(update, context)
    if not await screen(turn):
        await not_understood(turn)


async def not_understood(turn: Turn) -> None:
    await turn.send(turn.t("common.not_understood"), check_and_menu(turn))


def register_guard(app: Application) -> None:
    """Runs before everything else (group -1)."""
    app.add_handler(Guard(not_private), group=-1)


def register(app: Application) -> None:
    app.add_handler(
        MessageHandler(
            PRIVATE & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, on_text
        )
    )
    app.add_handler(
        MessageHandler(PRIVATE & filters.UpdateType.MESSAGE & filters.LOCATION, on_location)
    )
    app.add_handler(MessageHandler(PRIVATE, pointer))  # commands, stickers, photos, edits...
    app.add_handler(CallbackQueryHandler(router.stray_button))
