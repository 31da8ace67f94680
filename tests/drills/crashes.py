"""The crash drill: `backcare run` in its own process, killed with SIGKILL again and again.

The stand-in runs in this process; the bot is started as an operator would
start it (environment only), killed at random moments while agents
(tests/drills/agents.py) use it, and started again each time.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.sim.client import SimUser
from bot.sim.server import BotApiServer
from tests.drills.agents import AgentLog, CheckBack, Goal, HelpAndBack, LogPain, Onboard, pursue
from tests.drills.scripted import SELF_CARE_ANSWERS

READY_TIMEOUT = 60.0
FIRST_USER = 600_001


class BotProcess:
    """`python -m bot run` against the stand-in; stderr goes to `log_path` (appended)."""

    def __init__(self, server: BotApiServer, db_path: Path, log_path: Path, **env: str):
        self.server = server
        self.log_path = log_path
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BACKCARE_"))},
            "TELEGRAM_BOT_TOKEN": server.token,
            "TELEGRAM_API_BASE_URL": server.base_url,
            "BACKCARE_DB": str(db_path),
            "BACKCARE_LOG_LEVEL": "DEBUG",
            **env,
        }
        root = Path(__file__).resolve().parents[2]
        self.env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(root), self.env.get("PYTHONPATH", "")) if p
        )
        self.proc: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def start(self) -> None:
        polls = self.server.polls
        with self.log_path.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                env=self.env,
                cwd=self.log_path.parent,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        self.starts += 1
        # Up once it polls for updates (after getMe, setMyCommands and deleteWebhook).
        await self.server.wait_for(lambda: self.server.polls > polls, READY_TIMEOUT)

    async def kill(self) -> None:
        """SIGKILL: no clean-up of any kind runs in the bot."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()

    async def stop(self) -> int | None:
        """SIGTERM, as systemd or docker stop would send; returns the exit status."""
        if self.proc is None or self.proc.returncode is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.terminate()
        self.server.wake_pollers()
        return await asyncio.wait_for(self.proc.wait(), 30)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None


GoalFactory = Callable[[SimUser, int, AgentLog], list[Goal]]


def everyday_goals(user: SimUser, round_: int, log: AgentLog) -> list[Goal]:
    """What people do: get started once, then check their back, log pain and look at help,
    round after round."""
    goals: list[Goal] = [Onboard()] if round_ == 0 else []
    goals += [CheckBack(SELF_CARE_ANSWERS), LogPain(log.new_note(user), log.confirmed_notes)]
    return [*goals, HelpAndBack()]


@dataclass
class CrashReport:
    users: int
    kills: int
    starts: int
    log: AgentLog
    seconds: float
    failures: list[str] = field(default_factory=list)
    people: list[SimUser] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.users} users, {self.kills} SIGKILLs, {self.starts} starts; "
            f"{self.log.goals_done} goals reached with {self.log.actions} actions "
            f"({self.log.retries} repeated after a lost reply); "
            f"{len(self.failures)} failures; {self.seconds:.1f}s"
        )


async def crash_drill(
    workdir: Path,
    *,
    users: int = 6,
    kills: int = 3,
    seed: int = 1,
    goals: GoalFactory = everyday_goals,
    kill_after: tuple[float, float] = (0.3, 2.0),
    server: BotApiServer | None = None,
) -> tuple[CrashReport, BotApiServer, BotProcess]:
    """Users pursue goals round after round while the bot is killed `kills` times.

    Returns with the bot running after a final restart (the caller stops it),
    so the caller can check that every conversation carries on.
    """
    rng = random.Random(seed)
    server = server or BotApiServer()
    if server.port is None:
        await server.start()
    bot = BotProcess(server, workdir / "backcare.db", workdir / "bot.log")
    log = AgentLog()
    failures: list[str] = []
    started = time.monotonic()
    await bot.start()
    killing_done = asyncio.Event()
    killed = 0

    async def kill_mid_update() -> None:
        """Every other kill lands inside a handler: the bot's next call to the API is
        carried out (a message sent, a button answered) and the bot dies before it
        hears back, so the rest of that handler never runs."""
        landed = asyncio.Event()

        async def hook(method: str) -> None:
            server.after_call = None
            await bot.kill()
            landed.set()

        server.after_call = hook
        try:
            await asyncio.wait_for(landed.wait(), READY_TIMEOUT)
        finally:
            server.after_call = None

    async def killer() -> None:
        nonlocal killed
        try:
            while killed < kills:
                await asyncio.sleep(rng.uniform(*kill_after))
                if killed % 2:
                    await kill_mid_update()
                await bot.kill()
                killed += 1
                await bot.start()
        finally:
            killing_done.set()

    async def person(user: SimUser) -> None:
        round_ = 0
        while True:
            for goal in goals(user, round_, log):
                await pursue(user, goal, log)
            round_ += 1
            if killing_done.is_set():
                return

    people = [SimUser(server, FIRST_USER + n, first_name=f"K{n}") for n in range(users)]
    killer_task = asyncio.create_task(killer())
    try:
        results = await asyncio.gather(*(person(p) for p in people), return_exceptions=True)
        await killer_task
    except BaseException:
        killer_task.cancel()
        await bot.kill()
        raise
    for user, result in zip(people, results, strict=True):
        if isinstance(result, BaseException):
            failures.append(f"user {user.user_id}: {type(result).__name__}: {result}")
    report = CrashReport(
        users, killed, bot.starts, log, time.monotonic() - started, failures, people
    )
    return report, server, bot


async def carry_on(people: list[SimUser], log: AgentLog, *, check: bool = True) -> None:
    """After the last restart: everyone is welcomed back and can use the bot as before."""

    async def one(user: SimUser) -> None:
        goals: list[Goal] = [Onboard()]
        if check:
            goals.append(CheckBack(SELF_CARE_ANSWERS))
        goals.append(LogPain(log.new_note(user), log.confirmed_notes))
        for goal in goals:
            await pursue(user, goal, log, reply_timeout=15)

    await asyncio.gather(*(one(user) for user in people))


def confirmed_consents(people: list[SimUser]) -> set[int]:
    """Users who saw the bot confirm it keeps their notes."""
    return {
        user.user_id
        for user in people
        if any("Your notes are kept safe" in text for text in user.texts())
    }
