"""Every path through the shipped triage graph, walked with the real engine."""

from __future__ import annotations

from collections import Counter

import pytest

from bot import content, triage_text
from bot.sim.telegram_html import to_plain
from bot.triage import EMERGENCY, RANK, TIERS, URGENT, Graph, Session
from bot.triage_content import CONDITION_IDS


def walk(graph: Graph, session: Session):
    """Yield every finished session reachable from `session`."""
    if session.finished:
        yield session
        return
    node = graph.current(session)
    for option in node.options:
        yield from walk(graph, graph.answer(session, node.id, option))


@pytest.fixture(scope="module")
def shipped():
    return content.load()


def test_every_path_ends_safely(shipped):
    graph = shipped.triage
    english = shipped.strings.locales["en"]
    tiers: Counter[str] = Counter()
    tops: Counter[str] = Counter()
    lengths: Counter[int] = Counter()
    longest, longest_size = None, 0
    for session in walk(graph, graph.begin()):
        result = graph.result(session)
        given = dict(session.answers)
        effects = [graph.nodes[n].options[o].effect for n, o in session.answers]
        tiers[result.tier] += 1
        lengths[len(session.answers)] += 1
        assert english[result.disclaimer].strip()
        # An emergency answer ends the check at once, at the emergency tier.
        emergency_at = [i for i, e in enumerate(effects) if e.tier == EMERGENCY]
        if emergency_at:
            assert emergency_at == [len(effects) - 1], session.answers
            assert result.tier == EMERGENCY and not result.explanations
            continue
        assert result.tier != EMERGENCY, session.answers
        # Any urgent answer (or urgent combination) ends urgent or higher.
        marked = [e.tier for e in effects if e.tier]
        marked += [r.effect.tier for r in graph.rules if r.effect.tier and _holds(r, given)]
        for tier in marked:
            assert RANK[result.tier] >= RANK[tier], session.answers
        assert 2 <= len(result.explanations) <= 3, session.answers
        assert all(e.reasons for e in result.explanations), session.answers
        tops[result.explanations[0].condition] += 1
        size = sum(len(english[k]) for e in result.explanations for k in e.reasons)
        size += sum(len(english[k]) for k in result.tier_reasons)
        if size > longest_size:
            longest, longest_size = result, size
        # Stenosis that eases on sitting is never an emergency (checked above) and
        # always keeps back-bending stretches away.
        if given.get("legs") == "walk":
            assert "stenosis" in result.tags
        if given.get("bones") == "yes":
            assert "osteoporosis" in result.tags
    total = sum(tiers.values())
    shares = ", ".join(f"{t} {tiers[t]} ({tiers[t] / total:.2%})" for t in reversed(TIERS))
    print(f"\ntriage paths: {total}; by tier: {shares}")
    print("questions per path: " + ", ".join(f"{n}: {c}" for n, c in sorted(lengths.items())))
    print("top explanation: " + ", ".join(f"{c} {n}" for c, n in tops.most_common()))
    assert set(tops) == set(CONDITION_IDS), "every explanation must be top on some path"
    assert tiers[EMERGENCY] and tiers[URGENT]
    assert max(lengths) <= 13
    # The wordiest result still fits one Telegram message, in valid HTML.
    text = triage_text.result(lambda k, **p: english[k].format(**p), graph, longest, stored=True)
    assert len(to_plain(text)) < 4096


def _holds(rule, given) -> bool:
    return all(given.get(node) in accepted for node, accepted in rule.when)
