"""The `diary_entries` table: pain records, each belonging to one person.

Every read and write names the owner (`user_id = ?`), so an entry id from
someone else's button finds nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.db import from_db, to_db

SOURCES = ("log", "checkin", "stretches", "plan")
PAIN_MIN, PAIN_MAX = 0, 10


@dataclass(frozen=True)
class Entry:
    id: int
    user_id: int
    recorded_at: datetime  # UTC: when the pain was
    logged_at: datetime  # UTC: when it was written down
    pain: int | None  # None for a "did my stretches" record
    places: tuple[str, ...]
    tags: tuple[str, ...]
    note: str | None
    source: str
    routine: str | None
    time_zone: str | None = None  # the person's zone when it was saved ("UTC" if none was set)


@dataclass(frozen=True)
class TriageResult:
    created_at: datetime
    tier: str
    explanations: list[dict[str, Any]]
    answers: dict[str, str]  # question id -> option id, in the order asked


def _from_row(row: dict) -> Entry:
    return Entry(
        id=row["id"],
        user_id=row["user_id"],
        recorded_at=from_db(row["recorded_at"]),
        logged_at=from_db(row["logged_at"]),
        pain=row["pain"],
        places=tuple(json.loads(row["places"])),
        tags=tuple(json.loads(row["tags"])),
        note=row["note"],
        source=row["source"],
        routine=row["routine"],
        time_zone=row.get("time_zone"),
    )


def _check(pain: int | None, source: str | None = None) -> None:
    if pain is not None and not (PAIN_MIN <= pain <= PAIN_MAX):
        raise ValueError(f"pain {pain} outside {PAIN_MIN}-{PAIN_MAX}")
    if source is not None and source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")


def _json(values: Sequence[str]) -> str:
    return json.dumps(list(values), separators=(",", ":"))


def add_entry(
    db: Database,
    user_id: int,
    *,
    recorded_at: datetime,
    pain: int | None,
    places: Sequence[str],
    tags: Sequence[str],
    note: str | None,
    source: str,
    routine: str | None = None,
    dedup_key: str | None = None,
    now: datetime,
) -> int:
    """Store one entry and return its id; a second call with the same dedup_key
    stores nothing and returns the first entry's id. The entry keeps the person's zone
    as it is now (UTC when they have none), so it can be shown as it was saved."""
    _check(pain, source)
    with db.atomic():
        cursor = db.execute(
            "insert or ignore into diary_entries (user_id, recorded_at, logged_at, pain, places,"
            " tags, note, source, routine, dedup_key, time_zone) values (?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, coalesce((select time_zone from users where id = ?), 'UTC'))",
            [
                user_id,
                to_db(recorded_at),
                to_db(now),
                pain,
                _json(places),
                _json(tags),
                note or None,
                source,
                routine,
                dedup_key,
                user_id,
            ],
        )
        if cursor.rowcount:
            return int(cursor.lastrowid)  # type: ignore[arg-type]
        rows = list(
            db.query(
                "select id from diary_entries where dedup_key = ? and user_id = ?",
                [dedup_key, user_id],
            )
        )
    if not rows:
        raise ValueError("dedup_key already used by another person")
    return rows[0]["id"]


def get_entry(db: Database, user_id: int, entry_id: int) -> Entry | None:
    rows = list(
        db.query("select * from diary_entries where id = ? and user_id = ?", [entry_id, user_id])
    )
    return _from_row(rows[0]) if rows else None


def entries_between(db: Database, user_id: int, start: datetime, end: datetime) -> list[Entry]:
    """Entries recorded in [start, end), oldest first."""
    rows = db.query(
        "select * from diary_entries where user_id = ? and recorded_at >= ? and recorded_at < ?"
        " order by recorded_at, id",
        [user_id, to_db(start), to_db(end)],
    )
    return [_from_row(row) for row in rows]


def all_entries(db: Database, user_id: int) -> list[Entry]:
    """The whole diary, oldest first."""
    rows = db.query(
        "select * from diary_entries where user_id = ? order by recorded_at, id", [user_id]
    )
    return [_from_row(row) for row in rows]


def entries_page(db: Database, user_id: int, offset: int, limit: int) -> list[Entry]:
    """One page of the diary, newest first."""
    rows = db.query(
        "select * from diary_entries where user_id = ?"
        " order by recorded_at desc, id desc limit ? offset ?",
        [user_id, limit, offset],
    )
    return [_from_row(row) for row in rows]


def count_entries(db: Database, user_id: int) -> int:
    row = next(db.query("select count(*) as n from diary_entries where user_id = ?", [user_id]))
    return row["n"]


def latest_pain_entries(
    db: Database, user_id: int, limit: int, before: datetime | None = None
) -> list[Entry]:
    """The newest entries that have a pain score, newest first."""
    bound = to_db(before) if before else "9999"
    rows = db.query(
        "select * from diary_entries where user_id = ? and pain is not null and recorded_at < ?"
        " order by recorded_at desc, id desc limit ?",
        [user_id, bound, limit],
    )
    return [_from_row(row) for row in rows]


def recorded_times_desc(db: Database, user_id: int) -> Iterator[datetime]:
    """When each entry was recorded, newest first, read lazily (streaks stop at a gap)."""
    rows = db.query(
        "select recorded_at from diary_entries where user_id = ? order by recorded_at desc",
        [user_id],
    )
    for row in rows:
        yield from_db(row["recorded_at"])


def has_entry_between(db: Database, user_id: int, start: datetime, end: datetime) -> bool:
    rows = db.query(
        "select 1 from diary_entries where user_id = ? and recorded_at >= ? and recorded_at < ?"
        " limit 1",
        [user_id, to_db(start), to_db(end)],
    )
    return next(iter(rows), None) is not None


def update_entry(
    db: Database,
    user_id: int,
    entry_id: int,
    *,
    recorded_at: datetime,
    pain: int | None,
    places: Sequence[str],
    tags: Sequence[str],
    note: str | None,
    time_zone: str | None = None,
) -> bool:
    """Change one of this person's entries (and the zone its time was given in, when
    `time_zone` is given); False if they have no such entry."""
    _check(pain)
    with db.atomic():
        cursor = db.execute(
            "update diary_entries set recorded_at = ?, pain = ?, places = ?, tags = ?, note = ?,"
            " time_zone = coalesce(?, time_zone) where id = ? and user_id = ?",
            [
                to_db(recorded_at),
                pain,
                _json(places),
                _json(tags),
                note or None,
                time_zone,
                entry_id,
                user_id,
            ],
        )
    return cursor.rowcount == 1


def delete_entry(db: Database, user_id: int, entry_id: int) -> bool:
    """Delete one of this person's entries; False if they have no such entry."""
    with db.atomic():
        cursor = db.execute(
            "delete from diary_entries where id = ? and user_id = ?", [entry_id, user_id]
        )
    return cursor.rowcount == 1


def _json_or(text: str | None, empty: Any) -> Any:
    """Stored JSON, or `empty` when it is missing, broken or of another shape."""
    try:
        value = json.loads(text or "")
    except ValueError:
        return empty
    return value if isinstance(value, type(empty)) else empty


def triage_between(
    db: Database, user_id: int, start: datetime, end: datetime
) -> list[TriageResult]:
    """The person's finished checks with start <= created_at < end, oldest first."""
    rows = db.query(
        "select created_at, tier, answers, explanations from triage_results"
        " where user_id = ? and created_at >= ? and created_at < ? order by created_at, id",
        [user_id, to_db(start), to_db(end)],
    )
    return [
        TriageResult(
            created_at=from_db(row["created_at"]),
            tier=row["tier"],
            explanations=_json_or(row["explanations"], []),
            answers=_json_or(row["answers"], {}),
        )
        for row in rows
    ]
