"""suitable_routines: what the triage result may suggest, with cautions respected."""

from dataclasses import replace

import pytest

from bot import content
from bot.library.models import AVOID_TAGS, CONDITION_IDS, HARDER
from bot.library.stretches import suitable_routines


@pytest.fixture(scope="module")
def library():
    return content.load().library


def _ids(routines):
    return [r.id for r in routines]


def test_routines_follow_the_order_of_the_conditions(library):
    assert _ids(suitable_routines(library, ["strain", "nonspecific"], [])) == [
        "fresh_strain",
        "morning",
        "desk_break",
        "strength_mobility",
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


@pytest.mark.parametrize("tag", AVOID_TAGS)
def test_no_suggested_routine_contains_an_exercise_to_avoid(library, tag):
    everything = list(library.page_ids())
    chosen = suitable_routines(library, everything, [tag])
    for routine in chosen:
        for exercise in library.routine_exercises(routine):
            assert tag not in exercise.avoid_if, (routine.id, exercise.id)


def test_osteoporosis_leaves_out_forward_bending(library):
    chosen = _ids(suitable_routines(library, ["stenosis"], ["osteoporosis"]))
    assert chosen == ["desk_break"]


def test_a_fresh_strain_keeps_the_gentle_routines(library):
    assert _ids(suitable_routines(library, ["strain"], ["acute"])) == ["fresh_strain", "desk_break"]


def test_without_conditions_every_safe_routine(library):
    assert _ids(suitable_routines(library, [], [])) == list(library.routines)
    assert "morning" not in _ids(suitable_routines(library, [], ["acute"]))


def test_unknown_conditions_are_ignored(library):
    assert suitable_routines(library, ["nosuchthing"], []) == []
    assert _ids(suitable_routines(library, ["nosuchthing", "sciatica"], [])) == [
        "sciatica_relief",
        "fresh_strain",
        "desk_break",
    ]


def _harder(library, routine):
    return routine.level == HARDER or any(
        "acute" in e.avoid_if for e in library.routine_exercises(routine)
    )


def test_the_strength_routines_are_harder(library):
    for routine_id in (
        "core_stability",
        "strength_mobility",
        "morning",
    ):  # bridge, arm and leg reach
        assert library.routines[routine_id].level == HARDER
    for exercise_id in ("bridge", "bird_dog"):
        assert "acute" in library.exercises[exercise_id].avoid_if


@pytest.mark.parametrize("routine_id", list(content.load().library.routines))
def test_no_harder_routine_in_the_first_two_weeks(library, routine_id):
    routine = library.routines[routine_id]
    offers = [suitable_routines(library, [], ["acute"])]
    offers += [suitable_routines(library, [c], ["acute"]) for c in CONDITION_IDS]
    offers.append(suitable_routines(library, list(library.page_ids()), ["acute"]))
    offered = any(routine in chosen for chosen in offers)
    assert offered != _harder(library, routine), routine_id


def test_a_harder_routine_waits_even_without_a_tagged_exercise(library):
    # the level alone keeps it back: its exercises carry no acute tag
    routine = replace(library.routines["desk_break"], level=HARDER)
    assert "acute" in library.routine_avoid(routine)
    changed = replace(library, routines={**library.routines, "desk_break": routine})
    assert "desk_break" not in _ids(suitable_routines(changed, ["occupational"], ["acute"]))
    assert "desk_break" in _ids(suitable_routines(changed, ["occupational"], []))


def test_moves_on_the_back_or_front_are_not_for_pregnancy(library):
    for exercise in library.exercises.values():
        first = exercise.text("en").steps[0]
        if first.startswith(("Lie on your back", "Lie on your front")):
            assert "pregnancy" in exercise.avoid_if, exercise.id
    for exercise_id in ("knee_rolls", "knee_to_chest", "bottom_to_heels", "seated_forward_bend"):
        assert "pregnancy" in library.exercises[exercise_id].avoid_if  # twisting or the bump


def test_knee_rolls_twist_so_not_with_osteoporosis(library):
    assert "osteoporosis" in library.exercises["knee_rolls"].avoid_if
    assert _ids(suitable_routines(library, ["strain"], ["osteoporosis"])) == ["desk_break"]


@pytest.mark.parametrize("condition", CONDITION_IDS)
def test_every_condition_keeps_a_gentle_routine_for_every_caution(library, condition):
    cautions = ["acute", "pregnancy", "osteoporosis"]
    chosen = suitable_routines(library, [condition], cautions)
    assert chosen, condition
    for routine in chosen:
        assert routine.level != HARDER
        for exercise in library.routine_exercises(routine):
            assert not set(cautions) & set(exercise.avoid_if), (routine.id, exercise.id)


@pytest.mark.parametrize("tag", ["pregnancy", "osteoporosis"])
@pytest.mark.parametrize("routine_id", list(content.load().library.routines))
def test_a_routine_with_a_tagged_exercise_is_never_offered(library, routine_id, tag):
    routine = library.routines[routine_id]
    tagged = any(tag in e.avoid_if for e in library.routine_exercises(routine))
    offers = [suitable_routines(library, [], [tag])]
    offers += [suitable_routines(library, [c], [tag, "acute"]) for c in CONDITION_IDS]
    offers.append(suitable_routines(library, list(library.page_ids()), [tag]))
    assert not (tagged and any(routine in chosen for chosen in offers)), routine_id
    assert tagged or routine in offers[0], routine_id
