"""Hostile input: thousands of strange, broken and malicious updates. The bot stays up,
Telegram would accept every reply, and nobody is shown anyone else's data."""

from __future__ import annotations

import logging

import pytest

from tests.drills.drills import hostile_drill


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
        "button_other_persons",
        "button_on_screen",
    ):
        assert report.kinds.get(kind, 0) > 0, kind
    return report.summary()


async def test_a_few_hundred_hostile_updates(db_path, clock, errors):
    await run(db_path, clock, errors, updates=300, seed=5)


@pytest.mark.slow
async def test_ten_thousand_hostile_updates(db_path, clock, errors):
    print(await run(db_path, clock, errors, updates=10_000, seed=2026))


async def test_buttons_under_a_chart_get_a_new_message_not_a_refused_edit(harness, alex):
    """The hostile run found this: a menu or stale button under a photo tried to edit its text."""
    await alex.send("/log")
    for label in ("Not now", "6", "Save now"):
        await alex.press(label)
    await alex.send("/diary")
    (chart,) = alex.files("photo")
    await alex.press("Menu", message=chart)
    assert "What would you like to do?" in alex.last_text()
    await alex.press_data("1:m:-:open", chart)  # replayed
    await alex.press_data("1:zz:-:x", chart)  # forged
    assert "expired" in alex.last_text()
    assert harness.server.rejections == []
