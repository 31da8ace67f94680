"""What every handler does first and last: who is this, what do they see, how we reply."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, TelegramObject, Update
from telegram import User as TelegramUser
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.account import buttons as account_buttons
from bot.chat import buttons, callbacks
from bot.chat.registry import Services, services
from storage import conversations, users
from storage.conversations import Conversation
from storage.users import User

log = logging.getLogger(__name__)

Button = tuple[str, str]  # (label, callback data)
MENU_DATA = buttons.menu()


class Keyboard(InlineKeyboardMarkup):
    """Inline buttons that are all (label, callback data), kept as plain pairs.

    python-telegram-bot builds an InlineKeyboardButton object per button (40 us for
    a check question's eight) and reflects over each to serialise it, on every tap
    (benchmarks/throughput.py). A Keyboard serialises its pairs directly and builds
    the button objects only if something reads `inline_keyboard`.
    """

    __slots__ = ("_buttons", "_rows")

    def __init__(self, rows: Sequence[Sequence[Button]]):
        TelegramObject.__init__(self)  # not InlineKeyboardMarkup's: it builds the objects
        self._rows = tuple(tuple(row) for row in rows)
        self._buttons: tuple[tuple[InlineKeyboardButton, ...], ...] | None = None
        self._id_attrs = (self._rows,)
        self._freeze()

    @property
    def rows(self) -> tuple[tuple[Button, ...], ...]:
        return self._rows

    @property  # type: ignore[override]
    def inline_keyboard(self) -> tuple[tuple[InlineKeyboardButton, ...], ...]:
        if self._buttons is None:
            self._buttons = tuple(
                tuple(InlineKeyboardButton(label, callback_data=data) for label, data in row)
                for row in self._rows
            )
        return self._buttons

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        return {
            "inline_keyboard": [
                [{"text": label, "callback_data": data} for label, data in row]
                for row in self._rows
            ]
        }


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup:
    return Keyboard(rows)


@dataclass
class Turn:
    """One update from one person in a private chat, with what we know about them."""

    update: Update
    context: ContextTypes.DEFAULT_TYPE
    svc: Services
    user: User
    current: Conversation | None = None  # as read by begin() and kept up to date by put/clear
    answered: bool = False

    @property
    def db(self) -> Database:
        return self.svc.db

    @property
    def lang(self) -> str:
        return self.user.language

    @property
    def user_id(self) -> int:
        return self.user.id

    @property
    def chat_id(self) -> int:
        return self.update.effective_chat.id  # type: ignore[union-attr]

    def now(self) -> datetime:
        return self.svc.now()

    def t(self, key: str, **params: object) -> str:
        return self.svc.content.strings.t(self.lang, key, **params)

    def emergency(self) -> str:
        """ "call 999 now" for this person's country, or the common numbers."""
        return self.svc.content.emergency_line(self.lang, self.user.time_zone)

    def refresh_user(self) -> User:
        self.user = users.get(self.db, self.user_id) or self.user
        return self.user

    # conversation state ------------------------------------------------------
    # A person's updates are handled one at a time (bot/runtime/processor.py), so the
    # conversation read with their row stays true until this turn changes it.
    def conversation(self) -> Conversation | None:
        return self.current

    def pressed_step(self, seq: int | None, flow: str, *steps: str) -> Conversation | None:
        """The conversation a button drawn with `seq` belongs to, if it is still the current
        step of `flow` (one of `steps`, when given); None for a stale, replayed or forged one."""
        current = self.current
        if current is None or current.flow != flow or seq != current.seq:
            return None
        return current if not steps or current.step in steps else None

    def put(self, flow: str, step: str, data: dict[str, Any]) -> Conversation:
        self.current = conversations.put(self.db, self.user_id, flow, step, data, self.now())
        return self.current

    def clear(self) -> None:
        conversations.clear(self.db, self.user_id)
        self.current = None

    # replies -----------------------------------------------------------------
    async def send(self, text: str, markup: Any = None) -> Message:
        return await self.context.bot.send_message(self.chat_id, text, reply_markup=markup)

    async def reply(self, text: str, markup: Any = None, *, new_message: bool = False) -> None:
        """The one choice of how to answer: a new message when asked for; otherwise the
        pressed message edited in place (`show`, which sends when there is none to edit)."""
        if new_message:
            await self.send(text, markup)
        else:
            await self.show(text, markup)

    async def show(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        """Edit the message whose button was pressed (if it is text); otherwise send a new one."""
        query = self.update.callback_query
        # A photo or a document (a chart, an export) has no text to edit: Telegram refuses.
        if query is not None and getattr(query.message, "text", None):
            if unchanged(query.message, text, markup):
                return  # Telegram refuses an edit that changes nothing (a replayed press)
            try:
                await query.edit_message_text(text, reply_markup=markup)
                return
            except BadRequest as exc:
                reason = str(exc).lower()
                if "not modified" in reason:
                    return
                if "not found" not in reason and "can't be edited" not in reason:
                    raise
        await self.send(text, markup)

    async def answer(self, text: str | None = None, *, alert: bool = False) -> None:
        """Stop the button's spinner (once per press; later calls do nothing)."""
        query = self.update.callback_query
        if query is None or self.answered:
            return
        self.answered = True
        try:
            await query.answer(text, show_alert=alert)
        except BadRequest as exc:  # too old to answer: the person has moved on
            log.info("callback answer refused: %s", exc)

    def menu_button(self) -> Button:
        return (self.t("common.menu_button"), MENU_DATA)

    def consent_rows(self) -> list[list[Button]]:
        """The keep-my-notes question's answers, right where consent is needed."""
        return [
            [(self.t("start.consent_yes"), account_buttons.consent("yes"))],
            [(self.t("start.consent_no"), account_buttons.consent("no"))],
        ]


_TAG = re.compile(r"<[^>]*>")


def unchanged(message: Any, text: str, markup: InlineKeyboardMarkup | None) -> bool:
    """Whether the message already shows this text (as a person sees it) and these buttons."""
    current = getattr(message, "text", None)
    if current is None or current != html.unescape(_TAG.sub("", text)):
        return False
    return _buttons(message.reply_markup) == _buttons(markup)


def _buttons(markup: InlineKeyboardMarkup | None) -> list[tuple]:
    """The rows of (label, callback data), compared cheaply: this runs on many taps."""
    if not markup:
        return []
    if isinstance(markup, Keyboard):
        return list(markup.rows)
    return [tuple((b.text, b.callback_data) for b in row) for row in markup.inline_keyboard]


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Turn:
    """The Turn for a private-chat update, creating the person's row on first contact."""
    svc = services(context)
    sender = update.effective_user
    assert sender is not None, "private-chat updates always have a sender"
    language = svc.content.strings.pick_language(sender.language_code)
    user, current = users.with_conversation(svc.db, sender.id, language, svc.now())
    return Turn(update=update, context=context, svc=svc, user=user, current=current)


def press(turn: Turn) -> callbacks.Press:
    """Decode the pressed button; raises callbacks.Expired for anything not ours."""
    query = turn.update.callback_query
    if query is None or query.message is None or query.message.chat.id != turn.user_id:
        raise callbacks.Expired("not a button in this person's own chat")
    return callbacks.decode(query.data)


async def expired(turn: Turn) -> None:
    """Say the button expired, then show the step the person is really on, if any."""
    await turn.answer(turn.t("common.expired"))
    conversation = turn.conversation()
    resume = turn.svc.registry.resumers.get(conversation.flow) if conversation else None
    if resume is not None and conversation is not None:
        await resume(turn, conversation)
    else:
        await turn.send(turn.t("common.expired"), keyboard([[turn.menu_button()]]))


def language_of(svc: Services, sender: TelegramUser | None) -> str:
    """The language the person chose in /settings, else their Telegram app's, outside a Turn."""
    strings = svc.content.strings
    if sender is None:
        return strings.pick_language(None)
    try:
        stored = users.get(svc.db, sender.id)
    except Exception:  # the database may be what failed
        stored = None
    return stored.language if stored else strings.pick_language(sender.language_code)


DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def day_name(turn: Turn, iso_day: int, *, long: bool = False) -> str:
    """A weekday's name in the person's language (1 = Monday)."""
    return turn.t(f"schedule.days.{'long' if long else 'short'}.{DAY_KEYS[iso_day - 1]}")
