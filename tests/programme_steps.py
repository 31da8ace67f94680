"""Steps shared by the plan's tests: a check that allows a plan, and setting one up."""

from __future__ import annotations

from bot.reminders.delivery import tick
from tests.test_triage_flow import SELF_CARE_PATH, tap


async def self_care_check(user) -> None:
    await user.send("/check")
    for label in SELF_CARE_PATH:
        await tap(user, label)


async def set_up_plan(user, *, place="London", goal="Walking further", minutes="10 min",
                      at="19:00", activities=(("putting my socks on", "3"),)) -> None:  # fmt: skip
    """From a self-care check to day 1 of the plan."""
    await self_care_check(user)
    await tap(user, "🗓 Start my 6-week plan")
    await tap(user, "Let's begin")
    await tap(user, goal)
    for n, (name, score) in enumerate(activities):
        await user.send(name)
        await tap(user, score)
        if n + 1 < len(activities) and len(activities) < 3:
            await tap(user, "Add another")
    if len(activities) < 3:
        await tap(user, "That's all, carry on")
    await tap(user, minutes)
    if "Which time zone" in user.last_text():
        await user.send(place)
        await tap(user, "Yes, that's right")
    await tap(user, at)


async def to_the_time_zone_question(user) -> None:
    """A self-care check, then the set-up up to the time-zone question (no zone known)."""
    await self_care_check(user)
    await tap(user, "🗓 Start my 6-week plan")
    await tap(user, "Let's begin")
    await tap(user, "Walking further")
    await user.send("putting my socks on")
    await tap(user, "3")
    await tap(user, "That's all, carry on")
    await tap(user, "10 min")
    assert "Which time zone" in user.last_text()


async def day_two_at_ten(harness, user, clock) -> None:
    """A plan whose message comes at 10:00, and day 2 sent by the tick this morning."""
    await set_up_plan(user, at="10:00")
    assert (await next_message(harness, clock, hour=10)).sent == 1


async def next_message(harness, clock, hour: int = 19):
    """The next day at `hour` on the test clock (UTC, which is London time before its clock
    change): the tick's result."""
    clock.advance(days=1)
    clock.set(clock().replace(hour=hour, minute=0, second=30))
    return await tick(harness.app)
