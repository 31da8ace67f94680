"""The tick through the stand-in: blocked users, racing ticks, restarts, failures, snoozes."""

import asyncio
from datetime import UTC, datetime, time, timedelta

from bot.reminders.delivery import tick
from bot.sim.server import ApiError
from storage import diary, schedules, users
from tests.helpers import db_of

TUESDAY_8_BERLIN = datetime(2026, 3, 3, 7, 0, 10, tzinfo=UTC)


def prompts(user) -> list[str]:
    return [t for t in user.texts() if "How is your back today?" in t]


async def checkin_user(harness, user_id, *, hour=8, consent=True):
    """A person who has chatted with the bot and has a daily check-in in Berlin."""
    user = harness.user(user_id)
    await user.send("/start")
    if consent:
        await user.press("Yes, keep my notes")
    db = db_of(harness)
    users.set_time_zone(db, user_id, "Europe/Berlin")
    schedules.save_checkin(db, user_id, "Europe/Berlin", time(hour), harness.clock())
    return user


async def test_a_blocked_user_is_paused_and_start_brings_them_back(harness, clock):
    sam = await checkin_user(harness, 4001)
    sam.block()
    clock.set(TUESDAY_8_BERLIN)
    result = await tick(harness.app)
    assert (result.claimed, result.blocked, result.sent) == (1, 1, 0)
    db = db_of(harness)
    assert not users.get(db, 4001).active
    checkin = schedules.checkin_for(db, 4001)
    assert not checkin.active and checkin.paused_reason == "blocked"
    assert db["deliveries"].get(1)["status"] == "blocked"
    clock.advance(days=1)
    assert (await tick(harness.app)).claimed == 0  # nothing is even tried while blocked

    await sam.send("/start")  # unblocking and writing again
    assert users.get(db, 4001).active
    assert schedules.checkin_for(db, 4001).active
    clock.advance(days=1)
    assert (await tick(harness.app)).sent == 1
    assert len(prompts(sam)) == 1


async def test_two_ticks_racing_send_each_prompt_once(harness, clock):
    people = [await checkin_user(harness, 4100 + n) for n in range(12)]
    clock.set(TUESDAY_8_BERLIN)
    first, second = await asyncio.gather(tick(harness.app), tick(harness.app))
    assert first.sent + second.sent == 12
    assert all(len(prompts(person)) == 1 for person in people)
    assert db_of(harness)["deliveries"].count == 12


async def test_a_restart_after_five_hours_down_sends_no_burst(harness, clock):
    sam = await checkin_user(harness, 4200)
    db = db_of(harness)
    schedules.add_stretch(
        db, 4200, zone="Europe/Berlin", routine=None, weekdays="1234567",
        start=time(9), end=time(17), every=60, now=clock(),
    )  # fmt: skip
    await harness.stop_bot()
    clock.set(datetime(2026, 3, 3, 12, 30, tzinfo=UTC))  # 13:30 Berlin, down since 06:00 UTC
    await harness.start_bot()
    result = await tick(harness.app)
    assert result.sent == 1  # the 13:00 stretch reminder; the 08:00 check-in was missed
    assert prompts(sam) == []
    assert "Time for a movement break" in sam.last_text()
    assert (await tick(harness.app)).claimed == 0


async def test_other_failures_are_retried_later_and_never_stop_the_tick(harness, clock):
    sam = await checkin_user(harness, 4300)
    kim = await checkin_user(harness, 4301)
    failing = {"count": 0}

    def flaky(method):
        if method.lower() == "sendmessage" and failing["count"] < 1:
            failing["count"] += 1
            # Not one the HTTP layer retries at once (as it does 5xx): the tick's own turn.
            return ApiError(400, "Bad Request: chat not found")
        return None

    harness.server.before_request = flaky
    clock.set(TUESDAY_8_BERLIN)
    result = await tick(harness.app)
    assert (result.sent, result.failed) == (1, 1)
    retrying = [r for r in db_of(harness)["deliveries"].rows if r["status"] == "retry"]
    assert len(retrying) == 1
    assert (await tick(harness.app)).claimed == 0  # not before its retry time
    clock.advance(seconds=30)
    assert (await tick(harness.app)).sent == 1
    assert len(prompts(sam)) == 1 and len(prompts(kim)) == 1


async def test_skip_if_logged_is_on_by_default_and_can_be_turned_off(harness, alex, clock):
    db = db_of(harness)
    users.set_time_zone(db, 1001, "Europe/Berlin")
    schedules.save_checkin(db, 1001, "Europe/Berlin", time(20), clock())
    # Alex logged pain this Monday morning (Berlin): no check-in tonight.
    diary.add_entry(
        db, 1001, recorded_at=clock(), pain=3, places=[], tags=[], note=None, source="log",
        now=clock(),
    )  # fmt: skip
    clock.set(datetime(2026, 3, 2, 19, 0, 5, tzinfo=UTC))
    result = await tick(harness.app)
    assert (result.claimed, result.skipped, result.sent) == (1, 1, 0)
    assert prompts(alex) == []
    # Tuesday: nothing logged, so the prompt comes.
    clock.advance(days=1)
    assert (await tick(harness.app)).sent == 1
    # With the option off, a logged day still gets its prompt.
    await alex.send("/checkin")
    await alex.press("Ask even on days I logged")
    assert "I ask every day" in alex.last_text()
    diary.add_entry(
        db, 1001, recorded_at=clock(), pain=2, places=[], tags=[], note=None, source="log",
        now=clock(),
    )  # fmt: skip
    clock.advance(days=1)
    assert (await tick(harness.app)).sent == 1
    assert len(prompts(alex)) == 2


async def test_snooze_asks_again_an_hour_later_and_skip_today_stops_it(harness, alex, clock):
    db = db_of(harness)
    users.set_time_zone(db, 1001, "Europe/Berlin")
    schedules.save_checkin(db, 1001, "Europe/Berlin", time(8), clock())
    clock.set(TUESDAY_8_BERLIN)
    await tick(harness.app)
    await alex.press("Snooze 1 h")
    assert "ask again at 09:00" in alex.last_text()
    clock.advance(minutes=30)
    assert (await tick(harness.app)).claimed == 0
    clock.advance(minutes=30)
    assert (await tick(harness.app)).sent == 1
    assert "How is your back today?" in alex.last_text()
    await alex.press("Snooze 1 h")
    # The third prompt, an hour later: skip the rest of today.
    clock.advance(hours=1)
    await tick(harness.app)
    await alex.press("Skip today")
    assert "no check-in today" in alex.last_text()
    clock.advance(hours=6)
    assert (await tick(harness.app)).claimed == 0
    clock.set(datetime(2026, 3, 4, 7, 0, 5, tzinfo=UTC))
    assert (await tick(harness.app)).sent == 1
    assert db["diary_entries"].count == 0


async def test_without_consent_nothing_is_sent(harness, clock):
    sam = await checkin_user(harness, 4400)
    users.set_consent(db_of(harness), 4400, None)  # withdrew consent after setting it up
    clock.set(TUESDAY_8_BERLIN)
    result = await tick(harness.app)
    assert (result.claimed, result.skipped) == (1, 1)
    assert prompts(sam) == []


async def test_the_tick_runs_as_one_repeating_job(harness):
    ticks = [job for job in harness.app.job_queue.jobs() if job.name == "reminders-tick"]
    assert len(ticks) == 1  # one job for everyone, whatever the number of schedules
    assert ticks[0].trigger.interval == timedelta(seconds=harness.tick_seconds)
