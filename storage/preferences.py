"""Per-person preferences kept on the `users` row beyond language, zone and consent."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from storage.db import to_db


def report_notes(db: Database, user_id: int) -> bool:
    """Whether diary notes go into the PDF report by default (off unless chosen)."""
    rows = list(db.query("select report_notes from users where id = ?", [user_id]))
    return bool(rows and rows[0]["report_notes"])


def set_report_notes(db: Database, user_id: int, include: bool) -> None:
    with db.atomic():
        db.execute("update users set report_notes = ? where id = ?", [int(include), user_id])


def time_zone_asked(db: Database, user_id: int) -> bool:
    """Whether the diary has asked for the person's time zone (it asks once)."""
    rows = list(db.query("select time_zone_asked_at from users where id = ?", [user_id]))
    return bool(rows and rows[0]["time_zone_asked_at"])


def set_time_zone_asked(db: Database, user_id: int, now: datetime) -> None:
    with db.atomic():
        db.execute("update users set time_zone_asked_at = ? where id = ?", [to_db(now), user_id])
