"""The `users` table: one row per Telegram user, nothing that names them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from storage import conversations
from storage.conversations import Conversation
from storage.db import from_db, select, to_db

# last_seen_at is for "active in the last 7 days"; an hour's precision is plenty
# and saves a write on every tap.
SEEN_RESOLUTION = timedelta(hours=1)


@dataclass(frozen=True)
class User:
    id: int
    language: str
    time_zone: str | None
    consent_at: str | None
    created_at: str
    last_seen_at: str | None
    active: bool

    @property
    def consented(self) -> bool:
        return self.consent_at is not None


def _from_row(row: dict) -> User:
    return User(
        id=row["id"],
        language=row["language"],
        time_zone=row["time_zone"],
        consent_at=row["consent_at"],
        created_at=row["created_at"],
        last_seen_at=row["last_seen_at"],
        active=bool(row["active"]),
    )


def get(db: Database, user_id: int) -> User | None:
    rows = select(db, "select * from users where id = ?", [user_id])
    return _from_row(rows[0]) if rows else None


def ensure(db: Database, user_id: int, language: str, now: datetime) -> User:
    """The person's row, created on first contact; marks them seen."""
    user = get(db, user_id)
    if user is None:
        return _create(db, user_id, language, now)
    mark_seen(db, user, now)
    return user


def _create(db: Database, user_id: int, language: str, now: datetime) -> User:
    stamp = to_db(now)
    with db.atomic():
        db.execute(
            "insert or ignore into users (id, language, created_at, last_seen_at, active)"
            " values (?, ?, ?, ?, 1)",
            [user_id, language, stamp, stamp],
        )
    return get(db, user_id)  # type: ignore[return-value]


def mark_seen(db: Database, user: User, now: datetime) -> None:
    """Note that the person was here, at most once per SEEN_RESOLUTION."""
    if user.last_seen_at is not None and from_db(user.last_seen_at) > now - SEEN_RESOLUTION:
        return
    with db.atomic():
        db.execute("update users set last_seen_at = ? where id = ?", [to_db(now), user.id])


# The users columns in User's field order, then the conversation's.
_WITH_CONVERSATION = (
    "select id, language, time_zone, consent_at, created_at, last_seen_at, active,"
    " flow, step, seq, data, conversations.updated_at"
    " from users left join conversations on conversations.user_id = users.id"
    " where users.id = ?"
)


def with_conversation(
    db: Database, user_id: int, language: str, now: datetime
) -> tuple[User, Conversation | None]:
    """What every tap reads first, in one statement: the person (created on first
    contact, marked seen) and their live conversation, if any."""
    row = db.conn.execute(_WITH_CONVERSATION, [user_id]).fetchone()
    if row is None:
        return _create(db, user_id, language, now), None
    user = User(*row[:6], active=bool(row[6]))
    mark_seen(db, user, now)
    flow, step, seq, data, updated_at = row[7:]
    return user, conversations.live(user_id, flow, step, seq, data, updated_at, now)


def set_consent(db: Database, user_id: int, now: datetime | None) -> None:
    """Record consent (a time) or withdraw it (None)."""
    with db.atomic():
        db.execute(
            "update users set consent_at = ? where id = ?",
            [to_db(now) if now else None, user_id],
        )


def set_language(db: Database, user_id: int, language: str) -> None:
    with db.atomic():
        db.execute("update users set language = ? where id = ?", [language, user_id])


def set_time_zone(db: Database, user_id: int, zone: str | None) -> None:
    with db.atomic():
        db.execute("update users set time_zone = ? where id = ?", [zone, user_id])


def set_active(db: Database, user_id: int, active: bool) -> None:
    with db.atomic():
        db.execute("update users set active = ? where id = ?", [int(active), user_id])
