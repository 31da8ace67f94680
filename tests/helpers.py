"""Small helpers the end-to-end tests share (fixtures live in conftest.py)."""

from __future__ import annotations

from sqlite_utils import Database

from bot.chat.registry import Services


def svc(harness) -> Services:
    """The running bot's services: database, content, clock, registry."""
    return harness.app.bot_data["services"]


def db_of(harness) -> Database:
    """The running bot's database, to assert on real rows."""
    return svc(harness).db
