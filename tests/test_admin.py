"""/stats for admins, the unknown-command reply for everyone else, error reports to admins."""

from __future__ import annotations

import pytest
from telegram.ext import CommandHandler

from bot.sim.harness import Harness
from storage import users

ADMIN = 9001


@pytest.fixture
async def admin_harness(db_path, clock):
    async with Harness(db_path, clock=clock, admin_ids=frozenset({ADMIN})) as running:
        yield running


async def boom(update, context):
    raise ZeroDivisionError("secret words a person typed")


async def test_stats_for_an_admin_counts_people_and_records(admin_harness):
    for user_id in (9101, 9102, 9103):
        person = admin_harness.user(user_id)
        await person.send("/start")
    await admin_harness.user(9101).press("Yes, keep my notes")
    db = admin_harness.app.bot_data["services"].db
    db.execute(
        "insert into triage_results (user_id, created_at, answers, tier, explanations)"
        " values (9101, '2026-03-02T09:00:00Z', '{}', 'urgent', '[]')"
    )
    admin = admin_harness.user(ADMIN)
    await admin.send("/stats")
    text = admin.last_text()
    assert "People: 4 (1 keep notes, 0 stopped the bot)" in text
    assert "Active in the last 7 days: 4" in text
    assert "Check results: 1" in text
    assert "· urgent: 1" in text and "· emergency: 0" in text
    assert "6-week plans: 0 (running 0, paused 0, on hold 0, finished 0, stopped 0)" in text
    assert admin_harness.server.rejections == []


async def test_stats_is_an_unknown_command_for_everyone_else(admin_harness):
    sam = admin_harness.user(9201)
    await sam.send("/stats")
    unknown = sam.last_text()
    await sam.send("/nosuchcommand")
    assert sam.last_text() == unknown
    assert "People:" not in "\n".join(sam.texts())


async def test_stats_is_unknown_when_there_are_no_admins(harness):
    sam = harness.user(ADMIN)
    await sam.send("/stats")
    assert "didn't get that" in sam.last_text()


async def test_errors_reach_the_admins_at_most_once_a_minute(admin_harness, clock):
    admin_harness.app.add_handler(CommandHandler("boom", boom), group=-5)
    admin = admin_harness.user(ADMIN)
    await admin.send("/start")
    sam = admin_harness.user(9301)
    await sam.send("/boom with words")
    assert any("something went wrong" in text for text in sam.texts())
    report = admin.last_text()
    assert "ZeroDivisionError" in report and "test_admin.py" in report
    assert "secret words" not in report and "with words" not in report
    reports = len(admin.texts())

    for _ in range(3):  # within the minute: counted, not sent
        clock.advance(seconds=10)
        await sam.send("/boom")
    assert len(admin.texts()) == reports

    clock.advance(seconds=31)
    await sam.send("/boom")
    assert len(admin.texts()) == reports + 1
    assert "3 more errors since the last report" in admin.last_text()


async def test_an_admin_who_never_opened_the_chat_does_not_break_reporting(admin_harness):
    admin_harness.app.add_handler(CommandHandler("boom", boom), group=-5)
    sam = admin_harness.user(9401)
    await sam.send("/boom")
    assert any("something went wrong" in text for text in sam.texts())
    assert admin_harness.server.rejections == []
    assert users.get(admin_harness.app.bot_data["services"].db, ADMIN) is None
