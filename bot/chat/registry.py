"""What handlers need, kept in application.bot_data: database, content, clock, registry."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database
from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.config import Settings

if TYPE_CHECKING:  # content loads the features' data; the registry only holds it
    from bot.content import Content

Clock = Callable[[], datetime]
# a handler callback: (update, context) -> None
UpdateHandler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]
TextInput = UpdateHandler
# (turn, conversation) -> show that conversation's current step again
Resumer = Callable[[Any, Any], Awaitable[None]]


class SkipDelivery(Exception):
    """A prompt builder found nothing to send for this claim (its plan ended meanwhile)."""


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class MenuEntry:
    order: int
    label_key: str
    callback_data: str
    needs_consent: bool = False


@dataclass(frozen=True)
class Command:
    order: int
    name: str
    description_key: str


@dataclass
class Registry:
    """What each capability adds when it registers: menu entries, commands, typed input."""

    # capabilities that are wired in ("triage", "library", "stretches", "diary", "checkin",
    # "reminders"), so other capabilities show their buttons only when they work
    features: set[str] = field(default_factory=set)
    menu: list[MenuEntry] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    # flow name -> handler for its buttons (callback data "1:<flow>:..."; bot/chat/router.py)
    buttons: dict[str, UpdateHandler] = field(default_factory=dict)
    # flow name -> handler for typed text while that flow waits for it
    text_inputs: dict[str, TextInput] = field(default_factory=dict)
    # flow name -> the steps at which it asks the person to type (a time, a note, a city);
    # a local chat sends what is typed there as text, even a bare number
    typed_steps: dict[str, frozenset[str]] = field(default_factory=dict)
    # flow name -> handler for a shared location while that flow waits for it
    location_inputs: dict[str, TextInput] = field(default_factory=dict)
    # flow name -> how to show its current step again (after an expired button)
    resumers: dict[str, Resumer] = field(default_factory=dict)
    # flow name -> (turn, conversation, text) -> True if it said `text` itself while tidying
    # up for /cancel (e.g. removing a Share location keyboard, which needs a message)
    cancellers: dict[str, Callable[[Any, Any, str], Awaitable[bool]]] = field(default_factory=dict)
    # run on /start with the Turn (e.g. resume schedules paused when the person blocked us)
    on_start: list[Callable[[Any], Awaitable[None]]] = field(default_factory=list)
    # run by every reminders tick with (application, now): other due rows a feature keeps
    # (the diary's "did it help?"); each returns how many messages it sent
    on_tick: list[Callable[[Application, datetime], Awaitable[int]]] = field(default_factory=list)
    # schedule kind -> (services, user, claim) -> (text, markup) for the tick to send, for
    # kinds a feature other than reminders keeps (the plan's daily message)
    prompts: dict[str, Callable[[Any, Any, Any], tuple[str, Any]]] = field(default_factory=dict)
    # (database, user id) -> True if that person's daily check-in is carried by another
    # message today (an active plan's daily message has the pain tap): the check-in skips
    carries_checkin: list[Callable[[Database, int], bool]] = field(default_factory=list)
    # run with the Turn after the diary found a flare and showed the warning signs
    on_flare: list[Callable[[Any], Awaitable[None]]] = field(default_factory=list)
    # run with the Turn and the matched groups after typed words matched a warning sign and
    # got the emergency line
    on_warning_words: list[Callable[[Any, frozenset[str]], Awaitable[None]]] = field(
        default_factory=list
    )
    # run with the Turn and the result after a saved check was shown
    on_check_result: list[Callable[[Any, Any], Awaitable[None]]] = field(default_factory=list)
    # (services, user id, now) -> a locale key saying why new exercise should wait (the last
    # check was urgent, a plan is on hold), or None; shown above the stretches
    exercise_cautions: list[Callable[[Any, int, datetime], str | None]] = field(
        default_factory=list
    )
    # (services, user id, words) -> extra pages for the diary's PDF report, or None
    report_pages: list[Callable[[Any, int, Any], Any]] = field(default_factory=list)

    def awaits_text(self, flow: str, step: str) -> bool:
        return step in self.typed_steps.get(flow, frozenset())

    def add_menu(self, entry: MenuEntry) -> None:
        self.menu.append(entry)
        self.menu.sort(key=lambda e: e.order)

    def add_command(self, command: Command) -> None:
        self.commands.append(command)
        self.commands.sort(key=lambda c: c.order)


@dataclass
class Services:
    db: Database
    content: Content
    settings: Settings
    clock: Clock = system_clock
    registry: Registry = field(default_factory=Registry)

    def now(self) -> datetime:
        return self.clock()


KEY = "services"


def services(context: ContextTypes.DEFAULT_TYPE | Application) -> Services:
    return context.bot_data[KEY]
