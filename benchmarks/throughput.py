"""Throughput: the real bot against the framework's floor, end to end through the stand-in.

    .venv/bin/python benchmarks/throughput.py [--users 200] [--rounds 3] [--think 2.0]

Starts the Bot API stand-in in this process, then runs, in turn (bot, floor, bot,
floor, ...), (a) the real bot on a fresh database and (b) the floor bot
(benchmarks/floor.py), each in a process of its own so that its CPU time and peak
memory are its own. Every simulated person opens the chat with /start and presses
20 buttons: with the real bot, consent, a full check (eleven questions) and one diary
entry; with the floor, 20 presses that each edit the message with new buttons.

Each round runs both bots twice:
- flat out: everyone presses again as soon as the reply has arrived, so the bot is
  never idle: presses per second is its throughput (and latency is mostly queueing);
- paced: everyone reads for a while (0.5 to 1.5 times --think seconds) before each
  press, as people do: latency is what a person waits at that load.

Latency runs from the moment an update is available to the bot until the stand-in
receives the reply the person acts on. Figures are medians over the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from floor import STOCK, Shape, build_floor  # noqa: E402
from rss import peak_mb  # noqa: E402

from bot.sim.client import SimUser  # noqa: E402
from bot.sim.server import BotApiServer  # noqa: E402

# Consent, a check down the self-care path (eleven questions), then one diary entry.
BOT_PRESSES = [
    "Yes, keep my notes",
    "Check my back",
    "None of these",  # chest pain, tearing pain, fever with a stiff neck
    "No",  # bladder, bowel, numbness
    "No",  # both legs
    "Suddenly, lifting or twisting",
    "None of these",  # urgent warning signs
    "20 to 34",
    "No",  # pregnant, weak bones
    "Lower back only",
    "Less than 2 weeks",
    "Moving, bending or lifting",
    "None of these",  # work pattern
    "Log today's pain",
    "5",
    "Lower back",
    "Next »",  # places
    "Next »",  # tags
    "Skip",  # note
    "Now",
    "✅ Save",
]
FLOOR_PRESSES = ["Option 1"] * len(BOT_PRESSES)
BOT_DONE = "Saved."  # the reply to the last press
TARGET_RATIO, TARGET_P99_MS = 0.8, 50.0
KINDS = ("bot", "floor")
MODES = ("flat out", "paced")


# ---------------------------------------------------------------- the people
def newest_buttons(user: SimUser):
    for message in reversed(user.bot_messages()):
        if message.buttons:
            return message
    return None


def has_button(user: SimUser, label: str) -> Callable[[], bool]:
    def check() -> bool:
        message = newest_buttons(user)
        return message is not None and label in message.button_labels()

    return check


async def tap(user: SimUser, label: str) -> int:
    message = newest_buttons(user)
    for row in message.buttons if message else []:
        for button in row:
            if button["text"] == label:
                return await user.press_data(button["callback_data"], message)
    raise AssertionError(f"user {user.user_id}: no button {label!r} in {user.buttons()}")


async def journey(
    server: BotApiServer, user: SimUser, labels: list[str], done: str | None, think: float
) -> list[float]:
    """/start, then press each label once the reply showing it has arrived (after
    reading for a while when `think` is set). Returns each press's latency in seconds."""
    rng = random.Random(user.user_id % 1_000_000)  # the same pace for the bot and the floor

    async def read(share: float = 1.0) -> None:
        if think:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think * share)

    await read(2.0)  # people arrive over the first few seconds, not all at once
    update_id = await user.send("/start")
    await server.wait_reply(update_id, has_button(user, labels[0]))
    latencies = []
    for label, after in zip(labels, [*labels[1:], None], strict=True):
        await read()
        update_id = await tap(user, label)
        if after is not None:
            until = has_button(user, after)
        elif done is not None:
            until = lambda: done in user.last_text()  # noqa: E731
        else:
            until = None
        replied = await server.wait_reply(update_id, until)
        latencies.append(replied - server.update_available_at[update_id])
    return latencies


# ---------------------------------------------------------------- one run
@dataclass
class Run:
    kind: str
    mode: str
    presses: int
    seconds: float
    latencies: list[float]
    cpu: float  # the bot process's CPU seconds while the people were pressing
    rss_mb: float  # the bot process's peak resident memory
    standin_cpu: float  # this process (stand-in and people) over the same time
    calls: collections.Counter = field(default_factory=collections.Counter)
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.presses / self.seconds

    @property
    def cpu_ms(self) -> float:
        return self.cpu / self.presses * 1000

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] * 1000


async def run_once(
    server: BotApiServer,
    kind: str,
    mode: str,
    users: int,
    think: float,
    first_id: int,
    profile: str | None = None,
    floor: Shape = STOCK,
) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "bot.log"
        with open(log_path, "wb") as log_file:
            child = await asyncio.create_subprocess_exec(
                sys.executable,
                __file__,
                "--child",
                kind,
                "--base-url",
                server.base_url,
                "--db",
                str(Path(tmp) / "backcare.db"),
                *(["--profile", profile] if profile else []),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=log_file,
                env={
                    **os.environ,
                    "BENCH_TOKEN": server.token,
                    "BENCH_FLOOR": ",".join(str(int(n)) for n in floor),
                },
            )
            assert child.stdin is not None and child.stdout is not None
            line = await child.stdout.readline()
            if line.strip() != b"ready":
                await child.wait()
                raise RuntimeError(f"{kind} did not start: {log_path.read_text()[-2000:]}")
            people = [SimUser(server, first_id + n, first_name="P") for n in range(users)]
            labels, done = (BOT_PRESSES, BOT_DONE) if kind == "bot" else (FLOOR_PRESSES, None)
            pause = think if mode == "paced" else 0.0
            calls_before = len(server.calls)
            cpu0, began = time.process_time(), time.monotonic()
            results = await asyncio.gather(
                *(journey(server, person, labels, done, pause) for person in people)
            )
            seconds = time.monotonic() - began
            standin_cpu = time.process_time() - cpu0
            calls = collections.Counter(c.method for c in server.calls[calls_before:])
            child.stdin.write(b"stop\n")
            await child.stdin.drain()
            server.wake_pollers()
            report = json.loads(await child.stdout.readline())
            await child.wait()
        errors = [line for line in log_path.read_text().splitlines() if " ERROR " in line]
    return Run(
        kind=kind,
        mode=mode,
        presses=users * len(labels),
        seconds=seconds,
        latencies=[x for r in results for x in r],
        cpu=report["cpu"],
        rss_mb=report["rss_mb"],
        standin_cpu=standin_cpu,
        calls=calls,
        errors=errors,
    )


# ---------------------------------------------------------------- the bot process
async def serve(kind: str, base_url: str, db_path: str, profile: str | None) -> None:
    """Run one bot until told to stop on stdin; print its CPU time and peak memory.

    Both bots get the serving process's garbage collection settings (bot/runtime/memory.py),
    as `backcare run` does."""
    from bot.runtime.memory import tune_gc

    token = os.environ["BENCH_TOKEN"]
    if kind == "bot":
        from bot.app import build_application
        from bot.config import Settings
        from bot.logs import setup_logging

        setup_logging("INFO", token)  # as `backcare run` logs
        settings = Settings(token, base_url, db_path, 30, frozenset(), "INFO")
        app = build_application(settings)
    else:
        shape = Shape(*(int(n) for n in os.environ["BENCH_FLOOR"].split(",")))
        app = build_floor(token, base_url, shape)
    tune_gc()
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=10)
    await app.start()
    profiler = cProfile.Profile() if profile else None
    print("ready", flush=True)
    cpu0 = time.process_time()
    if profiler is not None:
        profiler.enable()
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    cpu = time.process_time() - cpu0
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
    if app.post_shutdown:
        await app.post_shutdown(app)
    rss_mb = peak_mb()
    print(json.dumps({"cpu": cpu, "rss_mb": rss_mb}), flush=True)


# ---------------------------------------------------------------- report
def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


HEADER = ("", "presses/s", "p50 ms", "p95 ms", "p99 ms", "CPU s", "CPU ms/press", "RSS MB")


def line(name: str, figures: tuple) -> str:
    return f"{name:<16}" + "".join(f"{figure:>13}" for figure in figures)


def figures(runs: list[Run]) -> tuple[str, ...]:
    def med(value: Callable[[Run], float]) -> float:
        return statistics.median(value(r) for r in runs)

    return (
        f"{med(lambda r: r.rate):.0f}",
        f"{med(lambda r: r.pct(50)):.1f}",
        f"{med(lambda r: r.pct(95)):.1f}",
        f"{med(lambda r: r.pct(99)):.1f}",
        f"{med(lambda r: r.cpu):.2f}",
        f"{med(lambda r: r.cpu_ms):.2f}",
        f"{med(lambda r: r.rss_mb):.0f}",
    )


def show(run: Run, round_: int) -> None:
    print(line(f"{run.kind} {run.mode[:5]} {round_}", figures([run])), flush=True)
    for error in run.errors[:3]:
        print(f"    {run.kind} logged: {error[:160]}")


async def bench(
    users: int,
    rounds: int,
    think: float,
    profile: str | None,
    modes: tuple[str, ...] = MODES,
    floor: Shape = STOCK,
) -> None:
    presses = len(BOT_PRESSES)
    print(f"{machine()}; {users} people x {presses} presses, {rounds} rounds, think {think} s")
    unread = "left unread" if floor.unread else "read back"
    print(f"floor messages: {floor.buttons} buttons, {floor.text} characters added; edits {unread}")
    print(line(*HEADER[:1], HEADER[1:]))
    server = BotApiServer(max_poll_wait=1.0)
    await server.start()
    runs: dict[tuple[str, str], list[Run]] = collections.defaultdict(list)
    next_id = 10_000_000
    try:
        for n in range(1, rounds + 1):
            for mode in modes:
                for kind in KINDS:
                    profiled = profile and n == rounds and mode == "flat out"
                    path = f"{profile}.{kind}" if profiled else None
                    run = await run_once(server, kind, mode, users, think, next_id, path, floor)
                    next_id += 10_000_000
                    runs[mode, kind].append(run)
                    show(run, n)
    finally:
        await server.stop()
    print(f"medians of {rounds}")
    for mode in modes:
        for kind in KINDS:
            print(line(f"{kind} {mode}", figures(runs[mode, kind])))
    for kind in KINDS:
        calls = runs[modes[0], kind][0].calls
        share = ", ".join(f"{m} {n / (users * presses):.2f}" for m, n in sorted(calls.items()))
        print(f"API calls per press, {kind}: {share}")
    if "flat out" in modes:
        rate = {k: statistics.median(r.rate for r in runs["flat out", k]) for k in KINDS}
        cpu = {k: statistics.median(r.cpu_ms for r in runs["flat out", k]) for k in KINDS}
        print(
            f"bot / floor, flat out: throughput {rate['bot'] / rate['floor']:.2f}"
            f" (target >= {TARGET_RATIO}), CPU per press {cpu['bot'] / cpu['floor']:.2f}"
        )
    if "paced" in modes:
        p99 = statistics.median(r.pct(99) for r in runs["paced", "bot"])
        print(f"bot p99, paced: {p99:.1f} ms (target < {TARGET_P99_MS:.0f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds between presses")
    parser.add_argument(
        "--profile", help="cProfile the last flat-out runs into PROFILE.bot and PROFILE.floor"
    )
    parser.add_argument(
        "--only", choices=MODES, help="run one mode only (for profiling or a quick look)"
    )
    parser.add_argument(
        "--floor-buttons", type=int, default=4, help="buttons on each of the floor's messages"
    )
    parser.add_argument(
        "--floor-text", type=int, default=0, help="characters added to each floor message"
    )
    parser.add_argument(
        "--floor-unread",
        action="store_true",
        help="the floor leaves each edit's result unread, as the bot does (a control)",
    )
    parser.add_argument("--child", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        asyncio.run(serve(args.child, args.base_url, args.db, args.profile))
    else:
        modes = (args.only,) if args.only else MODES
        floor = Shape(args.floor_buttons, args.floor_text, args.floor_unread)
        asyncio.run(bench(args.users, args.rounds, args.think, args.profile, modes, floor))


if __name__ == "__main__":
    main()
