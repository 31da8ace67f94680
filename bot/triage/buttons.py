"""The buttons of "Check my back", for its handlers, the graph check and other features."""

from __future__ import annotations

from bot.chat.callbacks import Flow

FLOW = Flow("t", "triage")


def start() -> str:
    """Start a check (or check again)."""
    return FLOW.button("start")


def again() -> str:
    """Check again under a result: a new message, so the result stays where it was."""
    return FLOW.button("again")


def history() -> str:
    return FLOW.button("history")


def past(result_id: int) -> str:
    """Read one saved check again, from /history."""
    return FLOW.button("past", result_id)


def answer(node: str, option: str, seq: int) -> str:
    return FLOW.button("a", node, option, seq=seq)


def control(action: str, seq: int) -> str:
    """Back, Start over or Stop on a step."""
    return FLOW.button(action, seq=seq)
