"""Every path through the shipped triage graph, walked with the real engine.

What must hold on every path, not only on the cases we thought of: red flags end
the check at once; urgent and emergency results never offer stretches, self-care
tips or a waiting period; pain below the knee in both legs always reaches the
emergency tier or the question that re-opens it; every result has safety-netting.
"""

from __future__ import annotations

from collections import Counter
from statistics import median

import pytest

from bot import content
from bot.chat.telegram_html import to_plain
from bot.triage import text as triage_text
from bot.triage.engine import EMERGENCY, RANK, SEEN_FIRST, TIERS, URGENT, Graph, Session
from bot.vocabulary import CONDITION_IDS


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


@pytest.fixture(scope="module")
def english(shipped):
    words = shipped.strings.locales["en"]
    return lambda key, **p: words[key].format(**{"emergency": "call 999 now", **p})


@pytest.fixture(scope="module")
def every_path(shipped):
    graph = shipped.triage
    return [(s, graph.result(s)) for s in walk(graph, graph.begin())]


def _holds(rule, given) -> bool:
    return all(given.get(node) in accepted for node, accepted in rule.when)


def test_every_path_ends_safely(shipped, english, every_path):
    graph = shipped.triage
    tiers: Counter[str] = Counter()
    tops: Counter[str] = Counter()
    lengths: Counter[int] = Counter()
    longest, longest_size = None, 0
    for session, result in every_path:
        given = dict(session.answers)
        effects = [graph.nodes[n].options[o].effect for n, o in session.answers]
        effects += [r.effect for r in graph.rules if _holds(r, given)]
        tiers[result.tier] += 1
        lengths[len(session.answers)] += 1
        # An emergency answer (or combination) ends the check at once, at the emergency tier.
        if any(e.tier == EMERGENCY for e in effects):
            before = dict(session.answers[:-1])
            assert graph.tier_so_far(before) != EMERGENCY, session.answers
            assert result.tier == EMERGENCY and not result.explanations
            continue
        assert result.tier != EMERGENCY, session.answers
        # Any urgent answer (or urgent combination) ends urgent or higher.
        for effect in effects:
            if effect.tier:
                assert RANK[result.tier] >= RANK[effect.tier], session.answers
        if result.tier == URGENT:
            assert len(result.explanations) <= 3, session.answers
        else:
            assert 2 <= len(result.explanations) <= 3, session.answers
        assert all(e.reasons for e in result.explanations), session.answers
        if result.explanations:
            tops[result.explanations[0].condition] += 1
        size = sum(len(english(k)) for e in result.explanations for k in e.reasons)
        size += sum(len(english(k)) for k in (*result.tier_reasons, *result.advice))
        if size > longest_size:
            longest, longest_size = result, size
        # Stenosis that eases on sitting always keeps back-bending stretches away.
        if "walk" in (given.get("legs"), given.get("legs_again")):
            assert "stenosis" in result.tags
        if given.get("special") in ("bones", "both"):
            assert "osteoporosis" in result.tags
        if given.get("special") in ("pregnant", "both"):
            assert "pregnancy" in result.tags and result.tier != "self_care"
        if given.get("duration") == "lt2w":
            assert "acute" in result.tags
        if given.get("age") == "u16":
            assert result.tier != "self_care" and not result.exercise_ok
    total = sum(tiers.values())
    shares = ", ".join(f"{t} {tiers[t]} ({tiers[t] / total:.2%})" for t in reversed(TIERS))
    print(f"\ntriage paths: {total}; by tier: {shares}")
    print("questions per path: " + ", ".join(f"{n}: {c}" for n, c in sorted(lengths.items())))
    print("top explanation: " + ", ".join(f"{c} {n}" for c, n in tops.most_common()))
    assert set(tops) == set(CONDITION_IDS), "every explanation must be top on some path"
    assert tiers[EMERGENCY] and tiers[URGENT]
    assert max(lengths) <= 16
    # The wordiest result still fits one Telegram message, in valid HTML.
    text = triage_text.result(english, graph, longest, stored=True)
    assert len(to_plain(text)) < 4096


def test_every_result_nets_safety_and_none_that_must_be_seen_offers_self_care(
    shipped, english, every_path
):
    """Every result says what changes mean "now" and "today" and to check again; once the
    person must be seen: no stretch, no self-care tip, no waiting period."""
    graph = shipped.triage
    tips = {english(c.tip) for c in graph.conditions.values()}
    waiting = english("triage.safety.wait")
    helps = english("triage.result.helps_title")
    hold = english("triage.result.no_exercise")
    title, again = english("triage.safety.title"), english("triage.safety.again")
    seen_first = 0
    texts: dict[tuple, str] = {}  # many paths end in the same words: draw each once
    for session, result in every_path:
        key = (
            result.tier,
            result.tier_reasons,
            tuple((e.condition, e.reasons) for e in result.explanations),
            result.advice,
            result.no_exercise,
            result.action,
            "pregnancy" in result.tags,  # the only caution the words depend on
        )
        text = texts.get(key)
        if text is None:
            text = texts[key] = triage_text.result(english, graph, result, stored=False)
        assert title in text, session.answers
        if result.tier != EMERGENCY:
            assert again in text, session.answers
        if result.tier not in SEEN_FIRST:
            continue
        assert not result.exercise_ok, session.answers
        assert waiting not in text and helps not in text and hold in text, session.answers
        assert not any(tip in text for tip in tips), session.answers
        seen_first += 1
    assert seen_first > 1000


def test_pain_below_the_knee_in_both_legs_is_never_left_at_routine(every_path):
    """Both legs, however it is first denied, reaches the emergency tier or the
    question that re-opens the warning sign (hazard H1)."""
    for session, result in every_path:
        given = dict(session.answers)
        if given.get("where") == "both_legs" or given.get("legs") == "worse":
            assert result.tier == EMERGENCY or "legs_again" in given, session.answers
        if given.get("legs_again") == "yes":
            assert result.tier == EMERGENCY, session.answers


def test_a_typical_check_takes_about_ten_taps(every_path):
    lengths = [len(s.answers) for s, r in every_path if r.tier in ("self_care", "routine")]
    print(f"\nself-care and routine paths: median {median(lengths)}, max {max(lengths)} taps")
    assert median(lengths) <= 13
