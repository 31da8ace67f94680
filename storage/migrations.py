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
