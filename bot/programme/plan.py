"""The plan's rules: what today holds, how a week's answers change the next week. Pure:
no telegram, no database; the clock and the person's facts come in as arguments.

Six weeks of seven days. Days 1-6 of a week bring a lesson; day 7 is the weekly review.
A week's exercise dose and activity goal change only at its end, from what the person
told the bot (rules in content/programme/progression.yaml); a flare steps a week back.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import product
from statistics import mean

from bot.library.models import Dose
from bot.programme.models import (
    LESSONS_PER_WEEK,
    TRENDS,
    WEEKS,
    Change,
    Progression,
    Rule,
    Trend,
    When,
)

DAYS_PER_WEEK = LESSONS_PER_WEEK + 1
REAL_CHANGE = 2  # PSFS: a change of 2 points or more is more than measurement noise
TREND_POINTS = 1.0  # average pain this much higher (lower) than last week: worse (better)
MIN_SCORES = 2  # fewer pain scores than this in either week: the trend is unknown
ACUTE_DAYS = 14  # the `acute` caution lasts while the pain is under two weeks old
MAX_STEP_UP = 0.2  # pacing: never more than a fifth more a week


@dataclass(frozen=True)
class State:
    """Where the plan is and what it asks of the person now."""

    week: int  # 1..6
    day: int  # days of this week already sent, 0..7
    routine: str
    level: int  # 1..len(levels)
    minutes: int  # the daily activity goal
    first_routine: str  # where the plan began: stepping back from a later routine returns here


@dataclass(frozen=True)
class WeekFacts:
    """What one week showed: the person's own answers and their diary."""

    reviewed: bool = True
    sessions: int = 0
    easy: int = 0
    right: int = 0
    hard: int = 0
    leg: int = 0
    flare: bool = False
    pain: Trend = "unknown"
    activity_days: int = 0  # days answered "did it" or "part"

    @property
    def leg_pain(self) -> bool:
        return self.leg > 0


@dataclass(frozen=True)
class Decision:
    exercise: Change
    activity: Change
    exercise_rule: str
    activity_rule: str


def matches(when: When, facts: WeekFacts) -> bool:
    checks = (
        when.reviewed is None or when.reviewed == facts.reviewed,
        when.leg_pain is None or when.leg_pain == facts.leg_pain,
        when.flare is None or when.flare == facts.flare,
        when.pain is None or when.pain == facts.pain,
        when.sessions_below is None or facts.sessions < when.sessions_below,
        when.too_hard_at_least is None or facts.hard >= when.too_hard_at_least,
        when.too_hard_share_at_least is None
        or (facts.sessions > 0 and facts.hard / facts.sessions >= when.too_hard_share_at_least),
        when.activity_days_below is None or facts.activity_days < when.activity_days_below,
    )
    return all(checks)


def first_match(rules: Sequence[Rule], facts: WeekFacts) -> Rule:
    return next(rule for rule in rules if matches(rule.when, facts))  # the last matches all


def decide(progression: Progression, facts: WeekFacts) -> Decision:
    exercise = first_match(progression.exercise_rules, facts)
    activity = first_match(progression.activity_rules, facts)
    return Decision(exercise.then, activity.then, exercise.id, activity.id)


def never_up(facts: WeekFacts) -> bool:
    """Weeks after which nothing may go up: a worse week, a flare, leg pain, no review."""
    return facts.pain == "worse" or facts.flare or facts.leg_pain or not facts.reviewed


def every_week(max_sessions: int = DAYS_PER_WEEK) -> Iterable[WeekFacts]:
    """Every week a person can report, as the rules see it: they read how many sessions
    were too hard or spread into a leg, not how the others split between easy and right."""
    for reviewed, flare, pain, days in product(
        (True, False), (True, False), TRENDS, range(DAYS_PER_WEEK + 1)
    ):
        for sessions in range(max_sessions + 1):
            for hard, leg in product(range(sessions + 1), repeat=2):
                if hard + leg <= sessions:
                    rest = sessions - hard - leg
                    yield WeekFacts(reviewed, sessions, rest, 0, hard, leg, flare, pain, days)


def unsafe_rules(progression: Progression) -> list[str]:
    """Why these rules could step something up after a week that forbids it (none: safe)."""
    found: list[str] = []
    for facts in every_week():
        if not never_up(facts):
            continue
        decision = decide(progression, facts)
        for what, change, rule in (
            ("exercise", decision.exercise, decision.exercise_rule),
            ("activity", decision.activity, decision.activity_rule),
        ):
            if change == "up":
                found.append(f"{what} rule {rule} steps up after {facts}")
    return sorted(set(found))[:5]


# ---------------------------------------------------------------- exercise and activity
def scaled(progression: Progression, dose: Dose, level: int) -> Dose:
    """An exercise's own dose at a plan level, never above the safe maximum."""
    share = progression.levels[level - 1]
    top = progression.safe_max

    def scale(value: int, low: int, high: int) -> int:
        return max(low, min(high, math.floor(value * share + 0.5)))

    if dose.minutes is not None:
        return Dose(minutes=scale(dose.minutes, 1, top.minutes), each_side=dose.each_side)
    if dose.hold_seconds is not None:
        hold = scale(dose.hold_seconds, min(progression.min_hold_seconds, top.hold_seconds),
                     top.hold_seconds)  # fmt: skip
        times = scale(dose.times, 1, top.times)
        return Dose(hold_seconds=hold, times=times, each_side=dose.each_side)
    return Dose(times=scale(dose.times, 2, top.times), each_side=dose.each_side)


Allowed = Callable[[str], bool]  # whether a routine is safe and suits the person


def next_exercise(
    progression: Progression, state: State, change: Change, allowed: Allowed
) -> tuple[str, int]:
    """(routine, level) for next week. Up climbs a level, then moves to the next routine if
    it is allowed; back drops a level, and from the bottom of a later routine returns to the
    routine the plan began with, at its top."""
    top = len(progression.levels)
    if change == "up":
        if state.level < top:
            return state.routine, state.level + 1
        for following in progression.next_routine.get(state.routine, []):
            if allowed(following):
                return following, progression.next_routine_level
        return state.routine, top
    if change == "back":
        if state.level > 1:
            return state.routine, state.level - 1
        if state.routine != state.first_routine and allowed(state.first_routine):
            return state.first_routine, top
        return state.routine, 1
    return state.routine, state.level


def next_minutes(progression: Progression, minutes: int, change: Change) -> int:
    """The activity goal after a week: about 10-20% more on an "up" week, less on "back"."""
    spec = progression.activity
    if change == "up":
        step = max(spec.min_step_minutes, math.floor(minutes * spec.step_up + 0.5))
        step = min(step, math.ceil(minutes * MAX_STEP_UP))  # the minimum step never tops 20%
        return min(spec.max_minutes, minutes + step)
    if change == "back":
        step = max(spec.min_step_minutes, math.floor(minutes * spec.step_back + 0.5))
        return max(spec.min_minutes, minutes - step)
    return minutes


def start_minutes(progression: Progression, baseline: int) -> int:
    """Week 1's goal is what the person can already do without a flare: no more."""
    spec = progression.activity
    return max(spec.min_minutes, min(spec.max_minutes, baseline))


def next_week(
    progression: Progression, state: State, facts: WeekFacts, allowed: Allowed
) -> tuple[State, Decision]:
    decision = decide(progression, facts)
    routine, level = next_exercise(progression, state, decision.exercise, allowed)
    minutes = next_minutes(progression, state.minutes, decision.activity)
    moved = replace(state, week=state.week + 1, day=0, routine=routine, level=level,
                    minutes=minutes)  # fmt: skip
    return moved, decision


def step_back(progression: Progression, state: State, allowed: Allowed) -> State:
    """A flare: this week starts again, one week back, with last week's easier dose."""
    routine, level = next_exercise(progression, state, "back", allowed)
    minutes = next_minutes(progression, state.minutes, "back")
    week = max(1, state.week - 1)
    return replace(state, week=week, day=0, routine=routine, level=level, minutes=minutes)


# ---------------------------------------------------------------- the days
def is_review_day(day: int) -> bool:
    """`day` is the day of the week about to be sent (1..7)."""
    return day == DAYS_PER_WEEK


def is_last_week(week: int) -> bool:
    return week >= WEEKS


def pain_trend(this_week: Sequence[int], last_week: Sequence[int]) -> Trend:
    if len(this_week) < MIN_SCORES or len(last_week) < MIN_SCORES:
        return "unknown"
    change = mean(this_week) - mean(last_week)
    if change >= TREND_POINTS:
        return "worse"
    if change <= -TREND_POINTS:
        return "better"
    return "same"


def real_change(before: int, after: int) -> bool:
    return abs(after - before) >= REAL_CHANGE


def cautions_now(tags: Iterable[str], checked_on: date, today: date) -> frozenset[str]:
    """The check's cautions today: `acute` (pain under two weeks old) lapses with time."""
    found = frozenset(tags)
    if "acute" in found and today - checked_on >= timedelta(days=ACUTE_DAYS):
        return found - {"acute"}
    return found
