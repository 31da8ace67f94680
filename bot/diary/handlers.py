"""The pain diary: /log, /diary, /export and their buttons (flow "d").

/tried notes a treatment or self-help (bot/diary/tried.py); its "did it help?" is
sent by the reminders tick through `registry.on_tick`.

Other capabilities start a log with `diary.buttons.new()`, or with the
pain already given: `diary.buttons.new(pain)`. After storing a score
themselves they may call `diary_save.send_flare(turn)` for the flare check.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.chat import callbacks
from bot.chat.registry import Command, MenuEntry, services
from bot.chat.turn import begin, expired, press
from bot.diary import draft as diary_draft
from bot.diary import export as diary_export
from bot.diary import helps as diary_helps
from bot.diary import log as diary_log
from bot.diary import tried as diary_tried
from bot.diary import view as diary_view
from bot.diary.dates import PAIN_SCORES
from bot.diary.text import FLOW

PRIVATE = filters.ChatType.PRIVATE
ACTIONS = {
    **diary_log.ACTIONS,
    **diary_view.ACTIONS,
    **diary_export.ACTIONS,
    **diary_tried.ACTIONS,
    **diary_helps.ACTIONS,
}


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    try:
        pressed = press(turn)
        action = ACTIONS.get(pressed.action)
        if action is None:
            raise callbacks.Expired("unknown diary action")
        await action(turn, pressed)
    except callbacks.Expired:
        return await expired(turn)
    await turn.answer()


async def log_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    await diary_log.start(turn)


async def diary_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    await diary_view.show_summary(turn)


async def tried_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    await diary_tried.show_picker(turn, new=True)


async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    await diary_export.ask(turn, new=True)


async def resume(turn, conversation) -> None:
    """Show the diary conversation's current step again: a What I tried step or a draft."""
    if conversation.step == diary_log.AFTER_ZONE:  # back from the time zone question
        pain = conversation.data.get("pain")
        await diary_log.start(turn, pain if pain in PAIN_SCORES else None)
    elif conversation.step in (diary_tried.PICK, diary_tried.NAME):
        await diary_tried.resume(turn, conversation)
    else:
        await diary_draft.resume(turn, conversation)


def register(app: Application) -> None:
    registry = services(app).registry
    app.add_handler(CommandHandler("log", log_command, filters=PRIVATE))
    app.add_handler(CommandHandler("diary", diary_command, filters=PRIVATE))
    app.add_handler(CommandHandler("export", export_command, filters=PRIVATE))
    app.add_handler(CommandHandler("tried", tried_command, filters=PRIVATE))
    registry.buttons[FLOW] = on_button
    registry.text_inputs[FLOW] = diary_log.on_text
    registry.typed_steps[FLOW] = frozenset({diary_log.NOTE, diary_tried.NAME})
    registry.resumers[FLOW] = resume
    registry.features.add("diary")
    registry.on_tick.append(diary_tried.send_follow_ups)
    registry.add_menu(
        MenuEntry(300, "diary.menu_log", callbacks.encode(FLOW, "new"), needs_consent=True)
    )
    registry.add_menu(
        MenuEntry(310, "diary.menu_diary", callbacks.encode(FLOW, "view", 30), needs_consent=True)
    )
    registry.add_command(Command(300, "log", "diary.command_log"))
    registry.add_command(Command(310, "diary", "diary.command_diary"))
    registry.add_menu(
        MenuEntry(320, "diary.menu_tried", callbacks.encode(FLOW, "tried"), needs_consent=True)
    )
    registry.add_command(Command(315, "tried", "diary.command_tried"))
    registry.add_command(Command(320, "export", "diary.command_export"))
