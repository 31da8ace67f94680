"""Diary statistics: summaries, trend, streak and the flare check. Pure functions.

Entries without a pain score (stretches done) count as diary days but never in
pain figures.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from storage.diary import Entry

MEANINGFUL_CHANGE = 2.0  # points on the 0-10 scale
WEEK = 7
FLARE_RECENT = 3  # the last this many scores...
FLARE_BASELINE_DAYS = 14  # ...against the two weeks before them
FLARE_MIN_BASELINE = 2  # fewer baseline scores than this says too little


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Trend:
    first: float  # average of the first week
    last: float  # average of the last week

    @property
    def change(self) -> float:
        return round(self.last - self.first, 1)

    @property
    def meaningful(self) -> bool:
        return abs(self.change) >= MEANINGFUL_CHANGE


@dataclass(frozen=True)
class Summary:
    days: int
    start: date  # local, inclusive
    end: date  # local, inclusive (today)
    entries: int  # entries with a pain score
    other_entries: int  # entries without one (stretches)
    average: float | None
    lowest: int | None
    highest: int | None
    trend: Trend | None
    streak: int


def window_start(today: date, days: int) -> date:
    return today - timedelta(days=days - 1)


def fetch_start(today: date, days: int) -> date:
    """The first local day whose entries `summarize` needs (a 7-day trend looks a week back)."""
    start = window_start(today, days)
    return start - timedelta(days=WEEK) if days <= WEEK else start


def _pains_by_day(entries: Iterable[Entry], tz: tzinfo) -> dict[date, list[int]]:
    days: dict[date, list[int]] = defaultdict(list)
    for entry in entries:
        if entry.pain is not None:
            days[entry.recorded_at.astimezone(tz).date()].append(entry.pain)
    return days


def _pains_between(by_day: dict[date, list[int]], first: date, last: date) -> list[int]:
    return [p for day, pains in by_day.items() if first <= day <= last for p in pains]


def trend(by_day: dict[date, list[int]], start: date, end: date) -> Trend | None:
    """First week of the window against its last week; a 7-day window compares with the
    week before it."""
    if (end - start).days + 1 <= WEEK:
        first_week = (start - timedelta(days=WEEK), start - timedelta(days=1))
    else:
        first_week = (start, start + timedelta(days=WEEK - 1))
    first = mean(_pains_between(by_day, *first_week))
    last = mean(_pains_between(by_day, end - timedelta(days=WEEK - 1), end))
    if first is None or last is None:
        return None
    return Trend(first=round(first, 1), last=round(last, 1))


def streak(recorded_desc: Iterable[datetime], today: date, tz: tzinfo) -> int:
    """Days logged in a row, ending today (or yesterday, while today is still open)."""
    count, expected = 0, None
    for moment in recorded_desc:
        day = moment.astimezone(tz).date()
        if day > today:
            continue
        if expected is None:
            if day < today - timedelta(days=1):
                return 0
            expected, count = day, 1
        elif day == expected:
            continue
        elif day == expected - timedelta(days=1):
            expected, count = day, count + 1
        else:
            break
    return count


def summarize(
    entries: Sequence[Entry], *, today: date, days: int, tz: tzinfo, streak_days: int
) -> Summary:
    """The figures for the last `days` local days, from entries since fetch_start()."""
    start = window_start(today, days)
    by_day = _pains_by_day(entries, tz)
    pains = _pains_between(by_day, start, today)
    others = sum(
        1
        for e in entries
        if e.pain is None and start <= e.recorded_at.astimezone(tz).date() <= today
    )
    average = mean(pains)
    return Summary(
        days=days,
        start=start,
        end=today,
        entries=len(pains),
        other_entries=others,
        average=round(average, 1) if average is not None else None,
        lowest=min(pains) if pains else None,
        highest=max(pains) if pains else None,
        trend=trend(by_day, start, today),
        streak=streak_days,
    )


def daily_averages(entries: Iterable[Entry], tz: tzinfo) -> list[tuple[date, float]]:
    by_day = _pains_by_day(entries, tz)
    return [(day, sum(p) / len(p)) for day, p in sorted(by_day.items())]


def tag_counts(entries: Iterable[Entry]) -> Counter[str]:
    return Counter(tag for entry in entries for tag in entry.tags)


@dataclass(frozen=True)
class Flare:
    recent: float  # average of the last three scores
    baseline: float  # average of the 14 days before them

    @property
    def rise(self) -> float:
        return round(self.recent - self.baseline, 1)


def flare_window(latest: Sequence[Entry]) -> tuple[datetime, datetime] | None:
    """The baseline period for the newest-first `latest` scores, or None if too few."""
    if len(latest) < FLARE_RECENT:
        return None
    oldest = latest[FLARE_RECENT - 1].recorded_at
    return oldest - timedelta(days=FLARE_BASELINE_DAYS), oldest


def flare(recent: Sequence[int], baseline: Sequence[int]) -> Flare | None:
    """A flare: the last three scores average 2 or more points above the baseline."""
    if len(recent) < FLARE_RECENT or len(baseline) < FLARE_MIN_BASELINE:
        return None
    now_avg = sum(recent[:FLARE_RECENT]) / FLARE_RECENT
    base_avg = sum(baseline) / len(baseline)
    if round(now_avg - base_avg, 1) < MEANINGFUL_CHANGE:
        return None
    return Flare(recent=round(now_avg, 1), baseline=round(base_avg, 1))
