"""The `triage_results` table: finished checks, kept only for people who consented."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlite_utils import Database

from storage.db import from_db, to_db


class Explained(Protocol):
    condition: str
    score: float
    reasons: Sequence[str]


class Finished(Protocol):
    """What storage keeps of a finished check (the triage engine's Result has it)."""

    tier: str
    answers: Sequence[tuple[str, str]]
    explanations: Sequence[Explained]
    tags: Sequence[str]


@dataclass(frozen=True)
class SavedResult:
    id: int
    created_at: datetime
    tier: str
    conditions: tuple[str, ...]  # ranked explanation ids
    tags: tuple[str, ...]
    graph_version: str | None


def save_result(
    db: Database, user_id: int, result: Finished, *, graph_version: str, now: datetime
) -> int | None:
    """Store a finished check if the person has consented; returns its id, or None if not kept."""
    explanations = [
        {"condition": e.condition, "score": e.score, "reasons": list(e.reasons)}
        for e in result.explanations
    ]
    with db.atomic():
        cursor = db.execute(
            "insert into triage_results"
            " (user_id, created_at, answers, tier, explanations, graph_version, tags)"
            " select ?, ?, ?, ?, ?, ?, ? from users where id = ? and consent_at is not null",
            [
                user_id,
                to_db(now),
                json.dumps(dict(result.answers), separators=(",", ":")),
                result.tier,
                json.dumps(explanations, separators=(",", ":")),
                graph_version,
                json.dumps(list(result.tags)),
                user_id,
            ],
        )
    return cursor.lastrowid if cursor.rowcount == 1 else None


def history(db: Database, user_id: int, limit: int = 10) -> list[SavedResult]:
    """The person's own saved checks, newest first."""
    rows = db.query(
        "select id, created_at, tier, explanations, tags, graph_version from triage_results"
        " where user_id = ? order by created_at desc, id desc limit ?",
        [user_id, limit],
    )
    return [
        SavedResult(
            id=row["id"],
            created_at=from_db(row["created_at"]),
            tier=row["tier"],
            conditions=tuple(e["condition"] for e in json.loads(row["explanations"])),
            tags=tuple(json.loads(row["tags"] or "[]")),
            graph_version=row["graph_version"],
        )
        for row in rows
    ]


def one(db: Database, user_id: int, result_id: int) -> tuple[SavedResult, list[list[str]]] | None:
    """One of the person's own saved checks and its answers in the order given."""
    rows = list(
        db.query(
            "select id, created_at, tier, explanations, tags, graph_version, answers"
            " from triage_results where id = ? and user_id = ?",
            [result_id, user_id],
        )
    )
    if not rows:
        return None
    row = rows[0]
    saved = SavedResult(
        id=row["id"],
        created_at=from_db(row["created_at"]),
        tier=row["tier"],
        conditions=tuple(e["condition"] for e in json.loads(row["explanations"])),
        tags=tuple(json.loads(row["tags"] or "[]")),
        graph_version=row["graph_version"],
    )
    return saved, [[node, option] for node, option in json.loads(row["answers"]).items()]


def count(db: Database, user_id: int) -> int:
    rows = db.query("select count(*) as n from triage_results where user_id = ?", [user_id])
    return next(iter(rows))["n"]
