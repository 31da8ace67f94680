"""Which stretch routines a reminder can point to, read from the stretches content when it
is there (a reminder without one is a plain "time for a stretch break")."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from bot.services import Services


@dataclass(frozen=True)
class Choice:
    id: str
    title: str
    summary: str
    minutes: int | None


def _library(svc: Services):
    return getattr(svc.content, "library", None)


def choices(svc: Services, lang: str) -> list[Choice]:
    library = _library(svc)
    routines = getattr(library, "routines", None) or {}
    found = []
    for routine_id, routine in routines.items():
        text = routine.text(lang)
        found.append(
            Choice(routine_id, text.title, text.summary, getattr(routine, "minutes", None))
        )
    return found


def find(svc: Services, lang: str, routine_id: str | None) -> Choice | None:
    return next((c for c in choices(svc, lang) if c.id == routine_id), None)


def suggested(svc: Services, user_id: int) -> str | None:
    """The routine the person's latest triage result points to, if any."""
    library = _library(svc)
    if library is None or not getattr(library, "routines", None):
        return None
    rows = list(
        svc.db.query(
            "select explanations from triage_results where user_id = ?"
            " order by created_at desc, id desc limit 1",
            [user_id],
        )
    )
    if not rows:
        return None
    try:
        ranked = json.loads(rows[0]["explanations"])
        conditions = [item["condition"] for item in ranked if isinstance(item, dict)]
    except (ValueError, TypeError, KeyError):
        return None
    try:
        from bot.stretches import suitable_routines
    except ImportError:
        return None
    fitting = suitable_routines(library, conditions, [])
    return fitting[0].id if fitting and conditions else None


def title_html(choice: Choice | None, fallback: str) -> str:
    return escape(choice.title, quote=False) if choice else fallback
