"""The person's stretch reminders: the list, one reminder (change, pause, resume, delete)."""

from __future__ import annotations

from bot.chat import callbacks
from bot.chat.turn import Turn, expired, keyboard
from bot.reminders import routines
from bot.reminders.buttons import REMINDERS as FLOW
from bot.reminders.schedule_text import next_text, pattern_text
from storage import schedules
from storage.schedules import Schedule


def _title(turn: Turn, schedule: Schedule) -> str:
    choice = routines.find(turn.svc, turn.lang, schedule.routine)
    return routines.title_html(choice, turn.t("reminders.stretch_break"))


def _describe(turn: Turn, schedule: Schedule) -> str:
    lines = [f"<b>{_title(turn, schedule)}</b>", pattern_text(turn, schedule)]
    lines.append(next_text(turn, schedule))
    return "\n".join(line for line in lines if line)


async def show_list(turn: Turn, *, prefix: str = "", new_message: bool = False) -> None:
    found = schedules.for_user(turn.db, turn.user_id, schedules.STRETCH)
    parts = [prefix] if prefix else []
    parts.append(f"<b>{turn.t('reminders.title')}</b>")
    if not found:
        parts.append(turn.t("reminders.none_yet"))
    rows = []
    for number, schedule in enumerate(found, start=1):
        parts.append(f"{number}. {_describe(turn, schedule)}")
        label = turn.t("reminders.manage", number=number)
        rows.append([(label, callbacks.encode(FLOW, "show", schedule.id))])
    if len(found) < schedules.MAX_STRETCH_REMINDERS:
        rows.append([(turn.t("reminders.add"), callbacks.encode(FLOW, "new"))])
    rows.append([turn.menu_button()])
    text = "\n\n".join(parts)
    await turn.reply(text, keyboard(rows), new_message=new_message)


async def show_one(turn: Turn, schedule: Schedule, prefix: str = "") -> None:
    toggle = "pause" if schedule.active else "resume"
    rows = [
        [
            (turn.t("reminders.change_time"), callbacks.encode(FLOW, "chg", schedule.id, "time")),
            (turn.t("reminders.change_days"), callbacks.encode(FLOW, "chg", schedule.id, "days")),
        ],
    ]
    if routines.choices(turn.svc, turn.lang):
        label = turn.t("reminders.change_routine")
        rows.append([(label, callbacks.encode(FLOW, "chg", schedule.id, "routine"))])
    rows += [
        [
            (turn.t(f"reminders.{toggle}"), callbacks.encode(FLOW, toggle, schedule.id)),
            (turn.t("reminders.delete"), callbacks.encode(FLOW, "del", schedule.id)),
        ],
        [(turn.t("common.back"), callbacks.encode(FLOW, "list"))],
    ]
    text = _describe(turn, schedule)
    await turn.show(f"{prefix}\n\n{text}" if prefix else text, keyboard(rows))


async def on_manage(turn: Turn, action: str, schedule_id: int) -> None:
    """show, pause, resume, del (asks), delok (deletes): always the person's own row."""
    schedule = schedules.get(turn.db, schedule_id, turn.user_id)
    if schedule is None or schedule.kind != schedules.STRETCH:
        return await expired(turn)
    await turn.answer()
    if action == "show":
        return await show_one(turn, schedule)
    if action in ("pause", "resume"):
        changed = schedules.set_active(
            turn.db, schedule.id, turn.user_id, action == "resume", turn.now()
        )
        return await show_one(turn, changed or schedule)
    if action == "del":
        rows = [
            [(turn.t("reminders.delete_yes"), callbacks.encode(FLOW, "delok", schedule.id))],
            [(turn.t("reminders.delete_no"), callbacks.encode(FLOW, "show", schedule.id))],
        ]
        return await turn.show(f"{_describe(turn, schedule)}\n\n{turn.t('reminders.delete_ask')}",
                               keyboard(rows))  # fmt: skip
    if action == "delok":
        schedules.delete(turn.db, schedule.id, turn.user_id)
        return await show_list(turn, prefix=turn.t("reminders.deleted"))
    await expired(turn)
