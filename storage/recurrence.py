"""When a schedule row falls due: pure time maths in a person's IANA time zone.

Storage keeps each row's next_due_utc by these rules, and the bot uses them too;
they live here so storage needs nothing from the bot.

A pattern is either one local time a day, or every N minutes inside a local
window, on chosen ISO weekdays (1 = Monday). Local times are turned into UTC
with two rules: a time that does not exist (the clocks jump forward) moves
forward by the size of the jump, and a time that happens twice (the clocks go
back) takes its first occurrence. Nothing here reads a clock; callers pass `now`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

# An occurrence missed by more than this (the bot was down) is skipped, not sent late.
GRACE = timedelta(hours=2)
ALL_DAYS = "1234567"
WORK_DAYS = "12345"
# A week plus a day either side covers every weekday choice and any offset.
_SCAN_DAYS = 9
_OFFSETS = tuple(timedelta(days=n) for n in range(_SCAN_DAYS))


@dataclass(frozen=True)
class Pattern:
    """One local time a day (`at`), or every `every` minutes from `start` to `end`."""

    zone: str
    weekdays: str = ALL_DAYS
    at: time | None = None
    start: time | None = None
    end: time | None = None
    every: int | None = None

    def local_times(self) -> list[time]:
        if self.at is not None:
            return [self.at]
        if self.start is None or self.end is None or not self.every:
            return []
        first = self.start.hour * 60 + self.start.minute
        last = self.end.hour * 60 + self.end.minute
        return [time(m // 60, m % 60) for m in range(first, last + 1, self.every)]


# Files in the zone directory that are not places: this machine's own setting
# ("localtime" links to /etc/localtime, so it means whatever the server is set to),
# tzdata's placeholder "Factory", and the template "posixrules". The "posix/" and
# "right/" trees (the latter counts leap seconds) repeat zones under other names.
_NOT_PLACES = frozenset({"localtime", "posixrules", "Factory"})
_COPIES = ("posix/", "right/")


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(
        name
        for name in available_timezones()
        if name not in _NOT_PLACES and not name.startswith(_COPIES)
    )


def is_copy_tree(name: str) -> bool:
    """Whether a typed name is under "posix/" or "right/" (any case), not a zone of its own."""
    return name.strip().lower().startswith(_COPIES)


def is_zone(name: str | None) -> bool:
    return bool(name) and name in _zone_names()


@lru_cache(maxsize=1024)
def zone_info(name: str | None) -> ZoneInfo:
    """The zone, or UTC for None or a name this machine does not know."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def to_utc(day: date, at: time, zone: str) -> datetime:
    """The UTC moment of a local wall time (gap: moved forward; overlap: first one)."""
    # fold=0 gives exactly our two rules: in a gap Python applies the offset from
    # before the jump (landing later on the wall), in an overlap the earlier one.
    local = datetime.combine(day, at, tzinfo=zone_info(zone))
    return local.astimezone(UTC)


def local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(zone_info(zone))


def occurrences_on(pattern: Pattern, day: date) -> list[datetime]:
    """The UTC moments a pattern fires on one local date, in order, without duplicates."""
    if str(day.isoweekday()) not in pattern.weekdays:
        return []
    if pattern.at is not None:  # the common case, kept cheap for the tick
        return [to_utc(day, pattern.at, pattern.zone)]
    return sorted({to_utc(day, at, pattern.zone) for at in pattern.local_times()})


def next_occurrence(pattern: Pattern, after: datetime) -> datetime | None:
    """The first occurrence strictly after `after`, or None if the pattern never fires."""
    # Starting at the local day of `after` is enough: fold=0 only ever moves a time
    # later on its own day, never back into the day before.
    today = local(after, pattern.zone).date()
    for offset in _OFFSETS:
        for moment in occurrences_on(pattern, today + offset):
            if moment > after:
                return moment
    return None


def previous_occurrence(pattern: Pattern, at_or_before: datetime) -> datetime | None:
    """The last occurrence at or before the given moment, or None within the scanned week."""
    today = local(at_or_before, pattern.zone).date()
    for offset in range(0, -_SCAN_DAYS, -1):
        earlier = [
            m for m in occurrences_on(pattern, today + timedelta(days=offset)) if m <= at_or_before
        ]
        if earlier:
            return earlier[-1]
    return None


@dataclass(frozen=True)
class Decision:
    """What to do with a row found due: send `send` (or nothing), then wait for `next_due`."""

    send: datetime | None
    next_due: datetime | None


def decide(pattern: Pattern, due: datetime, now: datetime, grace: timedelta = GRACE) -> Decision:
    """Settle a due row: at most one occurrence goes out, and never one older than `grace`.

    `due` is what the row was waiting for (a regular occurrence or a snooze). If
    the bot was down, later occurrences may have passed too: only the latest
    one counts, and only if it is recent enough. Either way the row moves on to
    the first occurrence after now, so nothing is replayed in a burst.
    """
    following = next_occurrence(pattern, due)
    if following is None or following > now:  # the usual case: nothing else has passed
        return Decision(send=due if now - due <= grace else None, next_due=following)
    latest = previous_occurrence(pattern, now)
    effective = max(due, latest) if latest is not None else due
    send = effective if now - effective <= grace else None
    return Decision(send=send, next_due=next_occurrence(pattern, now))


def day_bounds(moment: datetime, zone: str) -> tuple[datetime, datetime]:
    """The UTC start and end of the local calendar day holding `moment`."""
    day = local(moment, zone).date()
    return to_utc(day, time(0), zone), to_utc(day + timedelta(days=1), time(0), zone)


def hhmm(value: time) -> str:
    return value.strftime("%H:%M")


@lru_cache(maxsize=4096)
def from_hhmm(text: str | None) -> time | None:
    """Parse a stored "HH:MM" (or a callback's "HHMM"); None for anything else."""
    if not text:
        return None
    match = re.fullmatch(r"(\d{2}):?(\d{2})", text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return None
    return time(int(match.group(1)), int(match.group(2)))


def clean_weekdays(text: str) -> str:
    """Sorted unique ISO weekday digits from any string ("531" -> "135")."""
    return "".join(sorted({c for c in text if c in ALL_DAYS}))
