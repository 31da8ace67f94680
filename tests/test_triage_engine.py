"""The triage engine on a small graph written here, and on the shipped one."""

from __future__ import annotations

import random

import pytest

from bot import content
from bot.triage.engine import EMERGENCY, ROUTINE, SELF_CARE, URGENT, InvalidAnswer
from bot.triage.graph import load_graph
from tests.triage_fixtures import SMALL_GRAPH, write_content


@pytest.fixture
def small(tmp_path):
    root = write_content(tmp_path, SMALL_GRAPH)
    strings = content.load_strings(root / "locales")[0]
    graph, problems = load_graph(root, strings)
    assert problems == []
    return graph


@pytest.fixture(scope="module")
def shipped():
    return content.load().triage


def finish(graph, *answers: tuple[str, str]):
    session = graph.begin()
    for node, option in answers:
        session = graph.answer(session, node, option)
    assert session.finished
    return graph.result(session)


def test_scores_add_weights_to_priors_and_rank_by_score(small):
    result = finish(small, ("danger", "no"), ("how", "lift"), ("where", "leg"))
    assert dict(result.ranking) == {"nonspecific": 1.0, "strain": 3.0, "sciatica": 4.0}
    # The third is left out: it is well under half as likely as the first.
    assert [e.condition for e in result.explanations] == ["sciatica", "strain"]
    assert result.tier == SELF_CARE


def test_reasons_are_the_answers_that_pointed_there_strongest_first(small):
    result = finish(small, ("danger", "no"), ("how", "lift"), ("where", "leg"))
    by_condition = {e.condition: e.reasons for e in result.explanations}
    assert by_condition["sciatica"] == ("t.why.leg", "t.why.lift")
    assert by_condition["strain"] == ("t.why.lift",)
    plain = finish(small, ("danger", "no"), ("how", "slow"), ("where", "back"))
    assert [(e.condition, e.reasons) for e in plain.explanations] == [
        ("nonspecific", ("t.why.common",))  # only its prior: the fallback reason
    ]


def test_a_rule_adds_its_tier_weights_and_tags_when_all_its_answers_hold(small):
    result = finish(small, ("danger", "no"), ("how", "slow"), ("where", "leg"))
    assert result.tier == ROUTINE
    assert result.tier_reasons == ("t.why.slow_leg",)
    assert "nerve_pain" in result.tags and "stenosis" not in result.tags
    assert dict(result.ranking)["sciatica"] == 3.0 + 2.0


def test_condition_tags_come_with_shown_explanations(small):
    result = finish(small, ("danger", "no"), ("how", "lift"), ("where", "back"))
    assert [e.condition for e in result.explanations] == ["strain", "nonspecific"]
    assert result.tags == ("acute",)


def test_an_emergency_answer_ends_at_once_with_no_explanations(small):
    session = small.answer(small.begin(), "danger", "yes")
    assert session.finished
    result = small.result(session)
    assert result.tier == EMERGENCY and result.explanations == ()
    assert result.tier_reasons == ("t.why.danger",)


def test_the_highest_tier_wins_and_its_reasons_are_given(small):
    result = finish(small, ("danger", "unsure"), ("how", "slow"), ("where", "leg"))
    assert result.tier == URGENT
    assert result.tier_reasons == ("t.why.unsure",)


def test_back_forgets_the_last_answer_and_stays_put_at_the_first_question(small):
    start = small.begin()
    assert small.back(start) == start
    two = small.answer(small.answer(start, "danger", "no"), "how", "lift")
    one = small.back(two)
    assert one.node == "how" and one.answers == (("danger", "no"),)
    assert small.back(one) == start


def test_back_returns_over_a_skipped_question(shipped):
    session = shipped.begin()
    for node, option in [("mimic", "none"), ("cauda", "no"), ("legs", "no"), ("onset", "slow"),
                         ("warning", "none"), ("age", "a20")]:  # fmt: skip
        session = shipped.answer(session, node, option)
    at_where = shipped.answer(session, "special", "no")  # pregnancy signs: skipped
    assert at_where.node == "where"
    assert shipped.back(at_where).node == "special"
    assert shipped.answer(session, "special", "pregnant").node == "pregnancy"


def test_skip_at_tier_leaves_out_questions_once_the_answers_say_today(shipped):
    session = shipped.begin()
    for node, option in [("mimic", "none"), ("cauda", "no"), ("legs", "no"), ("onset", "slow")]:
        session = shipped.answer(session, node, option)
    urgent = shipped.answer(session, "warning", "fever")
    plain = shipped.answer(session, "warning", "none")
    for node, option in [("age", "a20"), ("special", "no"), ("where", "back")]:
        urgent = shipped.answer(urgent, node, option)
        plain = shipped.answer(plain, node, option)
    assert urgent.finished  # no further questions for someone going today
    assert plain.node == "duration"


def test_answers_that_are_not_for_the_current_question_are_refused(small):
    session = small.begin()
    with pytest.raises(InvalidAnswer):
        small.answer(session, "how", "lift")  # not asked yet
    with pytest.raises(InvalidAnswer):
        small.answer(session, "danger", "maybe")  # no such answer
    with pytest.raises(InvalidAnswer):
        small.restore([["danger", "no"], ["where", "leg"]])  # skips a question
    with pytest.raises(InvalidAnswer):
        small.restore(["danger"])
    done = small.answer(session, "danger", "yes")
    with pytest.raises(InvalidAnswer):
        small.answer(done, "how", "lift")


def test_restore_replays_stored_answers(small):
    session = small.restore([["danger", "no"], ["how", "slow"]])
    assert session.node == "where"
    # Replays are remembered; a remembered one is the same, and a bad one is never kept.
    assert small.restore((("danger", "no"), ("how", "slow"))) == session
    assert small.progress(session) == small.progress(session) == (3, 3)
    for _ in range(2):
        with pytest.raises(InvalidAnswer):
            small.restore([["danger", "no"], ["where", "leg"]])


def test_progress_counts_this_question_and_estimates_the_rest(small, shipped):
    assert small.progress(small.begin()) == (1, 3)
    session = small.answer(small.begin(), "danger", "no")
    assert small.progress(session) == (2, 3)
    first = shipped.progress(shipped.begin())
    assert first[0] == 1 and 8 <= first[1] <= 12


def test_a_result_needs_a_finished_check(small):
    with pytest.raises(ValueError):
        small.result(small.begin())


def test_the_progress_estimate_never_falls_back(shipped):
    """ "Question 5 of about 9" then "6 of about 12" read as a moving target: the estimate
    starts at the usual length and only grows, when an answer really adds questions."""
    rng = random.Random(7)
    first = shipped.progress(shipped.begin())[1]
    for _ in range(300):
        session, totals = shipped.begin(), []
        while session.node is not None:
            number, total = shipped.progress(session)
            assert number <= total
            totals.append(total)
            node = shipped.nodes[session.node]
            calm = [
                option
                for option, value in node.options.items()
                if not (value.effect and value.effect.tier in ("emergency", "urgent"))
            ]
            session = shipped.answer(session, session.node, rng.choice(calm or list(node.options)))
        assert totals == sorted(totals) and totals[0] == first, totals
