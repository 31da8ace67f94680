"""The plan's costs: building one daily message (what the tick does for every person on a
plan before it sends), closing a week, and the caution check a stretch reminder makes
before it is sent (the last check restored: should new exercise wait?), on a real
database file with many plans.

    .venv/bin/python benchmarks/plan.py [--people 2000]

Each person has a plan begun from a saved check, a week of days, sessions and pain
scores. The tick sends about 28 messages a second, so building one must stay well under
35 ms; a week's close runs once a week per person, when they finish their review.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from types import SimpleNamespace

from bot.content import load
from bot.programme import service
from bot.programme.handlers import exercise_caution
from storage import diary, plans, triage, users
from storage.db import open_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TARGET_MS = {"daily message": 10, "week close": 30, "stretch caution": 5}


def plain_answers(graph) -> list[list[str]]:
    """A finished check: at each question the first option with no tier of its own (rules
    may still raise one; with today's content it is urgent, so the caution is shown)."""
    session = graph.begin()
    while not session.finished:
        node = graph.current(session)
        option = next(o for o in node.options.values() if o.effect.tier is None)
        session = graph.answer(session, node.id, option.id)
    return [list(pair) for pair in session.answers]


def fill(db, people: int, graph) -> None:
    finished = graph.result(graph.restore(plain_answers(graph)))
    for uid in range(1, people + 1):
        users.ensure(db, uid, "en", NOW)
        users.set_consent(db, uid, NOW)
        triage.save_result(db, uid, finished, graph_version=graph.version, now=NOW)
        plan = plans.start(
            db, uid, goal="walking", routine="fresh_strain", level=1, minutes=10,
            baseline_minutes=10, conditions=["strain"], cautions=["acute"], checked_at=NOW,
            activities=[("putting my socks on", 3), ("sitting", 5)], zone="Europe/London",
            at=clock_time(19, 0), now=NOW,
        )  # fmt: skip
        for day in range(6):
            moment = NOW + timedelta(days=day, hours=10)
            diary.add_entry(db, uid, recorded_at=moment, pain=4 + day % 3, places=[], tags=[],
                            note=None, source="plan", now=moment)  # fmt: skip
            plans.add_session(db, plan, week=1, routine="fresh_strain", level=1,
                              feedback="right", run=f"{uid}-{day}", now=moment)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    args = parser.parse_args()
    content = load()
    with tempfile.TemporaryDirectory() as folder:
        db = open_db(Path(folder) / "plan.db")
        started = time.perf_counter()
        fill(db, args.people, content.triage)
        print(f"{args.people} plans filled in {time.perf_counter() - started:.1f} s")
        build, close, caution = [], [], []
        svc = SimpleNamespace(db=db, content=content)
        later = NOW + timedelta(days=1, hours=10)
        for uid in range(1, min(args.people, 400) + 1):
            plan = plans.current(db, uid)
            assert plan is not None
            t0 = time.perf_counter()
            service.open_day(db, content.programme, content.library, plan, later,
                             delivery_id=None)  # fmt: skip
            build.append(time.perf_counter() - t0)
            plan = plans.current(db, uid)
            assert plan is not None and content.programme.progression is not None
            t0 = time.perf_counter()
            service.close_week(db, content.programme.progression, content.library, plan,
                               later, reviewed=True)  # fmt: skip
            close.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            exercise_caution(svc, uid, later)
            caution.append(time.perf_counter() - t0)
        print(f"python {platform.python_version()}, {platform.machine()}")
        for name, values in (
            ("daily message", build),
            ("week close", close),
            ("stretch caution", caution),
        ):
            median = statistics.median(values) * 1000
            worst = max(values) * 1000
            print(f"{name}: median {median:.2f} ms, max {worst:.2f} ms"
                  f" (target under {TARGET_MS[name]} ms)")  # fmt: skip


if __name__ == "__main__":
    main()
