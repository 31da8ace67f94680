"""Pieces the check-in, reminder and time zone screens share: time buttons, how a
schedule reads, the consent gate."""

from __future__ import annotations

from datetime import datetime, time

from bot.chat import callbacks
from bot.chat.turn import Button, Turn, day_name, keyboard
from storage.recurrence import ALL_DAYS, WORK_DAYS, hhmm, local
from storage.schedules import Schedule

PICKER_HOURS = range(7, 23)  # buttons for every hour 07:00 to 22:00


def time_rows(flow: str, seq: int, per_row: int = 4) -> list[list[Button]]:
    """Buttons for 07:00 ... 22:00; each sends "<flow>:at:HHMM"."""
    buttons = [
        (f"{h:02d}:00", callbacks.encode(flow, "at", f"{h:02d}00", seq=seq)) for h in PICKER_HOURS
    ]
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def days_text(turn: Turn, weekdays: str) -> str:
    if weekdays == ALL_DAYS:
        return turn.t("schedule.every_day")
    if weekdays == WORK_DAYS:
        return turn.t("schedule.work_days")
    if weekdays == "67":
        return turn.t("schedule.weekends")
    return ", ".join(day_name(turn, int(d)) for d in weekdays)


def when_text(turn: Turn, moment: datetime, zone: str) -> str:
    """A moment as the person reads it: "Tue 08:00" in their zone."""
    there = local(moment, zone)
    return f"{day_name(turn, there.isoweekday())} {there.strftime('%H:%M')}"


def pattern_text(turn: Turn, schedule: Schedule) -> str:
    days = days_text(turn, schedule.weekdays)
    if schedule.at is not None:
        return turn.t("schedule.daily_at", time=hhmm(schedule.at), days=days)
    hours = (schedule.every or 60) // 60
    return turn.t(
        "schedule.every_hours" if hours > 1 else "schedule.every_hour",
        hours=hours,
        start=hhmm(schedule.start or time(0)),
        end=hhmm(schedule.end or time(0)),
        days=days,
    )


def next_text(turn: Turn, schedule: Schedule) -> str:
    if not schedule.active:
        return turn.t("schedule.paused")
    if schedule.next_due is None:
        return ""
    return turn.t("schedule.next", when=when_text(turn, schedule.next_due, schedule.zone))


async def needs_consent(turn: Turn) -> bool:
    """True (after telling the person) if they have not agreed to keep notes."""
    if turn.user.consented:
        return False
    await turn.answer()
    await turn.send(
        turn.t("common.needs_consent"), keyboard([*turn.consent_rows(), [turn.menu_button()]])
    )
    return True
