"""Drills that prove the bot survives a bad Bot API: shared by tests and benchmarks/."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from bot.services import Clock, system_clock
from bot.sim.faults import FaultPlan
from bot.sim.harness import Harness
from bot.sim.scripted import Step, Tally, default_steps, run_session
from bot.sim.server import BotApiServer

FIRST_USER = 500_001


@dataclass
class FaultReport:
    users: int
    steps_expected: int
    tally: Tally
    plan: FaultPlan
    retries: int
    seconds: float
    rejections: int
    db_path: str

    def summary(self) -> str:
        return (
            f"{self.users} users, {self.tally.steps}/{self.steps_expected} steps completed, "
            f"{len(self.tally.failed)} users failed; {self.plan.summary()}; "
            f"{self.retries} calls retried; {self.seconds:.1f}s"
        )


async def fault_drill(
    db_path: str | Path,
    *,
    users: int = 20,
    rounds: int = 1,
    seed: int = 1,
    rate: float = 0.1,
    api_timeout: float = 0.5,
    clock: Clock = system_clock,
    steps: list[Step] | None = None,
    webhook: bool = False,
) -> FaultReport:
    """Run a scripted session with `rate` of all Bot API calls failing."""
    steps = steps if steps is not None else default_steps()
    server = BotApiServer()
    await server.start()
    plan = FaultPlan(seed=seed, rate=rate, slow_seconds=api_timeout + 0.3)
    server.faults = plan
    started = time.monotonic()
    try:
        async with Harness(
            db_path, clock=clock, server=server, api_timeout=api_timeout, webhook=webhook
        ) as harness:
            people = [harness.user(FIRST_USER + n, first_name=f"P{n}") for n in range(users)]
            tally = await run_session(people, steps, rounds=rounds)
            assert harness.app is not None
            retries = harness.app.bot.request.retries  # type: ignore[attr-defined]
    finally:
        await server.stop()
    expected = users * (len(steps) + (rounds - 1) * (len(steps) - 1))
    return FaultReport(
        users=users,
        steps_expected=expected,
        tally=tally,
        plan=plan,
        retries=retries,
        seconds=time.monotonic() - started,
        rejections=len(server.rejections),
        db_path=str(db_path),
    )
