"""Numbered schema migrations, applied in order at start-up.

Each function is one step; never edit a step that has shipped, add a new one.
Every table holding a user id names it `user_id` (or `id` in `users`) so that
erasing a person can find every row about them.
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("backcare")


@migrations(name="0001_users")
def m0001_users(db: Database) -> None:
    db["users"].create(
        {
            "id": int,  # Telegram user id
            "language": str,
            "time_zone": str,  # IANA name, or null until the person sets one
            "consent_at": str,  # UTC, null without consent
            "created_at": str,
            "last_seen_at": str,
            "active": int,  # 0 once the person blocked the bot
        },
        pk="id",
        not_null={"language", "created_at", "active"},
        defaults={"active": 1},
    )


@migrations(name="0002_conversations")
def m0002_conversations(db: Database) -> None:
    # One conversation in progress per person; buttons carry `seq` so a stale
    # or replayed press can be told from the current step.
    db["conversations"].create(
        {
            "user_id": int,
            "flow": str,
            "step": str,
            "seq": int,
            "data": str,  # JSON
            "updated_at": str,
        },
        pk="user_id",
        not_null={"flow", "step", "seq", "data", "updated_at"},
        foreign_keys=[("user_id", "users", "id")],
    )


@migrations(name="0003_diary_entries")
def m0003_diary_entries(db: Database) -> None:
    db["diary_entries"].create(
        {
            "id": int,
            "user_id": int,
            "recorded_at": str,  # UTC: when the pain was
            "logged_at": str,  # UTC: when it was written down
            "pain": int,  # 0-10; null for a "did my stretches" record
            "places": str,  # JSON list of place ids
            "tags": str,  # JSON list of tag ids
            "note": str,  # free text, never logged
            "source": str,  # log, checkin, stretches
            "routine": str,  # routine id for stretches records
            "dedup_key": str,  # one save per draft step, even if a press is replayed
        },
        pk="id",
        not_null={"user_id", "recorded_at", "logged_at", "places", "tags", "source"},
        foreign_keys=[("user_id", "users", "id")],
    )
    db["diary_entries"].create_index(["user_id", "recorded_at"])
    db["diary_entries"].create_index(["dedup_key"], unique=True)


@migrations(name="0004_triage_results")
def m0004_triage_results(db: Database) -> None:
    db["triage_results"].create(
        {
            "id": int,
            "user_id": int,
            "created_at": str,  # UTC
            "answers": str,  # JSON {question id: option id}
            "tier": str,  # emergency, urgent, routine, self_care
            "explanations": str,  # JSON ranked [{"condition": id, "score": n, "reasons": [...]}]
            "graph_version": str,
        },
        pk="id",
        not_null={"user_id", "created_at", "answers", "tier", "explanations"},
        foreign_keys=[("user_id", "users", "id")],
    )
    db["triage_results"].create_index(["user_id", "created_at"])


@migrations(name="0005_schedules")
def m0005_schedules(db: Database) -> None:
    db["schedules"].create(
        {
            "id": int,
            "user_id": int,
            "kind": str,  # checkin, stretch
            "routine": str,  # routine id for stretch reminders
            "time_zone": str,  # IANA name
            "local_time": str,  # HH:MM for daily schedules
            "window_start": str,  # HH:MM for interval schedules
            "window_end": str,  # HH:MM
            "interval_minutes": int,  # 60, 120, 180; null for daily
            "weekdays": str,  # ISO weekdays 1-7 as digits, e.g. "12345"
            "skip_if_logged": int,
            "next_due_utc": str,  # UTC; the tick claims rows due by now
            "active": int,
            "paused_reason": str,  # user, blocked
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"user_id", "kind", "time_zone", "weekdays", "active", "created_at"},
        defaults={"active": 1, "skip_if_logged": 1, "weekdays": "1234567"},
        foreign_keys=[("user_id", "users", "id")],
    )
    db["schedules"].create_index(["active", "next_due_utc"])
    db["schedules"].create_index(["user_id"])
    db["deliveries"].create(
        {
            "id": int,
            "schedule_id": int,
            "user_id": int,
            "due_utc": str,  # the occurrence this delivery is for
            "claimed_at": str,
            "sent_at": str,
            "status": str,  # claimed, sent, skipped, failed, blocked
            "message_id": int,
            "answered_at": str,
        },
        pk="id",
        not_null={"schedule_id", "user_id", "due_utc", "status"},
        foreign_keys=[("schedule_id", "schedules", "id"), ("user_id", "users", "id")],
    )
    # One delivery per occurrence: the guard against sending anything twice.
    db["deliveries"].create_index(["schedule_id", "due_utc"], unique=True)
    db["deliveries"].create_index(["user_id"])


@migrations(name="0010_triage_result_tags")
def m0010_triage_result_tags(db: Database) -> None:
    # The stretch cautions a result raised (JSON list), so routines can be filtered later.
    db["triage_results"].add_column("tags", str)


@migrations(name="0030_delivery_retries")
def m0030_delivery_retries(db: Database) -> None:
    # A send that failed for a passing reason is tried again by a later tick.
    db["deliveries"].add_column("attempts", int, not_null_default=0)
    db["deliveries"].add_column("retry_at", str)  # UTC; set while status is "retry"
    db.execute("create index idx_deliveries_retry on deliveries (retry_at) where status = 'retry'")


@migrations(name="0040_users_report_notes")
def m0040_users_report_notes(db: Database) -> None:
    # Whether the diary's PDF report includes typed notes unless asked otherwise.
    db["users"].add_column("report_notes", int, not_null_default=0)


@migrations(name="0050_delivery_claims")
def m0050_delivery_claims(db: Database) -> None:
    # Each tick looks for claims a process left behind when it died (storage/deliveries.py).
    db.execute(
        "create index idx_deliveries_open on deliveries (claimed_at)"
        " where status in ('claimed', 'sending')"
    )


@migrations(name="0070_treatments")
def m0070_treatments(db: Database) -> None:
    # "What I tried": a treatment or self-help, and the optional "did it help?" an hour
    # or two later, sent by the tick from `follow_up_at` (restart-safe, nothing in memory).
    db["treatments"].create(
        {
            "id": int,
            "user_id": int,
            "kind": str,  # painkiller, heat, physio, massage, stretches, walk, rest, own
            "name": str,  # painkiller name or the person's own entry; typed text, never logged
            "tried_at": str,  # UTC
            "logged_at": str,  # UTC
            "time_zone": str,  # the person's zone when it was saved
            "follow_up_at": str,  # UTC; null = no follow-up asked for
            "follow_up_sent_at": str,  # UTC; set when the tick claims it (sent at most once)
            "outcome": str,  # better, same, worse
            "answered_at": str,
            "dedup_key": str,
        },
        pk="id",
        not_null={"user_id", "kind", "tried_at", "logged_at"},
        foreign_keys=[("user_id", "users", "id")],
    )
    db["treatments"].create_index(["user_id", "tried_at"])
    db["treatments"].create_index(["dedup_key"], unique=True)
    db.execute(
        "create index idx_treatments_follow_up on treatments (follow_up_at)"
        " where follow_up_sent_at is null"
    )


@migrations(name="0071_diary_entries_time_zone")
def m0071_diary_entries_time_zone(db: Database) -> None:
    # The zone each entry was saved in, so an entry made before the person set theirs is
    # shown in that zone, named, rather than silently moved. Older rows: the person's
    # zone now, else UTC (what the bot used for them).
    db["diary_entries"].add_column("time_zone", str)
    db.execute(
        "update diary_entries set time_zone = coalesce("
        "(select time_zone from users where users.id = diary_entries.user_id), 'UTC')"
    )


@migrations(name="0072_users_time_zone_asked")
def m0072_users_time_zone_asked(db: Database) -> None:
    # When the diary asked for the person's zone: asked once, whatever the answer.
    db["users"].add_column("time_zone_asked_at", str)


@migrations(name="0080_vacuum_free_space", transactional=False)
def m0080_vacuum_free_space(db: Database) -> None:
    # Before secure_delete was on, deleted rows (erased notes among them) could
    # stay readable in free space; VACUUM writes a fresh file without it.
    db.execute("VACUUM")


@migrations(name="0081_plans")
def m0081_plans(db: Database) -> None:
    # "Back on track": one row per plan a person began; its state moves on week by week.
    db["plans"].create(
        {
            "id": int,
            "user_id": int,
            "status": str,  # active, paused, held (a warning sign: until seen), stopped, finished
            "goal": str,  # what they most want to get back to: a choice id
            "week": int,  # 1..6
            "day": int,  # days of this week already sent, 0..7
            "routine": str,
            "level": int,
            "minutes": int,  # the daily activity goal
            "first_routine": str,
            "baseline_minutes": int,
            "conditions": str,  # JSON: the check's explanations, most likely first
            "cautions": str,  # JSON: the check's stretch cautions
            "checked_at": str,  # UTC: the check the plan started from
            "lessons_read": str,  # JSON list of lesson ids sent
            "flare_week": int,  # the week a flare last stepped back from (one step a week)
            "schedule_id": int,
            "started_at": str,
            "week_started_at": str,  # UTC: this week's start (a flare starts a week again)
            "ended_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"user_id", "status", "week", "day", "routine", "level", "minutes"},
        foreign_keys=[("user_id", "users", "id")],
    )
    db["plans"].create_index(["user_id", "status"])
    # The PSFS: up to three activities the person finds hard, in their own words.
    db["plan_activities"].create(
        {"id": int, "plan_id": int, "user_id": int, "position": int, "name": str},
        pk="id",
        not_null={"plan_id", "user_id", "position", "name"},
        foreign_keys=[("user_id", "users", "id"), ("plan_id", "plans", "id")],
    )
    db["plan_activities"].create_index(["plan_id", "position"], unique=True)
    db["plan_ratings"].create(
        {
            "id": int,
            "plan_id": int,
            "user_id": int,
            "activity_id": int,
            "week": int,  # 0: at the start; n: at the end of week n
            "score": int,  # 0 can't do it .. 10 as before
            "rated_at": str,
        },
        pk="id",
        not_null={"plan_id", "user_id", "activity_id", "week", "score", "rated_at"},
        foreign_keys=[("user_id", "users", "id"), ("plan_id", "plans", "id")],
    )
    db["plan_ratings"].create_index(["activity_id", "week"], unique=True)
    # One row per daily message: which day it was and what the person answered.
    db["plan_days"].create(
        {
            "id": int,
            "plan_id": int,
            "user_id": int,
            "delivery_id": int,  # the schedule delivery that carried it (unique: built once)
            "week": int,
            "day": int,  # 1..7; 7 is the review day
            "lesson": str,
            "answer": int,  # the lesson question's choice, once answered
            "activity": str,  # did, part, not
            "pain_entry_id": int,  # the diary entry its pain tap made
            "sent_at": str,
        },
        pk="id",
        not_null={"plan_id", "user_id", "week", "day", "sent_at"},
        foreign_keys=[("user_id", "users", "id"), ("plan_id", "plans", "id")],
    )
    db["plan_days"].create_index(["delivery_id"], unique=True)
    db["plan_days"].create_index(["plan_id", "week"])
    db["plan_sessions"].create(
        {
            "id": int,
            "plan_id": int,
            "user_id": int,
            "week": int,
            "routine": str,
            "level": int,
            "feedback": str,  # easy, right, hard, leg
            "done_at": str,
            "run": str,  # one walk through the routine: noted once
        },
        pk="id",
        not_null={"plan_id", "user_id", "week", "routine", "level", "feedback", "done_at"},
        foreign_keys=[("user_id", "users", "id"), ("plan_id", "plans", "id")],
    )
    db["plan_sessions"].create_index(["run"], unique=True)
    # Each week's end: what it showed and what changed, with the rules that decided.
    db["plan_weeks"].create(
        {
            "id": int,
            "plan_id": int,
            "user_id": int,
            "week": int,
            "outcome": str,  # next (moved on), flare (stepped back), held, finished
            "reviewed": int,
            "sessions": int,
            "hard": int,
            "leg": int,
            "activity_days": int,
            "flare": int,
            "pain_avg": float,
            "pain_trend": str,
            "exercise": str,  # up, stay, back
            "activity": str,
            "exercise_rule": str,
            "activity_rule": str,
            "routine_before": str,
            "level_before": int,
            "minutes_before": int,
            "routine_after": str,
            "level_after": int,
            "minutes_after": int,
            "decided_at": str,
        },
        pk="id",
        not_null={"plan_id", "user_id", "week", "outcome", "decided_at"},
        foreign_keys=[("user_id", "users", "id"), ("plan_id", "plans", "id")],
    )
    db["plan_weeks"].create_index(["plan_id", "week"])
    # When the person said a clinician had seen them after an urgent check (the plan waits).
    db["users"].add_column("cleared_at", str)


@migrations(name="0082_users_warned_at")
def m0082_users_warned_at(db: Database) -> None:
    # When the person last typed words that can be a warning sign: the plan waits.
    db["users"].add_column("warned_at", str)


@migrations(name="0083_plan_sessions_exercises")
def m0083_plan_sessions_exercises(db: Database) -> None:
    # How much of the routine a session walked through: one stopped before half of it
    # still counts if it was too hard or sent pain into a leg, but does not step anything up.
    db["plan_sessions"].add_column("exercises_done", int)
    db["plan_sessions"].add_column("exercises_total", int)


@migrations(name="0084_plan_weeks_before_a_flare")
def m0084_plan_weeks_before_a_flare(db: Database) -> None:
    # Where a flare's step back found the plan, so a mis-tapped score can take it back.
    db["plan_weeks"].add_column("day_before", int)
    db["plan_weeks"].add_column("week_started_before", str)
