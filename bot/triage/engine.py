"""The triage engine: walks the decision graph, picks the urgency tier, ranks explanations.

Plain Python over the graph loaded from content/triage.yaml (bot/triage/graph.py).
A session is only the answers given so far; where the person is in the graph is
worked out from them, so Back is "forget the last answer" and a stored session
can be checked against the graph after a restart or a content change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

END = "end"
SELF_CARE, ROUTINE, URGENT, EMERGENCY = "self_care", "routine", "urgent", "emergency"
TIERS = (SELF_CARE, ROUTINE, URGENT, EMERGENCY)  # least to most urgent
RANK = {tier: rank for rank, tier in enumerate(TIERS)}
SHOWN_EXPLANATIONS = 3
# A third explanation is shown only if it is nearly as likely as the first.
THIRD_SHARE = 0.4
REASONS_PER_EXPLANATION = 3
# Small nudges (an age band, say) are not worth naming while stronger reasons exist.
STRONG_REASON = 1.0

# A clause: every (question, accepted answers) pair must hold.
Clause = tuple[tuple[str, frozenset[str]], ...]
Answers = tuple[tuple[str, str], ...]


class InvalidAnswer(Exception):
    """An answer that does not fit the current step (stale, replayed or forged)."""


@dataclass(frozen=True)
class Effect:
    """What an answer or a rule contributes to the result."""

    tier: str | None = None
    weights: tuple[tuple[str, float], ...] = ()
    tags: tuple[str, ...] = ()
    why: str | None = None
    advice: str | None = None  # what to do or know about this sign
    no_exercise: bool = False  # no stretches until a clinician has seen them
    action: str | None = None  # what to do, in place of the tier's usual words


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    next: str  # node id or END
    effect: Effect = Effect()

    @property
    def ends_at_once(self) -> bool:
        return self.effect.tier == EMERGENCY


@dataclass(frozen=True)
class Node:
    id: str
    text: str
    options: Mapping[str, Option]
    next: str
    ask_if: tuple[Clause, ...] = ()
    skip_if: tuple[Clause, ...] = ()
    skip_at_tier: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    when: Clause
    effect: Effect


@dataclass(frozen=True)
class Condition:
    id: str
    name: str
    tip: str
    prior: float = 0.0
    fallback_why: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Session:
    answers: Answers = ()
    node: str | None = None  # the question being asked; None once finished

    @property
    def finished(self) -> bool:
        return self.node is None


@dataclass(frozen=True)
class Explanation:
    condition: str
    score: float
    reasons: tuple[str, ...]  # text keys of the answers that pointed here


SEEN_FIRST = (URGENT, EMERGENCY)  # tiers whose result is "be seen", never self-care


@dataclass(frozen=True)
class Result:
    tier: str
    tier_reasons: tuple[str, ...]  # text keys of the answers that set the tier
    explanations: tuple[Explanation, ...]
    tags: tuple[str, ...]  # stretch cautions
    ranking: tuple[tuple[str, float], ...]  # every condition, best first
    disclaimer: str
    answers: Answers = field(default=())
    advice: tuple[str, ...] = ()  # text keys: the tier's signs first, then the rest
    no_exercise: bool = False  # an answer asked for no stretches before being seen
    action: str | None = None  # a sign that needs other help than the tier's usual

    @property
    def exercise_ok(self) -> bool:
        """Whether stretches and self-care may be offered: never before being seen."""
        return self.tier not in SEEN_FIRST and not self.no_exercise


REMEMBERED = 4_000  # replayed paths kept per graph: about 1.3 KB each, 5 MB at most


def _remember(memo: dict, key: Answers, value: object) -> None:
    if len(memo) >= REMEMBERED:
        memo.clear()
    memo[key] = value


def _answers_key(answers: Answers | list) -> Answers:
    """Stored answers (lists from JSON) as a tuple of pairs; InvalidAnswer if malformed."""
    pairs = []
    for pair in answers:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise InvalidAnswer("malformed stored answer")
        pairs.append((str(pair[0]), str(pair[1])))
    return tuple(pairs)


def _holds(clause: Clause, given: Mapping[str, str]) -> bool:
    return all(given.get(node) in accepted for node, accepted in clause)


@dataclass(frozen=True)
class Graph:
    version: str
    start: str
    nodes: Mapping[str, Node]
    conditions: Mapping[str, Condition]
    rules: tuple[Rule, ...] = ()
    disclaimer: str = "triage.result.disclaimer"
    # Every tap replays the stored answers; the same paths come up again and again.
    _replayed: dict[Answers, Session] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _progress: dict[Answers, tuple[int, int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @cached_property
    def _emergency_rules(self) -> tuple[Rule, ...]:
        """Rules that end the check at once when all their answers hold."""
        return tuple(r for r in self.rules if r.effect.tier == EMERGENCY)

    # walking -----------------------------------------------------------------
    def begin(self) -> Session:
        return Session((), self._arrive(self.start, {}))

    def current(self, session: Session) -> Node | None:
        return None if session.node is None else self.nodes[session.node]

    def answer(self, session: Session, node_id: str, option_id: str) -> Session:
        """The session after answering; InvalidAnswer if that is not the current question."""
        if session.node is None or node_id != session.node:
            raise InvalidAnswer(f"{node_id} is not the current question")
        option = self.nodes[node_id].options.get(option_id)
        if option is None:
            raise InvalidAnswer(f"{node_id} has no option {option_id}")
        answers = (*session.answers, (node_id, option_id))
        given = dict(answers)
        if option.ends_at_once or any(_holds(r.when, given) for r in self._emergency_rules):
            return Session(answers, None)
        return Session(answers, self._arrive(option.next, given))

    def back(self, session: Session) -> Session:
        """Forget the last answer (at the first question, stay there)."""
        return self.restore(session.answers[:-1])

    def restore(self, answers: Answers | list) -> Session:
        """Replay stored answers; InvalidAnswer if they no longer fit the graph."""
        key = _answers_key(answers)
        session = self._replayed.get(key)
        if session is None:
            session = self.begin()
            for node_id, option_id in key:
                session = self.answer(session, node_id, option_id)
            _remember(self._replayed, key, session)
        return session

    def _arrive(self, node_id: str, given: Mapping[str, str]) -> str | None:
        """The first question at or after node_id that is not skipped, None at the end."""
        while node_id != END:
            node = self.nodes[node_id]
            if not self._skipped(node, given):
                return node_id
            node_id = node.next
        return None

    def _skipped(self, node: Node, given: Mapping[str, str]) -> bool:
        if node.ask_if and not any(_holds(c, given) for c in node.ask_if):
            return True
        if any(_holds(c, given) for c in node.skip_if):
            return True
        return node.skip_at_tier is not None and (
            RANK[self.tier_so_far(given)] >= RANK[node.skip_at_tier]
        )

    def tier_so_far(self, given: Mapping[str, str]) -> str:
        """The tier the answers given so far reach (rules count once all their answers hold)."""
        rank = 0
        for n, o in given.items():
            tier = self.nodes[n].options[o].effect.tier
            if tier and RANK[tier] > rank:
                rank = RANK[tier]
        for rule in self._tier_rules:
            if RANK[rule.effect.tier] > rank and _holds(rule.when, given):
                rank = RANK[rule.effect.tier]
        return TIERS[rank]

    @cached_property
    def _tier_rules(self) -> tuple[Rule, ...]:
        """Rules that set a tier (the others only weigh or tag)."""
        return tuple(r for r in self.rules if r.effect.tier)

    def progress(self, session: Session) -> tuple[int, int]:
        """(this question's number, about how many there will be)."""
        known = self._progress.get(session.answers)
        if known is None:
            known = self._count(session)
            _remember(self._progress, session.answers, known)
        return known

    def _count(self, session: Session) -> tuple[int, int]:
        """The estimate never falls below the usual length of a check nor below what an
        earlier question said, so it only moves when an answer really adds questions."""
        number = len(session.answers) + 1
        total = self._length(session)
        if session.answers:
            earlier = self.progress(self.restore(session.answers[:-1]))[1]
            total = max(total, earlier)
        else:
            total = max(total, self._length(self.begin()))
        return number, max(number, total)

    def _length(self, session: Session) -> int:
        """How many questions this check has if nothing more adds any."""
        given = dict(session.answers)
        remaining, node_id = 0, session.node
        while node_id is not None:
            remaining += 1
            node_id = self._arrive(self.nodes[node_id].next, given)
        return len(session.answers) + remaining

    # scoring -------------------------------------------------------------------
    def result(self, session: Session) -> Result:
        if not session.finished:
            raise ValueError("the check is not finished")
        given = dict(session.answers)
        effects = [
            (order, self.nodes[n].options[o].effect) for order, (n, o) in enumerate(session.answers)
        ]
        last = len(effects)
        effects += [(last + i, r.effect) for i, r in enumerate(self.rules) if _holds(r.when, given)]

        tier = SELF_CARE
        for _, effect in effects:
            if effect.tier and RANK[effect.tier] > RANK[tier]:
                tier = effect.tier
        tier_reasons = _unique(e.why for _, e in effects if e.tier == tier and e.why)
        setting = [e for _, e in effects if e.tier == tier]
        action = next((e.action for e in setting if e.action), None)
        if tier in SEEN_FIRST:  # what to do about these signs, and nothing else
            advice = _unique(e.advice for e in setting if e.advice)
        else:
            advice = _unique(e.advice for _, e in effects if e.advice)
        no_exercise = any(e.no_exercise for _, e in effects)
        if tier == EMERGENCY:
            return Result(
                tier,
                tier_reasons,
                (),
                (),
                (),
                self.disclaimer,
                session.answers,
                advice,
                True,
                action,
            )

        scores = {c.id: c.prior for c in self.conditions.values()}
        pointers: dict[str, list[tuple[float, int, str]]] = {c: [] for c in scores}
        tags: set[str] = set()
        for order, effect in effects:
            tags.update(effect.tags)
            for condition, weight in effect.weights:
                scores[condition] += weight
                if weight > 0 and effect.why:
                    pointers[condition].append((-weight, order, effect.why))
        order_of = {c: i for i, c in enumerate(self.conditions)}
        ranking = tuple(sorted(scores.items(), key=lambda item: (-item[1], order_of[item[0]])))
        explanations = []
        for place, (condition_id, score) in enumerate(ranking[:SHOWN_EXPLANATIONS]):
            if score <= 0 or (place >= 2 and score < THIRD_SHARE * ranking[0][1]):
                break
            condition = self.conditions[condition_id]
            pointed = sorted(pointers[condition_id])
            strong = [p for p in pointed if -p[0] >= STRONG_REASON] or pointed
            reasons = _unique(why for *_, why in strong)[:REASONS_PER_EXPLANATION]
            if not reasons and condition.fallback_why:
                reasons = (condition.fallback_why,)
            explanations.append(Explanation(condition_id, score, reasons))
            tags.update(condition.tags)
        return Result(
            tier,
            tier_reasons,
            tuple(explanations),
            tuple(sorted(tags)),
            ranking,
            self.disclaimer,
            session.answers,
            advice,
            no_exercise,
            action,
        )


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
