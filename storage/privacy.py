"""Everything stored about one person: found from the schema, exported, erased.

A table holds data about a person when it has a `user_id` column (or is `users`,
keyed by `id`). Nothing here lists tables by name, so a table added later is
exported and erased without changes here.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.db import to_db

EXPORT_FORMAT = "backcare-mydata/2"  # 2: JSON columns as lists and objects, not strings
# Columns whose text is JSON (see storage/migrations.py): /mydata gives them as the
# lists and objects they hold. A test fails if a JSON column is added without a line here.
JSON_COLUMNS = {
    ("conversations", "data"),
    ("diary_entries", "places"),
    ("diary_entries", "tags"),
    ("triage_results", "answers"),
    ("triage_results", "explanations"),
    ("triage_results", "tags"),
}


def person_tables(db: Database) -> list[tuple[str, str]]:
    """(table, column) pairs naming a person: every `user_id` column, and `users.id`."""
    found = [("users", "id")] if db["users"].exists() else []
    for name in sorted(db.table_names()):
        if name.startswith("sqlite_"):
            continue
        if "user_id" in {column.name for column in db[name].columns}:
            found.append((name, "user_id"))
    return found


def rows_about(db: Database, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Table -> this person's rows, as stored, oldest first."""
    found: dict[str, list[dict[str, Any]]] = {}
    for table, column in person_tables(db):
        # Names come from the schema, never from input; the value is a parameter.
        sql = f'select * from "{table}" where "{column}" = ? order by rowid'
        found[table] = list(db.query(sql, [user_id]))
    return found


def _nested(value: Any) -> Any:
    """A JSON column's value as what it holds; text that does not parse stays text."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def export(db: Database, user_id: int, now: datetime) -> dict[str, Any]:
    """A JSON-ready document with every row about the person, JSON columns nested."""
    tables = {
        table: [
            {k: _nested(v) if (table, k) in JSON_COLUMNS else v for k, v in row.items()}
            for row in rows
        ]
        for table, rows in rows_about(db, user_id).items()
    }
    user_rows = tables.pop("users", [])
    return {
        "format": EXPORT_FORMAT,
        "exported_at": to_db(now),
        "user": user_rows[0] if user_rows else None,
        "tables": tables,
    }


def erase(db: Database, user_id: int) -> dict[str, int]:
    """Delete every row about the person in one transaction; returns rows deleted per table."""
    deleted: dict[str, int] = {}
    with db.atomic():
        # Rows reference each other (deliveries -> schedules -> users); checking
        # foreign keys at commit lets the tables be emptied in any order.
        db.execute("PRAGMA defer_foreign_keys = ON")
        for table, column in reversed(person_tables(db)):
            cursor = db.execute(f'delete from "{table}" where "{column}" = ?', [user_id])
            deleted[table] = cursor.rowcount
    return deleted
