"""/reminders: stretch reminders at the person's local times, and the reminder itself
(Start, Done, Snooze 15 min)."""

from __future__ import annotations

from datetime import timedelta
from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.chat import callbacks
from bot.chat.registry import Command, MenuEntry, Services, services
from bot.chat.turn import Turn, begin, expired, keyboard, press
from bot.library import buttons as library_buttons
from bot.reminders import routines
from bot.reminders import setup as reminders_setup
from bot.reminders.buttons import REMINDERS as FLOW
from bot.reminders.listing import on_manage, show_list
from bot.reminders.schedule_text import needs_consent
from storage import deliveries, diary, schedules
from storage.conversations import Conversation
from storage.recurrence import local

SNOOZE = timedelta(minutes=15)
PRIVATE = filters.ChatType.PRIVATE
MANAGE = ("show", "pause", "resume", "del", "delok")
STEPS = ("routine", "every", "at", "win", "day", "days", "save", "back", "cancel")


def prompt(
    svc: Services, lang: str, delivery_id: int, routine_id: str | None
) -> tuple[str, InlineKeyboardMarkup]:
    """The reminder sent by the tick: the routine, Start, Done, Snooze."""

    def t(key: str, **params: object) -> str:
        return svc.content.strings.t(lang, key, **params)

    choice = routines.find(svc, lang, routine_id)
    rows = []
    if choice is not None:
        text = f"<b>{t('reminders.prompt', title=routines.title_html(choice, ''))}</b>"
        text += f"\n{escape(choice.summary, quote=False)}"
        if choice.minutes:
            text += "\n" + t("reminders.prompt_minutes", minutes=choice.minutes)
        if "stretches" in svc.registry.features:
            rows.append([(t("reminders.start"), library_buttons.routine(choice.id))])
    else:
        text = t("reminders.prompt_break")
    rows.append(
        [
            (t("reminders.done"), callbacks.encode(FLOW, "done", delivery_id)),
            (t("reminders.snooze"), callbacks.encode(FLOW, "snooze", delivery_id)),
        ]
    )
    return text, keyboard(rows)


async def _answer_prompt(turn: Turn, action: str, delivery_id: int) -> None:
    delivery = deliveries.get(turn.db, delivery_id, turn.user_id)
    if delivery is None or delivery.kind != schedules.STRETCH or delivery.answered:
        return await expired(turn)
    now = turn.now()
    if action == "snooze":
        until = now + SNOOZE
        if not deliveries.snooze(turn.db, delivery, until, now):
            return await expired(turn)
        await turn.answer()
        text = turn.t("reminders.snoozed", when=local(until, delivery.zone).strftime("%H:%M"))
        return await turn.show(text, keyboard([[turn.menu_button()]]))
    if await needs_consent(turn):
        return
    with turn.db.atomic():
        diary.add_entry(
            turn.db,
            turn.user_id,
            recorded_at=now,
            pain=None,
            places=[],
            tags=["did_stretches"],
            note=None,
            source="stretches",
            routine=delivery.routine,
            dedup_key=f"stretches:{delivery_id}",
            now=now,
        )
        deliveries.mark_answered(turn.db, delivery_id, turn.user_id, now)
    await turn.answer()
    await turn.show(turn.t("reminders.well_done"), keyboard([[turn.menu_button()]]))


async def _change(turn: Turn, schedule_id: int, part: str) -> None:
    """Change time, days or routine of one of the person's own reminders."""
    schedule = schedules.get(turn.db, schedule_id, turn.user_id)
    if schedule is None or schedule.kind != schedules.STRETCH or part not in reminders_setup.PARTS:
        return await expired(turn)
    await turn.answer()
    await reminders_setup.change(turn, schedule, part)


async def reminders_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    if await needs_consent(turn):
        return
    await show_list(turn, new_message=True)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    try:
        pressed = press(turn)
        if pressed.action in ("done", "snooze"):
            return await _answer_prompt(turn, pressed.action, pressed.int_arg(0))
        if pressed.action in MANAGE:
            if await needs_consent(turn):
                return
            return await on_manage(turn, pressed.action, pressed.int_arg(0))
        if pressed.action == "chg":
            if await needs_consent(turn):
                return
            return await _change(turn, pressed.int_arg(0), pressed.arg(1))
    except callbacks.Expired:
        return await expired(turn)
    if await needs_consent(turn):
        return
    if pressed.action == "list":
        await turn.answer()
        return await show_list(turn)
    if pressed.action == "new":
        await turn.answer()
        return await reminders_setup.start(turn)
    conversation = turn.pressed_step(pressed.seq, FLOW)
    if pressed.action not in STEPS or conversation is None:
        return await expired(turn)
    await reminders_setup.on_step_button(turn, pressed.action, pressed.args, conversation)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    conversation = turn.conversation()
    message = update.effective_message
    if conversation is None or message is None:
        return
    await reminders_setup.on_text(turn, conversation, (message.text or "").strip())


async def resume(turn: Turn, conversation: Conversation) -> None:
    await reminders_setup.resume_step(turn, conversation)


def register(app: Application) -> None:
    registry = services(app).registry
    registry.features.add("reminders")
    app.add_handler(CommandHandler("reminders", reminders_command, filters=PRIVATE))
    registry.buttons[FLOW] = on_button
    registry.text_inputs[FLOW] = on_text
    registry.typed_steps[FLOW] = frozenset({"time", "window"})
    registry.resumers[FLOW] = resume
    registry.add_menu(
        MenuEntry(510, "reminders.menu", callbacks.encode(FLOW, "list"), needs_consent=True)
    )
    registry.add_command(Command(510, "reminders", "commands.reminders"))
