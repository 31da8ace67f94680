"""Copies of the live database, made with SQLite's online backup API.

The copy is taken inside one read transaction, so it is consistent even while
the bot keeps writing (WAL lets the bot write on meanwhile). It is written to
a private temporary file and renamed into place only once it is complete and
checked, so a failed backup never replaces a good one.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from storage import readonly
from storage.db import StorageError

STAMP = "%Y%m%d-%H%M%S"


class BackupTargetError(StorageError):
    """The backup's own path is wrong (not the database's)."""


def backup_target(target: str | os.PathLike[str], now: datetime) -> Path:
    """A directory gets a time-stamped file inside it; anything else is the file itself."""
    path = Path(target)
    if path.is_dir():
        return path / f"backcare-{now.strftime(STAMP)}.db"
    if not path.parent.is_dir():
        raise BackupTargetError(f"directory {path.parent} does not exist")
    return path


def backup(source: str | os.PathLike[str], target: Path) -> int:
    """Copy the database at `source` to `target` (mode 0600); returns its size in bytes.

    The source is only read (storage/readonly.py): its directory may be read-only.
    """
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError as exc:
        raise BackupTargetError(f"cannot write there: {exc.strerror or exc}") from exc
    try:
        os.close(fd)
        os.chmod(partial, 0o600)
        verdict = readonly.read(source, lambda conn: _copy(conn, partial))
        if verdict != "ok":
            raise StorageError(f"the copy failed its check: {verdict}")
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(f"backup to {target} failed: {exc}") from exc
    finally:
        if partial.exists():
            partial.unlink()
    return target.stat().st_size


def _copy(source: sqlite3.Connection, partial: Path) -> str:
    """Copy into `partial` and check it; returns the verdict of quick_check."""
    copy = sqlite3.connect(str(partial))
    try:
        source.backup(copy)
        # One self-contained file: no -wal beside it when it is restored.
        copy.execute("PRAGMA journal_mode=DELETE")
        return copy.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        copy.close()


def prune(directory: Path, now: datetime, keep_days: int) -> list[Path]:
    """Delete the time-stamped copies in `directory` older than `keep_days`; returns them.

    Ages come from the name, not the file's mtime, which a restore or a copy
    between disks can change. Files not named like our copies are left alone.
    """
    cutoff = now - timedelta(days=keep_days)
    removed = []
    for path in sorted(directory.glob("backcare-*.db")):
        try:
            made = datetime.strptime(path.name[len("backcare-") : -len(".db")], STAMP)
        except ValueError:
            continue
        if made.replace(tzinfo=now.tzinfo) < cutoff:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
