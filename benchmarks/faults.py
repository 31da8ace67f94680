"""The fault drill at full size: people use the bot while 10% of Bot API calls fail.

    .venv/bin/python benchmarks/faults.py [--users 20] [--rounds 5] [--seed 2026] [--rate 0.1]

Prints how many steps completed, the faults injected by kind, how many calls the
bot retried, and whether every confirmed diary entry is stored exactly once.
Exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
from pathlib import Path

from tests.drills.drills import fault_drill


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rate", type=float, default=0.1)
    parser.add_argument("--webhook", action="store_true", help="deliver updates by webhook")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    with tempfile.TemporaryDirectory() as tmp:
        report = asyncio.run(
            fault_drill(
                Path(tmp) / "backcare.db",
                users=args.users,
                rounds=args.rounds,
                seed=args.seed,
                rate=args.rate,
                webhook=args.webhook,
            )
        )
    print(report.summary())
    for line in [*report.tally.failed, *report.diary_problems]:
        print("  ", line.splitlines()[0])
    ok = not report.tally.failed and not report.diary_problems
    return 0 if ok and report.tally.steps == report.steps_expected else 1


if __name__ == "__main__":
    raise SystemExit(main())
