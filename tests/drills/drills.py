"""Drills that prove the bot survives a bad Bot API: shared by tests and benchmarks/."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.chat.registry import Clock, system_clock
from bot.sim.faults import FaultPlan
from bot.sim.harness import Harness
from bot.sim.server import BotApiServer
from storage import users as user_rows
from tests.drills.hostile import HostileCrowd
from tests.drills.scripted import Step, Tally, default_steps, run_session

FIRST_USER = 500_001
HOSTILE_FIRST = 700_001


@dataclass
class FaultReport:
    users: int
    steps_expected: int
    tally: Tally
    plan: FaultPlan
    retries: int
    seconds: float
    rejections: list[str]
    db_path: str
    diary_problems: list[str]
    checks_stored: int = 0

    def summary(self) -> str:
        return (
            f"{self.users} users, {self.tally.steps}/{self.steps_expected} steps completed, "
            f"{len(self.tally.failed)} users failed; {self.plan.summary()}; "
            f"{self.retries} calls retried; {len(self.tally.confirmed_notes)} diary entries "
            f"confirmed, {len(self.diary_problems)} missing or doubled; {self.tally.checks} "
            f"checks seen, {self.checks_stored} stored; {self.seconds:.1f}s"
        )


def stored_notes(db_path: str | Path) -> dict[str, int]:
    """Diary note -> how many entries carry it."""
    db = sqlite3.connect(db_path)
    try:
        return dict(
            db.execute(
                "select note, count(*) from diary_entries where note is not null group by note"
            ).fetchall()
        )
    finally:
        db.close()


def count_rows(db_path: str | Path, table: str) -> int:
    db = sqlite3.connect(db_path)
    try:
        return db.execute(f"select count(*) from {table}").fetchone()[0]  # a fixed table name
    finally:
        db.close()


def diary_problems(db_path: str | Path, confirmed: list[str]) -> list[str]:
    """Every confirmed entry stored exactly once, and no entry stored twice."""
    counts = stored_notes(db_path)
    problems = [f"{note!r} stored {counts.get(note, 0)} times" for note in confirmed]
    problems = [p for p, note in zip(problems, confirmed, strict=True) if counts.get(note) != 1]
    problems += [f"{note!r} stored {n} times" for note, n in counts.items() if n > 1]
    return sorted(set(problems))


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
    server = BotApiServer()
    await server.start()
    plan = FaultPlan(seed=seed, rate=rate, slow_seconds=api_timeout + 0.3)
    server.faults = plan
    started = time.monotonic()
    try:
        async with Harness(
            db_path, clock=clock, server=server, api_timeout=api_timeout, webhook=webhook
        ) as harness:
            assert harness.app is not None
            if steps is None:
                steps = default_steps(harness.app.bot_data["services"].registry.features)
            people = [harness.user(FIRST_USER + n, first_name=f"P{n}") for n in range(users)]
            tally = await run_session(people, steps, rounds=rounds)
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
        rejections=[f"{r.method}: {r.error}" for r in server.rejections],
        db_path=str(db_path),
        diary_problems=diary_problems(db_path, tally.confirmed_notes),
        checks_stored=count_rows(db_path, "triage_results"),
    )


@dataclass
class HostileReport:
    updates: int
    kinds: dict[str, int]
    errors: int
    rejections: list[str]
    leaks: list[str]
    seconds: float
    diary_entries: int = 0  # how deep the crowd got: entries it managed to save

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.kinds.items()) if k != "ordinary")
        return (
            f"{self.updates} hostile updates ({kinds}) and {self.kinds.get('ordinary', 0)} "
            f"ordinary ones; {self.diary_entries} diary entries "
            f"saved on the way; {self.errors} handler errors, "
            f"{len(self.rejections)} replies refused by the stand-in, {len(self.leaks)} leaks; "
            f"{self.seconds:.1f}s"
        )


async def hostile_drill(
    db_path: str | Path,
    *,
    updates: int = 400,
    users: int = 12,
    seed: int = 1,
    clock: Clock = system_clock,
    errors: Callable[[], int] = lambda: 0,
) -> HostileReport:
    """Send `updates` hostile updates from `users` people, one at a time, in a seeded order.

    `errors` counts the handler errors logged so far (the caller captures logging).
    Afterwards every person still gets the menu.
    """
    started = time.monotonic()
    # Telegram's rate limits would only make this slow (1 message a second per chat).
    admins = frozenset({HOSTILE_FIRST})
    async with Harness(db_path, clock=clock, admin_ids=admins, rate_limit=False) as harness:
        crowd = HostileCrowd(harness.user, users, seed, HOSTILE_FIRST)
        rng = random.Random(seed)
        for person in crowd.people[1:]:  # all but one keep notes, so there is data to steal
            await person.send("/start")
            await person.press("Yes, keep my notes")
        while crowd.sent - crowd.kinds.get("ordinary", 0) < updates:
            await crowd.one(rng.choice(crowd.people))
        svc = harness.app.bot_data["services"]  # type: ignore[union-attr]
        for person in crowd.people:  # the bot is still here for everyone
            await person.send("/cancel")
            await person.send("/menu")
            # in the language the person ended up with (a random press may switch it)
            user = user_rows.get(svc.db, person.user_id)
            title = svc.content.strings.t(user.language if user else "en", "menu.title")
            assert title in person.last_text(), person.transcript()[-500:]
        rejections = [f"{r.method} {r.chat_id}: {r.error}" for r in harness.server.rejections]
        db = harness.app.bot_data["services"].db  # type: ignore[union-attr]
        owners = {marker: user_id for user_id, marker in crowd.markers.items()}
        leaks = crowd.leaks()
        for user_id, note in db.execute("select user_id, note from diary_entries").fetchall():
            for marker, owner in owners.items():  # an entry never changes hands
                if marker in (note or "") and owner != user_id:
                    leaks.append(f"entry of {user_id} carries {owner}'s note")
        return HostileReport(
            diary_entries=db.execute("select count(*) from diary_entries").fetchone()[0],
            updates=crowd.sent - crowd.kinds.get("ordinary", 0),
            kinds=crowd.kinds,
            errors=errors(),
            rejections=rejections,
            leaks=leaks,
            seconds=time.monotonic() - started,
        )
