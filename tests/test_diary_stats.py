"""The diary's pure parts: statistics (trend, streak, flare), date choices, CSV and PDF."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.diary import stats as diary_stats
from bot.diary.dates import (
    day_options,
    hours_ago_options,
    month_options,
    valid_moment,
    zone,
)
from storage.diary import Entry

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


def entry(days_ago: float, pain: int | None, *, tags=(), note=None, entry_id=0) -> Entry:
    moment = NOW - timedelta(days=days_ago)
    return Entry(
        id=entry_id,
        user_id=1,
        recorded_at=moment,
        logged_at=moment,
        pain=pain,
        places=("lower_back",),
        tags=tuple(tags),
        note=note,
        source="log" if pain is not None else "stretches",
        routine=None,
    )


def summarize(entries, days):
    ordered = sorted(entries, key=lambda e: e.recorded_at)
    return diary_stats.summarize(ordered, today=TODAY, days=days, tz=UTC, streak_days=0)


def test_trend_compares_first_and_last_week_and_flags_two_points():
    worse = [entry(d, 3) for d in range(23, 30)] + [entry(d, 5) for d in range(7)]
    trend = summarize(worse, 30).trend
    assert (trend.first, trend.last, trend.change, trend.meaningful) == (3.0, 5.0, 2.0, True)
    same = [entry(d, 3) for d in range(23, 30)] + [entry(d, 4.9) for d in range(7)]
    assert not summarize(same, 30).trend.meaningful
    assert summarize([entry(d, 5) for d in range(7)], 30).trend is None  # no first week


def test_a_seven_day_trend_looks_at_the_week_before():
    entries = [entry(d, 8) for d in range(7, 14)] + [entry(d, 4) for d in range(7)]
    summary = summarize(entries, 7)
    assert summary.entries == 7 and summary.average == 4.0
    assert summary.trend.change == -4.0 and summary.trend.meaningful


def test_stretches_records_are_not_pain_figures():
    summary = summarize([entry(1, 6), entry(1, None), entry(2, 2)], 7)
    assert (summary.entries, summary.other_entries) == (2, 1)
    assert (summary.average, summary.lowest, summary.highest) == (4.0, 2, 6)
    empty = summarize([entry(1, None)], 7)
    assert empty.average is None and empty.lowest is None


def test_streak_counts_days_in_a_row_to_today_or_yesterday():
    days = [NOW - timedelta(days=d, hours=h) for d in (0, 1, 2, 4) for h in (0, 1)]
    assert diary_stats.streak(days, TODAY, UTC) == 3
    assert diary_stats.streak(days[2:], TODAY, UTC) == 2  # today not logged yet
    assert diary_stats.streak(days[6:], TODAY, UTC) == 0  # last entry 4 days ago
    assert diary_stats.streak([], TODAY, UTC) == 0


def test_streak_uses_the_persons_own_days():
    # 23:30 UTC on 1 March is already 2 March in Tokyo: one day, not two
    tokyo = ZoneInfo("Asia/Tokyo")
    moments = [datetime(2026, 3, 1, 23, 30, tzinfo=UTC), datetime(2026, 3, 2, 1, 0, tzinfo=UTC)]
    assert diary_stats.streak(reversed(moments), date(2026, 3, 2), tokyo) == 1
    assert diary_stats.streak(reversed(moments), date(2026, 3, 2), UTC) == 2


def test_flare_needs_three_scores_two_points_above_a_baseline():
    assert diary_stats.flare([6, 6, 6], [4, 4, 4]) == diary_stats.Flare(recent=6.0, baseline=4.0)
    assert diary_stats.flare([6, 6, 5], [4, 4, 4]) is None  # 1.7 above
    assert diary_stats.flare([9, 9, 9], [2]) is None  # too little to compare with
    assert diary_stats.flare([9, 9], [2, 2, 2]) is None
    latest = [entry(0, 7), entry(1, 7), entry(2, 7)]
    start, end = diary_stats.flare_window(latest)
    assert end == latest[2].recorded_at and end - start == timedelta(days=14)


def test_daily_averages_and_tag_counts():
    entries = [entry(1, 2, tags=["slept_badly"]), entry(1, 4), entry(0, 6, tags=["slept_badly"])]
    assert diary_stats.daily_averages(entries, UTC) == [
        (TODAY - timedelta(days=1), 3.0),
        (TODAY, 6.0),
    ]
    assert diary_stats.tag_counts(entries) == {"slept_badly": 2}


def test_date_choices_stay_within_a_year_and_never_reach_the_future():
    months = month_options(TODAY)
    assert months[0] == (2026, 3) and months[-1] == (2025, 3) and len(months) == 13
    assert day_options(2026, 3, TODAY) == [date(2026, 3, 1)]
    assert day_options(2025, 3, TODAY)[0] == date(2025, 3, 2)
    assert day_options(2026, 13, TODAY) == []
    assert hours_ago_options(NOW, UTC) == [1, 2, 3, 4, 6, 9]  # 12 h ago was yesterday
    assert hours_ago_options(NOW.replace(hour=0, minute=30), UTC) == []
    assert valid_moment(NOW - timedelta(days=365), NOW)
    assert not valid_moment(NOW + timedelta(minutes=1), NOW)
    assert zone("Not/AZone") == UTC and zone(None) == UTC
