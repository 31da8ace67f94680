"""The time zone buttons other features put on their screens."""

from __future__ import annotations

from bot.chat.callbacks import Flow

FLOW = Flow("z", "timezone")


def ask(back_to: str | None = None) -> str:
    """Ask for a zone; afterwards go back to the flow `back_to` (its step "after_zone")."""
    return FLOW.button("ask") if back_to is None else FLOW.button("ask", back_to)
