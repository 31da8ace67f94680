"""Adding or changing a stretch reminder, one step at a time: routine, how often, when,
which days, in one message edited in place, each step with Back and Cancel.

The draft lives in the conversation (flow "r"); every button carries the step's
seq, so a stale or replayed press changes nothing. Changing a reminder runs the same
steps for one part (routine, time or days) with "edit" (its id) in the draft.
"""

from __future__ import annotations

from typing import Any

from bot.chat import callbacks
from bot.chat.turn import Turn, day_name, expired, keyboard
from bot.reminders import routines
from bot.reminders.buttons import REMINDERS as FLOW
from bot.reminders.listing import show_list, show_one
from bot.reminders.schedule import INTERVALS, parse_time, parse_window
from bot.reminders.schedule_text import needs_consent, time_rows, when_text
from bot.timezone import handlers as timezone
from storage import schedules
from storage.conversations import Conversation
from storage.recurrence import ALL_DAYS, WORK_DAYS, clean_weekdays, from_hhmm, hhmm
from storage.schedules import Schedule

WINDOWS = (("0900", "1700"), ("0800", "1800"), ("1000", "2000"), ("0700", "2200"))
PARTS = {"routine": "routine", "time": "often", "days": "days"}  # what to change -> first step


def _nav(turn: Turn, seq: int) -> list[tuple[str, str]]:
    return [
        (turn.t("common.back"), callbacks.encode(FLOW, "back", seq=seq)),
        (turn.t("reminders.cancel"), callbacks.encode(FLOW, "cancel", seq=seq)),
    ]


async def change(turn: Turn, schedule: Schedule, part: str) -> None:
    """Change one part of a reminder, starting from what it is now."""
    data: dict[str, Any] = {
        "edit": schedule.id,
        "only": part,
        "routine": schedule.routine or "",
        "every": schedule.every or 0,
        "at": hhmm(schedule.at) if schedule.at else None,
        "start": hhmm(schedule.start) if schedule.start else None,
        "end": hhmm(schedule.end) if schedule.end else None,
        "days": schedule.weekdays,
    }
    if part == "routine":
        return await ask_routine(turn, data)
    if part == "time":
        return await ask_often(turn, data)
    await ask_days(turn, data)


async def start(turn: Turn) -> None:
    """Begin a new reminder (asking the time zone first if we do not know it)."""
    if await needs_consent(turn):
        return
    if schedules.count_stretches(turn.db, turn.user_id) >= schedules.MAX_STRETCH_REMINDERS:
        return await show_list(turn, prefix=turn.t("reminders.too_many"), new_message=True)
    if not turn.user.time_zone:
        return await timezone.ask(turn, back=(FLOW, "routine", {}))
    await ask_routine(turn, {})


async def ask_routine(turn: Turn, data: dict[str, Any], *, new_message: bool = False) -> None:
    options = routines.choices(turn.svc, turn.lang)
    if not options:
        return await ask_often(turn, {**data, "routine": ""}, new_message=new_message)
    step = turn.put(FLOW, "routine", data)
    best = routines.suggested(turn.svc, turn.user_id)
    rows = []
    for choice in options:
        label = (
            turn.t("reminders.suggested_label", title=choice.title)
            if choice.id == best
            else choice.title
        )
        rows.append([(label, callbacks.encode(FLOW, "routine", choice.id, seq=step.seq))])
    rows.append(
        [(turn.t("reminders.any_routine"), callbacks.encode(FLOW, "routine", "-", seq=step.seq))]
    )
    rows.append(_nav(turn, step.seq))
    text = turn.t("reminders.ask_routine")
    if best:
        text += "\n" + turn.t("reminders.suggestion_note")
    await turn.reply(text, keyboard(rows), new_message=new_message)


async def ask_often(turn: Turn, data: dict[str, Any], *, new_message: bool = False) -> None:
    step = turn.put(FLOW, "often", data)
    rows = [[(turn.t("reminders.once_a_day"), callbacks.encode(FLOW, "every", 0, seq=step.seq))]]
    rows += [
        [
            (
                turn.t(f"reminders.every_{minutes // 60}h"),
                callbacks.encode(FLOW, "every", minutes, seq=step.seq),
            )
        ]
        for minutes in INTERVALS
    ]
    rows.append(_nav(turn, step.seq))
    await turn.reply(turn.t("reminders.ask_often"), keyboard(rows), new_message=new_message)


async def ask_time(
    turn: Turn, data: dict[str, Any], prefix: str = "", *, new_message: bool = False
) -> None:
    step = turn.put(FLOW, "time", data)
    text = turn.t("reminders.ask_time")
    rows = [*time_rows(FLOW, step.seq), _nav(turn, step.seq)]
    text = f"{prefix}\n\n{text}" if prefix else text
    await turn.reply(text, keyboard(rows), new_message=new_message)


async def ask_window(
    turn: Turn, data: dict[str, Any], prefix: str = "", *, new_message: bool = False
) -> None:
    step = turn.put(FLOW, "window", data)
    rows = [
        [(f"{s[:2]}:{s[2:]}–{e[:2]}:{e[2:]}", callbacks.encode(FLOW, "win", s, e, seq=step.seq))]
        for s, e in WINDOWS
    ]
    rows.append(_nav(turn, step.seq))
    text = turn.t("reminders.ask_window")
    text = f"{prefix}\n\n{text}" if prefix else text
    await turn.reply(text, keyboard(rows), new_message=new_message)


async def ask_days(turn: Turn, data: dict[str, Any], *, new_message: bool = False) -> None:
    if "days" not in data:
        data = {**data, "days": WORK_DAYS if data.get("every") else ALL_DAYS}
    step = turn.put(FLOW, "days", data)
    chosen = data["days"]
    toggles = [
        (
            ("✅ " if str(d) in chosen else "") + day_name(turn, d),
            callbacks.encode(FLOW, "day", d, seq=step.seq),
        )
        for d in range(1, 8)
    ]
    rows = [
        toggles[:4],
        toggles[4:],
        [
            (
                turn.t("reminders.work_days_button"),
                callbacks.encode(FLOW, "days", WORK_DAYS, seq=step.seq),
            ),
            (
                turn.t("reminders.every_day_button"),
                callbacks.encode(FLOW, "days", ALL_DAYS, seq=step.seq),
            ),
        ],
        [(turn.t("reminders.save"), callbacks.encode(FLOW, "save", seq=step.seq))],
        _nav(turn, step.seq),
    ]
    await turn.reply(turn.t("reminders.ask_days"), keyboard(rows), new_message=new_message)


def _pattern(data: dict[str, Any]) -> dict[str, Any]:
    every = data.get("every") or None
    return {
        "routine": data.get("routine") or None,
        "weekdays": data["days"],
        "at": from_hhmm(data.get("at")) if not every else None,
        "start": from_hhmm(data.get("start")) if every else None,
        "end": from_hhmm(data.get("end")) if every else None,
        "every": every,
    }


async def save_change(turn: Turn, data: dict[str, Any]) -> None:
    changed = schedules.change_stretch(
        turn.db, int(data["edit"]), turn.user_id, **_pattern(data), now=turn.now()
    )
    turn.clear()
    if changed is None:  # deleted meanwhile (in another chat window)
        return await show_list(turn, prefix=turn.t("common.expired"))
    if changed.next_due is None:
        return await show_one(turn, changed, prefix=turn.t("reminders.changed_paused"))
    when = when_text(turn, changed.next_due, changed.zone)
    await show_one(turn, changed, prefix=turn.t("reminders.changed", when=when))


async def save(turn: Turn, data: dict[str, Any]) -> None:
    if data.get("edit"):
        return await save_change(turn, data)
    every = data.get("every") or None
    schedule = schedules.add_stretch(
        turn.db,
        turn.user_id,
        zone=turn.user.time_zone or "UTC",
        routine=data.get("routine") or None,
        weekdays=data["days"],
        at=from_hhmm(data.get("at")) if not every else None,
        start=from_hhmm(data.get("start")) if every else None,
        end=from_hhmm(data.get("end")) if every else None,
        every=every,
        now=turn.now(),
    )
    turn.clear()
    when = when_text(turn, schedule.next_due, schedule.zone) if schedule.next_due else ""
    await show_list(turn, prefix=turn.t("reminders.saved", when=when))


async def on_step_button(
    turn: Turn, action: str, args: tuple[str, ...], conversation: Conversation
) -> None:
    """A button of the add-a-reminder conversation, already checked against its seq."""
    data, step = dict(conversation.data), conversation.step
    if action == "routine" and step == "routine" and args:
        if args[0] != "-" and routines.find(turn.svc, turn.lang, args[0]) is None:
            return await expired(turn)
        await turn.answer()
        data["routine"] = "" if args[0] == "-" else args[0]
        return await (save(turn, data) if data.get("edit") else ask_often(turn, data))
    if action == "every" and step == "often" and args and args[0] in ("0", *map(str, INTERVALS)):
        await turn.answer()
        data["every"] = int(args[0])
        return await (ask_window(turn, data) if data["every"] else ask_time(turn, data))
    if action == "at" and step == "time" and args and from_hhmm(args[0]):
        await turn.answer()
        return await _after_time(turn, {**data, "at": hhmm(from_hhmm(args[0]))})  # type: ignore[arg-type]
    if action == "win" and step == "window" and len(args) == 2 and (args[0], args[1]) in WINDOWS:
        await turn.answer()
        start, end = from_hhmm(args[0]), from_hhmm(args[1])
        return await _after_time(turn, {**data, "start": hhmm(start), "end": hhmm(end)})  # type: ignore[arg-type]
    if step == "days" and action in ("day", "days", "save"):
        return await _on_days(turn, action, args, data)
    if action == "back":
        await turn.answer()
        return await _back(turn, step, data)
    if action == "cancel":
        await turn.answer()
        return await _leave(turn, data, turn.t("reminders.cancelled"))
    await expired(turn)


async def _after_time(turn: Turn, data: dict[str, Any]) -> None:
    """Changing only the time saves it; adding a reminder goes on to the days."""
    await (save(turn, data) if data.get("edit") else ask_days(turn, data))


async def _back(turn: Turn, step: str, data: dict[str, Any]) -> None:
    if step == PARTS.get(data.get("only", "")) or step == "routine":
        return await _leave(turn, data)
    if step == "often":
        return await ask_routine(turn, data)
    if step in ("time", "window"):
        return await ask_often(turn, data)
    await (ask_window(turn, data) if data.get("every") else ask_time(turn, data))


async def _leave(turn: Turn, data: dict[str, Any], prefix: str = "") -> None:
    """Out of the steps: back to the reminder being changed, or to the list."""
    turn.clear()
    schedule = schedules.get(turn.db, int(data["edit"]), turn.user_id) if data.get("edit") else None
    if schedule is not None:
        return await show_one(turn, schedule, prefix=prefix)
    await show_list(turn, prefix=prefix)


async def _on_days(turn: Turn, action: str, args: tuple[str, ...], data: dict[str, Any]) -> None:
    days = data.get("days", "")
    if action == "day" and args and args[0] in ALL_DAYS and len(args[0]) == 1:
        days = days.replace(args[0], "") if args[0] in days else days + args[0]
    elif action == "days" and args and args[0] in (WORK_DAYS, ALL_DAYS):
        days = args[0]
    elif action == "save":
        if not days:
            return await turn.answer(turn.t("reminders.no_days"), alert=True)
        await turn.answer()
        return await save(turn, data)
    else:
        return await expired(turn)
    await turn.answer()
    await ask_days(turn, {**data, "days": clean_weekdays(days)})


async def on_text(turn: Turn, conversation: Conversation, text: str) -> None:
    data = dict(conversation.data)
    if conversation.step == "time":
        value = parse_time(text)
        if value is None:
            return await ask_time(turn, data, prefix=turn.t("schedule.bad_time"))
        return await _after_time(turn, {**data, "at": hhmm(value)})
    if conversation.step == "window":
        window = parse_window(text)
        if window is None:
            return await ask_window(turn, data, prefix=turn.t("reminders.bad_window"))
        return await _after_time(turn, {**data, "start": hhmm(window[0]), "end": hhmm(window[1])})
    await turn.send(turn.t("reminders.tap_a_button"))
    await resume_step(turn, conversation)


async def resume_step(turn: Turn, conversation: Conversation) -> None:
    """Show the step the person is on again (as a new message)."""
    data, step = dict(conversation.data), conversation.step
    asks = {"routine": ask_routine, "often": ask_often, "time": ask_time, "window": ask_window}
    if step in asks:
        return await asks[step](turn, data, new_message=True)
    if step == "days":
        return await ask_days(turn, data, new_message=True)
    turn.clear()
    await show_list(turn, new_message=True)
