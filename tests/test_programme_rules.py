"""The plan's adaptation rules, walked exhaustively: every week a person can report, at
every level of every routine, for every set of cautions. No stand-in needed: plan.py is pure."""

from __future__ import annotations

from itertools import chain, combinations

import pytest

from bot import content
from bot.library.models import AVOID_TAGS, REFERENCE
from bot.programme import plan as rules
from bot.programme.models import Progression
from bot.programme.plan import State, WeekFacts


@pytest.fixture(scope="module")
def loaded():
    return content.load()


@pytest.fixture(scope="module")
def progression(loaded) -> Progression:
    assert loaded.programme.progression is not None
    return loaded.programme.progression


def caution_sets():
    tags = sorted(AVOID_TAGS)
    return chain.from_iterable(combinations(tags, n) for n in range(len(tags) + 1))


def allowed_for(library, conditions, cautions):
    avoid = set(cautions)
    for condition in conditions:
        page = library.page(condition, REFERENCE)
        avoid |= set(page.cautions) if page else set()

    def allowed(routine_id):
        routine = library.routines[routine_id]
        if library.routine_avoid(routine) & avoid:
            return False
        return not conditions or conditions[0] in library.routine_suits(routine)

    return allowed


def test_nothing_steps_up_after_a_worse_week_a_flare_leg_pain_or_no_review(progression):
    checked = 0
    for facts in rules.every_week():
        decision = rules.decide(progression, facts)
        checked += 1
        if rules.never_up(facts):
            assert decision.exercise != "up" and decision.activity != "up", (facts, decision)
        if facts.leg_pain or facts.flare:
            assert decision.exercise == "back", (facts, decision)
    assert checked == 15360


def test_a_rule_file_that_would_step_up_after_a_worse_week_is_refused(progression):
    unsafe = progression.model_copy(
        update={"activity_rules": [progression.activity_rules[-1]]}  # "up", whatever the week
    )
    assert rules.unsafe_rules(unsafe)


def test_no_path_exceeds_the_safe_maximum_or_picks_an_excluded_exercise(loaded, progression):
    """Every routine a plan can start from or move to, at every level, for every set of
    cautions and every condition: doses within the maximum, no exercise the person's
    cautions exclude, whatever the weeks bring (up, stay, back, in any order)."""
    library = loaded.library
    top = progression.safe_max
    paths = 0
    for conditions in [
        [c]
        for c in library.pages.get(REFERENCE, {})
        if library.page(c, REFERENCE).kind == "condition"
    ] + [[]]:
        for cautions in caution_sets():
            allowed = allowed_for(library, conditions, cautions)
            starts = [
                r.id for r in library.routines.values() if r.level == "gentle" and allowed(r.id)
            ]
            for start in starts:
                seen = set()
                frontier = [State(1, 0, start, progression.start_level, 10, start)]
                while frontier:
                    state = frontier.pop()
                    key = (state.routine, state.level)
                    if key in seen:
                        continue
                    seen.add(key)
                    paths += 1
                    routine = library.routines[state.routine]
                    assert allowed(state.routine), (conditions, cautions, state)
                    assert not library.routine_avoid(routine) & set(cautions)
                    for exercise in library.routine_exercises(routine):
                        dose = rules.scaled(progression, exercise.dose, state.level)
                        assert dose.times <= top.times
                        assert (dose.hold_seconds or 0) <= top.hold_seconds
                        assert (dose.minutes or 0) <= top.minutes
                    for change in ("up", "stay", "back"):
                        routine_id, level = rules.next_exercise(progression, state, change, allowed)
                        assert 1 <= level <= len(progression.levels)
                        frontier.append(State(2, 0, routine_id, level, 10, start))
    assert paths > 500


def test_activity_goal_steps_up_10_to_20_percent_and_never_past_the_cap(progression):
    spec = progression.activity
    for minutes in range(spec.min_minutes, spec.max_minutes + 1):
        up = rules.next_minutes(progression, minutes, "up")
        assert up <= spec.max_minutes
        if minutes >= 10 and up < spec.max_minutes:
            assert 0.09 <= (up - minutes) / minutes <= 0.2, (minutes, up)
        assert rules.next_minutes(progression, minutes, "stay") == minutes
        assert spec.min_minutes <= rules.next_minutes(progression, minutes, "back") <= minutes


def test_a_harder_routine_waits_until_the_pain_is_two_weeks_old():
    from datetime import date

    assert "acute" in rules.cautions_now(["acute"], date(2026, 3, 1), date(2026, 3, 14))
    assert "acute" not in rules.cautions_now(["acute"], date(2026, 3, 1), date(2026, 3, 15))


def test_pain_trend_and_real_change():
    assert rules.pain_trend([6, 6], [5, 5]) == "worse"
    assert rules.pain_trend([4, 4], [5, 5]) == "better"
    assert rules.pain_trend([5, 5.5], [5, 5]) == "same"
    assert rules.pain_trend([5], [5, 5]) == "unknown"
    assert rules.real_change(3, 5) and rules.real_change(5, 3) and not rules.real_change(3, 4)


def test_the_weeks_rules_read_a_typical_week(progression):
    good = WeekFacts(reviewed=True, sessions=5, easy=2, right=3, pain="better", activity_days=6)
    assert rules.decide(progression, good).exercise == "up"
    few = WeekFacts(reviewed=True, sessions=2, right=2, pain="same", activity_days=2)
    assert rules.decide(progression, few) == rules.Decision("stay", "stay", "few_sessions",
                                                            "few_active_days")  # fmt: skip
    leg = WeekFacts(reviewed=True, sessions=5, right=4, leg=1, pain="better", activity_days=7)
    assert rules.decide(progression, leg).exercise == "back"


# The bot ignores these (bot/diary/charts.py): they would copy the typed character into logs.
@pytest.mark.filterwarnings(r"ignore:Glyph \d+ .*missing from")
def test_the_chart_draws_any_typed_activity_name():
    from datetime import UTC, datetime

    from bot.programme import charts
    from storage.plans import Activity, Rating, Week

    names = ["$\\frac{a}{$", "<b>x</b> & y", "😀" * 60, "x" * 60, "\u202e\u0000tab\there"]
    activities = [Activity(n, n, name) for n, name in enumerate(names, start=1)]
    ratings = [Rating(a.id, w, 5) for a in activities for w in (0, 1)]
    week = Week(
        1,
        "next",
        True,
        3,
        0,
        0,
        4,
        False,
        4.5,
        "same",
        "up",
        "up",
        "going_well",
        "going_well",
        "desk_break",
        1,
        10,
        "desk_break",
        2,
        12,
        datetime.now(UTC),
    )
    words = charts.ChartWords("t", "r", "p", lambda n: f"W{n}")
    png = charts.progress_png(activities, ratings, [week], words)
    assert png.startswith(b"\x89PNG")


def test_a_week_done_again_after_a_flare_is_one_bar_with_its_latest_pain():
    from dataclasses import replace
    from datetime import UTC, datetime

    from bot.programme import charts
    from storage.plans import Week

    first = Week(1, "next", True, 3, 0, 0, 4, False, 5.0, "same", "up", "up", "going_well",
                 "going_well", "desk_break", 1, 10, "desk_break", 2, 12,
                 datetime.now(UTC))  # fmt: skip
    weeks = [
        first,
        replace(first, week=2, pain_avg=6.0),
        replace(first, week=3, outcome="flare", pain_avg=8.0),
        replace(first, week=2, pain_avg=4.0),  # week 2 again, after the flare
    ]
    words = charts.ChartWords("t", "r", "p", lambda n: f"W{n}")
    fig = charts.progress_figure([], [], weeks, words)
    bars = fig.axes[1].patches
    drawn = sorted((round(b.get_x() + b.get_width() / 2), b.get_height()) for b in bars)
    assert drawn == [(1, 5.0), (2, 4.0)]


def test_emoji_in_a_typed_name_are_left_out_of_the_chart_not_drawn_as_boxes():
    import warnings

    from bot.programme import charts
    from storage.plans import Activity, Rating

    activities = [Activity(1, 1, "putting my socks on 🧦"), Activity(2, 2, "😀😀")]
    ratings = [Rating(a.id, w, 5) for a in activities for w in (0, 1)]
    words = charts.ChartWords("t", "r", "p", lambda n: f"W{n}")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph the font lacks would warn
        fig = charts.progress_figure(activities, ratings, [], words)
        fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["putting my socks on", "2"]
