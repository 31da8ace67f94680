"""At DEBUG the logs carry neither the bot token nor anything a person typed,
even when calls fail and tracebacks are printed."""

from __future__ import annotations

import io
import logging

import pytest

from bot.config import load_settings
from bot.logs import setup_logging
from bot.sim.faults import FaultPlan
from bot.sim.harness import Harness
from bot.sim.scripted import default_steps, run_session
from bot.sim.server import BotApiServer

TYPED = "zebra-crossing-7781"  # something a person typed


class Recorder(logging.Handler):
    """Sees every record before the redacting filter does."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name}: {text}")


@pytest.fixture
def debug_logging(monkeypatch, tmp_path):
    """Logging set up exactly as `backcare run` does with BACKCARE_LOG_LEVEL=DEBUG."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    names = ("httpx", "httpcore", "telegram", "apscheduler")
    levels = {name: logging.getLogger(name).level for name in names}
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BACKCARE_LOG_LEVEL", "DEBUG")
    server = BotApiServer()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", server.token)
    settings = load_settings(require_token=True)
    assert settings.log_level == "DEBUG"
    stream = io.StringIO()
    setup_logging(settings.log_level, settings.token, stream)
    recorder = Recorder()
    root.handlers.insert(0, recorder)
    yield server, stream, recorder
    root.handlers[:], root.level = saved
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
async def test_no_token_or_typed_text_in_debug_logs(debug_logging, db_path, clock, webhook):
    server, stream, recorder = debug_logging
    await server.start()
    # 429s are left to the fault drill: they only make the rate limiter wait.
    server.faults = FaultPlan(seed=3, rate=0.15, kinds=("500", "502", "slow", "drop"))
    server.faults.slow_seconds = 0.5
    try:
        async with Harness(
            db_path, clock=clock, server=server, api_timeout=0.3, webhook=webhook
        ) as harness:
            people = [harness.user(7001 + n) for n in range(2)]
            tally = await run_session(people, default_steps())
            await people[0].send(TYPED)
    finally:
        await server.stop()
    assert tally.failed == []
    assert server.faults.injected > 0
    output = stream.getvalue()
    assert "DEBUG" in output and "retry" in output  # the test saw real DEBUG logging
    assert server.token not in output
    assert server.token.split(":")[1] not in output
    assert TYPED not in output
    assert all(note not in output for note in tally.confirmed_notes)  # diary notes
    assert recorder.lines
    for line in recorder.lines:  # not even a record the filter had to clean up
        assert server.token.split(":")[1] not in line, line
        assert TYPED not in line, line
