"""`backcare backup` and `backcare stats`: the operator's side, no Telegram needed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from bot.config import Settings
from storage import stats
from storage.backup import backup, backup_target, connect_existing, prune


def backup_command(settings: Settings, path: str) -> int:
    """Copy the database; into a directory, also drop copies older than the retention."""
    now = datetime.now(UTC)
    into_directory = Path(path).is_dir()
    source = connect_existing(settings.db_path)
    try:
        target = backup_target(path, now)
        size = backup(source, target)
    finally:
        source.close()
    print(f"backed up {settings.db_path} to {target} ({size} bytes)")
    if into_directory:
        # /privacy promises erased data leaves backups after this many days.
        removed = prune(target.parent, now, settings.backup_keep_days)
        days = settings.backup_keep_days
        print(f"removed {len(removed)} backup(s) older than {days} days")
    return 0


def stats_command(settings: Settings) -> int:
    conn = connect_existing(settings.db_path)
    try:
        figures = stats.collect(Database(conn), datetime.now(UTC))
    finally:
        conn.close()
    print(format_stats(figures))
    return 0


def format_stats(figures: stats.Stats) -> str:
    tiers = ", ".join(f"{tier} {count}" for tier, count in figures.triage_by_tier.items())
    return "\n".join(
        [
            f"users: {figures.users} ({figures.consented} keep notes, "
            f"{figures.blocked} stopped the bot)",
            f"active in the last 7 days: {figures.active_7d}",
            f"schedules: {figures.schedules_active} active, {figures.schedules_paused} paused",
            f"diary entries: {figures.diary_entries}",
            f"triage results: {figures.triage_results} ({tiers})",
        ]
    )
