"""The buttons of check-ins and stretch reminders that other features use."""

from __future__ import annotations

from bot.chat.callbacks import Flow

CHECKIN = Flow("c", "checkin")
REMINDERS = Flow("r", "reminders")


def checkin_setup() -> str:
    return CHECKIN.button("setup")


def reminders_list() -> str:
    return REMINDERS.button("list")
