"""The hostile-input drill at full size.

    .venv/bin/python benchmarks/hostile.py [--updates 10000] [--users 12] [--seed 2026]

Prints the updates sent by kind, handler errors, replies the stand-in refused,
and leaks of one person's data to another. Exits 1 if any of those is not zero.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
from pathlib import Path

from tests.drills.drills import hostile_drill


class Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    errors = Errors()
    logging.basicConfig(level=logging.CRITICAL)
    logging.getLogger().addHandler(errors)
    with tempfile.TemporaryDirectory() as tmp:
        report = asyncio.run(
            hostile_drill(
                Path(tmp) / "backcare.db",
                updates=args.updates,
                users=args.users,
                seed=args.seed,
                errors=lambda: len(errors.lines),
            )
        )
    print(report.summary())
    for line in [*errors.lines[:10], *report.rejections[:10], *report.leaks[:10]]:
        print("  ", line)
    return 0 if not (report.errors or report.rejections or report.leaks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
