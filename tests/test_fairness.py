"""One person's burst never holds up anyone else, and is bounded: beyond a queue of
MAX_QUEUED_PER_PERSON their updates are dropped with one friendly word."""

from __future__ import annotations

import asyncio

import pytest

from bot.runtime.processor import MAX_QUEUED_PER_PERSON
from bot.sim.client import SimUser

SLOW_DOWN = "You're sending a lot at once"


def replies_since(user, count_before: int) -> list[str]:
    return [m.plain or m.caption or "" for m in user.bot_messages()[count_before:]]


async def flood(harness, user, text: str, times: int) -> list[int]:
    """Send `times` messages without waiting for any answer, as a script would."""
    sender = SimUser(harness.server, user.user_id, first_name=user.first_name)
    sender.language_code = user.language_code
    return [await sender.send(text) for _ in range(times)]


@pytest.fixture
def hold(harness):
    """hold(chat_id): the bot's calls to that chat are answered only once the hold lifts."""
    holds: list[asyncio.Event] = []

    def hold(chat_id: int) -> asyncio.Event:
        event = harness.server.holds[chat_id] = asyncio.Event()
        holds.append(event)
        return event

    yield hold
    for event in holds:  # a failed test must not leave the bot stuck at shutdown
        event.set()


async def test_a_flood_does_not_hold_up_another_persons_menu(harness, alex, hold):
    sam = harness.user(1002, first_name="Sam")
    await sam.send("/start")
    before = len(alex.bot_messages())
    # Alex's first /diary is being answered, and stays so until the hold lifts:
    # every other update of theirs is queued behind it.
    held = hold(alex.chat_id)
    flooded = await flood(harness, alex, "/diary", 400)
    menu = await SimUser(harness.server, sam.user_id, first_name="Sam").send("/menu")
    await harness.server.wait_reply(menu, timeout=10)
    assert "What would you like to do?" in sam.last_text()
    # Sam was answered before Alex's second update was handled.
    assert len([t for t in replies_since(alex, before) if SLOW_DOWN not in t]) <= 1
    held.set()
    for update_id in flooded:
        await harness.wait_processed(update_id)
    replies = replies_since(alex, before)
    assert len([t for t in replies if SLOW_DOWN in t]) == 1
    # The queue took MAX_QUEUED_PER_PERSON of them (the first in order), the rest were dropped.
    assert len(replies) == MAX_QUEUED_PER_PERSON + 1
    assert harness.server.rejections == []


async def test_after_a_burst_the_next_message_is_answered_and_a_new_burst_warned_again(
    harness, alex, hold
):
    for _ in range(2):
        before = len(alex.bot_messages())
        held = hold(alex.chat_id)
        flooded = await flood(harness, alex, "/diary", MAX_QUEUED_PER_PERSON + 5)
        await harness.server.wait_for(
            lambda before=before: any(SLOW_DOWN in t for t in replies_since(alex, before))
        )
        held.set()
        for update_id in flooded:
            await harness.wait_processed(update_id)
        replies = replies_since(alex, before)
        assert len([t for t in replies if SLOW_DOWN in t]) == 1
        assert len(replies) == MAX_QUEUED_PER_PERSON + 1
    del harness.server.holds[alex.chat_id]
    await alex.send("/menu")
    assert "What would you like to do?" in alex.last_text()


async def test_the_slow_down_word_is_in_the_persons_language(harness, hold):
    lucia = harness.user(1003, first_name="Lucía", language_code="es")
    await lucia.send("/start")
    before = len(lucia.bot_messages())
    held = hold(lucia.chat_id)
    flooded = await flood(harness, lucia, "/menu", MAX_QUEUED_PER_PERSON + 1)
    held.set()
    for update_id in flooded:
        await harness.wait_processed(update_id)
    replies = replies_since(lucia, before)
    assert len([t for t in replies if t.startswith("Estás enviando muchas cosas")]) == 1


async def test_updates_queued_at_stop_are_all_handled(harness, alex):
    before = len(alex.bot_messages())
    flooded = await flood(harness, alex, "/menu", MAX_QUEUED_PER_PERSON)
    await harness.server.wait_for(lambda: len(alex.bot_messages()) > before)
    await harness.stop_bot()
    assert set(flooded) <= harness._processed
    assert len(alex.bot_messages()) - before == MAX_QUEUED_PER_PERSON
