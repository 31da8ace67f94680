"""The Bot API stand-in refuses what real Telegram refuses, so bugs surface in tests."""

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.sim.client import SimUser
from bot.sim.server import BotApiServer


@pytest.fixture
async def server():
    running = BotApiServer()
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
async def bot(server):
    async with Bot(server.token, base_url=server.base_url) as client:
        yield client


async def test_limits_and_edit_rules(server, bot):
    user = SimUser(server, 10)
    await user.send("/start")
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await bot.send_message(10, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)empty"):
        await bot.send_message(10, "   ")
    with pytest.raises(BadRequest, match=r"(?i)parse entities"):
        await bot.send_message(10, "<p>no</p>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="y" * 65)]])
        await bot.send_message(10, "hi", reply_markup=markup)
    sent = await bot.send_message(10, "<b>hi</b>", parse_mode="HTML")
    assert user.last_text() == "hi"
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text(
            "<b>hi</b>", chat_id=10, message_id=sent.message_id, parse_mode="HTML"
        )
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("new", chat_id=10, message_id=999)
    await bot.edit_message_text("new", chat_id=10, message_id=sent.message_id)
    assert user.last_text() == "new"
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_document(10, b"data", filename="a.txt", caption="c" * 1025)
    doc = await bot.send_document(10, b"data", filename="a.txt", caption="file")
    assert doc.document.file_name == "a.txt" and user.files()[0].file_bytes == b"data"


async def test_chats_the_bot_may_not_write_to(server, bot):
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "hi")
    quiet = SimUser(server, 11)  # exists, but never wrote to the bot
    with pytest.raises(Forbidden, match="can't initiate"):
        await bot.send_message(quiet.chat_id, "hi")
    await quiet.send("/start")
    quiet.block()
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(quiet.chat_id, "hi")


async def test_send_rate_limit_answers_429_with_retry_after(bot):
    limited = BotApiServer(send_rate_limit=2)
    await limited.start()
    try:
        user = SimUser(limited, 12)
        await user.send("/start")
        async with Bot(limited.token, base_url=limited.base_url) as fast:
            await fast.send_message(12, "1")
            await fast.send_message(12, "2")
            with pytest.raises(RetryAfter):
                await fast.send_message(12, "3")
    finally:
        await limited.stop()


async def test_long_poll_hands_out_updates_in_order(server, bot):
    user = SimUser(server, 13)
    await user.send("one")
    await user.send("two")
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates] == ["one", "two"]
    rest = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    assert rest == ()
