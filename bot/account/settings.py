"""/settings: language, time zone, reminders, diary notes in the report, consent.

Every button names the value it sets and is checked against the current one,
so a replayed press changes nothing; every change is confirmed above the
settings it leaves behind.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.account import buttons as account_buttons
from bot.account.buttons import SETTINGS as FLOW
from bot.chat import callbacks
from bot.chat.commands import register_chat_commands
from bot.chat.registry import Command, MenuEntry, services
from bot.chat.turn import Turn, begin, expired, keyboard, press
from bot.reminders import buttons as reminder_buttons
from storage import preferences, users
from storage.conversations import Conversation

ZONE_FLOW = "z"  # the time zone question, shared with check-ins and reminders
PRIVATE = filters.ChatType.PRIVATE


def _state(turn: Turn, on: bool) -> str:
    return turn.t("settings.state_on" if on else "settings.state_off")


def language_name(turn: Turn, lang: str) -> str:
    return turn.svc.content.strings.t(lang, "language_name")


def summary(turn: Turn) -> str:
    user = turn.user
    text = turn.t(
        "settings.title",
        language=language_name(turn, user.language),
        time_zone=user.time_zone or turn.t("settings.zone_not_set"),
        consent=_state(turn, user.consented),
    )
    if "diary" in turn.svc.registry.features:
        notes = _state(turn, preferences.report_notes(turn.db, turn.user_id))
        text += "\n" + turn.t("settings.report_notes_line", report_notes=notes)
    return text


def settings_markup(turn: Turn):
    """One button per setting; reminders and the report only once those capabilities exist."""
    user, registry, t = turn.user, turn.svc.registry, turn.t
    zone = user.time_zone or t("settings.zone_not_set")
    buttons = [
        (
            t("settings.language_button", language=language_name(turn, user.language)),
            callbacks.encode(FLOW, "languages"),
        )
    ]
    if ZONE_FLOW in registry.resumers:
        buttons.append(
            (
                t("settings.time_zone_button", time_zone=zone),
                callbacks.encode(ZONE_FLOW, "ask", FLOW),
            )
        )
    if "checkin" in registry.features:
        buttons.append((t("settings.checkin_button"), reminder_buttons.checkin_setup()))
    if "reminders" in registry.features:
        buttons.append((t("settings.reminders_button"), reminder_buttons.reminders_list()))
    if "diary" in registry.features:
        notes = preferences.report_notes(turn.db, turn.user_id)
        label = t("settings.report_notes_button", report_notes=_state(turn, notes))
        buttons.append((label, callbacks.encode(FLOW, "notes", "off" if notes else "on")))
    consent = t("settings.consent_button", consent=_state(turn, user.consented))
    buttons.append((consent, callbacks.encode(FLOW, "consent", "off" if user.consented else "on")))
    buttons.append((t("settings.privacy_button"), account_buttons.privacy()))
    return keyboard([[button] for button in buttons] + [[turn.menu_button()]])


async def show_settings(turn: Turn, *, new_message: bool = False, done: str = "") -> None:
    """The settings page; `done` confirms the change just made, above it."""
    text = f"{done}\n\n{summary(turn)}" if done else summary(turn)
    await turn.reply(text, settings_markup(turn), new_message=new_message)


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await show_settings(await begin(update, context), new_message=True)


async def choose_language(turn: Turn) -> None:
    rows = [
        [(language_name(turn, lang), callbacks.encode(FLOW, "language", lang))]
        for lang in turn.svc.content.strings.languages
    ]
    rows.append([(turn.t("common.back"), callbacks.encode(FLOW, "open"))])
    await turn.show(turn.t("settings.choose_language"), keyboard(rows))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    try:
        pressed = press(turn)
        action = pressed.action
        value = pressed.arg(0) if action in ("language", "notes", "consent") else ""
    except callbacks.Expired:
        return await expired(turn)
    if action == "open":
        await turn.answer()
        return await show_settings(turn)
    if action == "languages":
        await turn.answer()
        return await choose_language(turn)
    if action == "language" and value in turn.svc.content.strings.languages:
        await turn.answer()
        users.set_language(turn.db, turn.user_id, value)
        turn.refresh_user()
        await register_chat_commands(turn.context.bot, turn.svc, turn.chat_id, value)
        return await show_settings(turn, done=turn.t("settings.language_changed"))
    if action == "notes" and value == ("off" if current_notes(turn) else "on"):
        await turn.answer()
        preferences.set_report_notes(turn.db, turn.user_id, value == "on")
        return await show_settings(turn, done=turn.t(f"settings.report_notes_{value}"))
    if action == "consent" and value == ("off" if turn.user.consented else "on"):
        await turn.answer()
        users.set_consent(turn.db, turn.user_id, turn.now() if value == "on" else None)
        turn.refresh_user()
        return await show_settings(turn, done=turn.t(f"settings.consent_{value}"))
    await expired(turn)


async def resume(turn: Turn, conversation: Conversation) -> None:
    """Back from the time zone question (step "after_zone"): the settings again."""
    turn.clear()
    await show_settings(turn, new_message=True)


def current_notes(turn: Turn) -> bool:
    return preferences.report_notes(turn.db, turn.user_id)


def register(app: Application) -> None:
    registry = services(app).registry
    registry.features.add("settings")
    app.add_handler(CommandHandler("settings", settings_command, filters=PRIVATE))
    registry.buttons[FLOW] = on_button
    registry.resumers[FLOW] = resume
    registry.add_menu(MenuEntry(850, "menu.settings", callbacks.encode(FLOW, "open")))
    registry.add_command(Command(800, "settings", "commands.settings"))
