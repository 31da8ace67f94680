"""storage.diary on a fresh in-memory database: ownership, dedup, ranges."""

from datetime import UTC, datetime, timedelta

import pytest

from storage import diary, users
from storage.db import open_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def db():
    database = open_db(":memory:")
    for user_id in (1, 2):
        users.ensure(database, user_id, "en", NOW)
    return database


def add(db, user_id=1, *, hours_ago=0, pain=5, **extra):
    fields = {"places": ["lower_back"], "tags": [], "note": None, "source": "log"}
    fields.update(extra)
    return diary.add_entry(
        db, user_id, recorded_at=NOW - timedelta(hours=hours_ago), pain=pain, now=NOW, **fields
    )


def test_add_and_get_round_trip(db):
    entry_id = add(db, pain=6, places=["neck", "left_leg"], tags=["slept_badly"], note="ow <b>")
    entry = diary.get_entry(db, 1, entry_id)
    assert entry is not None
    assert (entry.pain, entry.places, entry.tags, entry.note) == (
        6,
        ("neck", "left_leg"),
        ("slept_badly",),
        "ow <b>",
    )
    assert entry.recorded_at == NOW and entry.source == "log"


def test_dedup_key_stores_once_and_returns_the_same_id(db):
    first = add(db, dedup_key="1:abc")
    again = add(db, pain=9, dedup_key="1:abc")
    assert first == again
    assert diary.count_entries(db, 1) == 1
    assert diary.get_entry(db, 1, first).pain == 5


def test_another_persons_entry_is_invisible_and_untouchable(db):
    entry_id = add(db, user_id=1)
    assert diary.get_entry(db, 2, entry_id) is None
    assert not diary.delete_entry(db, 2, entry_id)
    changed = diary.update_entry(
        db, 2, entry_id, recorded_at=NOW, pain=0, places=[], tags=[], note="x"
    )
    assert not changed
    assert diary.get_entry(db, 1, entry_id).pain == 5


def test_update_and_delete_own_entry(db):
    entry_id = add(db)
    assert diary.update_entry(
        db, 1, entry_id, recorded_at=NOW - timedelta(days=1), pain=2, places=[], tags=["x"], note=""
    )
    entry = diary.get_entry(db, 1, entry_id)
    assert (entry.pain, entry.tags, entry.note) == (2, ("x",), None)
    assert diary.delete_entry(db, 1, entry_id)
    assert diary.get_entry(db, 1, entry_id) is None


def test_ranges_pages_and_latest(db):
    ids = [add(db, hours_ago=h, pain=h % 11) for h in range(10)]
    add(db, user_id=2, hours_ago=1)
    stretch = add(
        db, hours_ago=0.5, pain=None, tags=["did_stretches"], source="stretches", routine="r1"
    )
    between = diary.entries_between(db, 1, NOW - timedelta(hours=3), NOW)
    assert [e.id for e in between] == [ids[3], ids[2], ids[1], stretch]  # end is exclusive
    page = diary.entries_page(db, 1, 0, 4)
    assert [e.recorded_at for e in page] == sorted((e.recorded_at for e in page), reverse=True)
    assert diary.count_entries(db, 1) == 11
    latest = diary.latest_pain_entries(db, 1, 3)
    assert [e.id for e in latest] == [ids[0], ids[1], ids[2]]
    assert diary.has_entry_between(db, 2, NOW - timedelta(hours=2), NOW)
    assert not diary.has_entry_between(db, 2, NOW - timedelta(minutes=30), NOW)


def test_bad_pain_or_source_is_refused(db):
    with pytest.raises(ValueError):
        add(db, pain=11)
    with pytest.raises(ValueError):
        add(db, source="other")
    assert diary.count_entries(db, 1) == 0
