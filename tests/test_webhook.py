"""Webhook mode: the stand-in POSTs updates to the bot as Telegram does."""

from __future__ import annotations

import pytest

from bot.sim.harness import WEBHOOK_SECRET, Harness
from bot.sim.webhook import post_update


@pytest.fixture
async def hooked(db_path, clock):
    async with Harness(db_path, clock=clock, webhook=True) as running:
        yield running


async def test_a_conversation_arrives_by_webhook(hooked):
    server = hooked.server
    assert server.webhook.url and server.webhook.url.endswith("/telegram")
    assert server.webhook.secret == WEBHOOK_SECRET
    sam = hooked.user(3001)
    await sam.send("/start")
    await sam.press("Yes, keep my notes")
    assert "What would you like to do?" in sam.last_text()
    assert server.webhook.delivered >= 2
    assert server.webhook.failures == []
    assert server.rejections == []


async def test_getupdates_conflicts_while_the_webhook_is_set(hooked):
    info = await hooked.app.bot.get_webhook_info()
    assert info.url == hooked.server.webhook.url
    assert info.pending_update_count == 0
    with pytest.raises(Exception, match="webhook is active"):
        await hooked.app.bot.get_updates()


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", WEBHOOK_SECRET + "x"])
async def test_requests_without_the_right_secret_are_refused(hooked, secret):
    kim = hooked.user(3002)
    update = {
        "update_id": 999_000,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 3002, "type": "private", "first_name": "Kim"},
            "from": {"id": 3002, "is_bot": False, "first_name": "Kim"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    kim.chat.started = True
    status = await post_update(hooked.server.webhook.url, update, secret)
    assert status == 403
    # The right secret gets the same update in, and only then does the bot answer.
    assert kim.bot_messages() == []
    status = await post_update(hooked.server.webhook.url, update, WEBHOOK_SECRET)
    assert status == 200
    await hooked.wait_processed(999_000)
    assert "BackCare" in "\n".join(kim.texts())


async def test_switching_back_to_polling_deletes_the_webhook(hooked):
    alex = hooked.user(3003)
    await alex.send("/start")
    await hooked.stop_bot()
    hooked.webhook = False
    await hooked.start_bot()
    assert hooked.server.webhook.url is None
    await alex.send("/help")
    assert "/menu" in alex.last_text()


async def test_the_running_bot_refuses_a_stranger_before_reading_the_body(hooked):
    import asyncio
    import time
    from urllib.parse import urlsplit

    port = urlsplit(hooked.server.webhook.url).port
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        b"POST /telegram HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"X-Telegram-Bot-Api-Secret-Token: wrong\r\nContent-Length: 99000000\r\n\r\n"
    )
    started = time.monotonic()
    answer = await asyncio.wait_for(reader.read(), 2)  # the connection is closed after it
    assert answer.startswith(b"HTTP/1.1 403")
    assert time.monotonic() - started < 1
    writer.close()
