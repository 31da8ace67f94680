"""A send-out that a crash or a stop cuts short: what was claimed and not sent goes out after
the restart (within the grace window), once; nothing anyone received is sent again."""

import asyncio
import sqlite3
from datetime import UTC, datetime, time

import pytest

from bot.reminders import delivery
from bot.reminders.delivery import BATCH, tick
from bot.sim.harness import Harness
from storage import deliveries, schedules, users
from storage.deliveries import LEASE
from storage.recurrence import GRACE

TUESDAY_8_BERLIN = datetime(2026, 3, 3, 7, 0, 10, tzinfo=UTC)
FIRST = 7001


def db_of(harness):
    return harness.app.bot_data["services"].db


def people_due(harness, count: int) -> list[int]:
    """`count` people with a daily check-in at 08:00 Berlin, who have started the bot."""
    db, now = db_of(harness), harness.clock()
    ids = list(range(FIRST, FIRST + count))
    for user_id in ids:
        harness.server.ensure_chat(user_id, "private", first_name="P").started = True
        users.ensure(db, user_id, "en", now)
        users.set_consent(db, user_id, now)
        users.set_time_zone(db, user_id, "Europe/Berlin")
        schedules.save_checkin(db, user_id, "Europe/Berlin", time(8), now)
    return ids


def prompts_per_person(harness, ids: list[int]) -> list[int]:
    return [
        sum("How is your back today?" in m.text for m in harness.server.chats[i].messages)
        for i in ids
    ]


def statuses(db) -> dict[str, int]:
    rows = db.execute("select status, count(*) from deliveries group by status").fetchall()
    return dict(rows)


async def test_claims_a_crash_left_are_sent_once_after_the_restart(harness, clock):
    ids = people_due(harness, 12)
    clock.set(TUESDAY_8_BERLIN)
    # The tick claims the batch, begins one send, and the process dies (kill -9).
    claims = deliveries.claim_due(db_of(harness), clock())
    assert len(claims) == 12
    assert deliveries.begin_send(db_of(harness), claims[0])  # may have reached Telegram
    await harness.restart()  # a fresh application on the same database file

    # Within the lease the claims may still be a live process's: left alone.
    assert (await tick(harness.app)).claimed == 0
    clock.advance(seconds=LEASE.total_seconds())
    result = await tick(harness.app)
    assert (result.claimed, result.sent) == (11, 11)
    got = prompts_per_person(harness, ids)
    assert got[0] == 0  # the one leaving when the process died is never sent twice
    assert got[1:] == [1] * 11
    db = db_of(harness)
    assert statuses(db) == {"sent": 11, "interrupted": 1}
    clock.advance(minutes=5)
    assert (await tick(harness.app)).claimed == 0  # and nothing is sent again later

    clock.advance(days=1)  # the schedules moved on as usual: everyone gets Wednesday's
    assert (await tick(harness.app)).sent == 12
    assert prompts_per_person(harness, ids) == [1] + [2] * 11


async def test_claims_a_crash_left_past_the_grace_window_are_not_sent(harness, clock):
    ids = people_due(harness, 5)
    clock.set(TUESDAY_8_BERLIN)
    assert len(deliveries.claim_due(db_of(harness), clock())) == 5
    await harness.stop_bot()
    clock.advance(seconds=GRACE.total_seconds() + 60)  # down for more than two hours
    await harness.start_bot()
    result = await tick(harness.app)
    assert (result.claimed, result.sent) == (0, 0)
    assert prompts_per_person(harness, ids) == [0] * 5
    assert statuses(db_of(harness)) == {"missed": 5}


async def test_a_claim_turned_off_meanwhile_is_not_sent(harness, clock):
    [user_id] = people_due(harness, 1)
    clock.set(TUESDAY_8_BERLIN)
    deliveries.claim_due(db_of(harness), clock())
    await harness.restart()
    db = db_of(harness)
    checkin = schedules.checkin_for(db, user_id)
    schedules.set_active(db, checkin.id, user_id, False, clock())
    clock.advance(seconds=LEASE.total_seconds())
    assert (await tick(harness.app)).sent == 0
    assert prompts_per_person(harness, [user_id]) == [0]
    assert statuses(db) == {"skipped": 1}


async def test_a_claim_taken_over_is_sent_by_the_new_owner_only(harness, clock):
    people_due(harness, 1)
    clock.set(TUESDAY_8_BERLIN)
    db = db_of(harness)
    [stale] = deliveries.claim_due(db, clock())
    clock.advance(seconds=LEASE.total_seconds())
    [fresh] = deliveries.claim_abandoned(db, clock())
    assert not deliveries.begin_send(db, stale)  # the old owner woke up too late
    assert deliveries.begin_send(db, fresh)


@pytest.fixture
async def unpaced(db_path, clock):
    """A bot without the rate limiter: the batches, not the pacing, are what is tested."""
    async with Harness(db_path, clock=clock, rate_limit=False) as running:
        yield running


async def test_one_claim_is_a_few_seconds_of_sends(unpaced, clock):
    assert BATCH == 84  # 3 s at 28 a second
    ids = people_due(unpaced, BATCH + 16)
    clock.set(TUESDAY_8_BERLIN)
    answers = iter([True, False])
    result = await tick(unpaced.app, keep_going=lambda: next(answers))
    assert (result.claimed, result.sent) == (BATCH, BATCH)
    db = db_of(unpaced)
    assert schedules.count_active(db) == BATCH + 16
    assert (await tick(unpaced.app)).sent == 16  # the rest were left due, not claimed
    assert prompts_per_person(unpaced, ids) == [1] * (BATCH + 16)


async def test_a_stop_finishes_the_batch_in_hand_and_leaves_the_rest_due(unpaced, clock):
    ids = people_due(unpaced, BATCH + 40)
    clock.set(TUESDAY_8_BERLIN)
    app, server = unpaced.app, unpaced.server
    reached, release = asyncio.Event(), asyncio.Event()

    async def hold(method: str) -> None:  # the first sends wait until the stop has begun
        if method.lower() == "sendmessage":
            reached.set()
            await release.wait()

    server.after_call = hold
    app.job_queue.run_once(delivery._job, when=0)  # the repeating job's own body
    await reached.wait()
    stopping = asyncio.create_task(unpaced.stop_bot())  # what SIGTERM does
    while app.running:
        await asyncio.sleep(0)
    release.set()
    await stopping
    server.after_call = None

    assert prompts_per_person(unpaced, ids) == [1] * BATCH + [0] * 40
    db = sqlite3.connect(unpaced.db_path)
    assert statuses(db) == {"sent": BATCH}  # nothing claimed was left behind
    due = db.execute("select count(*) from schedules where next_due_utc <= ?", ["2026-03-03T08"])
    assert due.fetchone()[0] == 40
    db.close()
    await unpaced.start_bot()
    assert (await tick(unpaced.app)).sent == 40
    assert prompts_per_person(unpaced, ids) == [1] * (BATCH + 40)
