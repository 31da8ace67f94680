"""Hostile input: thousands of strange, broken and malicious updates. The bot stays up,
Telegram would accept every reply, and nobody is shown anyone else's data."""

from __future__ import annotations

import logging

import pytest

from bot.sim.drills import hostile_drill


class ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


@pytest.fixture
def errors():
    counter = ErrorCounter()
    root = logging.getLogger()
    root.addHandler(counter)
    yield counter
    root.removeHandler(counter)


async def run(db_path, clock, errors, updates: int, seed: int) -> str:
    report = await hostile_drill(
        db_path, updates=updates, seed=seed, clock=clock, errors=lambda: len(errors.messages)
    )
    assert report.updates >= updates
    assert report.rejections == []
    assert report.leaks == []
    assert report.errors == 0, errors.messages[:5]
    # Every kind of hostile input was in the mix.
    for kind in (
        "text",
        "command",
        "media",
        "edited",
        "group",
        "channel",
        "other_update",
        "button_forged",
        "button_replayed",
        "button_on_screen",
    ):
        assert report.kinds.get(kind, 0) > 0, kind
    return report.summary()


async def test_a_few_hundred_hostile_updates(db_path, clock, errors):
    await run(db_path, clock, errors, updates=300, seed=5)


@pytest.mark.slow
async def test_ten_thousand_hostile_updates(db_path, clock, errors):
    print(await run(db_path, clock, errors, updates=10_000, seed=2026))
