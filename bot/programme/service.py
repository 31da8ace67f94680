"""The plan against the database: who may start one, what a day holds, closing a week,
stepping back for a flare. No telegram here; handlers and the tick call these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.diary import queries as diary_queries
from bot.diary import stats as diary_stats
from bot.library.models import HARDER, REFERENCE, Library
from bot.library.stretches import suitable_routines
from bot.programme import plan as rules
from bot.programme.load import Programme
from bot.programme.models import FEEDBACK, FLARE_LESSON, Progression
from bot.programme.plan import DAYS_PER_WEEK, Decision, State, WeekFacts
from bot.triage.engine import SEEN_FIRST, Graph, InvalidAnswer
from storage import diary, plans
from storage import triage as results
from storage.db import to_db
from storage.plans import Plan

# ---------------------------------------------------------------- who may start
UNDER_16 = "u16"  # the check's age answer for under-16s: NICE NG59 covers 16 and over


@dataclass(frozen=True)
class Gate:
    """Whether a plan may start, and from which check."""

    reason: str  # ok, needs_check, seen_first, no_exercise, warned, no_routine, too_young
    tier: str | None = None
    conditions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    checked_at: datetime | None = None
    routine: str | None = None

    @property
    def ok(self) -> bool:
        return self.reason == "ok"


def gate(db: Database, library: Library, graph: Graph | None, user_id: int, now: datetime) -> Gate:
    """A plan starts from the person's last check. Not after an urgent or emergency result,
    or one that asked for no new exercise, until they say they have been seen."""
    found = results.history(db, user_id, 1)
    if not found or graph is None:
        return Gate("needs_check")
    saved = found[0]
    loaded = results.one(db, user_id, saved.id)
    try:
        outcome = graph.result(graph.restore(loaded[1])) if loaded else None
    except (InvalidAnswer, ValueError, KeyError):
        outcome = None  # the check's questions have changed since: check again
    if outcome is None:
        return Gate("needs_check", saved.tier)
    if ["age", UNDER_16] in loaded[1]:  # type: ignore[index]
        return Gate("too_young", saved.tier)  # the plan and its guidance are for adults
    cleared = plans.cleared_at(db, user_id)
    seen = cleared is not None and cleared > saved.created_at  # a tie is not "since"
    if saved.tier in SEEN_FIRST and not seen:
        return Gate("seen_first", saved.tier)
    if outcome.no_exercise and not seen:
        return Gate("no_exercise", saved.tier)
    if warned_since_check(db, user_id):  # typed words, or a hold, since that check
        return Gate("warned", saved.tier)
    tags = tuple(outcome.tags)
    routine = first_routine(library, saved.conditions, tags, saved.created_at, now)
    if routine is None:
        return Gate("no_routine", saved.tier)
    return Gate("ok", saved.tier, saved.conditions, tags, saved.created_at, routine)


def _avoid(library: Library, conditions, cautions) -> set[str]:
    avoid = set(cautions)
    for condition in conditions:
        page = library.page(condition, REFERENCE)
        if page is not None:
            avoid |= set(page.cautions)
    return avoid


def first_routine(library: Library, conditions, tags, checked_at, now) -> str | None:
    """The gentle routine that suits the check best, cautions applied."""
    cautions = rules.cautions_now(tags, checked_at.date(), now.date())
    for choice in (list(conditions), []):
        gentle = [r for r in suitable_routines(library, choice, cautions) if r.level != HARDER]
        if gentle:
            return gentle[0].id
    return None


def allowed_for(library: Library, plan: Plan, now: datetime):
    """Whether a routine may be offered to this person today: none of its exercises is to
    be avoided with their cautions (or their conditions' own), and it suits their most
    likely explanation."""
    cautions = rules.cautions_now(plan.cautions, plan.checked_at.date(), now.date())
    avoid = _avoid(library, plan.conditions, cautions)

    def allowed(routine_id: str) -> bool:
        routine = library.routines.get(routine_id)
        if routine is None or library.routine_avoid(routine) & avoid:
            return False
        return not plan.conditions or plan.conditions[0] in library.routine_suits(routine)

    return allowed


def state_of(plan: Plan) -> State:
    return State(plan.week, plan.day, plan.routine, plan.level, plan.minutes, plan.first_routine)


# ---------------------------------------------------------------- a week's facts
def pain_scores(db: Database, user_id: int, start: datetime, end: datetime) -> list[int]:
    return [e.pain for e in diary.entries_between(db, user_id, start, end) if e.pain is not None]


def week_facts(
    db: Database, plan: Plan, now: datetime, *, reviewed: bool, felt: str | None = None
) -> WeekFacts:
    """The week's facts; with too few pain scores to compare, the person's own answer to
    "better, the same or worse?" (`felt`) stands for the trend."""
    start = plan.week_started_at
    # A session stopped before half the routine steps nothing up, but one that was too
    # hard or sent pain into a leg always counts.
    done = [s for s in plans.sessions(db, plan.user_id, plan.id, since=start)
            if s.most_done or s.feedback in ("hard", "leg")]  # fmt: skip
    counts = {kind: sum(1 for s in done if s.feedback == kind) for kind in FEEDBACK}
    days = plans.days(db, plan.user_id, plan.id, since=start)
    this_week = pain_scores(db, plan.user_id, start, now)
    before = pain_scores(db, plan.user_id, start - timedelta(days=DAYS_PER_WEEK), start)
    return WeekFacts(
        reviewed=reviewed,
        sessions=len(done),
        easy=counts["easy"],
        right=counts["right"],
        hard=counts["hard"],
        leg=counts["leg"],
        flare=diary_queries.flare_check(db, plan.user_id) is not None,
        pain=_trend(rules.pain_trend(this_week, before), felt),
        activity_days=sum(1 for d in days if d.activity in ("did", "part")),
    )


def _trend(measured: str, felt: str | None):
    return felt if measured == "unknown" and felt in ("better", "same", "worse") else measured


def week_pain(db: Database, plan: Plan, now: datetime) -> float | None:
    scores = pain_scores(db, plan.user_id, plan.week_started_at, now)
    return round(sum(scores) / len(scores), 1) if scores else None


# ---------------------------------------------------------------- moving on
@dataclass(frozen=True)
class Closed:
    plan: Plan  # as stored after the close
    facts: WeekFacts
    decision: Decision | None  # None when the plan finished
    finished: bool


def close_week(
    db: Database, progression: Progression, library: Library, plan: Plan, now: datetime,
    *, reviewed: bool, felt: str | None = None,
) -> Closed | None:  # fmt: skip
    """End the plan's week: decide next week from what it showed, or finish after week 6.
    None if the plan moved on meanwhile (a replayed review)."""
    facts = week_facts(db, plan, now, reviewed=reviewed, felt=felt)
    before = state_of(plan)
    record = {
        "week": plan.week,
        "reviewed": int(reviewed),
        "sessions": facts.sessions,
        "hard": facts.hard,
        "leg": facts.leg,
        "activity_days": facts.activity_days,
        "flare": int(facts.flare),
        "pain_avg": week_pain(db, plan, now),
        "pain_trend": facts.pain,
        "routine_before": before.routine,
        "level_before": before.level,
        "minutes_before": before.minutes,
    }
    with db.atomic():
        fresh = plans.get(db, plan.user_id, plan.id)
        if fresh is None or (fresh.week, fresh.day) != (plan.week, plan.day) or not fresh.open:
            return None
        if rules.is_last_week(plan.week):
            plans.record_week(db, plan, {**record, "outcome": "finished"}, now)
            plans.end(db, plan, "finished", now)
            return Closed(plans.get(db, plan.user_id, plan.id), facts, None, True)  # type: ignore[arg-type]
        allowed = allowed_for(library, plan, now)
        after, decision = rules.next_week(progression, before, facts, allowed)
        plans.record_week(
            db,
            plan,
            {
                **record,
                "outcome": "next",
                "exercise": decision.exercise,
                "activity": decision.activity,
                "exercise_rule": decision.exercise_rule,
                "activity_rule": decision.activity_rule,
                "routine_after": after.routine,
                "level_after": after.level,
                "minutes_after": after.minutes,
            },
            now,
        )
        moved = plans.save_state(
            db, plan, week=after.week, day=0, routine=after.routine, level=after.level,
            minutes=after.minutes, now=now,
        )  # fmt: skip
    return Closed(moved, facts, decision, False)


def step_back(
    db: Database, progression: Progression, library: Library, plan: Plan, now: datetime
) -> Plan | None:
    """A flare: one step back a week, once a week. None if this week already stepped back."""
    if plan.status != "active" or plan.flare_week == plan.week:
        return None
    before = state_of(plan)
    after = rules.step_back(progression, before, allowed_for(library, plan, now))
    with db.atomic():
        plans.record_week(
            db,
            plan,
            {
                "week": plan.week,
                "outcome": "flare",
                "flare": 1,
                "exercise": "back",
                "activity": "back",
                "exercise_rule": "flare",
                "activity_rule": "flare",
                "routine_before": before.routine,
                "level_before": before.level,
                "minutes_before": before.minutes,
                "routine_after": after.routine,
                "level_after": after.level,
                "minutes_after": after.minutes,
                "day_before": plan.day,
                "week_started_before": to_db(plan.week_started_at),
            },
            now,
        )
        return plans.save_state(
            db, plan, week=after.week, day=0, routine=after.routine, level=after.level,
            minutes=after.minutes, now=now, flare_week=after.week,
        )  # fmt: skip


def hold(db: Database, plan: Plan, now: datetime, *, reviewed: bool) -> None:
    """A new warning sign: this week ends here, the plan waits until they have been seen."""
    with db.atomic():
        plans.record_week(
            db, plan,
            {"week": plan.week, "outcome": "held", "reviewed": int(reviewed), "exercise": "stay",
             "activity": "stay", "routine_before": plan.routine, "level_before": plan.level,
             "minutes_before": plan.minutes},
            now,
        )  # fmt: skip
        plans.set_status(db, plan, "held", now)
        # Until seen, no plan starts either (Start again, or Stop and a new one).
        plans.set_warned(db, plan.user_id, now)


def flare_now(db: Database, user_id: int) -> bool:
    return diary_queries.flare_check(db, user_id) is not None


def among_flare_scores(db: Database, user_id: int, entry_id: int) -> bool:
    """Whether this entry is one of the newest scores the flare check looks at."""
    latest = diary.latest_pain_entries(db, user_id, diary_stats.FLARE_RECENT)
    return any(entry.id == entry_id for entry in latest)


def warned_since_check(db: Database, user_id: int) -> bool:
    """Words or answers that can be a warning sign, not cleared by "I've been seen" or a
    newer check since (with or without any check before them)."""
    warned = plans.warned_at(db, user_id)
    if warned is None:
        return False
    cleared = plans.cleared_at(db, user_id)
    if cleared is not None and cleared > warned:
        return False
    latest = results.history(db, user_id, 1)
    return not latest or latest[0].created_at <= warned


# ---------------------------------------------------------------- the day's message
@dataclass(frozen=True)
class Today:
    plan: Plan
    day: plans.Day
    closed: Closed | None = None  # the week that ended before this day, unreviewed


def next_lesson(programme: Programme, plan: Plan) -> str | None:
    """The first lesson not yet sent, in reading order (the flare lesson may come early)."""
    for lesson in programme.lessons:
        if lesson.id not in plan.lessons_read:
            return lesson.id
    return None


def open_day(
    db: Database,
    programme: Programme,
    library: Library,
    plan: Plan,
    now: datetime,
    *,
    delivery_id: int | None,
) -> Today | None:
    """The day a daily message carries, made once per delivery. A week whose review was
    not done closes first (nothing steps up without the review). None if the plan ended."""
    if delivery_id is not None:
        made = plans.day_of_delivery(db, plan.user_id, delivery_id)
        if made is not None:
            current = plans.get(db, plan.user_id, made.plan_id) or plan
            return Today(current, made)
    closed = None
    if plan.day >= DAYS_PER_WEEK:
        assert programme.progression is not None
        closed = close_week(db, programme.progression, library, plan, now, reviewed=False)
        if closed is None:
            return None
        if closed.finished:
            return Today(closed.plan, _end_day(db, closed.plan, now, delivery_id), closed)
        plan = closed.plan
    number = plan.day + 1
    lesson = None if rules.is_review_day(number) else next_lesson(programme, plan)
    with db.atomic():
        day = plans.add_day(
            db, plan, delivery_id=delivery_id, week=plan.week, day=number, lesson=lesson, now=now
        )
        read = [*plan.lessons_read, lesson] if lesson else list(plan.lessons_read)
        plan = plans.save_state(
            db, plan, week=plan.week, day=number, routine=plan.routine, level=plan.level,
            minutes=plan.minutes, lessons_read=read, now=now,
        )  # fmt: skip
    return Today(plan, day, closed)


def _end_day(db: Database, plan: Plan, now: datetime, delivery_id: int | None) -> plans.Day:
    """The last message of a finished plan: its summary (day 0 marks it)."""
    return plans.add_day(
        db, plan, delivery_id=delivery_id, week=plan.week, day=0, lesson=None, now=now
    )


def flare_lesson(programme: Programme) -> int | None:
    for index, lesson in enumerate(programme.lessons):
        if lesson.id == FLARE_LESSON:
            return index
    return None
