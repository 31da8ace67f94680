"""Claiming due schedules and recording what was sent, one `deliveries` row per occurrence.

The tick claims, then sends, then records. A claim moves the schedule's
`next_due_utc` on and inserts the delivery row in one write transaction, so
two ticks (even in two processes) never both own the same occurrence; the
unique (schedule_id, due_utc) index is the last guard.

A delivery row goes claimed -> sending -> sent (or skipped, blocked, retry, failed).
`claimed_at` says which claim owns the row: `begin_send` moves it to "sending"
only for that claim, just before the request leaves. If the process dies, a
later tick takes over claims older than `LEASE`: a "claimed" row was never
begun and is sent (within the grace window); a "sending" row may have reached
Telegram before the death, so it becomes "interrupted" and is never repeated.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlite_utils import Database

from storage.db import from_db, to_db
from storage.recurrence import GRACE, day_bounds, decide, next_occurrence
from storage.schedules import pattern_from_row

BATCH = 500
# A live tick begins every claim of its batch within a few seconds (bot/reminders/delivery.py
# sizes batches so); a claim older than this was left by a process that died. Taking
# over a live claim would not send twice (begin_send), only waste a claim.
LEASE = timedelta(seconds=20)
MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(seconds=30)  # then doubling: 30 s, 1 min, 2 min, 4 min


@dataclass(frozen=True)
class Claim:
    """One occurrence this tick owns and must send."""

    delivery_id: int
    schedule_id: int
    user_id: int
    kind: str
    routine: str | None
    zone: str
    due: datetime
    skip_if_logged: bool
    claimed_at: str  # which claim owns the row: the stamp it was claimed with
    attempts: int = 0


@contextmanager
def _write_transaction(db: Database) -> Iterator[None]:
    """BEGIN IMMEDIATE: take the write lock before reading, so the rows read stay ours."""
    conn: sqlite3.Connection = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.rollback()
        raise
    conn.execute("COMMIT")


_DUE = (
    "select id, user_id, kind, routine, time_zone, local_time, window_start, window_end,"
    " interval_minutes, weekdays, skip_if_logged, next_due_utc from schedules"
    " where active = 1 and next_due_utc <= ? order by next_due_utc limit ?"
)


def claim_due(
    db: Database, now: datetime, *, limit: int = BATCH, grace: timedelta = GRACE
) -> list[Claim]:
    """Claim up to `limit` due schedules; occurrences missed beyond `grace` are marked missed."""
    stamp = to_db(now)
    claims: list[Claim] = []
    conn = db.conn
    # Rows due together mostly share a pattern (same zone, same button time): the
    # decision for one holds for all of them, so each is worked out once per call.
    decided: dict[tuple, tuple[str | None, str | None]] = {}
    with _write_transaction(db):
        rows = conn.execute(_DUE, [stamp, limit]).fetchall()
        for row in rows:
            (sid, uid, kind, routine, zone, _, _, _, _, _, skip, due_text) = row
            key = (*row[4:10], due_text)
            if key not in decided:
                record = dict(zip(_COLUMNS, row, strict=True))
                decision = decide(pattern_from_row(record), _moment(due_text), now, grace)
                decided[key] = (_stamp(decision.send), _stamp(decision.next_due))
            send, next_due = decided[key]
            moved = conn.execute(
                "update schedules set next_due_utc = ? where id = ? and next_due_utc = ?"
                " and active = 1",
                [next_due, sid, due_text],
            )
            if moved.rowcount != 1:
                continue
            inserted = conn.execute(
                "insert or ignore into deliveries (schedule_id, user_id, due_utc, claimed_at,"
                " status) values (?, ?, ?, ?, ?)",
                [sid, uid, send or due_text, stamp, "claimed" if send else "missed"],
            )
            if send is not None and inserted.rowcount == 1:
                claims.append(
                    Claim(inserted.lastrowid, sid, uid, kind, routine, zone, _moment(send),
                          bool(skip), stamp)
                )  # fmt: skip
    return claims


# Thousands of claims share a handful of due times; parse each text once.
_moment = lru_cache(maxsize=1024)(from_db)


def _stamp(moment: datetime | None) -> str | None:
    """to_db() without strftime, which is most of the cost of a claim."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


_COLUMNS = (
    "id", "user_id", "kind", "routine", "time_zone", "local_time", "window_start",
    "window_end", "interval_minutes", "weekdays", "skip_if_logged", "next_due_utc",
)  # fmt: skip


def claim_retries(
    db: Database, now: datetime, *, limit: int = BATCH, grace: timedelta = GRACE
) -> list[Claim]:
    """Claim deliveries whose earlier send failed and whose retry time has come."""
    stamp = to_db(now)
    claims: list[Claim] = []
    conn = db.conn
    with _write_transaction(db):
        rows = conn.execute(
            "select d.id, d.schedule_id, d.user_id, s.kind, s.routine, s.time_zone, d.due_utc,"
            " s.skip_if_logged, d.attempts from deliveries d join schedules s"
            " on s.id = d.schedule_id where d.status = 'retry' and d.retry_at <= ? limit ?",
            [stamp, limit],
        ).fetchall()
        for did, sid, uid, kind, routine, zone, due_text, skip, attempts in rows:
            too_late = now - from_db(due_text) > grace
            conn.execute(
                "update deliveries set status = ?, retry_at = null, claimed_at = ?"
                " where id = ? and status = 'retry'",
                ["failed" if too_late else "claimed", stamp, did],
            )
            if not too_late:
                claims.append(
                    Claim(did, sid, uid, kind, routine, zone, from_db(due_text), bool(skip),
                          stamp, attempts)
                )  # fmt: skip
    return claims


def claim_abandoned(
    db: Database,
    now: datetime,
    *,
    lease: timedelta = LEASE,
    limit: int = BATCH,
    grace: timedelta = GRACE,
) -> list[Claim]:
    """Take over what a dead process claimed: send again what it never began, within `grace`.

    A "sending" row is not repeated: Telegram may have delivered it just before the
    process died, and a second prompt is worse than a missing one (at most once).
    """
    stamp = to_db(now)
    claims: list[Claim] = []
    conn = db.conn
    with _write_transaction(db):
        rows = conn.execute(
            "select d.id, d.schedule_id, d.user_id, s.kind, s.routine, s.time_zone, d.due_utc,"
            " s.skip_if_logged, d.attempts, d.status, d.claimed_at, s.active from deliveries d"
            " join schedules s on s.id = d.schedule_id"
            " where d.status in ('claimed', 'sending') and d.claimed_at <= ?"
            " order by d.claimed_at limit ?",
            [to_db(now - lease), limit],
        ).fetchall()
        for row in rows:
            did, sid, uid, kind, routine, zone, due_text, skip, attempts, status, owner, on = row
            if status == "sending":
                new = "interrupted"
            elif not on:
                new = "skipped"  # turned off meanwhile
            elif now - from_db(due_text) > grace:
                new = "missed"
            else:
                new = "claimed"
            taken = conn.execute(
                "update deliveries set status = ?, claimed_at = ? where id = ? and status = ?"
                " and claimed_at = ?",
                [new, stamp, did, status, owner],
            )
            if new == "claimed" and taken.rowcount == 1:
                claims.append(
                    Claim(did, sid, uid, kind, routine, zone, from_db(due_text), bool(skip),
                          stamp, attempts)
                )  # fmt: skip
    return claims


def begin_send(db: Database, claim: Claim) -> bool:
    """Mark the delivery as leaving now; False if another tick has taken the claim over."""
    with db.atomic():
        cursor = db.execute(
            "update deliveries set status = 'sending' where id = ? and status = 'claimed'"
            " and claimed_at = ?",
            [claim.delivery_id, claim.claimed_at],
        )
    return cursor.rowcount == 1


def record_sent(db: Database, delivery_id: int, message_id: int, now: datetime) -> None:
    with db.atomic():
        db.execute(
            "update deliveries set status = 'sent', sent_at = ?, message_id = ? where id = ?",
            [to_db(now), message_id, delivery_id],
        )


def record_status(db: Database, delivery_id: int, status: str) -> None:
    """skipped (already logged today), blocked (403), failed."""
    with db.atomic():
        db.execute("update deliveries set status = ? where id = ?", [status, delivery_id])


def record_failure(db: Database, claim: Claim, now: datetime) -> bool:
    """A send failed for a passing reason: try again later, or give up; True if it will retry."""
    attempts = claim.attempts + 1
    retry = attempts < MAX_ATTEMPTS
    retry_at = now + FIRST_RETRY * 2 ** (attempts - 1)
    with db.atomic():
        db.execute(
            "update deliveries set status = ?, attempts = ?, retry_at = ? where id = ?",
            ["retry" if retry else "failed", attempts, to_db(retry_at) if retry else None,
             claim.delivery_id],
        )  # fmt: skip
    return retry


# ---------------------------------------------------------------------------- answers
@dataclass(frozen=True)
class Delivery:
    id: int
    schedule_id: int
    user_id: int
    kind: str
    routine: str | None
    zone: str
    due: datetime
    answered: bool


def get(db: Database, delivery_id: int, user_id: int) -> Delivery | None:
    """A delivery of this person's (None if it is not theirs or no longer exists)."""
    rows = list(
        db.query(
            "select d.id, d.schedule_id, d.user_id, s.kind, s.routine, s.time_zone, d.due_utc,"
            " d.answered_at from deliveries d join schedules s on s.id = d.schedule_id"
            " where d.id = ? and d.user_id = ? and s.user_id = ?",
            [delivery_id, user_id, user_id],
        )
    )
    if not rows:
        return None
    row = rows[0]
    return Delivery(
        id=row["id"],
        schedule_id=row["schedule_id"],
        user_id=row["user_id"],
        kind=row["kind"],
        routine=row["routine"],
        zone=row["time_zone"],
        due=from_db(row["due_utc"]),
        answered=row["answered_at"] is not None,
    )


def mark_answered(db: Database, delivery_id: int, user_id: int, now: datetime) -> bool:
    """The first answer to a prompt wins; False if it was already answered."""
    with db.atomic():
        cursor = db.execute(
            "update deliveries set answered_at = ? where id = ? and user_id = ?"
            " and answered_at is null",
            [to_db(now), delivery_id, user_id],
        )
    return cursor.rowcount == 1


def snooze(db: Database, delivery: Delivery, until: datetime, now: datetime) -> bool:
    """Ask again at `until` (or at the regular time, if that comes first)."""
    with db.atomic():
        if not mark_answered(db, delivery.id, delivery.user_id, now):
            return False
        db.execute(
            "update schedules set next_due_utc = min(coalesce(next_due_utc, ?), ?)"
            " where id = ? and user_id = ? and active = 1",
            [to_db(until), to_db(until), delivery.schedule_id, delivery.user_id],
        )
    return True


def skip_today(db: Database, delivery: Delivery, now: datetime) -> bool:
    """No more prompts from this schedule until tomorrow (local), including snoozes."""
    _, tomorrow = day_bounds(now, delivery.zone)
    with db.atomic():
        if not mark_answered(db, delivery.id, delivery.user_id, now):
            return False
        rows = list(
            db.query(
                "select * from schedules where id = ? and user_id = ? and active = 1",
                [delivery.schedule_id, delivery.user_id],
            )
        )
        if rows and rows[0]["next_due_utc"] and rows[0]["next_due_utc"] < to_db(tomorrow):
            after = tomorrow - timedelta(seconds=1)
            due = next_occurrence(pattern_from_row(rows[0]), after)
            db.execute(
                "update schedules set next_due_utc = ? where id = ? and user_id = ?",
                [to_db(due) if due else None, delivery.schedule_id, delivery.user_id],
            )
    return True


def logged_on_day(db: Database, user_id: int, moment: datetime, zone: str) -> bool:
    """Has the person written down their pain on the local day holding `moment`?"""
    start, end = day_bounds(moment, zone)
    rows = db.query(
        "select 1 from diary_entries where user_id = ? and recorded_at >= ? and recorded_at < ?"
        " and pain is not null limit 1",
        [user_id, to_db(start), to_db(end)],
    )
    return any(True for _ in rows)
