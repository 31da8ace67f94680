"""/privacy, /mydata (everything stored, as a JSON file) and /forget (erase it all)."""

from __future__ import annotations

import asyncio
import json
import logging

from telegram import BotCommandScopeChat, InputFile, Update
from telegram.constants import ChatAction
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.account import buttons as account_buttons
from bot.account.buttons import PRIVACY as FLOW
from bot.chat import callbacks
from bot.chat.registry import Command, MenuEntry, services
from bot.chat.turn import Turn, begin, expired, keyboard, press
from storage import privacy
from storage.conversations import Conversation
from storage.db import checkpoint

log = logging.getLogger(__name__)
PRIVATE = filters.ChatType.PRIVATE
# (button, the step it must answer): a stale or replayed press erases nothing.
FORGET_STEPS = {("sure", "forget1"), ("erase", "forget2"), ("keep", "forget1"), ("keep", "forget2")}
# Tables counted on their own line in the /mydata summary; the rest are "other records".
SUMMARY_TABLES = {"diary": "diary_entries", "checks": "triage_results", "schedules": "schedules"}
# Seconds between tries to truncate the WAL after an erase, while a backup reads
# an older snapshot; if it is still busy, the hourly job finishes it.
CHECKPOINT_RETRIES = (0.05, 0.2, 0.5, 1.0)


def backup_days(turn: Turn) -> int:
    """Days until an erased row has left every backup: the oldest copy holding it
    is pruned by the first nightly run after the retention has passed."""
    return turn.svc.settings.backup_keep_days + 1


def privacy_markup(turn: Turn):
    rows = [
        [(turn.t("privacy.mydata_button"), callbacks.encode(FLOW, "mydata"))],
        [(turn.t("privacy.forget_button"), callbacks.encode(FLOW, "forget"))],
    ]
    if "settings" in turn.svc.registry.features:
        rows.append([(turn.t("menu.settings"), account_buttons.settings())])
    rows.append([turn.menu_button()])
    return keyboard(rows)


async def show_privacy(turn: Turn, *, new_message: bool) -> None:
    await turn.reply(
        turn.t("privacy.text", backup_days=backup_days(turn)),
        privacy_markup(turn),
        new_message=new_message,
    )


async def privacy_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await show_privacy(await begin(update, context), new_message=True)


# /mydata ---------------------------------------------------------------------
async def send_my_data(turn: Turn) -> None:
    document = privacy.export(turn.db, turn.user_id, turn.now())
    tables = document["tables"]
    counts = {key: len(tables.get(table, [])) for key, table in SUMMARY_TABLES.items()}
    other = sum(len(rows) for name, rows in tables.items() if name not in SUMMARY_TABLES.values())
    payload = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    await turn.context.bot.send_chat_action(turn.chat_id, ChatAction.UPLOAD_DOCUMENT)
    name = f"backcare-my-data-{turn.now():%Y-%m-%d}.json"
    await turn.context.bot.send_document(
        turn.chat_id,
        InputFile(payload, filename=name),
        caption=turn.t("privacy.mydata_caption"),
    )
    await turn.send(
        turn.t("privacy.mydata_summary", other=other, **counts), keyboard([[turn.menu_button()]])
    )
    log.info("exported data for user %s (%d bytes)", turn.user_id, len(payload))


async def mydata_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send_my_data(await begin(update, context))


# /forget: ask, ask again, erase ------------------------------------------------
async def ask_first(turn: Turn, *, new_message: bool) -> None:
    step = turn.put(FLOW, "forget1", {})
    markup = keyboard(
        [
            [(turn.t("privacy.forget_first_yes"), callbacks.encode(FLOW, "sure", seq=step.seq))],
            [(turn.t("privacy.mydata_button"), callbacks.encode(FLOW, "mydata"))],
            [(turn.t("privacy.forget_keep"), callbacks.encode(FLOW, "keep", seq=step.seq))],
        ]
    )
    await turn.reply(turn.t("privacy.forget_first"), markup, new_message=new_message)


async def ask_second(turn: Turn, *, new_message: bool) -> None:
    step = turn.put(FLOW, "forget2", {})
    markup = keyboard(
        [
            [(turn.t("privacy.forget_second_yes"), callbacks.encode(FLOW, "erase", seq=step.seq))],
            [(turn.t("privacy.forget_keep"), callbacks.encode(FLOW, "keep", seq=step.seq))],
        ]
    )
    await turn.reply(
        turn.t("privacy.forget_second", backup_days=backup_days(turn)),
        markup,
        new_message=new_message,
    )


async def forget_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await ask_first(await begin(update, context), new_message=True)


async def erase_everything(turn: Turn) -> None:
    deleted = privacy.erase(turn.db, turn.user_id)
    turn.current = None  # the conversation went with everything else
    log.info("erased user %s: %d rows", turn.user_id, sum(deleted.values()))
    if not await settle(turn.db):
        log.warning(
            "erased rows of user %s are still in the WAL; the hourly job retries", turn.user_id
        )
    await turn.show(turn.t("privacy.forget_done", backup_days=backup_days(turn)))
    # A language chosen in /settings also set this chat's command menu; forget that too.
    await turn.context.bot.delete_my_commands(scope=BotCommandScopeChat(turn.chat_id))


async def settle(db) -> bool:
    """Truncate the WAL, so no copy of the erased rows stays on disk; False if still busy."""
    for delay in (0, *CHECKPOINT_RETRIES):
        await asyncio.sleep(delay)
        if checkpoint(db):
            return True
    return False


def current_step(turn: Turn, pressed: callbacks.Press) -> str | None:
    """The /forget step this press answers, or None if it is stale or not from this flow."""
    conversation = turn.pressed_step(pressed.seq, FLOW)
    return None if conversation is None else conversation.step


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    try:
        pressed = press(turn)
    except callbacks.Expired:
        return await expired(turn)
    action = pressed.action
    if action in ("open", "mydata", "forget"):
        await turn.answer()
        if action == "open":
            return await show_privacy(turn, new_message=False)
        if action == "mydata":
            return await send_my_data(turn)
        return await ask_first(turn, new_message=False)
    if (action, current_step(turn, pressed)) not in FORGET_STEPS:
        return await expired(turn)
    await turn.answer()
    if action == "sure":
        return await ask_second(turn, new_message=False)
    if action == "erase":
        return await erase_everything(turn)
    turn.clear()
    await turn.show(turn.t("privacy.forget_kept"), keyboard([[turn.menu_button()]]))


async def resume(turn: Turn, conversation: Conversation) -> None:
    if conversation.step == "forget2":
        await ask_second(turn, new_message=True)
    else:
        await ask_first(turn, new_message=True)


def register(app: Application) -> None:
    registry = services(app).registry
    registry.features.add("privacy")
    app.add_handler(CommandHandler("privacy", privacy_command, filters=PRIVATE))
    app.add_handler(CommandHandler("mydata", mydata_command, filters=PRIVATE))
    app.add_handler(CommandHandler("forget", forget_command, filters=PRIVATE))
    registry.buttons[FLOW] = on_button
    registry.resumers[FLOW] = resume
    registry.add_menu(MenuEntry(860, "menu.privacy", callbacks.encode(FLOW, "open")))
    for order, name in ((810, "privacy"), (820, "mydata"), (830, "forget")):
        registry.add_command(Command(order, name, f"commands.{name}"))
