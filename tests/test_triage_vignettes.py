"""Typical patients (tests/triage_vignettes.yaml) run through the shipped graph.

Targets: every emergency caught, no vignette sent to a lower tier than the facts
call for, the tier exact in at least 90%, the right explanation among those shown
in at least 90% (of vignettes that name one). A typical check takes about ten taps.
"""

from __future__ import annotations

from pathlib import Path
from statistics import median

import pytest
import yaml

from bot import content
from bot.triage.engine import EMERGENCY, RANK, Result

VIGNETTES = yaml.safe_load((Path(__file__).parent / "triage_vignettes.yaml").read_text())
# What a vignette leaves out, it would answer like this if asked.
UNREMARKABLE = {
    "mimic": "none",
    "cauda": "no",
    "legs": "no",
    "warning": "none",
    "special": "no",
    "pregnancy": "no",
    "legs_again": "no",
    "arms": "none",
    "eye": "no",
}


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
    assert len(VIGNETTES) >= 80
    assert sum(bool(v.get("edge")) for v in VIGNETTES) >= 25
    assert {v["tier"] for v in VIGNETTES} == {"emergency", "urgent", "routine", "self_care"}


def test_vignette_accuracy(outcomes):
    exact = sum(result.tier == v["tier"] for v, result in outcomes)
    named = [(v, r) for v, r in outcomes if v["right"]]
    top3 = sum(bool({e.condition for e in r.explanations} & set(v["right"])) for v, r in named)
    top1 = sum(r.explanations[0].condition in v["right"] for v, r in named)
    for v, r in outcomes:
        shown = [e.condition for e in r.explanations]  # urgent ones: "to rule out"
        if r.tier != v["tier"] or (v["right"] and not set(shown) & set(v["right"])):
            print(f"  off: {v['story']}: {r.tier} {shown}, expected {v['tier']} {v['right']}")
    emergencies = [(v, r) for v, r in outcomes if v["tier"] == EMERGENCY]
    caught = sum(r.tier == EMERGENCY for _, r in emergencies)
    safe = sum(RANK[r.tier] >= RANK[v["tier"]] for v, r in outcomes)
    edge = sum(bool(v.get("edge")) for v, _ in outcomes)
    print(
        f"\nvignettes: {len(outcomes)} ({edge} edge cases); emergencies caught "
        f"{caught}/{len(emergencies)}; safe tier {safe}/{len(outcomes)}; tier exact "
        f"{exact}/{len(outcomes)} ({exact / len(outcomes):.0%}); right explanation in top 3 "
        f"{top3}/{len(named)} ({top3 / len(named):.0%}), top 1 {top1}/{len(named)} "
        f"({top1 / len(named):.0%})"
    )
    assert exact / len(outcomes) >= 0.90
    assert top3 / len(named) >= 0.90


def test_every_emergency_is_caught_and_nothing_else_is_one(outcomes):
    for v, result in outcomes:
        assert (result.tier == EMERGENCY) == (v["tier"] == EMERGENCY), v["story"]


def test_no_vignette_is_sent_to_a_lower_tier_than_the_facts_say(outcomes):
    for v, result in outcomes:
        assert RANK[result.tier] >= RANK[v["tier"]], v["story"]


def test_a_typical_check_takes_about_ten_taps():
    graph = content.load().triage
    taps = sorted(len(run(graph, v["answers"]).answers) for v in VIGNETTES if not v.get("edge"))
    print(f"\ntaps per typical vignette: median {median(taps)}, max {max(taps)}")
    assert median(taps) <= 11 and max(taps) <= 16
