"""At DEBUG the logs carry neither the bot token nor anything a person typed,
even when calls fail and tracebacks are printed."""

from __future__ import annotations

import io
import logging

import pytest
from telegram.error import TelegramError

from bot.config import load_settings
from bot.logs import setup_logging
from bot.runtime.http import AiohttpRequest
from bot.sim.client import SimUser
from bot.sim.faults import FaultPlan
from bot.sim.harness import WEBHOOK_SECRET, Harness
from bot.sim.server import BotApiServer
from bot.sim.webhook import post_update
from tests.drills.scripted import default_steps, run_session

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


def unreadable(chat_id: int, text: str) -> dict:
    """A message python-telegram-bot cannot parse (an entity without its type and length,
    as a newer Bot API might send), holding something the person typed."""
    person = {"id": chat_id, "is_bot": False, "first_name": "Ben"}
    return {
        "message": {
            "message_id": 99,
            "date": 0,
            "chat": {"id": chat_id, "type": "private", "first_name": "Ben"},
            "from": person,
            "text": text,
            "entities": [{"offset": 0}],
        }
    }


async def test_an_unreadable_update_is_skipped_and_its_text_never_logged(
    debug_logging, db_path, clock
):
    server, stream, recorder = debug_logging
    await server.start()
    try:
        async with Harness(db_path, clock=clock, server=server) as harness:
            ana = SimUser(server, 7101, first_name="Ana")
            ben = SimUser(server, 7102, first_name="Ben")
            ben.chat.started = True
            # Between two good updates of the same batch, then last in its batch.
            first = await ana.send("/start")
            bad = server.push_update(unreadable(7102, TYPED))
            second = await ben.send("/start")
            for update_id in (first, bad, second):
                await harness.wait_processed(update_id)
            last_bad = server.push_update(unreadable(7102, TYPED))
            await harness.wait_processed(last_bad)
            later = await ben.send("/menu")
            await harness.wait_processed(later)
    finally:
        await server.stop()
    assert "BackCare" in "\n".join(ana.texts())
    assert "BackCare" in "\n".join(ben.texts())
    assert "What would you like to do?" in ben.last_text()
    assert server.rejections == []
    # Nothing was said to what could not be read.
    assert last_bad not in server.reply_at
    assert not any("didn't get that" in text for text in ben.texts())
    for update_id in (bad, last_bad):
        skipped = [line for line in recorder.lines if f"update {update_id} (message)" in line]
        assert len(skipped) == 1, recorder.lines
    for line in recorder.lines:
        assert TYPED not in line, line
    assert TYPED not in stream.getvalue()


async def test_an_unreadable_update_on_the_webhook_is_refused_without_its_text(
    debug_logging, db_path, clock
):
    """python-telegram-bot answers it 400 (Telegram tries it again a few times, then
    gives up); the bot serves everyone else meanwhile and the text stays out of the logs."""
    server, stream, recorder = debug_logging
    await server.start()
    try:
        async with Harness(db_path, clock=clock, server=server, webhook=True) as harness:
            ben = harness.user(7102, first_name="Ben")
            await ben.send("/start")
            bad = {"update_id": 990_001, **unreadable(7102, TYPED)}
            for _ in range(3):
                assert await post_update(server.webhook.url, bad, WEBHOOK_SECRET) == 400
            await ben.send("/menu")
    finally:
        await server.stop()
    assert "What would you like to do?" in ben.last_text()
    assert any("could not be read (TypeError)" in line for line in recorder.lines)
    for line in recorder.lines:
        assert TYPED not in line, line
    assert TYPED not in stream.getvalue()


def test_an_answer_that_is_not_json_is_not_logged(caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(TelegramError):
        AiohttpRequest().parse_json_payload(f'{{"ok":true,"result":"{TYPED}'.encode())
    assert caplog.records
    assert all(TYPED not in record.getMessage() for record in caplog.records)
    assert TYPED not in caplog.text
