"""suitable_routines: what the triage result may suggest, with cautions respected."""

import pytest

from bot import content
from bot.stretches import suitable_routines


@pytest.fixture(scope="module")
def library():
    return content.load().library


def _ids(routines):
    return [r.id for r in routines]


def test_routines_follow_the_order_of_the_conditions(library):
    assert _ids(suitable_routines(library, ["strain", "nonspecific"], [])) == [
        "fresh_strain",
        "morning",
        "strength_mobility",
        "desk_break",
    ]


def test_a_conditions_own_cautions_exclude_routines_another_condition_suggests(library):
    # non-specific pain suggests the everyday routine, which arches the back;
    # with stenosis also possible it is left out
    chosen = _ids(suitable_routines(library, ["nonspecific", "stenosis"], []))
    assert "strength_mobility" not in chosen
    assert chosen[:2] == ["morning", "desk_break"]
    assert "forward_bending" in chosen
    for routine in suitable_routines(library, ["stenosis"], []):
        assert "stenosis" not in library.routine_avoid(routine)


@pytest.mark.parametrize(
    "tag", ["osteoporosis", "spondylolisthesis", "stenosis", "nerve_pain", "acute"]
)
def test_no_suggested_routine_contains_an_exercise_to_avoid(library, tag):
    everything = list(library.page_ids())
    chosen = suitable_routines(library, everything, [tag])
    for routine in chosen:
        for exercise in library.routine_exercises(routine):
            assert tag not in exercise.avoid_if, (routine.id, exercise.id)


def test_osteoporosis_leaves_out_forward_bending(library):
    chosen = _ids(suitable_routines(library, ["stenosis"], ["osteoporosis"]))
    assert chosen == ["desk_break"]


def test_a_fresh_strain_keeps_the_gentle_routine(library):
    assert _ids(suitable_routines(library, ["strain"], ["acute"])) == ["fresh_strain"]


def test_without_conditions_every_safe_routine(library):
    assert _ids(suitable_routines(library, [], [])) == list(library.routines)
    assert "morning" not in _ids(suitable_routines(library, [], ["acute"]))


def test_unknown_conditions_are_ignored(library):
    assert suitable_routines(library, ["nosuchthing"], []) == []
    assert _ids(suitable_routines(library, ["nosuchthing", "sciatica"], [])) == [
        "sciatica_relief",
        "fresh_strain",
    ]
