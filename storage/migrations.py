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


@migrations(name="0060_diary_entry_zone")
def m0060_diary_entry_zone(db: Database) -> None:
    # The zone the person had when they saved the entry ("UTC" before they set one), so a
    # time typed then reads the same after they move; null for entries older than this.
    db["diary_entries"].add_column("time_zone", str)
