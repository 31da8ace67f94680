"""The `plans` tables: a person's "Back on track" plan, its activities and ratings (PSFS),
the daily messages, exercise sessions and each week's decision.

Every read and write names the owner (`user_id = ?`). The plan's daily message is a
`schedules` row of kind "plan" (storage/schedules.py): the tick sends it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from storage import schedules
from storage.db import from_db, to_db

OPEN = ("active", "paused", "held")  # a plan in one of these is the person's current plan
ENDED = ("stopped", "finished")
MAX_ACTIVITIES = 3
ACTIVITY_NAME_LIMIT = 60


@dataclass(frozen=True)
class Plan:
    id: int
    user_id: int
    status: str
    goal: str
    week: int
    day: int
    routine: str
    level: int
    minutes: int
    first_routine: str
    baseline_minutes: int
    conditions: tuple[str, ...]
    cautions: tuple[str, ...]
    checked_at: datetime
    lessons_read: tuple[str, ...]
    flare_week: int | None
    schedule_id: int | None
    started_at: datetime
    ended_at: datetime | None
    week_started_at: datetime  # this week's first day (a flare starts a week again)

    @property
    def open(self) -> bool:
        return self.status in OPEN


@dataclass(frozen=True)
class Activity:
    id: int
    position: int
    name: str


@dataclass(frozen=True)
class Rating:
    activity_id: int
    week: int
    score: int


@dataclass(frozen=True)
class Day:
    id: int
    plan_id: int
    delivery_id: int | None
    week: int
    day: int
    lesson: str | None
    answer: int | None
    activity: str | None
    pain_entry_id: int | None
    sent_at: datetime


@dataclass(frozen=True)
class Session:
    week: int
    routine: str
    level: int
    feedback: str
    done_at: datetime
    exercises_done: int | None = None  # None: from before this was kept
    exercises_total: int | None = None

    @property
    def most_done(self) -> bool:
        """At least half of the routine walked through (older rows: counted as done)."""
        if self.exercises_done is None or not self.exercises_total:
            return True
        return 2 * self.exercises_done >= self.exercises_total


@dataclass(frozen=True)
class Week:
    week: int
    outcome: str
    reviewed: bool
    sessions: int
    hard: int
    leg: int
    activity_days: int
    flare: bool
    pain_avg: float | None
    pain_trend: str | None
    exercise: str | None
    activity: str | None
    exercise_rule: str | None
    activity_rule: str | None
    routine_before: str | None
    level_before: int | None
    minutes_before: int | None
    routine_after: str | None
    level_after: int | None
    minutes_after: int | None
    decided_at: datetime


def _plan(row: dict) -> Plan:
    return Plan(
        id=row["id"],
        user_id=row["user_id"],
        status=row["status"],
        goal=row["goal"],
        week=row["week"],
        day=row["day"],
        routine=row["routine"],
        level=row["level"],
        minutes=row["minutes"],
        first_routine=row["first_routine"],
        baseline_minutes=row["baseline_minutes"],
        conditions=tuple(json.loads(row["conditions"] or "[]")),
        cautions=tuple(json.loads(row["cautions"] or "[]")),
        checked_at=from_db(row["checked_at"]),
        lessons_read=tuple(json.loads(row["lessons_read"] or "[]")),
        flare_week=row["flare_week"],
        schedule_id=row["schedule_id"],
        started_at=from_db(row["started_at"]),
        ended_at=from_db(row["ended_at"]) if row["ended_at"] else None,
        week_started_at=from_db(row["week_started_at"] or row["started_at"]),
    )


def current(db: Database, user_id: int) -> Plan | None:
    """The person's open plan (active, paused or on hold), if any."""
    rows = list(
        db.query(
            "select * from plans where user_id = ? and status in ('active', 'paused', 'held')"
            " order by id desc limit 1",
            [user_id],
        )
    )
    return _plan(rows[0]) if rows else None


def latest(db: Database, user_id: int) -> Plan | None:
    """The person's newest plan, open or ended."""
    rows = list(
        db.query("select * from plans where user_id = ? order by id desc limit 1", [user_id])
    )
    return _plan(rows[0]) if rows else None


def get(db: Database, user_id: int, plan_id: int) -> Plan | None:
    rows = list(db.query("select * from plans where id = ? and user_id = ?", [plan_id, user_id]))
    return _plan(rows[0]) if rows else None


def has_active(db: Database, user_id: int) -> bool:
    """Whether the person has an active plan (its daily message carries the check-in)."""
    row = next(
        db.query(
            "select count(*) as n from plans where user_id = ? and status = 'active'", [user_id]
        )
    )
    return row["n"] > 0


def start(
    db: Database,
    user_id: int,
    *,
    goal: str,
    routine: str,
    level: int,
    minutes: int,
    baseline_minutes: int,
    conditions: Sequence[str],
    cautions: Sequence[str],
    checked_at: datetime,
    activities: Sequence[tuple[str, int]],
    zone: str,
    at: time,
    now: datetime,
    first_due_tomorrow: bool = False,
) -> Plan:
    """A new plan with its activities, their first ratings and its daily schedule, at once.
    Any open plan of the person's is stopped first: one plan at a time."""
    if not 1 <= len(activities) <= MAX_ACTIVITIES:
        raise ValueError("a plan has one to three activities")
    if any(not name or len(name) > ACTIVITY_NAME_LIMIT for name, _ in activities):
        raise ValueError("activity name empty or too long")
    if any(not 0 <= score <= 10 for _, score in activities):
        raise ValueError("a rating is 0-10")
    stamp = to_db(now)
    with db.atomic():
        old = current(db, user_id)
        if old is not None:
            _end(db, old, "stopped", now)
        # Day 1 is shown at once when a plan starts: its daily message begins tomorrow.
        after = _tomorrow(zone, now) if first_due_tomorrow else now
        schedule = schedules.add_plan(db, user_id, zone=zone, at=at, now=after)
        cursor = db.execute(
            "insert into plans (user_id, status, goal, week, day, routine, level, minutes,"
            " first_routine, baseline_minutes, conditions, cautions, checked_at, lessons_read,"
            " schedule_id, started_at, week_started_at, updated_at)"
            " values (?, 'active', ?, 1, 0, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?)",
            [user_id, goal, routine, level, minutes, routine, baseline_minutes,
             json.dumps(list(conditions)), json.dumps(list(cautions)), to_db(checked_at),
             schedule.id, stamp, stamp, stamp],
        )  # fmt: skip
        plan_id = int(cursor.lastrowid)  # type: ignore[arg-type]
        for position, (name, score) in enumerate(activities, start=1):
            added = db.execute(
                "insert into plan_activities (plan_id, user_id, position, name)"
                " values (?, ?, ?, ?)",
                [plan_id, user_id, position, name],
            )
            db.execute(
                "insert into plan_ratings (plan_id, user_id, activity_id, week, score, rated_at)"
                " values (?, ?, ?, 0, ?, ?)",
                [plan_id, user_id, added.lastrowid, score, stamp],
            )
    return get(db, user_id, plan_id)  # type: ignore[return-value]


def _tomorrow(zone: str, now: datetime) -> datetime:
    """The start of tomorrow in the person's zone (UTC), to look for the next message from."""
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    midnight = datetime.combine(today + timedelta(days=1), time(0, 0), tzinfo=tz)
    return midnight.astimezone(UTC) - timedelta(seconds=1)


def save_state(
    db: Database,
    plan: Plan,
    *,
    week: int,
    day: int,
    routine: str,
    level: int,
    minutes: int,
    now: datetime,
    lessons_read: Sequence[str] | None = None,
    flare_week: int | None = None,
) -> Plan:
    """Move the plan on; only if it is still as `plan` read it (week and day), so two
    updates racing for the same step cannot both apply. Returns the plan as stored."""
    read = plan.lessons_read if lessons_read is None else tuple(lessons_read)
    flare = plan.flare_week if flare_week is None else flare_week
    # A week that starts (again) starts now: its sessions and days count from here.
    began = to_db(now) if day == 0 else to_db(plan.week_started_at)
    with db.atomic():
        db.execute(
            "update plans set week = ?, day = ?, routine = ?, level = ?, minutes = ?,"
            " lessons_read = ?, flare_week = ?, week_started_at = ?, updated_at = ?"
            " where id = ? and user_id = ? and week = ? and day = ?",
            [week, day, routine, level, minutes, json.dumps(list(read)), flare, began,
             to_db(now), plan.id, plan.user_id, plan.week, plan.day],
        )  # fmt: skip
    return get(db, plan.user_id, plan.id)  # type: ignore[return-value]


def undo_flare(db: Database, plan: Plan, now: datetime) -> Plan | None:
    """Take back the last step back for a flare (its score was a mis-tap), while nothing has
    happened since: no new day of the plan. None if there is nothing to take back."""
    with db.atomic():
        rows = list(
            db.query(
                "select * from plan_weeks where plan_id = ? and user_id = ?"
                " order by id desc limit 1",
                [plan.id, plan.user_id],
            )
        )
        row = rows[0] if rows else None
        if row is None or row["outcome"] != "flare" or row["day_before"] is None:
            return None
        if plan.day != 0 or plan.flare_week != plan.week:
            return None
        cursor = db.execute(
            "update plans set week = ?, day = ?, routine = ?, level = ?, minutes = ?,"
            " flare_week = null, week_started_at = ?, updated_at = ?"
            " where id = ? and user_id = ? and week = ? and day = 0",
            [row["week"], row["day_before"], row["routine_before"], row["level_before"],
             row["minutes_before"], row["week_started_before"], to_db(now), plan.id,
             plan.user_id, plan.week],
        )  # fmt: skip
        if cursor.rowcount != 1:
            return None
        db.execute("delete from plan_weeks where id = ? and user_id = ?", [row["id"], plan.user_id])
    return get(db, plan.user_id, plan.id)


def mark_read(db: Database, plan: Plan, lesson_id: str, now: datetime) -> None:
    if lesson_id in plan.lessons_read:
        return
    with db.atomic():
        fresh = get(db, plan.user_id, plan.id)
        if fresh is None or lesson_id in fresh.lessons_read:
            return
        db.execute(
            "update plans set lessons_read = ?, updated_at = ? where id = ? and user_id = ?",
            [json.dumps([*fresh.lessons_read, lesson_id]), to_db(now), plan.id, plan.user_id],
        )


def set_status(db: Database, plan: Plan, status: str, now: datetime) -> Plan | None:
    """Pause, hold or resume a plan; its daily message stops and starts with it."""
    if status not in OPEN:
        raise ValueError(f"not an open status: {status}")
    with db.atomic():
        db.execute(
            "update plans set status = ?, updated_at = ? where id = ? and user_id = ?"
            " and status in ('active', 'paused', 'held')",
            [status, to_db(now), plan.id, plan.user_id],
        )
        if plan.schedule_id is not None:
            schedule = schedules.get(db, plan.schedule_id, plan.user_id)
            after = _not_twice_today(db, plan, schedule.zone, now) if schedule else now
            schedules.set_active(
                db, plan.schedule_id, plan.user_id, status == "active", now, after=after
            )
    return get(db, plan.user_id, plan.id)


def sent_today(db: Database, plan: Plan, zone: str, now: datetime) -> bool:
    """Whether one of the plan's days already went out today (in `zone`): one a day only."""
    sent = days(db, plan.user_id, plan.id)
    tz = ZoneInfo(zone)
    return bool(sent) and sent[-1].sent_at.astimezone(tz).date() == now.astimezone(tz).date()


def _not_twice_today(db: Database, plan: Plan, zone: str, now: datetime) -> datetime:
    """When the next daily message may come: tomorrow if one of its days went out today."""
    return _tomorrow(zone, now) if sent_today(db, plan, zone, now) else now


def end(db: Database, plan: Plan, status: str, now: datetime) -> None:
    """Stop or finish a plan: its daily message is removed; its records stay (for /mydata
    and the summary) until /forget."""
    if status not in ENDED:
        raise ValueError(f"not an ending: {status}")
    with db.atomic():
        _end(db, plan, status, now)


def _end(db: Database, plan: Plan, status: str, now: datetime) -> None:
    db.execute(
        "update plans set status = ?, ended_at = ?, updated_at = ? where id = ? and user_id = ?",
        [status, to_db(now), to_db(now), plan.id, plan.user_id],
    )
    if plan.schedule_id is not None:
        schedules.delete(db, plan.schedule_id, plan.user_id)


def set_time(db: Database, plan: Plan, zone: str, at: time, now: datetime) -> datetime | None:
    """A new time for the daily message; returns when the next is due. A day already sent
    today (in `zone`) makes it tomorrow's: never two of the plan's days in one day."""
    if plan.schedule_id is None:
        return None
    after = _not_twice_today(db, plan, zone, now)
    return schedules.change_plan_time(
        db, plan.schedule_id, plan.user_id, zone=zone, at=at, now=now, after=after
    )


# ---------------------------------------------------------------- activities and ratings
def activities(db: Database, user_id: int, plan_id: int) -> list[Activity]:
    rows = db.query(
        "select id, position, name from plan_activities where plan_id = ? and user_id = ?"
        " order by position",
        [plan_id, user_id],
    )
    return [Activity(r["id"], r["position"], r["name"]) for r in rows]


def ratings(db: Database, user_id: int, plan_id: int) -> list[Rating]:
    rows = db.query(
        "select activity_id, week, score from plan_ratings where plan_id = ? and user_id = ?"
        " order by week, activity_id",
        [plan_id, user_id],
    )
    return [Rating(r["activity_id"], r["week"], r["score"]) for r in rows]


def rate(
    db: Database, user_id: int, plan_id: int, activity_id: int, week: int, score: int,
    now: datetime,
) -> bool:  # fmt: skip
    """Rate one of the person's own activities for a week (again: the new score counts)."""
    if not 0 <= score <= 10:
        raise ValueError("a rating is 0-10")
    with db.atomic():
        cursor = db.execute(
            "insert into plan_ratings (plan_id, user_id, activity_id, week, score, rated_at)"
            " select ?, ?, id, ?, ?, ? from plan_activities"
            " where id = ? and plan_id = ? and user_id = ?"
            " on conflict (activity_id, week) do update set score = excluded.score,"
            " rated_at = excluded.rated_at",
            [plan_id, user_id, week, score, to_db(now), activity_id, plan_id, user_id],
        )
    return cursor.rowcount == 1


# ---------------------------------------------------------------- days
def _day(row: dict) -> Day:
    return Day(
        id=row["id"],
        plan_id=row["plan_id"],
        delivery_id=row["delivery_id"],
        week=row["week"],
        day=row["day"],
        lesson=row["lesson"],
        answer=row["answer"],
        activity=row["activity"],
        pain_entry_id=row["pain_entry_id"],
        sent_at=from_db(row["sent_at"]),
    )


def day_of_delivery(db: Database, user_id: int, delivery_id: int) -> Day | None:
    rows = list(
        db.query(
            "select * from plan_days where delivery_id = ? and user_id = ?",
            [delivery_id, user_id],
        )
    )
    return _day(rows[0]) if rows else None


def get_day(db: Database, user_id: int, day_id: int) -> Day | None:
    rows = list(db.query("select * from plan_days where id = ? and user_id = ?", [day_id, user_id]))
    return _day(rows[0]) if rows else None


def add_day(
    db: Database,
    plan: Plan,
    *,
    delivery_id: int | None,
    week: int,
    day: int,
    lesson: str | None,
    now: datetime,
) -> Day:
    """The row of one daily message; one per delivery, however often it is built."""
    with db.atomic():
        cursor = db.execute(
            "insert or ignore into plan_days (plan_id, user_id, delivery_id, week, day, lesson,"
            " sent_at) values (?, ?, ?, ?, ?, ?, ?)",
            [plan.id, plan.user_id, delivery_id, week, day, lesson, to_db(now)],
        )
    if delivery_id is not None and not cursor.rowcount:
        found = day_of_delivery(db, plan.user_id, delivery_id)
        if found is None:
            raise ValueError("delivery belongs to another person")
        return found
    return get_day(db, plan.user_id, int(cursor.lastrowid))  # type: ignore[return-value,arg-type]


def days(db: Database, user_id: int, plan_id: int, since: datetime | None = None) -> list[Day]:
    sql = "select * from plan_days where plan_id = ? and user_id = ?"
    params: list = [plan_id, user_id]
    if since is not None:
        sql += " and sent_at >= ?"
        params.append(to_db(since))
    return [_day(r) for r in db.query(sql + " order by id", params)]


def set_day_answer(db: Database, user_id: int, day_id: int, column: str, value) -> bool:
    """Note the lesson answer or pain entry of a day, once each; the activity answer may be
    changed (a mis-tap), so it is set whenever it differs."""
    if column not in ("answer", "activity", "pain_entry_id"):
        raise ValueError(column)
    once = "is null" if column != "activity" else "is not ?"
    params = [value, day_id, user_id] + ([value] if column == "activity" else [])
    with db.atomic():
        cursor = db.execute(
            f"update plan_days set {column} = ? where id = ? and user_id = ? and {column} {once}",
            params,
        )
    return cursor.rowcount == 1


# ---------------------------------------------------------------- sessions and weeks
def add_session(
    db: Database, plan: Plan, *, week: int, routine: str, level: int, feedback: str, run: str,
    now: datetime, exercises: tuple[int, int] | None = None,
) -> bool:  # fmt: skip
    """One walk through today's routine; `exercises`: (how many shown, how many in it)."""
    done, total = exercises if exercises is not None else (None, None)
    with db.atomic():
        cursor = db.execute(
            "insert or ignore into plan_sessions (plan_id, user_id, week, routine, level,"
            " feedback, done_at, run, exercises_done, exercises_total)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [plan.id, plan.user_id, week, routine, level, feedback, to_db(now),
             f"{plan.user_id}:{run}", done, total],
        )  # fmt: skip
    return cursor.rowcount == 1


def sessions(db: Database, user_id: int, plan_id: int, since: datetime | None = None):
    """The plan's sessions (since a moment: this week's, from `plan.week_started_at`)."""
    sql = "select * from plan_sessions where plan_id = ? and user_id = ?"
    params: list = [plan_id, user_id]
    if since is not None:
        sql += " and done_at >= ?"
        params.append(to_db(since))
    rows = db.query(sql + " order by id", params)
    keys = ("week", "routine", "level", "feedback")
    return [
        Session(
            *(r[k] for k in keys), from_db(r["done_at"]), r["exercises_done"], r["exercises_total"]
        )
        for r in rows
    ]


def record_week(db: Database, plan: Plan, values: dict, now: datetime) -> None:
    with db.atomic():
        db["plan_weeks"].insert(
            {**values, "plan_id": plan.id, "user_id": plan.user_id, "decided_at": to_db(now)}
        )


def weeks(db: Database, user_id: int, plan_id: int) -> list[Week]:
    rows = db.query(
        "select * from plan_weeks where plan_id = ? and user_id = ? order by id",
        [plan_id, user_id],
    )
    return [
        Week(
            week=r["week"],
            outcome=r["outcome"],
            reviewed=bool(r["reviewed"]),
            sessions=r["sessions"] or 0,
            hard=r["hard"] or 0,
            leg=r["leg"] or 0,
            activity_days=r["activity_days"] or 0,
            flare=bool(r["flare"]),
            pain_avg=r["pain_avg"],
            pain_trend=r["pain_trend"],
            exercise=r["exercise"],
            activity=r["activity"],
            exercise_rule=r["exercise_rule"],
            activity_rule=r["activity_rule"],
            routine_before=r["routine_before"],
            level_before=r["level_before"],
            minutes_before=r["minutes_before"],
            routine_after=r["routine_after"],
            level_after=r["level_after"],
            minutes_after=r["minutes_after"],
            decided_at=from_db(r["decided_at"]),
        )
        for r in rows
    ]


# ---------------------------------------------------------------- "I have been seen"
def cleared_at(db: Database, user_id: int) -> datetime | None:
    """When the person last said a clinician had seen them since an urgent check."""
    rows = list(db.query("select cleared_at from users where id = ?", [user_id]))
    return from_db(rows[0]["cleared_at"]) if rows and rows[0]["cleared_at"] else None


def set_cleared(db: Database, user_id: int, now: datetime) -> None:
    with db.atomic():
        db.execute("update users set cleared_at = ? where id = ?", [to_db(now), user_id])


def warned_at(db: Database, user_id: int) -> datetime | None:
    """When the person last typed words that can be a warning sign (the plan waits)."""
    rows = list(db.query("select warned_at from users where id = ?", [user_id]))
    return from_db(rows[0]["warned_at"]) if rows and rows[0]["warned_at"] else None


def set_warned(db: Database, user_id: int, now: datetime) -> None:
    with db.atomic():
        db.execute("update users set warned_at = ? where id = ?", [to_db(now), user_id])
