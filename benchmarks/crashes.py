"""The crash drill at full size: `backcare run` SIGKILLed again and again mid-session.

    .venv/bin/python benchmarks/crashes.py [--users 20] [--kills 24] [--seed 2026]

Prints the kills, goals reached, and whether every diary entry a person saw
confirmed is stored exactly once. Exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
from pathlib import Path

from tests.drills.agents import AgentLog
from tests.drills.crashes import carry_on, crash_drill
from tests.drills.drills import diary_problems, stored_notes


async def drill(workdir: Path, users: int, kills: int, seed: int) -> int:
    report, server, bot = await crash_drill(workdir, users=users, kills=kills, seed=seed)
    after = AgentLog(notes_started=report.log.notes_started)
    try:
        if not report.failures:
            await carry_on(report.people, after)
    finally:
        status = await bot.stop()
        await server.stop()
    db_path = workdir / "backcare.db"
    confirmed = report.log.confirmed_notes + after.confirmed_notes
    problems = diary_problems(db_path, confirmed)
    unseen = len(set(stored_notes(db_path)) - set(confirmed))
    integrity = sqlite3.connect(db_path).execute("pragma integrity_check").fetchone()[0]
    print(report.summary())
    print(
        f"after the last restart: {after.goals_done} goals, {after.retries} replies missing; "
        f"{len(confirmed)} diary entries confirmed, {len(problems)} missing or doubled, "
        f"{unseen} saved just before a kill (kept once, unseen); database {integrity}; "
        f"clean stop: exit {status}"
    )
    for line in [*report.failures, *problems]:
        print("  ", line.splitlines()[0])
    ok = not report.failures and not problems and not after.retries and status == 0
    return 0 if ok and integrity == "ok" else 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--kills", type=int, default=24)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(drill(Path(tmp), args.users, args.kills, args.seed))


if __name__ == "__main__":
    raise SystemExit(main())
