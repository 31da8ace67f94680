"""Which stretch routines a reminder can point to (the stretch library), and the one the
person's latest back check suggests."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from bot.chat.registry import Services
from bot.library.stretches import suitable_routines
from storage import triage


@dataclass(frozen=True)
class Choice:
    id: str
    title: str
    summary: str
    minutes: int


def choices(svc: Services, lang: str) -> list[Choice]:
    found = []
    for routine in svc.content.library.routines.values():
        text = routine.text(lang)
        found.append(Choice(routine.id, text.title, text.summary, routine.minutes))
    return found


def find(svc: Services, lang: str, routine_id: str | None) -> Choice | None:
    return next((c for c in choices(svc, lang) if c.id == routine_id), None)


def suggested(svc: Services, user_id: int) -> str | None:
    """The routine that suits the latest saved check (its conditions and cautions), if any."""
    latest = triage.history(svc.db, user_id, limit=1)
    if not latest or not latest[0].conditions or latest[0].tier == "emergency":
        return None
    fitting = suitable_routines(svc.content.library, latest[0].conditions, latest[0].tags)
    return fitting[0].id if fitting else None


def title_html(choice: Choice | None, fallback: str) -> str:
    return escape(choice.title, quote=False) if choice else fallback
