"""The `treatments` table: what a person tried (a painkiller, heat, a walk...) and whether
it helped. Every read and write names the owner (`user_id = ?`)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from storage.db import from_db, to_db

KINDS = ("painkiller", "heat", "physio", "massage", "stretches", "walk", "rest", "own")
OUTCOMES = ("better", "same", "worse")
NAME_LIMIT = 60  # characters: a painkiller or a short "what I tried"


@dataclass(frozen=True)
class Treatment:
    id: int
    user_id: int
    kind: str
    name: str | None
    tried_at: datetime  # UTC
    time_zone: str | None
    follow_up_at: datetime | None
    outcome: str | None


def _from_row(row: dict) -> Treatment:
    return Treatment(
        id=row["id"],
        user_id=row["user_id"],
        kind=row["kind"],
        name=row["name"],
        tried_at=from_db(row["tried_at"]),
        time_zone=row["time_zone"],
        follow_up_at=from_db(row["follow_up_at"]) if row["follow_up_at"] else None,
        outcome=row["outcome"],
    )


def add(
    db: Database,
    user_id: int,
    *,
    kind: str,
    name: str | None,
    tried_at: datetime,
    zone: str | None,
    dedup_key: str,
    now: datetime,
) -> int:
    """Store one; a second call with the same dedup_key stores nothing and returns the first id."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if name is not None and len(name) > NAME_LIMIT:
        raise ValueError("name too long")
    with db.atomic():
        cursor = db.execute(
            "insert or ignore into treatments (user_id, kind, name, tried_at, logged_at,"
            " time_zone, dedup_key) values (?, ?, ?, ?, ?, ?, ?)",
            [user_id, kind, name or None, to_db(tried_at), to_db(now), zone, dedup_key],
        )
        if cursor.rowcount:
            return int(cursor.lastrowid)  # type: ignore[arg-type]
        rows = list(
            db.query(
                "select id from treatments where dedup_key = ? and user_id = ?",
                [dedup_key, user_id],
            )
        )
    if not rows:
        raise ValueError("dedup_key already used by another person")
    return rows[0]["id"]


def get(db: Database, user_id: int, treatment_id: int) -> Treatment | None:
    rows = list(
        db.query("select * from treatments where id = ? and user_id = ?", [treatment_id, user_id])
    )
    return _from_row(rows[0]) if rows else None


def all_for(db: Database, user_id: int) -> list[Treatment]:
    """Everything this person tried, oldest first."""
    rows = db.query("select * from treatments where user_id = ? order by tried_at, id", [user_id])
    return [_from_row(row) for row in rows]


def between(db: Database, user_id: int, start: datetime, end: datetime) -> list[Treatment]:
    """Treatments tried in [start, end), oldest first."""
    rows = db.query(
        "select * from treatments where user_id = ? and tried_at >= ? and tried_at < ?"
        " order by tried_at, id",
        [user_id, to_db(start), to_db(end)],
    )
    return [_from_row(row) for row in rows]


def ask_follow_up(db: Database, user_id: int, treatment_id: int, due: datetime) -> bool:
    """Ask "did it help?" at `due`; False if there is no such treatment or it was already sent."""
    with db.atomic():
        cursor = db.execute(
            "update treatments set follow_up_at = ? where id = ? and user_id = ?"
            " and follow_up_sent_at is null",
            [to_db(due), treatment_id, user_id],
        )
    return cursor.rowcount == 1


def claim_follow_ups(db: Database, now: datetime, limit: int = 100) -> list[Treatment]:
    """Mark up to `limit` due follow-ups as sent and return them: each is claimed by one
    tick only, so it goes out at most once even with two ticks or a restart."""
    conn: sqlite3.Connection = db.conn
    conn.execute("BEGIN IMMEDIATE")  # take the write lock before reading
    try:
        rows = conn.execute(
            "select id from treatments where follow_up_sent_at is null"
            " and follow_up_at is not null and follow_up_at <= ? order by follow_up_at limit ?",
            [to_db(now), limit],
        ).fetchall()
        ids = [row[0] for row in rows]
        conn.executemany(
            "update treatments set follow_up_sent_at = ? where id = ?",
            [(to_db(now), i) for i in ids],
        )
    except BaseException:
        conn.rollback()
        raise
    conn.execute("COMMIT")
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    found = db.query(f"select * from treatments where id in ({marks}) order by id", ids)
    return [_from_row(row) for row in found]


def record_outcome(
    db: Database, user_id: int, treatment_id: int, outcome: str, now: datetime
) -> bool:
    """Note whether it helped (the last answer counts); False if no such treatment."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    with db.atomic():
        cursor = db.execute(
            "update treatments set outcome = ?, answered_at = ? where id = ? and user_id = ?",
            [outcome, to_db(now), treatment_id, user_id],
        )
    return cursor.rowcount == 1
