"""Typed times and windows for reminders ("8:30", "9-17", "8pm"), and the interval choices.

The schedule maths themselves (when a row falls due) are in storage/recurrence.py.
"""

from __future__ import annotations

import re
from datetime import time

INTERVALS = (60, 120, 180)  # minutes between stretch reminders in a window

_TIME = re.compile(r"^(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
_COMPACT = re.compile(r"^(\d{1,2})(\d{2})$")


# "at 8", "a las 8", "19h", "20 h", "8:00 horas": the words around a time, not the time.
_SAID_AROUND = re.compile(r"^(?:at|a las|a la|sobre las)\s+|(?<=\d)\s*(?:h|hs|hrs|horas)\.?$")


def parse_time(text: str) -> time | None:
    """A typed time of day: "8:30", "20.15", "8", "0830", "8pm", "8:30 am", and the Spanish
    "19h", "8:00 h", "a las 8". None if not one."""
    raw = _SAID_AROUND.sub("", text.strip().lower()).replace(" ", "")
    compact = _COMPACT.match(raw)
    if compact:
        raw = f"{compact.group(1)}:{compact.group(2)}"
    match = _TIME.match(raw)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_window(text: str) -> tuple[time, time] | None:
    """A typed window like "9:00-17:00", "9-17" or "9 to 5pm"; the end must be later."""
    parts = re.split(r"\s*(?:-|–|—|to|until|till)\s*", text.strip().lower(), maxsplit=1)
    if len(parts) != 2:
        return None
    start, end = parse_time(parts[0]), parse_time(parts[1])
    if start is None or end is None or end <= start:
        return None
    return start, end
