"""The conversation in progress, one per person, written at every step.

A step is (flow, step, data). Every write bumps `seq`; buttons carry the seq
they were drawn for, so a stale or replayed press is recognised.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from storage.db import from_db, select, to_db

# Abandoned conversations (a half-done triage, an unsaved diary draft) are
# dropped after this long.
MAX_AGE = timedelta(days=1)


@dataclass(frozen=True)
class Conversation:
    user_id: int
    flow: str
    step: str
    seq: int
    data: dict[str, Any] = field(default_factory=dict)
    updated_at: str = ""


def get(db: Database, user_id: int, now: datetime) -> Conversation | None:
    """The live conversation, or None if there is none or it went stale."""
    rows = select(db, "select * from conversations where user_id = ?", [user_id])
    if not rows:
        return None
    row = rows[0]
    return live(user_id, row["flow"], row["step"], row["seq"], row["data"], row["updated_at"], now)


def live(
    user_id: int,
    flow: str | None,
    step: str,
    seq: int,
    data: str,
    updated_at: str,
    now: datetime,
) -> Conversation | None:
    """A stored conversation as a Conversation, or None if there is none (no row, or
    cleared) or it went stale."""
    if not flow or from_db(updated_at) < now - MAX_AGE:
        return None
    return Conversation(user_id, flow, step, seq, json.loads(data), updated_at)


def put(
    db: Database, user_id: int, flow: str, step: str, data: dict[str, Any], now: datetime
) -> Conversation:
    """Store the next step (committed on return) and give it a fresh seq."""
    stamp = to_db(now)
    # One statement, so it commits by itself (storage/db.py), or joins the
    # transaction it is called in.
    rows = db.conn.execute(_PUT, [user_id, flow, step, _JSON.encode(data), stamp]).fetchall()
    return Conversation(user_id, flow, step, rows[0][0], data, stamp)


_PUT = (
    "insert into conversations (user_id, flow, step, seq, data, updated_at)"
    " values (?, ?, ?, 1, ?, ?)"
    " on conflict(user_id) do update set flow = excluded.flow, step = excluded.step,"
    " seq = conversations.seq + 1, data = excluded.data,"
    " updated_at = excluded.updated_at returning seq"
)
_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def clear(db: Database, user_id: int) -> None:
    """End the conversation; the row stays so seq keeps counting up and old buttons stay stale."""
    with db.atomic():
        db.execute(
            "update conversations set flow = '', step = '', data = '{}', seq = seq + 1"
            " where user_id = ?",
            [user_id],
        )


def purge_stale(db: Database, now: datetime) -> int:
    """Drop the data of conversations untouched for MAX_AGE; returns how many."""
    with db.atomic():
        cursor = db.execute(
            "update conversations set flow = '', step = '', data = '{}', seq = seq + 1"
            " where flow != '' and updated_at < ?",
            [to_db(now - MAX_AGE)],
        )
    return cursor.rowcount
