"""Whatever the bot does not understand gets a short pointer to the menu, never silence."""

import pytest

from bot.chat import callbacks


@pytest.mark.parametrize(
    "action",
    [
        lambda u: u.send("what is this bot?"),
        lambda u: u.send("/nonsense"),
        lambda u: u.send("/start@other_bot extra words"),
        lambda u: u.send_sticker(),
        lambda u: u.send_photo(),
        lambda u: u.send_voice(),
        lambda u: u.send_location(52.52, 13.40),
        lambda u: u.send_raw({"contact": {"phone_number": "+100", "first_name": "X"}}),
        lambda u: u.send_raw({"dice": {"emoji": "🎲", "value": 3}}),
    ],
    ids=[
        "text",
        "unknown-command",
        "command-for-another-bot",
        "sticker",
        "photo",
        "voice",
        "location",
        "contact",
        "dice",
    ],
)
async def test_anything_unexpected_gets_a_pointer_to_the_menu_and_the_check(alex, action):
    before = len(alex.bot_messages())
    await action(alex)
    assert len(alex.bot_messages()) == before + 1
    assert "Sorry, I didn't get that" in alex.last_text()
    assert alex.buttons() == ["Check my back", "Menu"]


async def test_edited_message_gets_a_pointer(alex):
    await alex.send("hello")
    mine = [m for m in alex.chat.messages if not m.from_bot][-1]
    await alex.edit(mine.message_id, "hello again")
    assert "Sorry, I didn't get that" in alex.last_text()


async def test_first_contact_with_random_text_still_works(harness):
    newcomer = harness.user(3001)
    await newcomer.send("hi")
    assert "Sorry, I didn't get that" in newcomer.last_text()


async def test_groups_and_channels_are_told_to_use_a_private_chat(harness):
    group = harness.user(3002, chat_id=-100500, chat_type="group")
    await group.send("/start")
    assert "only work in private chats" in group.last_text()
    channel = harness.user(3003, chat_id=-100600, chat_type="channel")
    await channel.send("a channel post")
    assert "only work in private chats" in channel.last_text()


@pytest.mark.parametrize(
    "data",
    [
        "garbage",
        "1:s:-:consent:maybe",
        "9:s:-:consent:yes",
        "1:zz:-:x",
        "1:",  # no flow at all
        "1:t",  # a known flow and nothing more
        "1:m:abc:open",
        "1:s:-:consent:yes:" + "a" * 50,
    ],
)
async def test_forged_buttons_expire_and_change_nothing(harness, data):
    kim = harness.user(3004)
    await kim.send("/start")
    await kim.press_data(data)
    answer = kim.last_callback_answer()
    assert answer is not None and "expired" in answer["text"]
    row = harness.app.bot_data["services"].db["users"].get(3004)
    assert row["consent_at"] is None
    assert harness.server.rejections == []


async def test_a_button_with_no_data_expires(harness):
    """A game button, or an odd client: a press that carries no callback data at all."""
    kim = harness.user(3006)
    await kim.send("/start")
    query_id = harness.server.new_callback_id()
    update_id = harness.server.push_update(
        {
            "callback_query": {
                "id": query_id,
                "from": {"id": 3006, "is_bot": False, "first_name": "Kim"},
                "chat_instance": "ci3006",
                "game_short_name": "backgame",
                "message": harness.server.message_json(kim.last_message()),
            }
        }
    )
    await harness.wait_processed(update_id)
    assert "expired" in kim.last_callback_answer()["text"]
    assert harness.server.rejections == []


async def test_a_button_pressed_in_someone_elses_chat_is_refused(harness, alex):
    mallory = harness.user(3005)
    await mallory.send("/start")
    yes = callbacks.encode("s", "consent", "yes")
    # The press arrives from mallory but names a message in alex's chat.
    await mallory.press_data(yes, alex.last_message())
    assert "expired" in mallory.last_callback_answer()["text"]
    assert harness.app.bot_data["services"].db["users"].get(3005)["consent_at"] is None


async def test_a_handler_crash_is_reported_kindly_and_the_bot_carries_on(harness, alex):
    from telegram.ext import CommandHandler

    async def broken(update, context):
        raise RuntimeError("boom")

    harness.app.handlers[0].insert(0, CommandHandler("broken", broken))
    await alex.send("/broken")
    assert "Nothing you saved was lost" in alex.last_text()
    await alex.send("/menu")
    assert "What would you like to do?" in alex.last_text()


async def test_a_message_in_a_private_chat_that_is_not_the_senders_is_refused(
    harness, alex, caplog
):
    typed = "a note only Mallory typed"
    before = len(alex.bot_messages())
    # Telegram never sends this: a private chat is its one person's. A forged update is
    # ignored, so nothing of Mallory's lands in Alex's chat, nor anything of Alex's in hers.
    mallory = harness.user(3005, first_name="Mallory", chat_id=alex.chat_id)
    ids = [await mallory.send(text) for text in ("/start", "/diary", typed)]
    assert len(alex.bot_messages()) == before
    assert not harness.app.bot_data["services"].db["users"].count_where("id = ?", [3005])
    assert harness.server.rejections == []
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert refused == [f"update {i} refused: its private chat is not its sender's" for i in ids]
    assert typed not in caplog.text
