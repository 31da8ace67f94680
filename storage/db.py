"""Open the database: one SQLite file, WAL, owner-only, migrated at start-up."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from storage.migrations import migrations

BUSY_TIMEOUT_MS = 5000


class StorageError(Exception):
    """The database file cannot be opened or created."""


def open_db(path: str | os.PathLike[str]) -> Database:
    """Open (creating if needed) the database at `path` and apply pending migrations."""
    if str(path) == ":memory:":
        db = Database(memory=True)
    else:
        target = Path(path)
        if target.is_dir():
            raise StorageError(f"{target} is a directory, not a database file")
        if not target.parent.is_dir():
            raise StorageError(f"directory {target.parent} does not exist")
        _create_private(target)
        try:
            db = Database(sqlite3.connect(str(target), check_same_thread=False))
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open {target}: {exc}") from exc
    _configure(db)
    if str(path) != ":memory:":
        _check_pages(db, Path(path))
    migrations.apply(db)
    checkpoint(db)  # a migration's old pages leave the WAL before anyone connects
    return db


def _check_pages(db: Database, target: Path) -> None:
    """Refuse a damaged file at start-up rather than fail on the page someone needs later.

    quick_check reads every page (0.5 s for 200 MB, warm cache) but skips the
    slow index-content comparison of integrity_check.
    """
    try:
        verdict = db.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        verdict = str(exc)
    if verdict != "ok":
        db.close()
        problem = " ".join(str(verdict).split())[:200]
        raise StorageError(f"{target} is damaged ({problem}); restore it from a backup")


def _create_private(target: Path) -> None:
    """Create the file as 0600 before SQLite does; its -wal and -shm files copy the mode."""
    try:
        fd = os.open(target, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
        os.chmod(target, 0o600)
    except OSError as exc:
        verb = "open" if target.exists() else "create"
        raise StorageError(f"cannot {verb} {target} for writing: {exc.strerror}") from exc


def _configure(db: Database) -> None:
    # SQLite's own autocommit: one statement commits by itself, so the write on
    # every tap is one statement rather than BEGIN, the write and COMMIT; several
    # that belong together still go in db.atomic().
    db.conn.isolation_level = None
    try:
        db.execute("PRAGMA journal_mode=WAL")
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"not a usable SQLite database: {exc}") from exc
    # NORMAL under WAL never corrupts and loses nothing when the process dies;
    # only a power cut can drop the last commits. FULL would fsync every tap.
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys=ON")
    # Deleted and overwritten rows are zeroed, not just unlinked, so an erased
    # note cannot be read back from free space in the file (see checkpoint()).
    db.execute("PRAGMA secure_delete=ON")


def checkpoint(db: Database) -> bool:
    """Copy the WAL into the database and truncate it to nothing; True if it did.

    After an erase the WAL still holds the old pages; only a completed TRUNCATE
    checkpoint leaves no copy. It cannot finish while another connection (a
    backup, `backcare stats`) reads an older snapshot; it then fails at once
    (no busy wait on the event loop) and the caller tries again later.
    """
    db.execute("PRAGMA busy_timeout=0")
    try:
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError:  # locked by a writer elsewhere
        busy = 1
    finally:
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return busy == 0


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_db(moment: datetime) -> str:
    """A UTC timestamp as stored: ISO 8601, seconds precision, sortable as text."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    # isoformat is C; strftime took twice as long, twice on every tap
    return moment.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


def from_db(text: str) -> datetime:
    # fromisoformat is C and reads the "Z"; strptime took 6 us a call, on every tap
    return datetime.fromisoformat(text).astimezone(UTC)


def select(db: Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Rows of a read-only SELECT as dicts, straight from sqlite3.

    For reads on every tap: sqlite-utils' `query` wraps each statement in a
    savepoint (three statements where one will do).
    """
    cursor = db.conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]
