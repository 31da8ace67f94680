"""Shared fixtures: a running bot against the Bot API stand-in, and a settable clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import content
from bot.content import Content
from bot.sim.harness import Harness


class FakeClock:
    """The bot's clock in tests: moves only when told to."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)):
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "backcare.db"


@pytest.fixture(scope="session")
def shipped_content() -> Content:
    """content/ loaded once: it is the same for every test that runs the bot as shipped
    (0.6 s a load, several hundred harnesses)."""
    return content.load()


@pytest.fixture
async def harness(db_path, clock, shipped_content):
    async with Harness(db_path, clock=clock, content=shipped_content) as running:
        yield running


@pytest.fixture
async def alex(harness):
    """A person who has opened the bot and agreed to keep notes."""
    user = harness.user(1001, first_name="Alex")
    await user.send("/start")
    await user.press("Yes, keep my notes")
    return user
