"""The buttons of "Check my back", for its handlers, the graph check and other features."""

from __future__ import annotations

from bot.chat.callbacks import Flow

FLOW = Flow("t", "triage")


def start() -> str:
    """Start a check (or check again)."""
    return FLOW.button("start")


def history() -> str:
    return FLOW.button("history")


def answer(node: str, option: str, seq: int) -> str:
    return FLOW.button("a", node, option, seq=seq)


def control(action: str, seq: int) -> str:
    """Back, Start over or Stop on a step."""
    return FLOW.button(action, seq=seq)
