"""`backcare backup` and `backcare stats`: the operator's side, no Telegram needed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlite_utils import Database

from bot.config import Settings
from storage import stats
from storage.backup import backup, backup_target, connect_existing


def backup_command(settings: Settings, path: str) -> int:
    source = connect_existing(settings.db_path)
    try:
        target = backup_target(path, datetime.now(UTC))
        size = backup(source, target)
    finally:
        source.close()
    print(f"backed up {settings.db_path} to {target} ({size} bytes)")
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
