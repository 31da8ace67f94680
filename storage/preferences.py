"""Per-person preferences kept on the `users` row beyond language, zone and consent."""

from __future__ import annotations

from sqlite_utils import Database


def report_notes(db: Database, user_id: int) -> bool:
    """Whether diary notes go into the PDF report by default (off unless chosen)."""
    rows = list(db.query("select report_notes from users where id = ?", [user_id]))
    return bool(rows and rows[0]["report_notes"])


def set_report_notes(db: Database, user_id: int, include: bool) -> None:
    with db.atomic():
        db.execute("update users set report_notes = ? where id = ?", [int(include), user_id])
