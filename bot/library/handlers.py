"""/learn: the condition library, one screen at a time with More / Back.

Buttons from elsewhere (`l:list`, `l:page:<id>`, for example on a triage result)
open the library in a new message, so what they were pressed on stays readable;
buttons inside the library (`topics`, `screen`) edit their own message.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.chat import callbacks
from bot.chat.registry import Command, MenuEntry, services
from bot.chat.turn import Button, Turn, begin, expired, keyboard, press
from bot.library import buttons as library_buttons
from bot.library.buttons import PAGES as FLOW
from bot.library.models import Page
from bot.library.render import Screen, page_screens
from bot.triage import buttons as triage_buttons

RED_FLAGS = "red_flags"
PRIVATE = filters.ChatType.PRIVATE


def _screens(turn: Turn, page: Page) -> list[Screen]:
    return page_screens(turn.svc.content.library, page, turn.t)


def list_markup(turn: Turn):
    library = turn.svc.content.library
    rows: list[list[Button]] = []
    for page_id in library.page_ids():
        page = library.page(page_id, turn.lang)
        if page is not None:
            rows.append([(page.title, callbacks.encode(FLOW, "screen", page_id, 0))])
    rows.append([turn.menu_button()])
    return keyboard(rows)


def page_markup(turn: Turn, page: Page, number: int, screens: list[Screen]):
    library = turn.svc.content.library
    features = turn.svc.registry.features
    screen = screens[number]
    back = (
        callbacks.encode(FLOW, "screen", page.id, number - 1)
        if number > 0
        else callbacks.encode(FLOW, "topics")
    )
    nav = [(turn.t("library.back"), back)]
    if number + 1 < len(screens):
        nav.append((turn.t("library.more"), callbacks.encode(FLOW, "screen", page.id, number + 1)))
    rows: list[list[Button]] = [nav]
    if "when_to_get_checked" in screen.sections:
        checks: list[Button] = []
        if page.id != RED_FLAGS and library.page(RED_FLAGS, turn.lang) is not None:
            checks.append(
                (turn.t("library.warning_signs"), callbacks.encode(FLOW, "screen", RED_FLAGS, 0))
            )
        if "triage" in features:
            checks.append((turn.t("library.check_my_back"), triage_buttons.start()))
        if checks:
            rows.append(checks)
    if "stretches" in screen.sections and "stretches" in features:
        for routine_id in page.stretches:
            routine = library.routines[routine_id]
            label = routine.text(turn.lang).title
            rows.append([(label, library_buttons.overview(routine_id))])
    last = [turn.menu_button()]
    if number > 0:
        last.insert(0, (turn.t("library.all_topics"), callbacks.encode(FLOW, "topics")))
    rows.append(last)
    return keyboard(rows)


async def learn(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    await turn.send(turn.t("library.list_title"), list_markup(turn))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    try:
        pressed = press(turn)
        if pressed.action in ("list", "topics"):
            page_id, number = None, 0
        elif pressed.action == "page":
            page_id, number = pressed.arg(0), 0
        elif pressed.action == "screen":
            page_id, number = pressed.arg(0), pressed.int_arg(1)
        else:
            raise callbacks.Expired("unknown action")
    except callbacks.Expired:
        return await expired(turn)
    in_place = pressed.action in ("topics", "screen")
    if page_id is None:
        await turn.answer()
        text, markup = turn.t("library.list_title"), list_markup(turn)
    else:
        page = turn.svc.content.library.page(page_id, turn.lang)
        screens = _screens(turn, page) if page is not None else []
        if page is None or number >= len(screens):
            return await expired(turn)
        await turn.answer()
        text, markup = screens[number].text, page_markup(turn, page, number, screens)
    if in_place:
        await turn.show(text, markup)
    else:
        await turn.send(text, markup)


def register(app: Application) -> None:
    registry = services(app).registry
    registry.features.add("library")
    app.add_handler(CommandHandler("learn", learn, filters=PRIVATE))
    registry.buttons[FLOW] = on_button
    registry.add_menu(MenuEntry(200, "library.menu", callbacks.encode(FLOW, "topics")))
    registry.add_command(Command(200, "learn", "library.command"))
