"""The bot process is killed with SIGKILL at random moments during a multi-user session,
restarted each time; nothing a person saw confirmed is lost or doubled, and everyone
carries on where they were."""

from __future__ import annotations

import sqlite3

import pytest

from bot.reminders.delivery import CONCURRENCY
from tests.drills.agents import AgentLog, HelpAndBack, LogPain, Onboard
from tests.drills.crashes import carry_on, confirmed_consents, crash_drill, everyday_goals
from tests.drills.drills import count_rows, diary_problems, stored_notes
from tests.drills.sendout import sendout_drill


def light_goals(user, round_, log):
    """The suite skips the ten-tap check (Telegram's one message a second per chat makes it
    slow); the full run below has it in every round."""
    goals = [Onboard()] if round_ == 0 else []
    return [*goals, LogPain(log.new_note(user), log.confirmed_notes), HelpAndBack()]


async def drill_and_check(
    tmp_path, *, users: int, kills: int, seed: int, goals, check: bool = True
) -> str:
    report, server, bot = await crash_drill(
        tmp_path, users=users, kills=kills, seed=seed, goals=goals
    )
    try:
        assert report.failures == [], report.failures[0]
        assert report.kills == kills and report.starts == kills + 1
        after = AgentLog(notes_started=report.log.notes_started)
        await carry_on(report.people, after, check=check)
        assert after.retries == 0  # with the bot left alone, every reply comes
        assert len(after.confirmed_notes) == users
        # A press answered just before a kill, but not yet acknowledged, comes again after
        # the restart, and Telegram refuses a second answer to it: harmless, and the only
        # refusal allowed.
        again = [
            r
            for r in server.rejections
            if r.method == "answerCallbackQuery" and "query is too old" in (r.error or "")
        ]
        assert server.rejections == again
    finally:
        status = await bot.stop()
        await server.stop()
    assert status == 0  # and it still stops cleanly on SIGTERM

    db = sqlite3.connect(tmp_path / "backcare.db")
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    consented = {row[0] for row in db.execute("select id from users where consent_at is not null")}
    assert confirmed_consents(report.people) <= consented
    assert len(consented) == users
    confirmed = report.log.confirmed_notes + after.confirmed_notes
    assert len(confirmed) >= users * 2
    assert diary_problems(tmp_path / "backcare.db", confirmed) == []
    checks_seen = report.log.by_goal.get("check", 0) + after.by_goal.get("check", 0)
    assert checks_seen >= (users if check else 0)
    assert count_rows(tmp_path / "backcare.db", "triage_results") >= checks_seen
    log = (tmp_path / "bot.log").read_text()
    assert "DEBUG" in log and server.token.split(":")[1] not in log
    # Saved in the moment the bot died, before it could say so: kept, once.
    unconfirmed = len(set(stored_notes(tmp_path / "backcare.db")) - set(confirmed))
    return f"{report.summary()}; {len(confirmed)} entries confirmed, {unconfirmed} saved unseen"


async def test_sigkill_during_a_session_loses_nothing(tmp_path):
    await drill_and_check(tmp_path, users=4, kills=3, seed=11, goals=light_goals, check=False)


@pytest.mark.slow
async def test_sigkill_full_run(tmp_path):
    summary = await drill_and_check(tmp_path, users=20, kills=24, seed=2026, goals=everyday_goals)
    print(summary)


@pytest.mark.slow
async def test_sigkill_during_a_reminder_send_out_loses_none_and_doubles_none(tmp_path):
    report = await sendout_drill(tmp_path, people=60, kills=4, stop_people=300, seed=7)
    print(report.summary())
    assert report.duplicates == 0 and report.after_stop_duplicates == 0
    assert report.left_open == 0
    # Only sends leaving at a kill may be lost, never more than were in flight.
    assert report.delivered >= report.people - report.kills * CONCURRENCY
    assert report.interrupted <= report.kills * CONCURRENCY
    assert report.stop_status == 0 and report.stop_seconds < 10  # docker stop's deadline
    assert report.stop_left_due > 0  # the stop finished its batch, not the whole send-out
    assert report.after_stop_delivered == 300
