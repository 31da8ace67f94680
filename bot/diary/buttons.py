"""The buttons of the pain diary that other features and the diary's own screens use."""

from __future__ import annotations

from bot.chat.callbacks import Flow

FLOW = Flow("d", "diary")


def new(pain: int | None = None) -> str:
    """Start a log, with the pain score already given when there is one."""
    return FLOW.button("new") if pain is None else FLOW.button("new", pain)


def edit(entry_id: int, page: int = 0) -> str:
    """Edit an entry; `page` is the list page to go back to."""
    return FLOW.button("edit", entry_id, page)


def export() -> str:
    """The CSV and the PDF report: asks whether the report carries the notes."""
    return FLOW.button("export")
