"""The `schedules` table: daily check-ins and stretch reminders, one row each.

Every row keeps its own IANA zone and `next_due_utc`, so the database alone
says what is due; the tick (storage/deliveries.py) claims rows by that column.
Every query that touches one person's rows names their `user_id`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlite_utils import Database

from storage.db import from_db, to_db
from storage.recurrence import ALL_DAYS, Pattern, from_hhmm, hhmm, next_occurrence

CHECKIN = "checkin"
STRETCH = "stretch"
PLAN = "plan"  # the "Back on track" daily message (storage/plans.py)
MAX_STRETCH_REMINDERS = 10


@dataclass(frozen=True)
class Schedule:
    id: int
    user_id: int
    kind: str
    routine: str | None
    zone: str
    at: time | None
    start: time | None
    end: time | None
    every: int | None
    weekdays: str
    skip_if_logged: bool
    next_due: datetime | None
    active: bool
    paused_reason: str | None

    @property
    def pattern(self) -> Pattern:
        return pattern_of(self.zone, self.weekdays, self.at, self.start, self.end, self.every)


def pattern_of(zone, weekdays, at, start, end, every) -> Pattern:
    return Pattern(zone=zone, weekdays=weekdays, at=at, start=start, end=end, every=every)


def pattern_from_row(row: dict) -> Pattern:
    return pattern_of(
        row["time_zone"],
        row["weekdays"] or ALL_DAYS,
        from_hhmm(row["local_time"]),
        from_hhmm(row["window_start"]),
        from_hhmm(row["window_end"]),
        row["interval_minutes"],
    )


def _from_row(row: dict) -> Schedule:
    pattern = pattern_from_row(row)
    return Schedule(
        id=row["id"],
        user_id=row["user_id"],
        kind=row["kind"],
        routine=row["routine"],
        zone=row["time_zone"],
        at=pattern.at,
        start=pattern.start,
        end=pattern.end,
        every=pattern.every,
        weekdays=pattern.weekdays,
        skip_if_logged=bool(row["skip_if_logged"]),
        next_due=from_db(row["next_due_utc"]) if row["next_due_utc"] else None,
        active=bool(row["active"]),
        paused_reason=row["paused_reason"],
    )


def _stamp(moment: datetime | None) -> str | None:
    return to_db(moment) if moment is not None else None


def get(db: Database, schedule_id: int, user_id: int) -> Schedule | None:
    rows = list(
        db.query("select * from schedules where id = ? and user_id = ?", [schedule_id, user_id])
    )
    return _from_row(rows[0]) if rows else None


def for_user(db: Database, user_id: int, kind: str | None = None) -> list[Schedule]:
    sql = "select * from schedules where user_id = ?"
    params: list = [user_id]
    if kind is not None:
        sql += " and kind = ?"
        params.append(kind)
    return [_from_row(row) for row in db.query(sql + " order by id", params)]


def checkin_for(db: Database, user_id: int) -> Schedule | None:
    found = for_user(db, user_id, CHECKIN)
    return found[0] if found else None


def save_checkin(db: Database, user_id: int, zone: str, at: time, now: datetime) -> Schedule:
    """Create or change the person's one daily check-in, switched on."""
    due = next_occurrence(pattern_of(zone, ALL_DAYS, at, None, None, None), now)
    stamp = to_db(now)
    with db.atomic():
        existing = checkin_for(db, user_id)
        if existing is None:
            db.execute(
                "insert into schedules (user_id, kind, time_zone, local_time, weekdays,"
                " skip_if_logged, next_due_utc, active, created_at, updated_at)"
                " values (?, ?, ?, ?, ?, 1, ?, 1, ?, ?)",
                [user_id, CHECKIN, zone, hhmm(at), ALL_DAYS, _stamp(due), stamp, stamp],
            )
        else:
            db.execute(
                "update schedules set time_zone = ?, local_time = ?, next_due_utc = ?,"
                " active = 1, paused_reason = null, updated_at = ? where id = ? and user_id = ?",
                [zone, hhmm(at), _stamp(due), stamp, existing.id, user_id],
            )
    return checkin_for(db, user_id)  # type: ignore[return-value]


def add_plan(db: Database, user_id: int, *, zone: str, at: time, now: datetime) -> Schedule:
    """The daily message of a new plan, every day at `at` in `zone`, switched on."""
    due = next_occurrence(pattern_of(zone, ALL_DAYS, at, None, None, None), now)
    stamp = to_db(now)
    with db.atomic():
        cursor = db.execute(
            "insert into schedules (user_id, kind, time_zone, local_time, weekdays,"
            " skip_if_logged, next_due_utc, active, created_at, updated_at)"
            " values (?, ?, ?, ?, ?, 0, ?, 1, ?, ?)",
            [user_id, PLAN, zone, hhmm(at), ALL_DAYS, _stamp(due), stamp, stamp],
        )
    return get(db, cursor.lastrowid, user_id)  # type: ignore[arg-type,return-value]


def change_plan_time(
    db: Database, schedule_id: int, user_id: int, *, zone: str, at: time, now: datetime,
    after: datetime | None = None,
) -> datetime | None:  # fmt: skip
    """A new time of day for the plan's message; the next is due after `after` (default now).
    Returns when it is due."""
    with db.atomic():
        existing = get(db, schedule_id, user_id)
        if existing is None or existing.kind != PLAN:
            return None
        pattern = pattern_of(zone, ALL_DAYS, at, None, None, None)
        due = next_occurrence(pattern, after or now) if existing.active else None
        db.execute(
            "update schedules set time_zone = ?, local_time = ?, next_due_utc = ?,"
            " updated_at = ? where id = ? and user_id = ?",
            [zone, hhmm(at), _stamp(due), to_db(now), schedule_id, user_id],
        )
    return due


def _stretch_pattern(
    zone: str,
    weekdays: str,
    at: time | None,
    start: time | None,
    end: time | None,
    every: int | None,
) -> Pattern:
    """A stretch reminder's pattern; ValueError without a time (or window) and a day."""
    pattern = pattern_of(zone, weekdays, at, start, end, every)
    if not pattern.local_times() or not weekdays:
        raise ValueError("a reminder needs a time or a window, and at least one day")
    return pattern


def add_stretch(
    db: Database,
    user_id: int,
    *,
    zone: str,
    routine: str | None,
    weekdays: str,
    at: time | None = None,
    start: time | None = None,
    end: time | None = None,
    every: int | None = None,
    now: datetime,
) -> Schedule:
    """A new stretch reminder, switched on."""
    pattern = _stretch_pattern(zone, weekdays, at, start, end, every)
    due = next_occurrence(pattern, now)
    stamp = to_db(now)
    with db.atomic():
        cursor = db.execute(
            "insert into schedules (user_id, kind, routine, time_zone, local_time, window_start,"
            " window_end, interval_minutes, weekdays, skip_if_logged, next_due_utc, active,"
            " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 1, ?, ?)",
            [
                user_id,
                STRETCH,
                routine,
                zone,
                hhmm(at) if at else None,
                hhmm(start) if start else None,
                hhmm(end) if end else None,
                every,
                weekdays,
                _stamp(due),
                stamp,
                stamp,
            ],
        )
    return get(db, cursor.lastrowid, user_id)  # type: ignore[arg-type,return-value]


def change_stretch(
    db: Database,
    schedule_id: int,
    user_id: int,
    *,
    routine: str | None,
    weekdays: str,
    at: time | None = None,
    start: time | None = None,
    end: time | None = None,
    every: int | None = None,
    now: datetime,
) -> Schedule | None:
    """Change one of the person's stretch reminders: its routine, times and days. A paused
    one stays paused; one that is on looks ahead from now."""
    pattern = _stretch_pattern("UTC", weekdays, at, start, end, every)
    with db.atomic():
        existing = get(db, schedule_id, user_id)
        if existing is None or existing.kind != STRETCH:
            return None
        pattern = pattern_of(existing.zone, weekdays, at, start, end, every)
        due = next_occurrence(pattern, now) if existing.active else None
        db.execute(
            "update schedules set routine = ?, local_time = ?, window_start = ?, window_end = ?,"
            " interval_minutes = ?, weekdays = ?, next_due_utc = ?, updated_at = ?"
            " where id = ? and user_id = ?",
            [
                routine,
                hhmm(at) if at else None,
                hhmm(start) if start else None,
                hhmm(end) if end else None,
                every,
                weekdays,
                _stamp(due),
                to_db(now),
                schedule_id,
                user_id,
            ],
        )
    return get(db, schedule_id, user_id)


def count_stretches(db: Database, user_id: int) -> int:
    row = next(
        db.query(
            "select count(*) as n from schedules where user_id = ? and kind = ?",
            [user_id, STRETCH],
        )
    )
    return row["n"]


def set_active(
    db: Database, schedule_id: int, user_id: int, active: bool, now: datetime,
    after: datetime | None = None,
) -> Schedule | None:  # fmt: skip
    """Pause (reason "user") or resume one schedule; resuming looks ahead from now (or
    from `after`)."""
    schedule = get(db, schedule_id, user_id)
    if schedule is None:
        return None
    due = next_occurrence(schedule.pattern, after or now) if active else None
    with db.atomic():
        db.execute(
            "update schedules set active = ?, paused_reason = ?, next_due_utc = ?,"
            " updated_at = ? where id = ? and user_id = ?",
            [int(active), None if active else "user", _stamp(due), to_db(now), schedule_id,
             user_id],
        )  # fmt: skip
    return get(db, schedule_id, user_id)


def set_skip_if_logged(db: Database, schedule_id: int, user_id: int, value: bool) -> None:
    with db.atomic():
        db.execute(
            "update schedules set skip_if_logged = ? where id = ? and user_id = ?",
            [int(value), schedule_id, user_id],
        )


def delete(db: Database, schedule_id: int, user_id: int) -> bool:
    with db.atomic():
        db.execute(
            "delete from deliveries where schedule_id = ? and user_id = ?", [schedule_id, user_id]
        )
        cursor = db.execute(
            "delete from schedules where id = ? and user_id = ?", [schedule_id, user_id]
        )
    return cursor.rowcount == 1


def set_zone_for_user(db: Database, user_id: int, zone: str, now: datetime) -> int:
    """Move every schedule of the person to a new zone (same local times); returns how many."""
    rows = for_user(db, user_id)
    with db.atomic():
        for schedule in rows:
            moved = pattern_of(
                zone, schedule.weekdays, schedule.at, schedule.start, schedule.end, schedule.every
            )
            due = next_occurrence(moved, now) if schedule.active else None
            db.execute(
                "update schedules set time_zone = ?, next_due_utc = ?, updated_at = ?"
                " where id = ? and user_id = ?",
                [zone, _stamp(due), to_db(now), schedule.id, user_id],
            )
    return len(rows)


def pause_blocked(db: Database, user_id: int, now: datetime) -> int:
    """The person blocked the bot: stop everything of theirs until they come back."""
    with db.atomic():
        cursor = db.execute(
            "update schedules set active = 0, paused_reason = 'blocked', next_due_utc = null,"
            " updated_at = ? where user_id = ? and active = 1",
            [to_db(now), user_id],
        )
    return cursor.rowcount


def resume_blocked(db: Database, user_id: int, now: datetime) -> int:
    """The person is back (/start): resume what blocking paused, looking ahead from now."""
    paused = [s for s in for_user(db, user_id) if s.paused_reason == "blocked"]
    with db.atomic():
        for schedule in paused:
            db.execute(
                "update schedules set active = 1, paused_reason = null, next_due_utc = ?,"
                " updated_at = ? where id = ? and user_id = ?",
                [
                    _stamp(next_occurrence(schedule.pattern, now)),
                    to_db(now),
                    schedule.id,
                    user_id,
                ],
            )
    return len(paused)


def count_active(db: Database) -> int:
    return next(db.query("select count(*) as n from schedules where active = 1"))["n"]
