"""/start, consent, /menu, /help and /cancel."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.account.buttons import START as FLOW
from bot.chat import buttons as chat_buttons
from bot.chat import callbacks
from bot.chat.buttons import MENU
from bot.chat.registry import Command, MenuEntry, services
from bot.chat.turn import Turn, begin, expired, keyboard, press
from storage import users

PRIVATE = filters.ChatType.PRIVATE


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    turn.clear()
    if not turn.user.active:
        users.set_active(turn.db, turn.user_id, True)
    for hook in turn.svc.registry.on_start:
        await hook(turn)
    warning = turn.t("start.not_a_doctor", emergency=turn.emergency())
    greeting = f"{turn.t('start.greeting')}\n\n{warning}"
    if turn.user.consented:
        await turn.send(f"{greeting}\n\n{turn.t('start.welcome_back')}")
        await show_menu(turn, new_message=True)
        return
    await turn.send(greeting)
    await turn.send(turn.t("start.consent_question"), keyboard(turn.consent_rows()))


async def on_consent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    try:
        choice = press(turn).arg(0)
    except callbacks.Expired:
        return await expired(turn)
    if choice not in ("yes", "no"):
        return await expired(turn)
    await turn.answer()
    users.set_consent(turn.db, turn.user_id, turn.now() if choice == "yes" else None)
    turn.refresh_user()
    # The answer and the menu go in the message that asked: one message, under the thumb.
    answer = turn.t("start.consent_given" if choice == "yes" else "start.consent_declined")
    await turn.show(f"{answer}\n\n{menu_title(turn)}", menu_markup(turn))


def help_text(turn: Turn) -> str:
    """Built from the registered commands, so it always lists exactly what works."""
    commands = "\n".join(
        f"/{c.name} – {turn.t(c.description_key)}" for c in turn.svc.registry.commands
    )
    emergency = turn.t("help.emergency", emergency=turn.emergency())
    return f"{turn.t('help.intro')}\n\n{commands}\n\n{emergency}"


def menu_markup(turn: Turn):
    entries = [e for e in turn.svc.registry.menu if turn.user.consented or not e.needs_consent]
    return keyboard([[(turn.t(e.label_key), e.callback_data)] for e in entries])


def menu_title(turn: Turn) -> str:
    return turn.t("menu.title" if turn.user.consented else "menu.title_no_consent")


async def show_menu(turn: Turn, *, new_message: bool = False) -> None:
    title = menu_title(turn)
    await turn.reply(title, menu_markup(turn), new_message=new_message)


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    await show_menu(turn, new_message=True)


async def on_menu_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    try:
        action = press(turn).action
    except callbacks.Expired:
        return await expired(turn)
    await turn.answer()
    if action == "help":
        await turn.send(help_text(turn), keyboard([[turn.menu_button()]]))
    else:
        await show_menu(turn)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    await turn.send(help_text(turn), keyboard([[turn.menu_button()]]))


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    conversation = turn.conversation()
    if conversation is None:
        await turn.send(turn.t("common.nothing_to_cancel"), keyboard([[turn.menu_button()]]))
        return
    turn.clear()
    tidy = turn.svc.registry.cancellers.get(conversation.flow)
    if tidy is not None and await tidy(turn, conversation, turn.t("common.cancelled")):
        await show_menu(turn, new_message=True)
        return
    await turn.send(turn.t("common.cancelled"), keyboard([[turn.menu_button()]]))


def register(app: Application) -> None:
    registry = services(app).registry
    app.add_handler(CommandHandler("start", start, filters=PRIVATE))
    app.add_handler(CommandHandler("menu", menu, filters=PRIVATE))
    app.add_handler(CommandHandler("help", help_command, filters=PRIVATE))
    app.add_handler(CommandHandler("cancel", cancel, filters=PRIVATE))
    registry.buttons[FLOW] = on_consent
    registry.buttons[MENU] = on_menu_button
    registry.add_menu(MenuEntry(900, "menu.help", chat_buttons.help()))
    for order, name in enumerate(("start", "menu", "help", "cancel")):
        registry.add_command(Command(order * 10 + 900, name, f"commands.{name}"))
