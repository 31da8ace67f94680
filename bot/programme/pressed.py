"""The day a plan button names, checked against the person who pressed it."""

from __future__ import annotations

from bot.chat.callbacks import Expired, Press
from bot.chat.turn import Turn
from storage import plans
from storage.plans import Day, Plan


def own_day(turn: Turn, press: Press) -> tuple[Plan, Day]:
    """The pressed day, if it is the person's own and its plan is still open."""
    day = plans.get_day(turn.db, turn.user_id, press.int_arg(0))
    plan = plans.get(turn.db, turn.user_id, day.plan_id) if day else None
    if day is None or plan is None or not plan.open:
        raise Expired("no such day, or the plan has ended")
    return plan, day
