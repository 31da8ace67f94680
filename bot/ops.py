"""`backcare backup` and `backcare stats`: the operator's side, no Telegram needed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from bot.config import ConfigError, Settings
from storage import readonly, stats
from storage.backup import BackupTargetError, backup, backup_target, prune
from storage.db import StorageError

# The same words as /stats, for the check results' tiers
TIER_WORDS = {
    "emergency": "emergency",
    "urgent": "urgent",
    "routine": "see a doctor soon",
    "self_care": "self-care",
}
PLAN_WORDS = {"active": "running", "held": "on hold"}


def backup_command(settings: Settings, path: str) -> int:
    """Copy the database; into a directory, also drop copies older than the retention."""
    now = datetime.now(UTC)
    into_directory = Path(path).is_dir()
    try:  # a wrong backup path is named as such, not as the database setting
        target = backup_target(path, now)
        size = backup(settings.db_path, target)
    except BackupTargetError as exc:
        raise ConfigError(f"backup path {path}: {exc}") from None
    print(f"backed up {settings.db_path} to {target} ({size} bytes)")
    if into_directory:
        # /privacy promises erased data leaves backups after this many days.
        removed = prune(target.parent, now, settings.backup_keep_days)
        days = settings.backup_keep_days
        print(f"removed {len(removed)} backup(s) older than {days} days")
    return 0
    print(f"backed up {settings.db_path} to {target} ({size} bytes)")
    if into_directory:
        # /privacy promises erased data leaves backups after this many days.
        removed = prune(target.parent, now, settings.backup_keep_days)
        days = settings.backup_keep_days
        print(f"removed {len(removed)} backup(s) older than {days} days")
    return 0


def stats_command(settings: Settings) -> int:
    figures = readonly.read(settings.db_path, _collect)
    print(format_stats(figures))
    return 0


def _collect(conn: sqlite3.Connection) -> stats.Stats:
    try:
        return stats.collect(Database(conn), datetime.now(UTC))
    except sqlite3.DatabaseError as exc:  # damaged, or from a version without these tables
        raise StorageError(f"cannot read the figures: {exc}") from exc


def format_stats(figures: stats.Stats) -> str:
    tiers = ", ".join(
        f"{TIER_WORDS.get(tier, tier)} {count}" for tier, count in figures.triage_by_tier.items()
    )
    states = figures.plans_by_status
    plans = ", ".join(f"{PLAN_WORDS.get(state, state)} {n}" for state, n in states.items())
    return "\n".join(
        [
            f"people: {figures.users} ({figures.consented} keep notes, "
            f"{figures.blocked} stopped the bot)",
            f"active in the last 7 days: {figures.active_7d}",
            f"reminders: {figures.schedules_active} on, {figures.schedules_paused} paused",
            f"diary entries: {figures.diary_entries}",
            f"check results: {figures.triage_results} ({tiers})",
            f"6-week plans: {figures.plans} ({plans})",
        ]
    )
