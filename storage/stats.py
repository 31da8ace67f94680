"""Counts for the operator: how many people, how active, how much is stored.

Counts only, never anything about one person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from storage.db import to_db

ACTIVE_WINDOW = timedelta(days=7)
TIERS = ("emergency", "urgent", "routine", "self_care")
PLAN_STATES = ("active", "paused", "held", "finished", "stopped")


@dataclass(frozen=True)
class Stats:
    users: int
    consented: int
    active_7d: int  # seen in the last 7 days
    blocked: int  # stopped the bot (sends to them fail)
    schedules_active: int
    schedules_paused: int
    diary_entries: int
    triage_by_tier: dict[str, int]  # every tier in TIERS, then any other seen
    plans_by_status: dict[str, int]  # every state in PLAN_STATES

    @property
    def plans(self) -> int:
        return sum(self.plans_by_status.values())

    @property
    def triage_results(self) -> int:
        return sum(self.triage_by_tier.values())


def _count(db: Database, sql: str, params: list | None = None) -> int:
    return next(iter(db.execute(sql, params or []).fetchone()), 0) or 0


def collect(db: Database, now: datetime) -> Stats:
    by_tier = dict.fromkeys(TIERS, 0)
    for tier, count in db.execute(
        "select tier, count(*) from triage_results group by tier order by tier"
    ).fetchall():
        by_tier[tier] = count
    by_status = dict.fromkeys(PLAN_STATES, 0)
    for status, count in db.execute(
        "select status, count(*) from plans group by status order by status"
    ).fetchall():
        by_status[status] = count
    return Stats(
        users=_count(db, "select count(*) from users"),
        consented=_count(db, "select count(*) from users where consent_at is not null"),
        active_7d=_count(
            db, "select count(*) from users where last_seen_at >= ?", [to_db(now - ACTIVE_WINDOW)]
        ),
        blocked=_count(db, "select count(*) from users where active = 0"),
        schedules_active=_count(db, "select count(*) from schedules where active = 1"),
        schedules_paused=_count(db, "select count(*) from schedules where active = 0"),
        diary_entries=_count(db, "select count(*) from diary_entries"),
        triage_by_tier=by_tier,
        plans_by_status=by_status,
    )
