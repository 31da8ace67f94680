"""The plan's buttons (flow "b", for Back on track)."""

from __future__ import annotations

from bot.chat.callbacks import Flow

FLOW = Flow("b", "programme")


def open_plan() -> str:
    """My plan: its status, or how to start one."""
    return FLOW.button("open")


def start() -> str:
    """Begin setting up a plan (a check result offers this)."""
    return FLOW.button("new")


def lesson(index: int) -> str:
    """Read one lesson on its own (the flare message offers the flare plan)."""
    return FLOW.button("read", index)
