"""Storage foundation: pragmas, file mode, migrations, users and conversation state."""

import os
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from storage import conversations, users
from storage.db import StorageError, from_db, open_db, to_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def db():
    return open_db(":memory:")


def test_file_is_private_wal_and_migrated(tmp_path):
    path = tmp_path / "b.db"
    db = open_db(path)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert db.execute("pragma foreign_keys").fetchone()[0] == 1
    assert {"users", "conversations", "diary_entries", "schedules"} <= set(db.table_names())
    db.close()
    reopened = open_db(path)  # migrations are idempotent
    assert reopened["_sqlite_migrations"].count == len(list(reopened["_sqlite_migrations"].rows))


def test_unusable_paths_raise_storage_error(tmp_path):
    with pytest.raises(StorageError):
        open_db(tmp_path / "missing" / "x.db")
    with pytest.raises(StorageError):
        open_db(tmp_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError):
        open_db(junk)


def test_timestamps_round_trip_and_sort():
    moment = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert from_db(to_db(moment)) == moment
    assert to_db(moment) < to_db(moment + timedelta(seconds=1))
    with pytest.raises(ValueError):
        to_db(datetime(2026, 1, 1))


def test_user_created_once_and_seen_hourly(db):
    first = users.ensure(db, 7, "es", NOW)
    assert first.language == "es" and not first.consented and first.active
    again = users.ensure(db, 7, "en", NOW + timedelta(minutes=5))
    assert again.language == "es"  # the stored choice wins over a changed Telegram language
    assert users.get(db, 7).last_seen_at == to_db(NOW)
    users.ensure(db, 7, "en", NOW + timedelta(hours=2))
    assert users.get(db, 7).last_seen_at == to_db(NOW + timedelta(hours=2))
    users.set_consent(db, 7, NOW)
    assert users.get(db, 7).consented


def test_a_tap_reads_the_person_and_their_conversation_together(db):
    user, current = users.with_conversation(db, 7, "es", NOW)  # first contact
    assert (user.id, user.language, current) == (7, "es", None)
    users.with_conversation(db, 8, "en", NOW)
    stored = conversations.put(db, 7, "t", "q1", {"answers": [["a", "b"]]}, NOW)
    conversations.put(db, 8, "d", "pain", {"pain": 3}, NOW)
    later = NOW + timedelta(hours=2)
    user, current = users.with_conversation(db, 7, "en", later)
    assert user.language == "es" and current == stored  # only this person's own
    assert users.get(db, 7).last_seen_at == to_db(later)
    conversations.clear(db, 7)
    assert users.with_conversation(db, 7, "es", later)[1] is None
    conversations.put(db, 7, "t", "q1", {}, NOW)
    assert users.with_conversation(db, 7, "es", NOW + timedelta(days=2))[1] is None  # stale


def test_conversation_seq_counts_up_across_clears(db):
    users.ensure(db, 7, "en", NOW)
    first = conversations.put(db, 7, "t", "q1", {"a": 1}, NOW)
    second = conversations.put(db, 7, "t", "q2", {"a": 2}, NOW)
    assert second.seq == first.seq + 1
    assert conversations.get(db, 7, NOW).data == {"a": 2}
    conversations.clear(db, 7)
    assert conversations.get(db, 7, NOW) is None
    third = conversations.put(db, 7, "d", "pain", {}, NOW)
    assert third.seq > second.seq  # a button from the old conversation stays stale


def test_a_step_is_committed_on_its_own_or_with_the_transaction_it_is_in(tmp_path):
    path = tmp_path / "b.db"
    db = open_db(path)
    other = sqlite3.connect(path)  # what a restarted bot, or a backup, would read
    users.ensure(db, 7, "en", NOW)
    conversations.put(db, 7, "t", "q1", {"a": 1}, NOW)
    assert not db.conn.in_transaction
    assert other.execute("select step from conversations").fetchall() == [("q1",)]
    with pytest.raises(RuntimeError), db.atomic():
        conversations.put(db, 7, "t", "q2", {"a": 2}, NOW)
        raise RuntimeError("the rest of the transaction failed")
    assert other.execute("select step from conversations").fetchall() == [("q1",)]
    db.close()
    other.close()


def test_stale_conversations_are_dropped_after_a_day(db):
    users.ensure(db, 7, "en", NOW)
    conversations.put(db, 7, "d", "note", {"pain": 4}, NOW)
    assert conversations.get(db, 7, NOW + timedelta(hours=23)) is not None
    assert conversations.get(db, 7, NOW + timedelta(days=1, minutes=1)) is None
    assert conversations.purge_stale(db, NOW + timedelta(days=2)) == 1
    assert conversations.get(db, 7, NOW) is None


def test_a_page_damaged_mid_file_is_refused_at_start(tmp_path):
    path = tmp_path / "x.db"
    db = open_db(path)
    db["users"].insert_all(
        {"id": n, "language": "en", "created_at": "2026-03-01T00:00:00Z",
         "last_seen_at": "2026-03-01T00:00:00Z", "active": 1, "time_zone": "Europe/Berlin" * 9}
        for n in range(1, 3000)
    )  # fmt: skip
    db.close()  # checkpointed: everything is in the main file
    page_size = 4096
    pages = path.stat().st_size // page_size
    assert pages > 20
    with path.open("r+b") as file:  # a page in the middle of the users table
        file.seek(pages // 2 * page_size)
        file.write(b"\x0d\xff\xff\x00" * (page_size // 4))
    with pytest.raises(StorageError, match=r"is damaged .*restore it from a backup"):
        open_db(path)
