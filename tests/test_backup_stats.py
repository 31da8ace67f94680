"""`backcare backup` and `backcare stats`, and file modes of the database and its copies."""

from __future__ import annotations

import sqlite3
import stat
import threading
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli import main
from storage import readonly
from storage.db import open_db


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def add_users(db_path, first: int, count: int) -> None:
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "insert into users (id, language, created_at, last_seen_at, active)"
            " values (?, 'en', '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z', 1)",
            [(first + n,) for n in range(count)],
        )
    conn.close()


@pytest.fixture
def env(monkeypatch, tmp_path, db_path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("BACKCARE_DB", str(db_path))
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "BACKCARE_ADMIN_IDS",
        "BACKCARE_LOG_LEVEL",
        "BACKCARE_BACKUP_KEEP_DAYS",
    ):
        monkeypatch.delenv(name, raising=False)


async def test_database_files_are_private(alex, db_path):
    for suffix in ("", "-wal", "-shm"):
        path = db_path.with_name(db_path.name + suffix)
        assert path.exists() and mode(path) == 0o600, suffix


def test_backup_while_the_bot_writes_is_consistent_and_private(env, db_path, tmp_path, capsys):
    open_db(db_path).close()
    add_users(db_path, 1, 100)
    writer_done = threading.Event()

    def writer() -> None:  # another connection keeps committing during the backup
        for batch in range(50):
            add_users(db_path, 10_000 + batch * 10, 10)
        writer_done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    target = tmp_path / "copy.db"
    try:
        assert main(["backup", str(target)]) == 0
    finally:
        thread.join()  # never left writing into the next test
    assert "backed up" in capsys.readouterr().out
    assert mode(target) == 0o600
    copy = sqlite3.connect(target)
    assert copy.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert copy.execute("pragma journal_mode").fetchone()[0] == "delete"
    count = copy.execute("select count(*) from users").fetchone()[0]
    assert 100 <= count <= 600 and count % 10 == 0  # whole transactions only
    migrations = copy.execute("select count(*) from _sqlite_migrations").fetchone()[0]
    assert migrations >= 5
    copy.close()
    assert not list(tmp_path.glob(".copy.db.partial-*"))


def test_backup_into_a_directory_and_over_an_old_copy(env, db_path, tmp_path, capsys):
    open_db(db_path).close()
    backups = tmp_path / "backups"
    backups.mkdir()
    assert main(["backup", str(backups)]) == 0
    (made,) = backups.glob("backcare-*.db")
    assert mode(made) == 0o600
    stale = tmp_path / "old.db"
    stale.write_text("not a database")
    stale.chmod(0o644)
    assert main(["backup", str(stale)]) == 0
    assert mode(stale) == 0o600
    assert sqlite3.connect(stale).execute("select count(*) from users").fetchone() == (0,)


def test_backup_and_stats_without_a_database_fail_clearly(env, tmp_path, capsys):
    assert main(["backup", str(tmp_path / "copy.db")]) == 2
    assert main(["stats"]) == 2
    err = capsys.readouterr().err
    assert "no database at" in err and "Traceback" not in err
    assert not (tmp_path / "backcare.db").exists()


def test_backup_into_a_missing_directory_fails_clearly(env, db_path, tmp_path, capsys):
    open_db(db_path).close()
    assert main(["backup", str(tmp_path / "nowhere" / "copy.db")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err
    assert "backup path" in err and "BACKCARE_DB" not in err  # the path is what is wrong


def test_stats_prints_the_figures(env, db_path, capsys):
    db = open_db(db_path)
    add_users(db_path, 1, 3)
    db.execute("update users set last_seen_at = '2000-01-01T00:00:00Z' where id = 3")
    db.execute("update users set consent_at = '2026-03-01T00:00:00Z', active = 0 where id = 2")
    db.execute(
        "insert into diary_entries (user_id, recorded_at, logged_at, places, tags, source)"
        " values (1, '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z', '[]', '[]', 'log')"
    )
    for tier in ("routine", "routine", "emergency"):
        db.execute(
            "insert into triage_results (user_id, created_at, answers, tier, explanations)"
            " values (1, '2026-03-01T00:00:00Z', '{}', ?, '[]')",
            [tier],
        )
    db.execute(
        "insert into schedules (user_id, kind, time_zone, weekdays, active, created_at)"
        " values (1, 'checkin', 'UTC', '1234567', 1, '2026-03-01T00:00:00Z')"
    )
    for status in ("active", "active", "finished"):
        db.execute(
            "insert into plans (user_id, status, week, day, routine, level, minutes)"
            " values (1, ?, 1, 1, 'desk_break', 1, 10)",
            [status],
        )
    db.conn.commit()
    db.close()
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "6-week plans: 3 (running 2, paused 0, on hold 0, finished 1, stopped 0)" in out
    assert "people: 3 (1 keep notes, 1 stopped the bot)" in out
    assert "reminders: 1 on, 0 paused" in out
    assert "diary entries: 1" in out
    assert "check results: 3 (emergency 1, urgent 0, see a doctor soon 2, self-care 0)" in out
    assert "self_care" not in out


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "is empty"),
        (b"hello, I am a text file" * 10, "not a SQLite database"),
        (None, "not a BackCare database"),  # a SQLite file with other tables
    ],
    ids=["empty", "text", "other-sqlite"],
)
def test_stats_and_backup_of_something_else_fail_in_one_line(
    env, db_path, tmp_path, capsys, content, needle
):
    if content is None:
        other = sqlite3.connect(db_path)
        other.execute("create table notes (x)")
        other.close()
    else:
        db_path.write_bytes(content)
    assert main(["stats"]) == 2
    assert main(["backup", str(tmp_path / "copy.db")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all(needle in line for line in lines), lines
    assert not (tmp_path / "copy.db").exists()


def test_a_database_missing_a_table_gives_one_line_for_stats(env, db_path, capsys):
    db = open_db(db_path)
    db.execute("drop table triage_results")
    db.close()
    assert main(["stats"]) == 2
    err = capsys.readouterr().err
    assert "no such table: triage_results" in err and len(err.strip().splitlines()) == 1


def test_a_stopped_bots_database_is_read_without_files_beside_it(env, db_path, capsys):
    open_db(db_path).close()
    add_users(db_path, 1, 2)
    assert not db_path.with_name(db_path.name + "-wal").exists()
    before = sorted(p.name for p in db_path.parent.iterdir())
    assert main(["stats"]) == 0
    assert "people: 2 " in capsys.readouterr().out
    assert sorted(p.name for p in db_path.parent.iterdir()) == before


def test_an_immutable_read_is_taken_again_if_the_file_changed_meanwhile(db_path):
    open_db(db_path).close()
    seen: list[int] = []

    def count(conn: sqlite3.Connection) -> int:
        seen.append(conn.execute("select count(*) from users").fetchone()[0])
        if len(seen) == 1:  # the bot starts, writes and stops while this read runs
            add_users(db_path, 1, 4)
        return seen[-1]

    assert readonly.read(db_path, count) == 4
    assert seen == [0, 4]


def test_a_writer_committing_through_every_read_is_read_through_its_wal(db_path, monkeypatch):
    """Each commit by a short-lived connection checkpoints the main file: an immutable
    read can never hold still, so after one change the read goes through the WAL."""
    open_db(db_path).close()
    kinds: list[bool] = []
    real = readonly._connect

    def connect(source, *, immutable):
        kinds.append(immutable)
        return real(source, immutable=immutable)

    def count(conn: sqlite3.Connection) -> int:
        found = conn.execute("select count(*) from users").fetchone()[0]
        add_users(db_path, 100 + 10 * len(kinds), 10)  # commits, closes, checkpoints
        return found

    monkeypatch.setattr(readonly, "_connect", connect)
    assert readonly.read(db_path, count) == 10
    assert kinds == [True, False]


def test_a_bot_stopping_just_as_the_read_begins_is_read_again(db_path, monkeypatch):
    open_db(db_path).close()
    add_users(db_path, 1, 2)
    live = sqlite3.connect(db_path)  # the bot, running: its -wal is there
    live.execute("select count(*) from users").fetchone()
    assert db_path.with_name(db_path.name + "-wal").exists()
    real = readonly._connect
    calls: list[bool] = []

    def connect(source, *, immutable):
        calls.append(immutable)
        if len(calls) == 1:  # it stops (taking its -wal) before a read-only open could work
            live.close()
            raise readonly.StorageError("unable to open database file")
        return real(source, immutable=immutable)

    monkeypatch.setattr(readonly, "_connect", connect)
    count = readonly.read(db_path, lambda c: c.execute("select count(*) from users").fetchone())
    assert count == (2,) and calls == [False, True]


def test_the_source_is_only_ever_opened_read_only(env, db_path, tmp_path, monkeypatch, capsys):
    """Where no read-only mount can be made (tests/test_backup_unit.py needs one)."""
    open_db(db_path).close()
    opened: list[str] = []
    real = sqlite3.connect

    def spy(database, *args, **kwargs):
        opened.append(str(database))
        return real(database, *args, **kwargs)

    monkeypatch.setattr(readonly.sqlite3, "connect", spy)
    live = real(db_path)  # the bot running, and then stopped
    live.execute("select 1").fetchone()
    assert main(["stats"]) == 0
    live.close()
    assert main(["backup", str(tmp_path / "copy.db")]) == 0
    sources = [uri for uri in opened if str(db_path) in uri]
    assert len(sources) >= 2
    assert all(uri.startswith("file:") and "mode=ro" in uri for uri in sources), sources


def test_backup_into_a_directory_drops_copies_past_the_retention(
    env, db_path, tmp_path, capsys, monkeypatch
):
    open_db(db_path).close()
    backups = tmp_path / "backups"
    backups.mkdir()
    today = datetime.now(UTC)
    names = {
        days: backups / f"backcare-{(today - timedelta(days=days)):%Y%m%d-%H%M%S}.db"
        for days in (1, 6, 8, 30)
    }
    for path in names.values():
        path.write_bytes(b"old copy")
    other = backups / "backcare-before-upgrade.db"  # not one of ours: left alone
    other.write_bytes(b"kept by hand")
    monkeypatch.setenv("BACKCARE_BACKUP_KEEP_DAYS", "7")
    assert main(["backup", str(backups)]) == 0
    assert "removed 2 backup(s) older than 7 days" in capsys.readouterr().out
    left = set(backups.glob("backcare-*.db"))
    assert names[1] in left and names[6] in left and other in left
    assert names[8] not in left and names[30] not in left
    assert len(left) == 4  # the new copy too


def test_a_file_target_prunes_nothing(env, db_path, tmp_path, capsys):
    open_db(db_path).close()
    old = tmp_path / "backcare-20200101-000000.db"
    old.write_bytes(b"old copy")
    assert main(["backup", str(tmp_path / "copy.db")]) == 0
    assert old.exists() and "removed" not in capsys.readouterr().out
