"""What seems to help: pain on days with a tag, a treatment or the exercises, against days
without. Pure functions; no telegram here.

A day counts only when it has a pain score (its average is the day's pain). A comparison
needs at least MIN_DAYS days with and MIN_DAYS without; fewer, and `Insight.enough` is
False. Whatever the numbers, this is a pattern, not a cause: people take a painkiller on
bad days, and a walk on good ones.

    what_helps(entries, tz, tried=()) -> list[Insight]

`entries` are diary entries (storage.diary.Entry), `tried` what the person tried
(storage.treatments.Treatment), `tz` the zone whose local days are compared. The PDF
report can call it with the same arguments as the chat.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo

from storage.diary import Entry
from storage.treatments import Treatment

MIN_DAYS = 3  # days with and days without, each
SAME = 1.0  # a difference under a point on the 0-10 scale reads as "about the same"
FEW_DAYS = 7  # under this many on either side, say it could easily change

# Tags that name the same thing as something tried: one factor, not two.
STRETCHES = "stretches"
PAINKILLER = "painkiller"
TAG_FACTORS = {"did_stretches": STRETCHES, "painkiller": PAINKILLER}


@dataclass(frozen=True)
class Insight:
    """One factor: `key` is "tag:<id>", "tried:<kind>" or "own:<name>" (name as typed,
    first spelling seen); `difference` is pain with minus pain without (negative = lower)."""

    key: str
    days_with: int
    days_without: int
    mean_with: float | None
    mean_without: float | None

    @property
    def enough(self) -> bool:
        return self.days_with >= MIN_DAYS and self.days_without >= MIN_DAYS

    @property
    def difference(self) -> float | None:
        if not self.enough or self.mean_with is None or self.mean_without is None:
            return None
        return round(self.mean_with - self.mean_without, 1)

    @property
    def direction(self) -> str | None:
        """ "lower", "higher" or "same" (pain on days with it), None without enough days."""
        change = self.difference
        if change is None:
            return None
        if abs(change) < SAME:
            return "same"
        return "lower" if change < 0 else "higher"

    @property
    def few_days(self) -> bool:
        return min(self.days_with, self.days_without) < FEW_DAYS


def _tag_key(tag: str) -> str:
    factor = TAG_FACTORS.get(tag)
    return f"tried:{factor}" if factor else f"tag:{tag}"


def _tried_key(treatment: Treatment, spellings: dict[str, str]) -> str:
    if treatment.kind != "own":
        return f"tried:{treatment.kind}"
    typed = " ".join((treatment.name or "").split())
    if not typed:
        return "tried:own"
    # "Yoga" and "yoga " are one thing; keep the first spelling to show it.
    return f"own:{spellings.setdefault(typed.casefold(), typed)}"


def factor_days(
    entries: Iterable[Entry], tried: Iterable[Treatment], tz: tzinfo
) -> dict[str, set[date]]:
    """Factor key -> the local days it was noted on."""
    days: dict[str, set[date]] = defaultdict(set)
    for entry in entries:
        day = entry.recorded_at.astimezone(tz).date()
        if entry.source == "stretches":
            days[f"tried:{STRETCHES}"].add(day)
        for tag in entry.tags:
            days[_tag_key(tag)].add(day)
    spellings: dict[str, str] = {}
    for treatment in tried:
        days[_tried_key(treatment, spellings)].add(treatment.tried_at.astimezone(tz).date())
    return days


def answers(tried: Iterable[Treatment]) -> dict[str, Counter[str]]:
    """Factor key -> how often the person said "better", "same" or "worse" an hour or two
    after trying it (their own view, kept beside the day comparison)."""
    found: dict[str, Counter[str]] = defaultdict(Counter)
    spellings: dict[str, str] = {}
    for treatment in tried:
        key = _tried_key(treatment, spellings)
        if treatment.outcome:
            found[key][treatment.outcome] += 1
    return dict(found)


def daily_pain(entries: Iterable[Entry], tz: tzinfo) -> dict[date, float]:
    """Local day -> that day's average score, for days with a score."""
    scores: dict[date, list[int]] = defaultdict(list)
    for entry in entries:
        if entry.pain is not None:
            scores[entry.recorded_at.astimezone(tz).date()].append(entry.pain)
    return {day: sum(values) / len(values) for day, values in scores.items()}


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def what_helps(
    entries: Sequence[Entry], tz: tzinfo, tried: Sequence[Treatment] = ()
) -> list[Insight]:
    """Every factor noted on a scored day: comparisons with enough days first (largest
    difference first), then the ones that need more days (most days first)."""
    pain = daily_pain(entries, tz)
    found = []
    for key, noted in factor_days(entries, tried, tz).items():
        with_it = [pain[d] for d in noted if d in pain]
        without = [p for d, p in pain.items() if d not in noted]
        if not with_it:
            continue  # never on a day with a score: nothing to compare
        found.append(Insight(key, len(with_it), len(without), _mean(with_it), _mean(without)))
    return sorted(
        found,
        key=lambda i: (
            not i.enough,
            -abs(i.difference or 0),
            -i.days_with,
            i.key,
        ),
    )


Translate = Callable[..., str]


# --- in words (for /diary and the report) -----------------------------------------
def factor_name(t: Translate, key: str) -> str:
    group, _, value = key.partition(":")
    if group == "tag":
        return t(f"diary.tag.{value}")
    if group == "tried":
        return t(f"diary.tried.kind.{value}")
    return html.escape(value)  # "own:<as typed>"


def insight_line(
    t: Translate, insight: Insight, number: Callable[[float], str] = lambda x: f"{x:.1f}"
) -> str:
    name = factor_name(t, insight.key)
    counts = {"name": name, "with": insight.days_with, "without": insight.days_without}
    if insight.direction == "same":
        line = t("diary.helps.same", **counts)
    else:
        change = number(abs(insight.difference or 0))
        line = t(f"diary.helps.{insight.direction}", **counts, change=change)
    if insight.few_days:
        line += " " + t("diary.helps.few_days")
    return line
