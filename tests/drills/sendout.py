"""The reminder crash drill: `backcare run` SIGKILLed in the middle of a send-out, again and
again, then stopped with SIGTERM in the middle of another.

Everyone's daily check-in falls due at once (rows written straight into the database,
as a busy minute leaves them). The bot is killed after a random number of prompts, half
of the time inside the call that sends one (Telegram has it; the bot never hears back),
and started again each time. At the end every person must have had their prompt once,
apart from the few whose send was leaving at a kill: those are never sent again (at
most once), and each such kill can leave at most the sends in flight.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.sim.server import BotApiServer
from storage.db import open_db, to_db
from storage.deliveries import LEASE
from tests.drills.crashes import READY_TIMEOUT, BotProcess

FIRST_PERSON = 700_001
TELEGRAM_RATE = 30  # what the stand-in allows a second, as Telegram does


@dataclass
class SendoutReport:
    people: int
    kills: int
    delivered: int  # people who got their prompt
    duplicates: int  # people who got it more than once
    interrupted: int  # sends that were leaving at a kill, not repeated
    left_open: int  # deliveries still claimed or sending at the end
    stop_seconds: float  # SIGTERM in the middle of a send-out until the process exited
    stop_status: int | None
    stop_left_due: int  # what that stop left for the next start
    after_stop_delivered: int
    after_stop_duplicates: int
    seconds: float

    def summary(self) -> str:
        return (
            f"{self.people} check-ins due, {self.kills} SIGKILLs mid send-out: "
            f"{self.delivered} delivered after the restarts, {self.duplicates} twice, "
            f"{self.interrupted} leaving at a kill (not repeated), {self.left_open} left open; "
            f"SIGTERM mid send-out: stopped in {self.stop_seconds:.1f} s (exit "
            f"{self.stop_status}), {self.stop_left_due} left due, then "
            f"{self.after_stop_delivered} delivered, {self.after_stop_duplicates} twice; "
            f"{self.seconds:.0f} s"
        )


def make_due(db_path: Path, ids: list[int], now: datetime) -> None:
    """A daily check-in for each person, due this minute (UTC), with consent given."""
    due = now.replace(second=0, microsecond=0)
    db = open_db(db_path)
    stamp = to_db(now - timedelta(days=1))
    with db.atomic():
        for user_id in ids:
            db.execute(
                "insert into users (id, language, time_zone, consent_at, created_at, active)"
                " values (?, 'en', 'UTC', ?, ?, 1)",
                [user_id, stamp, stamp],
            )
            db.execute(
                "insert into schedules (user_id, kind, time_zone, local_time, weekdays,"
                " skip_if_logged, next_due_utc, active, created_at, updated_at)"
                " values (?, 'checkin', 'UTC', ?, '1234567', 1, ?, 1, ?, ?)",
                [user_id, due.strftime("%H:%M"), to_db(due), stamp, stamp],
            )
    db.close()


def prompts(server: BotApiServer, ids: list[int]) -> list[int]:
    wanted = set(ids)
    counts = dict.fromkeys(ids, 0)
    for call in server.calls:
        if call.ok and call.method.lower() == "sendmessage" and call.chat_id in wanted:
            counts[call.chat_id] += 1
    return [counts[i] for i in ids]


def _count(db_path: Path, sql: str, params: list) -> int:
    db = sqlite3.connect(db_path, timeout=10)
    try:
        return db.execute(sql, params).fetchone()[0]
    finally:
        db.close()


def open_work(db_path: Path) -> int:
    """Deliveries claimed or being sent, and schedules due: what is not settled yet."""
    now = to_db(datetime.now(UTC))
    return _count(
        db_path,
        "select (select count(*) from deliveries where status in ('claimed', 'sending'))"
        " + (select count(*) from schedules where active = 1 and next_due_utc <= ?)",
        [now],
    )


async def settle(db_path: Path, timeout: float) -> None:
    """Wait until the running bot has sent or settled everything due (wall clock: a drill)."""
    deadline = time.monotonic() + timeout
    while open_work(db_path) and time.monotonic() < deadline:
        await asyncio.sleep(0.5)


async def sendout_drill(
    workdir: Path, *, people: int = 60, kills: int = 3, stop_people: int = 300, seed: int = 1
) -> SendoutReport:
    rng = random.Random(seed)
    started = time.monotonic()
    server = BotApiServer(send_rate_limit=TELEGRAM_RATE)
    await server.start()
    db_path = workdir / "backcare.db"
    ids = list(range(FIRST_PERSON, FIRST_PERSON + people))
    later = list(range(ids[-1] + 1, ids[-1] + 1 + stop_people))
    for chat_id in [*ids, *later]:
        server.ensure_chat(chat_id, "private", first_name="P").started = True
    make_due(db_path, ids, datetime.now(UTC))
    bot = BotProcess(server, db_path, workdir / "bot.log", BACKCARE_TICK_SECONDS="1")
    try:
        await bot.start()
        # Kills land in the first two thirds, so the later ones still find sends to cut.
        points = sorted(rng.sample(range(1, people * 2 // 3), kills))
        for n, point in enumerate(points):
            await _kill_at(server, bot, ids, point, inside_a_send=n % 2 == 0)
            await bot.start()
        # What a kill left claimed is taken over once its lease has passed.
        await settle(db_path, LEASE.total_seconds() + READY_TIMEOUT)
        got = prompts(server, ids)
        interrupted = _count(
            db_path, "select count(*) from deliveries where status = 'interrupted'", []
        )
        left_open = open_work(db_path)

        make_due(db_path, later, datetime.now(UTC))
        await server.wait_for(lambda: sum(prompts(server, later)) > 0, READY_TIMEOUT)
        began = time.monotonic()
        stop_status = await bot.stop()
        stop_seconds = time.monotonic() - began
        left_due = sum(1 for n in prompts(server, later) if not n)
        await bot.start()
        await settle(db_path, READY_TIMEOUT)
        after = prompts(server, later)
    finally:
        await bot.stop()
        await server.stop()
    return SendoutReport(
        people=people,
        kills=kills,
        delivered=sum(1 for n in got if n),
        duplicates=sum(1 for n in got if n > 1),
        interrupted=interrupted,
        left_open=left_open,
        stop_seconds=stop_seconds,
        stop_status=stop_status,
        stop_left_due=left_due,
        after_stop_delivered=sum(1 for n in after if n),
        after_stop_duplicates=sum(1 for n in after if n > 1),
        seconds=time.monotonic() - started,
    )


async def _kill_at(
    server: BotApiServer, bot: BotProcess, ids: list[int], point: int, *, inside_a_send: bool
) -> None:
    """SIGKILL once `point` prompts have gone out: inside the call that sends the last of
    them (Telegram carried it out, the bot never hears back), or just after it."""
    if inside_a_send:
        landed = asyncio.Event()

        async def hook(method: str) -> None:
            if method.lower() == "sendmessage" and sum(prompts(server, ids)) >= point:
                server.after_call = None
                await bot.kill()
                landed.set()

        server.after_call = hook
        try:
            await asyncio.wait_for(landed.wait(), READY_TIMEOUT)
        finally:
            server.after_call = None
    else:
        await server.wait_for(lambda: sum(prompts(server, ids)) >= point, READY_TIMEOUT)
    await bot.kill()
