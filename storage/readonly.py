"""Reading the database without writing anything: for `backcare backup` and `backcare stats`.

Neither may need a writable directory: the nightly backup unit sees the database's
directory read-only (only the backups directory is writable). So the file is opened
with `mode=ro` and nothing is ever created beside it.

A WAL database needs its -wal and -shm files to be read. While the bot runs they
exist, and a read-only connection uses them as they are. When the bot is stopped
they are gone and SQLite, unable to create them, refuses; then everything is in
the main file, which is read as `immutable` (no locks, no -shm). That is only safe
while nobody writes the file, so the read counts only if the file is unchanged
afterwards (a bot starting meanwhile writes its -wal first; the main file changes
only at a checkpoint). If it changed, someone is writing, so the next try reads the
normal way, through the WAL, whose snapshot stays whole however often they commit.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from storage.db import BUSY_TIMEOUT_MS, StorageError

T = TypeVar("T")
_MAGIC = b"SQLite format 3\x00"
_WAL = 2  # header bytes 18 and 19 (write and read version): 2 means WAL
_ATTEMPTS = 3


def read(path: str | os.PathLike[str], work: Callable[[sqlite3.Connection], T]) -> T:
    """Run `work` on a read-only connection to an existing BackCare database.

    StorageError if there is none; what `work` raises is passed on as it is.
    """
    source = Path(path)
    wal = Path(f"{source}-wal")
    written = False  # an immutable read saw the file change: someone is writing
    for attempt in range(1, _ATTEMPTS + 1):
        immutable = _is_wal(source) and not wal.exists() and not written
        before = _stamp(source)
        try:
            conn = _connect(source, immutable=immutable)
        except StorageError:
            if immutable or wal.exists() or attempt == _ATTEMPTS:
                raise
            written = False  # the writer stopped in between and took its -wal with it
            continue
        try:
            result = work(conn)
        finally:
            conn.close()
        if not immutable or _stamp(source) == before:
            return result
        written = True
    raise StorageError(f"{source} kept changing while it was read; try again")


def _is_wal(source: Path) -> bool:
    """Whether the file is a SQLite database in WAL mode; StorageError if it is no database."""
    if not source.is_file():
        raise StorageError(f"no database at {source}")
    try:
        with source.open("rb") as file:
            header = file.read(100)
    except OSError as exc:
        raise StorageError(f"cannot read {source}: {exc.strerror}") from exc
    if not header:
        raise StorageError(f"{source} is empty, not a BackCare database")
    if len(header) < 100 or not header.startswith(_MAGIC):
        raise StorageError(f"{source} is not a SQLite database")
    return header[18] == _WAL and header[19] == _WAL


def _stamp(source: Path) -> tuple[int, int, int]:
    info = source.stat()
    return info.st_ino, info.st_size, info.st_mtime_ns


def _connect(source: Path, *, immutable: bool) -> sqlite3.Connection:
    uri = source.resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StorageError(f"cannot open {source}: {exc}") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        found = conn.execute(
            "select count(*) from sqlite_master where type = 'table' and name = 'users'"
        ).fetchone()[0]
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StorageError(f"cannot read {source}: {exc}") from exc
    if not found:
        conn.close()
        raise StorageError(f"{source} is not a BackCare database (no users table)")
    return conn
