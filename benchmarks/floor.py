"""The framework's floor: the least a python-telegram-bot bot can do for a button press.

It answers /start with a message with buttons, and every press by answering the
callback query and editing the message with new buttons. No database, no content,
no logging of its own. benchmarks/throughput.py runs it against the stand-in with
the same number of presses as the real bot, to see what the bot's own work costs.

It is wired as the real bot is where that is not the bot's own work, so the
comparison is about what the bot does with a press: updates handled concurrently
(256 at a time), HTML parse mode, and the same HTTP transport. Like any plain
python-telegram-bot bot, it reads back the message each edit returns; the bot
leaves that unread (UNREAD in bot/runtime/request.py), which is part of what it does with a
press. `Shape(unread=True)` gives the floor the same saving, as a control.
"""

from __future__ import annotations

from typing import NamedTuple

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
)

from bot.runtime.request import UNREAD, RetryingRequest

API_TIMEOUT = 5.0

START_TEXT = "<b>Floor</b>: press a button."
BUTTONS = 4
# Filler for --floor-text: plain words, cut to the length asked for.
FILLER = "This sentence only makes the message longer, as a real question would. " * 40


class Shape(NamedTuple):
    """The size of each of the floor's messages, and whether it reads its edits back."""

    buttons: int = BUTTONS
    text: int = 0  # characters added to each message
    unread: bool = False  # leave each edit's result unread, as the bot does


STOCK = Shape()  # the floor every figure is measured against unless told otherwise


def markup(step: int, buttons: int = BUTTONS) -> InlineKeyboardMarkup:
    """Buttons, two to a row, whose data carry the next step, so every edit changes the message."""
    row = [
        InlineKeyboardButton(f"Option {n}", callback_data=f"f:{step}:{n}")
        for n in range(1, buttons + 1)
    ]
    return InlineKeyboardMarkup([row[i : i + 2] for i in range(0, buttons, 2)])


def transport(pool_size: int, unread: frozenset[str] = frozenset()) -> RetryingRequest:
    """The bot's HTTP transport, set up as bot/app.py does (keep the two in step)."""
    return RetryingRequest(
        connection_pool_size=pool_size,
        unread=unread,
        read_timeout=API_TIMEOUT,
        write_timeout=API_TIMEOUT,
        connect_timeout=API_TIMEOUT,
    )


def build_floor(token: str, base_url: str, shape: Shape = STOCK) -> Application:
    buttons, text, unread = shape
    app = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .request(transport(256, UNREAD if unread else frozenset()))
        .get_updates_request(transport(1))
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .concurrent_updates(256)
        .build()
    )
    filler = " " + FILLER[:text] if text else ""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await context.bot.send_message(
            update.effective_chat.id, START_TEXT, reply_markup=markup(1, buttons)
        )

    async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        step = int(query.data.split(":")[1]) + 1
        await query.answer()
        await query.edit_message_text(
            f"Step <b>{step}</b>: press a button.{filler}", reply_markup=markup(step, buttons)
        )

    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(on_press, pattern=r"^f:"))
    return app
