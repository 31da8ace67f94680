"""Typical patients (tests/triage_vignettes.yaml) run through the shipped graph.

Targets: every emergency caught, the tier exact in at least 80%, the right
explanation among those shown in at least 85% (of vignettes that name one).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot import content
from bot.triage import EMERGENCY, RANK, Result

VIGNETTES = yaml.safe_load((Path(__file__).parent / "triage_vignettes.yaml").read_text())
# What a vignette leaves out, it would answer like this if asked.
UNREMARKABLE = {"cauda": "no", "legs": "no", "warning": "none", "bones": "no", "arms": "none"}


def run(graph, answers: dict[str, str]) -> Result:
    session = graph.begin()
    while not session.finished:
        node = graph.current(session)
        choice = answers.get(node.id, UNREMARKABLE.get(node.id))
        assert choice is not None, f"the vignette has no answer for {node.id!r}"
        session = graph.answer(session, node.id, choice)
    return graph.result(session)


@pytest.fixture(scope="module")
def outcomes():
    graph = content.load().triage
    return [(v, run(graph, v["answers"])) for v in VIGNETTES]


def test_there_are_enough_vignettes_of_every_tier():
    assert len(VIGNETTES) >= 20
    assert {v["tier"] for v in VIGNETTES} == {"emergency", "urgent", "routine", "self_care"}


def test_vignette_accuracy(outcomes):
    exact = sum(result.tier == v["tier"] for v, result in outcomes)
    named = [(v, r) for v, r in outcomes if v["right"]]
    top3 = sum(bool({e.condition for e in r.explanations} & set(v["right"])) for v, r in named)
    top1 = sum(r.explanations[0].condition in v["right"] for v, r in named)
    for v, r in outcomes:
        shown = [e.condition for e in r.explanations]
        if r.tier != v["tier"] or (v["right"] and not set(shown) & set(v["right"])):
            print(f"  off: {v['story']}: {r.tier} {shown}, expected {v['tier']} {v['right']}")
    print(
        f"\nvignettes: {len(outcomes)}; tier exact {exact}/{len(outcomes)} "
        f"({exact / len(outcomes):.0%}); right explanation in top 3 {top3}/{len(named)} "
        f"({top3 / len(named):.0%}), top 1 {top1}/{len(named)} ({top1 / len(named):.0%})"
    )
    assert exact / len(outcomes) >= 0.80
    assert top3 / len(named) >= 0.85


def test_every_emergency_is_caught_and_nothing_else_is_one(outcomes):
    for v, result in outcomes:
        assert (result.tier == EMERGENCY) == (v["tier"] == EMERGENCY), v["story"]


def test_no_vignette_is_sent_to_a_lower_tier_than_the_facts_say(outcomes):
    for v, result in outcomes:
        assert RANK[result.tier] >= RANK[v["tier"]], v["story"]
