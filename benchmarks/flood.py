"""One person floods the bot; how long does someone else wait for /menu?

    .venv/bin/python benchmarks/flood.py [--burst 400] [--rate 7] [--seconds 10]

burst: person A sends `--burst` /diary at once (each a chart: A has a month of
entries), then person B sends /menu. Prints B's wait and how many of A's updates
had been answered (a chart is one answer) when B got theirs.
steady: A sends `--rate` /diary a second for `--seconds`, while B sends /menu once a
second. Prints B's median and worst wait.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot.sim.client import SimUser
from bot.sim.harness import Harness
from storage import diary

A, B = 5001, 5002


async def setup(harness: Harness) -> tuple[SimUser, SimUser]:
    people = []
    for user_id, name in ((A, "Ana"), (B, "Ben")):
        person = harness.user(user_id, first_name=name)
        await person.send("/start")
        await person.press("Yes, keep my notes")
        people.append(SimUser(harness.server, user_id, first_name=name))  # sends, never waits
    db, now = harness.app.bot_data["services"].db, harness.clock()
    for day in range(30):
        diary.add_entry(
            db,
            A,
            recorded_at=now - timedelta(days=day),
            pain=3 + day % 5,
            places=["lower_back"],
            tags=[],
            note=None,
            source="log",
            now=now,
        )
    return people[0], people[1]


def answers(person: SimUser) -> int:
    return len(person.bot_messages())


async def burst(db_path: Path, size: int) -> str:
    async with Harness(db_path) as harness:
        ana, ben = await setup(harness)
        already = answers(ana)
        ids = [await ana.send("/diary") for _ in range(size)]
        started = time.monotonic()
        menu = await ben.send("/menu")
        answered = await harness.server.wait_reply(menu, timeout=300)
        before = answers(ana) - already
        for update_id in ids:
            await harness.wait_processed(update_id)
        return (
            f"burst of {size}: B's /menu answered in {answered - started:.2f} s, "
            f"when A had {before} answers"
        )


async def steady(db_path: Path, rate: float, seconds: float) -> str:
    async with Harness(db_path) as harness:
        ana, ben = await setup(harness)
        waits: list[float] = []

        async def flood() -> None:
            for _ in range(int(rate * seconds)):
                await ana.send("/diary")
                await asyncio.sleep(1 / rate)

        async def menus() -> None:
            for _ in range(int(seconds)):
                sent = time.monotonic()
                update_id = await ben.send("/menu")
                waits.append(await harness.server.wait_reply(update_id, timeout=300) - sent)
                await asyncio.sleep(max(0.0, 1 - (time.monotonic() - sent)))

        await asyncio.gather(flood(), menus())
        return (
            f"{rate:g} charts/s for {seconds:g} s: B's /menu median "
            f"{statistics.median(waits):.2f} s, worst {max(waits):.2f} s"
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--burst", type=int, default=400)
    parser.add_argument("--rate", type=float, default=7)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    with tempfile.TemporaryDirectory() as tmp:
        print(asyncio.run(burst(Path(tmp) / "burst.db", args.burst)))
        print(asyncio.run(steady(Path(tmp) / "steady.db", args.rate, args.seconds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
