"""What a diary entry can say, and the date maths behind "when was this?". No telegram here."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, format_time, get_datetime_format
from babel.numbers import format_decimal

PLACES = ("lower_back", "upper_back", "neck", "buttock", "left_leg", "right_leg", "both_legs")
TAGS = (
    "morning_stiffness",
    "leg_tingling",
    "worse_sitting",
    "worse_standing",
    "after_lifting",
    "slept_badly",
    "painkiller",
    "did_stretches",
)
PAIN_SCORES = tuple(range(11))
NOTE_LIMIT = 1000  # characters
MAX_DAYS_BACK = 365  # how far back an entry may be dated
HOURS_AGO = (1, 2, 3, 4, 6, 9, 12)  # "earlier today" choices
# Parts of the day for a past date, as local clock times.
PARTS = {
    "morning": time(8),
    "midday": time(12),
    "afternoon": time(15),
    "evening": time(19),
    "night": time(22),
}


def zone(name: str | None) -> tzinfo:
    """The person's zone; UTC when unset or unknown."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_date(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def earliest_day(today: date) -> date:
    return today - timedelta(days=MAX_DAYS_BACK)


def hours_ago_options(now: datetime, tz: tzinfo) -> list[int]:
    """The "N hours ago" choices that still fall on today's local date."""
    today = local_date(now, tz)
    return [h for h in HOURS_AGO if local_date(now - timedelta(hours=h), tz) == today]


def month_options(today: date) -> list[tuple[int, int]]:
    """(year, month) pairs from this month back to the month a year ago, newest first."""
    first = earliest_day(today)
    year, month = today.year, today.month
    found = []
    while (year, month) >= (first.year, first.month):
        found.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found


def day_options(year: int, month: int, today: date) -> list[date]:
    """Pickable days of one month: a year back at most, up to yesterday (today has its own
    buttons)."""
    if not 1 <= month <= 12:
        return []
    last = calendar.monthrange(year, month)[1]
    low, high = earliest_day(today), today - timedelta(days=1)
    return [d for d in (date(year, month, n) for n in range(1, last + 1)) if low <= d <= high]


def at_part_of_day(day: date, part: str, tz: tzinfo) -> datetime:
    """A past local date at a part of the day, in UTC."""
    return datetime.combine(day, PARTS[part], tzinfo=tz).astimezone(UTC)


def parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_month(text: str) -> tuple[int, int] | None:
    parts = text.split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    return int(parts[0]), int(parts[1])


def valid_moment(moment: datetime, now: datetime) -> bool:
    """An entry may be dated up to a year (and a day, for zones) back, never in the future."""
    return now - timedelta(days=MAX_DAYS_BACK + 1) <= moment <= now


FALLBACK_LOCALE = "en_GB"


def cldr_locale(name: str) -> Locale:
    """A CLDR locale id ("en_GB", "es") as Babel's Locale; British English if unknown."""
    try:
        return Locale.parse(name)
    except (ValueError, TypeError, UnknownLocaleError):
        return Locale.parse(FALLBACK_LOCALE)


@dataclass(frozen=True)
class DateWords:
    """Dates, times and numbers in the reader's language, formatted by Babel (CLDR)."""

    locale: Locale

    @classmethod
    def of(cls, name: str) -> DateWords:
        return cls(cldr_locale(name))

    def day(self, day: date) -> str:
        """Weekday, day, month and year: "Mon, 2 Mar 2026", "lun, 2 mar 2026"."""
        return format_skeleton("yMMMEd", day, locale=self.locale)

    def short_day(self, day: date) -> str:
        """Day and month, for chart ticks: "2 Mar", "2 mar"."""
        return format_skeleton("MMMd", day, locale=self.locale)

    def month(self, year: int, month: int) -> str:
        return format_skeleton("yMMM", date(year, month, 1), locale=self.locale)

    def time(self, moment: datetime, tz: tzinfo) -> str:
        return format_time(moment.astimezone(tz), "short", locale=self.locale)

    def moment(self, moment: datetime, tz: tzinfo) -> str:
        local = moment.astimezone(tz)
        joiner = get_datetime_format("medium", locale=self.locale)
        return joiner.replace("{1}", self.day(local.date())).replace("{0}", self.time(local, tz))

    def number(self, value: float, digits: int = 1) -> str:
        """A decimal in the reader's style: 6.5, 6,5."""
        pattern = "0." + "0" * digits if digits else "0"
        return format_decimal(value, pattern, locale=self.locale)
