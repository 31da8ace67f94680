"""The buttons of start, settings and privacy that other features use."""

from __future__ import annotations

from bot.chat.callbacks import Flow

START = Flow("s", "start")
SETTINGS = Flow("g", "settings")
PRIVACY = Flow("p", "privacy")


def settings() -> str:
    return SETTINGS.button("open")


def privacy() -> str:
    return PRIVACY.button("open")


def consent(choice: str) -> str:
    """Yes ("yes") or no ("no") to keeping notes, wherever the question is asked."""
    return START.button("consent", choice)
