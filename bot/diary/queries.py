"""Diary queries that feed the summary, chart, flare check and report. No telegram here.

Handlers and benchmarks/diary.py share these, so the benchmark measures what a
person waits for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlite_utils import Database

from bot.diary import stats as diary_stats
from bot.diary.charts import ChartText
from bot.diary.dates import TAGS, DateWords, local_date, zone
from bot.diary.insights import Insight, answers, what_helps
from bot.diary.report import ReportData
from bot.diary.stats import Flare, Summary
from storage import diary, treatments
from storage.diary import Entry

PERIODS = (7, 30, 90)
BOTH_LEGS = "both_legs"  # a diary place that can be a warning sign
REPORT_DAYS = 90
HELPS_DAYS = 90  # what seems to help: the last three months

Translate = Callable[..., str]


@dataclass(frozen=True)
class Period:
    summary: Summary
    entries: list[Entry]  # from diary_stats.fetch_start() to today, oldest first
    tz: tzinfo

    @property
    def scored(self) -> bool:
        return self.summary.entries > 0


def _midnight(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)


def period(db: Database, user_id: int, zone_name: str | None, now: datetime, days: int) -> Period:
    """The last `days` local days of one person's diary, summarised."""
    tz = zone(zone_name)
    today = local_date(now, tz)
    since = _midnight(diary_stats.fetch_start(today, days), tz)
    until = _midnight(today + timedelta(days=1), tz)
    entries = diary.entries_between(db, user_id, since, until)
    streak = diary_stats.streak(diary.recorded_times_desc(db, user_id), today, tz)
    summary = diary_stats.summarize(entries, today=today, days=days, tz=tz, streak_days=streak)
    return Period(summary=summary, entries=entries, tz=tz)


def flare_check(db: Database, user_id: int) -> Flare | None:
    """Whether the newest three scores are a flare against the two weeks before them."""
    latest = diary.latest_pain_entries(db, user_id, diary_stats.FLARE_RECENT)
    window = diary_stats.flare_window(latest)
    if window is None:
        return None
    baseline = [e.pain for e in diary.entries_between(db, user_id, *window) if e.pain is not None]
    return diary_stats.flare([e.pain for e in latest if e.pain is not None], baseline)


def newly_in_both_legs(db: Database, user_id: int, entry_id: int) -> bool:
    """Whether this, the newest entry, puts pain in both legs where the one before did not:
    new pain down both legs is a warning sign, however the person describes it."""
    newest = diary.entries_page(db, user_id, 0, 2)
    if not newest or newest[0].id != entry_id or BOTH_LEGS not in newest[0].places:
        return False
    return len(newest) == 1 or BOTH_LEGS not in newest[1].places


@dataclass(frozen=True)
class Helps:
    insights: list[Insight]  # days with against days without
    answers: dict[str, Counter[str]]  # what the person said afterwards, per factor


def helps(db: Database, user_id: int, zone_name: str | None, now: datetime) -> Helps:
    """What seems to help over the last HELPS_DAYS local days (see bot/diary/insights.py)."""
    tz = zone(zone_name)
    today = local_date(now, tz)
    since = _midnight(diary_stats.window_start(today, HELPS_DAYS), tz)
    until = _midnight(today + timedelta(days=1), tz)
    entries = diary.entries_between(db, user_id, since, until)
    tried = treatments.between(db, user_id, since, until)
    return Helps(what_helps(entries, tz, tried), answers(tried))


def report_data(
    db: Database, user_id: int, zone_name: str | None, now: datetime, *, include_notes: bool
) -> ReportData:
    chosen = period(db, user_id, zone_name, now, REPORT_DAYS)
    start, end = chosen.summary.start, chosen.summary.end
    shown = [e for e in chosen.entries if e.recorded_at.astimezone(chosen.tz).date() >= start]
    since, until = _midnight(start, chosen.tz), _midnight(end + timedelta(days=1), chosen.tz)
    return ReportData(
        entries=shown,
        summary=chosen.summary,
        tz=chosen.tz,
        zone_name=zone_name if zone_name and chosen.tz is not UTC else None,
        generated=now,
        checks=diary.triage_between(db, user_id, since, until),
        include_notes=include_notes,
        insights=tuple(helps(db, user_id, zone_name, now).insights),
    )


def date_words(t: Translate) -> DateWords:
    """Babel's dates and numbers for the language `t` speaks (its `cldr_locale` string)."""
    return DateWords.of(t("cldr_locale"))


def chart_text(t: Translate, days: int) -> ChartText:
    """The chart's words; its title counts the days it shows (`days` or, with only a few
    recent entries, fewer)."""
    return ChartText(
        title=lambda shown: t("diary.chart.title", days=shown),
        title_range=lambda start, end: t("diary.chart.title_range", start=start, end=end),
        pain_axis=t("diary.chart.pain_axis"),
        each_entry=t("diary.chart.each_entry"),
        daily_average=t("diary.chart.daily_average"),
        tags={tag: t(f"diary.tag.{tag}") for tag in TAGS},
        dates=date_words(t),
    )
