"""What seems to help, on built diaries: no pattern, a clear pattern, too few days."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.diary.insights import MIN_DAYS, answers, what_helps
from storage.diary import Entry
from storage.treatments import Treatment

START = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def entry(day, pain, tags=(), source="log", hour=9):
    at = START + timedelta(days=day, hours=hour - 9)
    return Entry(day * 10 + hour, 1, at, at, pain, (), tuple(tags), None, source, None)


def tried(day, kind, name=None, hour=10):
    at = START + timedelta(days=day, hours=hour - 9)
    return Treatment(day * 10 + hour, 1, kind, name, at, "UTC", None, None)


def by_key(insights):
    return {i.key: i for i in insights}


def test_a_clear_pattern_walks_on_the_lower_days():
    # 9 days with a walk at pain 3, 12 days without at pain 5 (one day 6, one 4: mean 5).
    entries = [entry(d, 3) for d in range(9)] + [entry(d, 5) for d in range(9, 21)]
    walks = [tried(d, "walk") for d in range(9)]
    walk = by_key(what_helps(entries, UTC, walks))["tried:walk"]
    assert (walk.days_with, walk.days_without) == (9, 12)
    assert walk.difference == -2.0
    assert walk.direction == "lower" and walk.enough and not walk.few_days


def test_no_pattern_when_pain_is_the_same_with_and_without():
    entries = [entry(d, 4 + d % 2) for d in range(20)]
    heat = [tried(d, "heat") for d in range(0, 20, 3)]  # days 0,3,...,18: mixed scores
    found = by_key(what_helps(entries, UTC, heat))["tried:heat"]
    assert found.enough and found.direction == "same"
    assert abs(found.difference) < 1


def test_too_few_days_with_or_without_says_not_enough():
    entries = [entry(d, 6) for d in range(10)]
    massage = [tried(d, "massage") for d in range(MIN_DAYS - 1)]  # 2 days with, 8 without
    only = by_key(what_helps(entries, UTC, massage))["tried:massage"]
    assert not only.enough and only.difference is None and only.direction is None
    every_day = [tried(d, "rest") for d in range(10)]  # 10 with, none without
    assert not by_key(what_helps(entries, UTC, every_day))["tried:rest"].enough
    enough = [tried(d, "massage") for d in range(MIN_DAYS)]
    assert by_key(what_helps(entries, UTC, enough))["tried:massage"].enough


def test_days_without_a_score_do_not_count_and_days_are_averaged():
    entries = [entry(d, 2) for d in range(3)] + [entry(d, 2, hour=20) for d in range(3)]
    entries += [entry(d, 8) for d in range(3, 6)]
    walks = [tried(d, "walk") for d in range(3)] + [tried(9, "walk")]  # day 9: no score
    walk = by_key(what_helps(entries, UTC, walks))["tried:walk"]
    assert (walk.days_with, walk.days_without) == (3, 3)  # two scores a day, one day each
    assert walk.difference == -6.0


def test_tags_stretches_and_own_entries_are_compared_too():
    entries = [entry(d, 7, ["slept_badly"]) for d in range(4)]
    entries += [entry(d, 3, ["did_stretches"]) for d in range(4, 6)]
    entries += [entry(6, 3), entry(7, 3)]
    entries += [entry(6, None, source="stretches"), entry(7, None, source="stretches")]
    yoga = [tried(4, "own", "Yoga"), tried(5, "own", " yoga "), tried(6, "own", "YOGA")]
    found = by_key(what_helps(entries, UTC, yoga))
    assert found["tag:slept_badly"].direction == "higher"
    assert found["tag:slept_badly"].difference == 4.0
    stretches = found["tried:stretches"]  # the tag and the routine done are one thing
    assert (stretches.days_with, stretches.days_without) == (4, 4)
    assert found["own:Yoga"].days_with == 3  # one factor however it was typed


def test_days_are_the_persons_local_days():
    madrid = ZoneInfo("Europe/Madrid")
    # Scores at 23:30 UTC fall on the next day in Madrid, with the walk logged then.
    entries = [entry(d, 2, hour=23) for d in range(3)] + [entry(d, 6) for d in range(5, 8)]
    walks = [tried(d + 1, "walk", hour=1) for d in range(3)]  # 01:00 UTC = 02:00 Madrid
    assert by_key(what_helps(entries, madrid, walks))["tried:walk"].enough
    assert not by_key(what_helps(entries, UTC, walks))["tried:walk"].enough


def test_enough_days_first_largest_difference_first():
    entries = [entry(d, 3 if d < 5 else 6) for d in range(10)]
    found = what_helps(
        entries,
        UTC,
        [tried(d, "walk") for d in range(5)]
        + [tried(d, "heat") for d in (0, 5, 6, 7)]
        + [tried(0, "rest")],
    )
    assert [i.key for i in found] == ["tried:walk", "tried:heat", "tried:rest"]


def test_what_the_person_said_afterwards_is_counted_per_factor():
    said = [
        Treatment(1, 1, "heat", None, START, "UTC", START, "better"),
        Treatment(2, 1, "heat", None, START, "UTC", START, "better"),
        Treatment(3, 1, "heat", None, START, "UTC", None, None),  # not asked
        Treatment(4, 1, "own", "Yoga", START, "UTC", START, "worse"),
        Treatment(5, 1, "own", "yoga", START, "UTC", START, "same"),
    ]
    found = answers(said)
    assert dict(found["tried:heat"]) == {"better": 2}
    assert dict(found["own:Yoga"]) == {"worse": 1, "same": 1}
