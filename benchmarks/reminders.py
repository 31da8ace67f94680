"""Reminder delivery figures: fan-out through the rate limiter, claiming from a big table,
and start-up cost that does not grow with the number of schedules.

    .venv/bin/python benchmarks/reminders.py [fanout30] [fanout1000] [claim] [startup]

With no arguments it runs them all (the 30 msg/s fan-out alone takes about 100 s).
Everything runs against the Bot API stand-in on 127.0.0.1 and throwaway databases.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import build_application
from bot.config import Settings
from bot.reminders.delivery import tick
from bot.sim.server import BotApiServer
from storage import deliveries
from storage.db import open_db, to_db

NOW = datetime(2026, 3, 2, 7, 0, 20, tzinfo=UTC)  # 08:00:20 in Berlin
DUE = "2026-03-02T07:00:00Z"
LATER = "2026-03-03T07:00:00Z"
WARM_UP = 99  # a chat outside the measured fan-out


def fill(db, users: int, due: int) -> None:
    """`users` people with a daily check-in each; the first `due` of them are due now."""
    stamp = to_db(NOW - timedelta(days=1))
    with db.atomic():
        db.execute(
            "with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)"
            " insert into users (id, language, time_zone, consent_at, created_at, active)"
            " select 100000 + i, 'en', 'Europe/Berlin', ?, ?, 1 from n",
            [users, stamp, stamp],
        )
        db.execute(
            "with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)"
            " insert into schedules (user_id, kind, time_zone, local_time, weekdays,"
            " skip_if_logged, next_due_utc, active, created_at, updated_at)"
            " select 100000 + i, 'checkin', 'Europe/Berlin', '08:00', '1234567', 1,"
            " case when i <= ? then ? else ? end, 1, ?, ? from n",
            [users, due, DUE, LATER, stamp, stamp],
        )


def settings(token: str, base_url: str, db_path: str) -> Settings:
    return Settings(
        token=token,
        api_base_url=base_url,
        db_path=db_path,
        tick_seconds=30,
        admin_ids=frozenset(),
        log_level="WARNING",
    )


def _serve(conn, rate: int, chat_ids: list[int]) -> None:
    """The stand-in in its own process, as Telegram would be: the bot's process does only
    the bot's work. Reports what it saw when told to stop."""

    async def run() -> None:
        server = BotApiServer(send_rate_limit=rate)
        await server.start()
        for chat_id in [WARM_UP, *chat_ids]:
            server.ensure_chat(chat_id, "private", first_name="P").started = True
        conn.send((server.token, server.base_url))
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)
        sends = [
            c for c in server.calls if c.method.lower() == "sendmessage" and c.chat_id != WARM_UP
        ]
        conn.send(
            {
                "attempts": len(sends),
                "429": sum(1 for c in sends if not c.ok and "Too Many" in (c.error or "")),
                "per chat": [len(server.chats[i].messages) for i in chat_ids],
            }
        )
        await server.stop()

    asyncio.run(run())


async def fanout(rate: int, users: int, *, paid: bool) -> dict:
    ids = [100000 + n for n in range(1, users + 1)]
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=(theirs, rate, ids))
    server.start()
    token, base_url = ours.recv()
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "fanout.db")
        db = open_db(path)
        fill(db, users, users)
        app = build_application(settings(token, base_url, path), clock=lambda: NOW, db=db)
        await app.initialize()
        # One message first, as a real server would be warm: the stand-in's first request
        # is slow, and the ones queued behind it would be counted in a bunch.
        await app.bot.send_message(WARM_UP, "warm-up")
        await asyncio.sleep(1.1)
        began = time.monotonic()
        result = await tick(app, NOW, paid_broadcast=paid)
        elapsed = time.monotonic() - began
        await app.shutdown()
        db.close()
    ours.send("stop")
    seen = ours.recv()
    server.join()
    return {
        "sent": result.sent,
        "delivered once": seen["per chat"] == [1] * users,
        "seconds": elapsed,
        "rate": result.sent / elapsed,
        "429 share": seen["429"] / seen["attempts"],
        "429": seen["429"],
        "attempts": seen["attempts"],
    }


ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles",
         "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "America/Sao_Paulo")  # fmt: skip


def claim_timing(rows: int, due: int, runs: int) -> dict[str, list[float]]:
    """Claim `due` rows out of `rows`, `runs` times on fresh copies of the rows' state:
    first with every due row alike (one zone, one time: the common case), then with
    every due row different (its own time and one of eight zones: no work shared)."""
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(str(Path(tmp) / "claim.db"))
        started = time.monotonic()
        fill(db, rows, due)
        build = time.monotonic() - started
        print(f"  (built {rows:,} users and schedules in {build:.1f} s)")
        db.execute("pragma wal_checkpoint(truncate)")
        results["alike"] = _claim_runs(db, due, runs)
        with db.atomic():
            for n in range(1, due + 1):
                db.execute(
                    "update schedules set local_time = ?, time_zone = ? where user_id = ?",
                    [f"{n // 60 % 24:02d}:{n % 60:02d}", ZONES[n % len(ZONES)], 100000 + n],
                )
        db.execute("pragma wal_checkpoint(truncate)")
        results["all different"] = _claim_runs(db, due, runs)
        db.close()
    return results


def _claim_runs(db, due: int, runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        claimed = 0
        while batch := deliveries.claim_due(db, NOW):
            claimed += len(batch)
        timings.append((time.perf_counter() - began) * 1000)
        with db.atomic():  # put the same rows back for the next run
            db.execute("delete from deliveries")
            db.execute(
                "update schedules set next_due_utc = ? where user_id <= ?", [DUE, 100000 + due]
            )
        # Fold the reset's pages into the file now, so the next run's commit does not
        # pay for checkpointing the benchmark's own writes.
        db.execute("pragma wal_checkpoint(truncate)")
    return timings


STARTUP_CHILD = """
import asyncio, sys
from benchmarks.rss import peak_mb
from bot.app import build_application
from bot.config import Settings
from bot.reminders.delivery import tick
from bot.sim.server import BotApiServer

async def main():
    server = BotApiServer()
    await server.start()
    settings = Settings(token=server.token, api_base_url=server.base_url, db_path=sys.argv[1],
                        tick_seconds=30, admin_ids=frozenset(), log_level="WARNING")
    app = build_application(settings)
    await app.initialize()
    await app.start()  # the JobQueue with its one repeating job
    print("ready", flush=True)
    await tick(app)  # a tick over the whole table (nothing due)
    rss = peak_mb()
    await app.stop()
    await app.shutdown()
    await server.stop()
    print(f"{rss:.1f}", flush=True)

asyncio.run(main())
"""


def _launch(path: str) -> tuple[float, float]:
    began = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-c", STARTUP_CHILD, path],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    ready = time.monotonic() - began
    rss = float(child.stdout.readline())
    child.wait()
    return ready, rss


def startup(sizes: tuple[int, ...], runs: int) -> dict[int, tuple[float, float]]:
    """Per table size: median seconds from launching the process to the bot being ready,
    and median peak RSS (MB). Sizes take turns, so other load on the machine hits all."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for rows in sizes:
            paths[rows] = str(Path(tmp) / f"startup-{rows}.db")
            db = open_db(paths[rows])
            fill(db, rows, 0)
            db.close()
        readings: dict[int, list[tuple[float, float]]] = {rows: [] for rows in sizes}
        for _ in range(runs):
            for rows in sizes:
                readings[rows].append(_launch(paths[rows]))
    return {
        rows: (statistics.median(r[0] for r in got), statistics.median(r[1] for r in got))
        for rows, got in readings.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("parts", nargs="*", default=["fanout30", "fanout1000", "claim", "startup"])
    parser.add_argument("--users", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cpu = platform.processor() or platform.machine()
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores ({cpu})")

    if "fanout30" in args.parts:
        print(f"\nFan-out: {args.users:,} users due the same minute, stand-in at 30 msg/s")
        r = asyncio.run(fanout(30, args.users, paid=False))
        budget = 1.1 * args.users / 30
        print(f"  sent {r['sent']:,}, each person exactly once: {r['delivered once']}")
        print(f"  total {r['seconds']:.1f} s (target <= {budget:.0f} s), {r['rate']:.1f} msg/s")
        print(f"  429 answers: {r['429']} of {r['attempts']} sends = {r['429 share']:.2%}"
              " (target <= 1%)")  # fmt: skip

    if "fanout1000" in args.parts:
        print(f"\nFan-out: {args.users:,} users, stand-in at 1,000 msg/s (paid broadcast)")
        r = asyncio.run(fanout(1000, args.users, paid=True))
        print(f"  sent {r['sent']:,}, each person exactly once: {r['delivered once']}")
        print(f"  total {r['seconds']:.2f} s, achieved {r['rate']:.0f} msg/s (target >= 500)")
        print(f"  429 answers: {r['429']} of {r['attempts']} sends = {r['429 share']:.2%}")

    if "claim" in args.parts:
        print("\nClaim: 1,000,000 schedule rows, 1,000 due")
        for label, timings in claim_timing(1_000_000, 1000, args.runs).items():
            median, worst = statistics.median(timings), max(timings)
            print(f"  1,000 due rows, {label}: median {median:.1f} ms, worst {worst:.1f} ms"
                  f" over {len(timings)} runs (target < 50 ms)")  # fmt: skip

    if "startup" in args.parts:
        print("\nStart-up: launch the process until the bot is ready; peak RSS after one tick")
        measured = startup((1000, 1_000_000), args.runs)
        small, big = measured[1000], measured[1_000_000]
        for rows, (ready, rss) in ((1000, small), (1_000_000, big)):
            print(f"  {rows:>9,} rows: ready in {ready:.2f} s, peak RSS {rss:.0f} MB")
        ready_change, rss_change = big[0] / small[0] - 1, big[1] / small[1] - 1
        print(f"  difference: start-up {ready_change:+.1%}, RSS {rss_change:+.1%}"
              " (target within 10%, RSS under 200 MB)")  # fmt: skip


if __name__ == "__main__":
    main()
