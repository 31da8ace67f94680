"""A bad day at the Bot API: 10% of calls fail (429, 500, 502, answers slower than the
client waits, dropped connections) and every step of a 20-person session still completes."""

from __future__ import annotations

import pytest

from tests.drills.drills import fault_drill
from tests.drills.scripted import FOUNDATION, check_back, log_pain, onboard

# What a retry of a call that had in fact gone through gets told; the bot takes both in stride.
AFTER_A_RETRY = ("message is not modified", "query is too old")


def check(report, *, every_kind: bool = True) -> None:
    assert report.tally.failed == [], report.tally.failed[0]
    assert report.tally.steps == report.steps_expected
    for kind in report.plan.kinds if every_kind else ():
        assert report.plan.counts[kind] > 0, f"no {kind} was injected"
    assert report.retries > 0
    assert report.tally.confirmed_notes  # people logged pain through the faults
    assert report.diary_problems == []  # each stored once, never twice
    assert report.checks_stored == report.tally.checks  # every check result, once
    for rejection in report.rejections:
        assert any(reason in rejection for reason in AFTER_A_RETRY), rejection


# The suite runs the core of the session (a check takes ten taps, and Telegram's one message
# a second per chat makes those slow); the slow run below goes through every flow.
CORE = [*FOUNDATION, log_pain]


async def test_twenty_people_complete_every_step_through_faults(db_path, clock):
    report = await fault_drill(db_path, users=20, seed=8, clock=clock, steps=CORE)
    check(report)


async def test_faults_with_updates_arriving_by_webhook(db_path, clock):
    steps = [onboard, check_back, log_pain]
    report = await fault_drill(
        db_path, users=3, seed=9, clock=clock, webhook=True, rate=0.2, steps=steps
    )
    check(report, every_kind=False)


@pytest.mark.slow
async def test_fault_full_run(db_path, clock):
    report = await fault_drill(db_path, users=20, rounds=5, seed=2026, clock=clock)
    check(report)
    print(report.summary())
