"""Schedule maths: local times in IANA zones, daylight saving, missed occurrences."""

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.reminders.schedule import parse_time, parse_window
from storage.recurrence import (
    Pattern,
    day_bounds,
    decide,
    next_occurrence,
    occurrences_on,
    previous_occurrence,
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def daily(zone: str, hour: int, minute: int = 0, days: str = "1234567") -> Pattern:
    return Pattern(zone=zone, weekdays=days, at=time(hour, minute))


def window(zone: str, start: int, end: int, every: int = 60, days: str = "1234567") -> Pattern:
    return Pattern(zone=zone, weekdays=days, start=time(start), end=time(end), every=every)


# ---------------------------------------------------------------- daylight saving
def test_berlin_spring_forward_moves_a_missing_time_forward():
    # 29 March 2026: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist.
    pattern = daily("Europe/Berlin", 2, 30)
    first = next_occurrence(pattern, utc(2026, 3, 28, 12))
    assert first == utc(2026, 3, 29, 1, 30)  # 03:30 CEST: moved forward by the jump
    assert next_occurrence(pattern, first) == utc(2026, 3, 30, 0, 30)  # 02:30 CEST again
    # A time just after the jump is untouched.
    assert next_occurrence(daily("Europe/Berlin", 3, 0), utc(2026, 3, 28, 12)) == utc(
        2026, 3, 29, 1, 0
    )


def test_berlin_fall_back_takes_the_first_of_two_and_fires_once():
    # 25 October 2026: 03:00 CEST goes back to 02:00 CET, so 02:30 happens twice.
    pattern = daily("Europe/Berlin", 2, 30)
    first = next_occurrence(pattern, utc(2026, 10, 24, 12))
    assert first == utc(2026, 10, 25, 0, 30)  # the first 02:30 (CEST)
    # The second 02:30 (01:30 UTC) is not a new occurrence: next is the 26th.
    assert next_occurrence(pattern, first) == utc(2026, 10, 26, 1, 30)


def test_new_york_spring_forward_and_fall_back():
    # 8 March 2026: 02:00 EST jumps to 03:00 EDT.
    pattern = daily("America/New_York", 2, 30)
    assert next_occurrence(pattern, utc(2026, 3, 7, 12)) == utc(2026, 3, 8, 7, 30)  # 03:30 EDT
    # 1 November 2026: 02:00 EDT goes back to 01:00 EST, 01:30 happens twice.
    ambiguous = daily("America/New_York", 1, 30)
    first = next_occurrence(ambiguous, utc(2026, 10, 31, 12))
    assert first == utc(2026, 11, 1, 5, 30)  # 01:30 EDT, the first one
    assert next_occurrence(ambiguous, first) == utc(2026, 11, 2, 6, 30)  # 01:30 EST next day


def test_an_hourly_window_across_the_jump_never_fires_twice_at_once():
    pattern = window("Europe/Berlin", 1, 4)  # 01:00, 02:00 (missing), 03:00, 04:00
    on_the_day = occurrences_on(pattern, datetime(2026, 3, 29).date())
    assert on_the_day == [utc(2026, 3, 29, 0), utc(2026, 3, 29, 1), utc(2026, 3, 29, 2)]
    fall = occurrences_on(pattern, datetime(2026, 10, 25).date())
    # 01:00 CEST, 02:00 CEST (first), 03:00 CET, 04:00 CET
    assert fall == [utc(2026, 10, 24, 23), utc(2026, 10, 25, 0), utc(2026, 10, 25, 2),
                    utc(2026, 10, 25, 3)]  # fmt: skip


def test_the_same_local_time_keeps_its_wall_clock_across_the_change():
    pattern = daily("Europe/Berlin", 8)
    before = next_occurrence(pattern, utc(2026, 3, 28, 0))
    after = next_occurrence(pattern, before)
    assert (before, after) == (utc(2026, 3, 28, 7), utc(2026, 3, 29, 6))


# ---------------------------------------------------------------- boundaries
def test_midnight_boundaries():
    pattern = daily("Europe/Berlin", 0, 0)
    # 23:59:59 local on 2 March is 22:59:59 UTC; midnight local is 23:00 UTC.
    assert next_occurrence(pattern, utc(2026, 3, 2, 22, 59, 59)) == utc(2026, 3, 2, 23)
    assert next_occurrence(pattern, utc(2026, 3, 2, 23)) == utc(2026, 3, 3, 23)
    # 23:30 on Monday 2 March in New York is already Tuesday in UTC.
    late = daily("America/New_York", 23, 30, days="1")
    assert next_occurrence(late, utc(2026, 3, 3, 4, 0)) == utc(2026, 3, 3, 4, 30)
    assert next_occurrence(late, utc(2026, 3, 3, 4, 30)) == utc(2026, 3, 10, 3, 30)
    # Tokyo's morning is yesterday in UTC.
    early = daily("Asia/Tokyo", 7)
    assert next_occurrence(early, utc(2026, 3, 2, 21, 0)) == utc(2026, 3, 2, 22)


def test_week_boundaries_and_chosen_weekdays():
    work = window("Europe/Berlin", 9, 17, every=120, days="12345")
    # Friday 6 March 2026, 17:00 Berlin is the last one of the week...
    assert next_occurrence(work, utc(2026, 3, 6, 15, 30)) == utc(2026, 3, 6, 16)
    # ...then Monday 09:00.
    assert next_occurrence(work, utc(2026, 3, 6, 16)) == utc(2026, 3, 9, 8)
    sundays = daily("UTC", 10, days="7")
    assert next_occurrence(sundays, utc(2026, 3, 8, 10)) == utc(2026, 3, 15, 10)
    # Over a year's end.
    assert next_occurrence(daily("UTC", 9, days="5"), utc(2026, 12, 31, 12)) == utc(2027, 1, 1, 9)
    assert next_occurrence(Pattern(zone="UTC", weekdays="", at=time(9)), utc(2026, 1, 1)) is None


def test_a_time_zone_change_keeps_the_local_time():
    berlin, new_york = daily("Europe/Berlin", 8), daily("America/New_York", 8)
    now = utc(2026, 3, 2, 9)
    assert next_occurrence(berlin, now) == utc(2026, 3, 3, 7)
    assert next_occurrence(new_york, now) == utc(2026, 3, 2, 13)


def test_previous_occurrence_and_day_bounds():
    pattern = window("Europe/Berlin", 9, 17, every=60, days="12345")
    assert previous_occurrence(pattern, utc(2026, 3, 2, 12, 59)) == utc(2026, 3, 2, 12)
    assert previous_occurrence(pattern, utc(2026, 3, 9, 7)) == utc(2026, 3, 6, 16)  # Friday
    start, end = day_bounds(utc(2026, 3, 2, 23, 30), "Europe/Berlin")
    assert (start, end) == (utc(2026, 3, 2, 23), utc(2026, 3, 3, 23))


# ---------------------------------------------------------------- missed occurrences
def test_restart_after_five_hours_sends_at_most_the_latest_recent_one():
    hourly = window("Europe/Berlin", 9, 17, every=60)
    # Due at 09:00 Berlin (08:00 UTC); the bot comes back at 13:30 UTC (14:30 Berlin).
    decision = decide(hourly, utc(2026, 3, 2, 8), utc(2026, 3, 2, 13, 30))
    assert decision.send == utc(2026, 3, 2, 13)  # 14:00 Berlin: recent, so one prompt
    assert decision.next_due == utc(2026, 3, 2, 14)
    once = daily("Europe/Berlin", 8)
    decision = decide(once, utc(2026, 3, 2, 7), utc(2026, 3, 2, 12))
    assert decision.send is None  # five hours late: skipped, not replayed
    assert decision.next_due == utc(2026, 3, 3, 7)


def test_an_occurrence_inside_the_grace_window_is_still_sent():
    once = daily("Europe/Berlin", 8)
    decision = decide(once, utc(2026, 3, 2, 7), utc(2026, 3, 2, 8, 59))
    assert decision.send == utc(2026, 3, 2, 7)
    assert decide(once, utc(2026, 3, 2, 7), utc(2026, 3, 2, 9, 0, 1)).send is None


def test_a_snooze_is_sent_as_itself():
    once = daily("Europe/Berlin", 8)
    snoozed = utc(2026, 3, 2, 8, 5)  # 09:05 Berlin, an hour after the prompt
    decision = decide(once, snoozed, snoozed + timedelta(seconds=20))
    assert decision.send == snoozed and decision.next_due == utc(2026, 3, 3, 7)


# ---------------------------------------------------------------- typed times
@pytest.mark.parametrize(
    ("text", "expected"),
    [("8:30", time(8, 30)), ("20:15", time(20, 15)), ("8", time(8)), ("08.30", time(8, 30)),
     ("0830", time(8, 30)), ("8pm", time(20)), ("8:30 am", time(8, 30)), ("12am", time(0)),
     ("12 pm", time(12)), (" 7:05 ", time(7, 5)), ("20h15", time(20, 15)), ("19h", time(19)),
     ("20 h", time(20)), ("8:00h", time(8)), ("a las 8", time(8)), ("A las 20:15", time(20, 15)),
     ("at 7:30", time(7, 30))],
)  # fmt: skip
def test_typed_times(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text", ["", "25:00", "8:60", "13pm", "noon", "8:3", "8:30:15", "-1", "h", "a las", "25h"]
)
def test_typed_times_that_are_not_times(text):
    assert parse_time(text) is None


def test_typed_windows():
    assert parse_window("9:00-17:00") == (time(9), time(17))
    assert parse_window("9 to 5pm") == (time(9), time(17))
    assert parse_window("08:30 – 18:00") == (time(8, 30), time(18))
    assert parse_window("17-9") is None and parse_window("9") is None
