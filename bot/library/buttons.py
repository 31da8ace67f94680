"""The buttons of the library: condition pages and stretch routines."""

from __future__ import annotations

from bot.chat.callbacks import Flow

PAGES = Flow("l", "library")
STRETCHES = Flow("x", "stretches")


def page(page_id: str, screen: int | None = None) -> str:
    return (
        PAGES.button("page", page_id) if screen is None else PAGES.button("page", page_id, screen)
    )


def routine(routine_id: str) -> str:
    """Open a routine at its first exercise."""
    return STRETCHES.button("routine", routine_id)


def overview(routine_id: str) -> str:
    return STRETCHES.button("overview", routine_id)


def step(routine_id: str, index: int, seq: int) -> str:
    return STRETCHES.button("step", routine_id, index, seq=seq)
