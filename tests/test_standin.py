"""The Bot API stand-in refuses what real Telegram refuses, so bugs surface in tests."""

import asyncio

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.app import build_application
from bot.config import load_settings
from bot.runtime.request import UNREAD, RetryingRequest
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


async def test_replies_are_timed_per_update(server, bot):
    user = SimUser(server, 12)
    first = await user.send("/start")
    await bot.send_message(12, "hello")
    sent = await bot.send_message(12, "menu")
    assert len(server.reply_at[first]) == 2
    assert server.reply_at[first][0] >= server.update_available_at[first]
    second = await user.press_data("1:m:-:open", user.last_message())
    await bot.answer_callback_query(server.updates[-1]["callback_query"]["id"])
    assert second not in server.reply_at  # stopping the spinner is not a reply
    await bot.edit_message_text("edited", chat_id=12, message_id=sent.message_id)
    replied = await server.wait_reply(second, lambda: user.last_text() == "edited")
    assert replied == server.reply_at[second][-1]
    assert await server.wait_reply(first) == server.reply_at[first][-1]
    third = await user.send("/help")
    waiting = asyncio.create_task(server.wait_reply(third, lambda: user.last_text() == "two"))
    await asyncio.sleep(0)
    await bot.send_message(12, "one")
    assert not waiting.done()
    await bot.send_message(12, "two")
    assert await waiting == server.reply_at[third][1]


async def test_an_unread_edit_is_answered_true_and_a_refused_one_still_raises(server, tmp_path):
    """The bot leaves editMessageText's result unread; the edit and its errors are unchanged."""
    user = SimUser(server, 14)
    await user.send("/start")
    unread = RetryingRequest(unread=UNREAD)
    async with Bot(server.token, base_url=server.base_url, request=unread) as lean:
        sent = await lean.send_message(14, "<b>hi</b>", parse_mode="HTML")
        assert sent.message_id  # other methods still return what they sent
        assert await lean.edit_message_text("new", chat_id=14, message_id=sent.message_id) is True
        assert user.last_text() == "new"
        with pytest.raises(BadRequest, match=r"(?i)not modified"):
            await lean.edit_message_text("new", chat_id=14, message_id=sent.message_id)
        with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
            await lean.edit_message_text("newer", chat_id=14, message_id=999)
    env = {"TELEGRAM_BOT_TOKEN": server.token, "BACKCARE_DB": str(tmp_path / "b.db")}
    app = build_application(load_settings(env, dotenv=None))
    assert app.bot.request.unread == {"editMessageText"}  # the bot runs with it
