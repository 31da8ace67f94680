"""Garbage collection settings for the serving process.

CPython collects its youngest generation every 700 new objects. Each press makes
thousands (the update, its keyboard, the request and the reply), so under load the
bot spent a quarter of its CPU in the collector, much of it walking, again and again,
the content and modules loaded at start-up (benchmarks/throughput.py).
"""

from __future__ import annotations

import gc

THRESHOLDS = (20_000, 10, 10)


def tune_gc() -> None:
    """Once the bot is built, before it serves: leave what was loaded at start-up out
    of every later collection, and collect less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
