"""/checkin: one daily "How is your back today?" at the person's local time.

Setting up lives in the conversation (flow "c"); the prompt's buttons name
their delivery, which is checked against the person who pressed them.
"""

from __future__ import annotations

from datetime import timedelta

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.chat import callbacks
from bot.chat.registry import Command, MenuEntry, Services, services
from bot.chat.turn import Turn, begin, expired, keyboard, press
from bot.diary import buttons as diary_buttons
from bot.diary import save as diary_save
from bot.reminders.buttons import CHECKIN as FLOW
from bot.reminders.schedule import parse_time
from bot.reminders.schedule_text import (
    needs_consent,
    next_text,
    pattern_text,
    time_rows,
)
from bot.timezone import buttons as timezone_buttons
from bot.timezone import handlers as timezone
from storage import deliveries, diary, schedules
from storage.conversations import Conversation
from storage.recurrence import from_hhmm, hhmm, local

SNOOZE = timedelta(hours=1)
PRIVATE = filters.ChatType.PRIVATE


# ---------------------------------------------------------------------------- the prompt
def prompt(svc: Services, lang: str, delivery_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """The daily question, sent by the tick: 0-10, then Snooze and Skip today."""

    def t(key: str) -> str:
        return svc.content.strings.t(lang, key)

    numbers = [(str(n), callbacks.encode(FLOW, "pain", delivery_id, n)) for n in range(11)]
    rows = [
        numbers[:6],
        numbers[6:],
        [
            (t("checkin.snooze"), callbacks.encode(FLOW, "snooze", delivery_id)),
            (t("checkin.skip_today"), callbacks.encode(FLOW, "skip", delivery_id)),
        ],
    ]
    return f"<b>{t('checkin.prompt')}</b>\n{t('checkin.prompt_scale')}", keyboard(rows)


async def _answer_prompt(turn: Turn, action: str, delivery_id: int, pain: int | None) -> None:
    delivery = deliveries.get(turn.db, delivery_id, turn.user_id)
    if delivery is None or delivery.kind != schedules.CHECKIN or delivery.answered:
        return await expired(turn)
    now = turn.now()
    if action == "pain":
        if await needs_consent(turn):
            return
        with turn.db.atomic():
            entry_id = diary.add_entry(
                turn.db,
                turn.user_id,
                recorded_at=now,
                pain=pain,
                places=[],
                tags=[],
                note=None,
                source="checkin",
                dedup_key=f"checkin:{delivery_id}",
                now=now,
            )
            deliveries.mark_answered(turn.db, delivery_id, turn.user_id, now)
        await turn.answer()
        rows = []
        if "diary" in turn.svc.registry.features:
            # Details go onto this same entry (the diary's edit), not into a second one.
            details = diary_buttons.edit(entry_id, 0)
            rows.append([(turn.t("checkin.add_details"), details)])
        rows.append([turn.menu_button()])
        await turn.show(turn.t("checkin.saved", pain=pain), keyboard(rows))
        await diary_save.send_flare(turn)  # a run of high scores gets the warning signs
        return
    if action == "snooze":
        until = now + SNOOZE
        if not deliveries.snooze(turn.db, delivery, until, now):
            return await expired(turn)
        await turn.answer()
        text = turn.t("checkin.snoozed", when=local(until, delivery.zone).strftime("%H:%M"))
        return await turn.show(text, keyboard([[turn.menu_button()]]))
    if not deliveries.skip_today(turn.db, delivery, now):
        return await expired(turn)
    await turn.answer()
    await turn.show(turn.t("checkin.skipped"), keyboard([[turn.menu_button()]]))


# ---------------------------------------------------------------------------- setting up
async def _start(turn: Turn) -> None:
    """Status if there is a check-in, otherwise the time buttons (asking the zone first)."""
    if await needs_consent(turn):
        return
    if not turn.user.time_zone:
        return await timezone.ask(turn, back=(FLOW, "time", {}))
    if schedules.checkin_for(turn.db, turn.user_id) is None:
        return await _ask_time(turn)
    turn.clear()
    await _show_status(turn, new_message=True)


async def _ask_time(turn: Turn, prefix: str = "") -> None:
    conversation = turn.put(FLOW, "time", {})
    rows = [*time_rows(FLOW, conversation.seq), [turn.menu_button()]]
    text = turn.t("checkin.ask_time")
    await turn.send(f"{prefix}\n\n{text}" if prefix else text, keyboard(rows))


async def _show_status(turn: Turn, *, new_message: bool = False, prefix: str = "") -> None:
    checkin = schedules.checkin_for(turn.db, turn.user_id)
    if checkin is None:
        return await _ask_time(turn)
    state = turn.t("checkin.state_on" if checkin.active else "checkin.state_off")
    lines = [
        f"<b>{turn.t('checkin.title')}</b>",
        turn.t("checkin.status", state=state, when=pattern_text(turn, checkin), zone=checkin.zone),
        next_text(turn, checkin),
        turn.t(
            "checkin.skip_if_logged_on" if checkin.skip_if_logged else "checkin.skip_if_logged_off"
        ),
    ]
    if prefix:
        lines.insert(0, prefix + "\n")
    toggle = "off" if checkin.active else "on"
    skip = "0" if checkin.skip_if_logged else "1"
    rows = [
        [
            (turn.t("checkin.change_time"), callbacks.encode(FLOW, "change")),
            (turn.t(f"checkin.turn_{toggle}"), callbacks.encode(FLOW, toggle)),
        ],
        [(turn.t(f"checkin.skip_toggle_{skip}"), callbacks.encode(FLOW, "skiplog", skip))],
        [(turn.t("checkin.change_zone"), timezone_buttons.ask(FLOW))],
        [turn.menu_button()],
    ]
    text = "\n".join(line for line in lines if line)
    await turn.reply(text, keyboard(rows), new_message=new_message)


async def _save_time(turn: Turn, value) -> None:
    zone = turn.user.time_zone or "UTC"
    schedules.save_checkin(turn.db, turn.user_id, zone, value, turn.now())
    turn.clear()
    await _show_status(
        turn, new_message=True, prefix=turn.t("checkin.saved_time", time=hhmm(value))
    )


async def checkin_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _start(await begin(update, context))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    try:
        pressed = press(turn)
        if pressed.action in ("pain", "snooze", "skip"):
            pain = pressed.int_arg(1) if pressed.action == "pain" else None
            if pain is not None and pain > 10:
                raise callbacks.Expired("pain out of range")
            return await _answer_prompt(turn, pressed.action, pressed.int_arg(0), pain)
    except callbacks.Expired:
        return await expired(turn)
    action = pressed.action
    if action == "setup":
        await turn.answer()
        return await _start(turn)
    if await needs_consent(turn):
        return
    checkin = schedules.checkin_for(turn.db, turn.user_id)
    if action == "at":
        conversation = turn.pressed_step(pressed.seq, FLOW)
        value = from_hhmm(pressed.args[0] if pressed.args else None)
        if conversation is None:
            return await expired(turn)
        if value is None:
            return await expired(turn)
        await turn.answer()
        return await _save_time(turn, value)
    if checkin is None:
        return await expired(turn)
    await turn.answer()
    if action == "change":
        return await _ask_time(turn)
    if action in ("on", "off"):
        schedules.set_active(turn.db, checkin.id, turn.user_id, action == "on", turn.now())
    elif action == "skiplog" and pressed.args and pressed.args[0] in ("0", "1"):
        schedules.set_skip_if_logged(turn.db, checkin.id, turn.user_id, pressed.args[0] == "1")
    else:
        return await expired(turn)
    await _show_status(turn)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    message = update.effective_message
    value = parse_time(message.text or "") if message is not None else None
    if value is None:
        return await _ask_time(turn, prefix=turn.t("schedule.bad_time"))
    await _save_time(turn, value)


async def resume(turn: Turn, conversation: Conversation) -> None:
    if conversation.step == "time":
        return await _ask_time(turn)
    turn.clear()
    await _show_status(turn, new_message=True)


def register(app: Application) -> None:
    registry = services(app).registry
    registry.features.add("checkin")
    app.add_handler(CommandHandler("checkin", checkin_command, filters=PRIVATE))
    registry.buttons[FLOW] = on_button
    registry.text_inputs[FLOW] = on_text
    registry.typed_steps[FLOW] = frozenset({"time"})
    registry.resumers[FLOW] = resume
    registry.add_menu(
        MenuEntry(500, "checkin.menu", callbacks.encode(FLOW, "setup"), needs_consent=True)
    )
    registry.add_command(Command(500, "checkin", "commands.checkin"))
