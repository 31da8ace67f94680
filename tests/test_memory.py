"""The serving process's garbage collection settings (bot/runtime/memory.py)."""

import gc

from bot.runtime.memory import THRESHOLDS, tune_gc


def test_tune_gc_freezes_what_is_loaded_and_collects_less_often():
    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.get_threshold() == THRESHOLDS
        assert THRESHOLDS[0] > before[0]
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
