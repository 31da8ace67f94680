"""Loading content/triage.yaml: a strict schema, then graph checks, every problem collected.

Checks: unique ids; every `next` resolves; every question reachable; no cycles;
every path ends; clauses name earlier questions and real answers; every text key
exists in every language; every button fits Telegram's 64 bytes; every
condition exists (in content/conditions/ once the library has pages there).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.i18n import Strings
from bot.problems import Problem, read_model
from bot.triage import buttons as triage_buttons
from bot.triage.engine import END, Clause, Condition, Effect, Graph, Node, Option, Rule
from bot.triage.schema import EffectSpec, GraphSpec, NodeSpec
from bot.vocabulary import CONDITION_IDS
from bot.yamlfile import read_yaml

FILE = "triage.yaml"
# The largest seq a button can carry (callbacks.decode accepts up to 12 digits).
LONGEST_SEQ = 10**12 - 1
# Strings the result screens use besides those the graph names.
UI_KEYS = (
    *(f"triage.tier.{t}" for t in ("emergency", "urgent", "routine", "self_care")),
    *(f"triage.result.{t}_do" for t in ("emergency", "urgent", "routine", "self_care")),
    *(f"triage.history.tier.{t}" for t in ("emergency", "urgent", "routine", "self_care")),
    "triage.result.no_exercise",
    "triage.result.rule_out",
    *(f"triage.safety.{k}" for k in ("title", "now", "today", "pregnancy", "wait", "again")),
    "triage.safety.while_waiting",
)


def load_graph(root: Path, strings: Strings) -> tuple[Graph | None, list[Problem]]:
    """The graph from root/triage.yaml (None if unusable) and every problem found."""
    spec, problems = read_model(root, FILE, GraphSpec)
    if spec is None:
        return None, problems
    problems = _check(spec, strings, known_conditions(root))
    if problems:
        return None, problems
    return _build(spec), []


def known_conditions(root: Path) -> tuple[set[str], str]:
    """Condition ids from the library's pages if it has any, else the shared list."""
    pages = sorted((root / "conditions").glob("*.md")) if (root / "conditions").is_dir() else []
    ids = set()
    for page in pages:
        front = re.match(r"^---\n(.*?)\n---", page.read_text(encoding="utf-8"), re.S)
        meta = {}
        if front:
            try:
                meta = read_yaml(front.group(1)) or {}
            except yaml.YAMLError:
                meta = {}  # the library's own check reports it
        if isinstance(meta, dict) and meta.get("kind", "condition") != "condition":
            continue
        ids.add(str(meta.get("id", page.stem)) if isinstance(meta, dict) else page.stem)
    if ids:
        return ids, "content/conditions/"
    return set(CONDITION_IDS), "the shared condition list"


def _check(spec: GraphSpec, strings: Strings, known: tuple[set[str], str]) -> list[Problem]:
    problems: list[Problem] = []

    def problem(where: str, message: str) -> None:
        problems.append(Problem(FILE, where, message))

    ids, source = known
    for condition in spec.conditions:
        if condition not in ids:
            problem(f"conditions.{condition}", f"unknown condition (not in {source})")

    nodes: dict[str, NodeSpec] = {}
    for node in spec.nodes:
        if node.id == END:
            problem(f"nodes[{node.id}]", f"'{END}' is reserved for the end of the check")
        elif node.id in nodes:
            problem(f"nodes[{node.id}]", "duplicate question id")
        nodes.setdefault(node.id, node)
    if spec.start not in nodes:
        problem("start", f"no question {spec.start!r}")

    edges: dict[str, set[str]] = {n: set() for n in nodes}
    for node in spec.nodes:
        at = f"nodes[{node.id}]"
        _check_next(node.next, f"{at}.next", nodes, problem)
        edges[node.id].add(node.next)
        seen: set[str] = set()
        for option in node.options:
            where = f"{at}.options[{option.id}]"
            if option.id in seen:
                problem(where, "duplicate answer id in this question")
            seen.add(option.id)
            _check_effect(option, where, spec, problem)
            if option.tier == "emergency":
                if option.next is not None:
                    problem(f"{where}.next", "an emergency answer ends the check: no next")
                continue
            if option.next is not None:
                _check_next(option.next, f"{where}.next", nodes, problem)
                edges[node.id].add(option.next)
            try:
                triage_buttons.answer(node.id, option.id, LONGEST_SEQ)
            except ValueError as exc:
                problem(where, f"button data too long: {exc}")

    reachable = _reachable(spec.start, edges)
    for node in spec.nodes:
        if node.id not in reachable:
            problem(f"nodes[{node.id}]", "not reachable from the start")
    cycle = _find_cycle(edges)
    if cycle:
        problem("nodes", "cycle: " + " -> ".join(cycle))
    else:
        before = _ancestors(edges)
        for node in spec.nodes:
            for kind, clauses in (("ask_if", node.ask_if), ("skip_if", node.skip_if)):
                for i, clause in enumerate(clauses):
                    where = f"nodes[{node.id}].{kind}[{i}]"
                    _check_clause(clause, where, nodes, problem, before.get(node.id, set()))
    for rule in spec.rules:
        where = f"rules[{rule.id}]"
        _check_clause(rule.when, f"{where}.when", nodes, problem, None)
        _check_effect(rule, where, spec, problem)
        if not (rule.tier or rule.weights or rule.tags or rule.advice or rule.no_exercise):
            problem(where, "does nothing (no tier, weights, tags or advice)")

    for where, key in _text_keys(spec):
        for lang in strings.languages:
            if key not in strings.locales[lang]:
                problems.append(Problem(f"locales/{lang}.yaml", key, f"missing (used by {where})"))
    return problems


def _check_next(target: str, where: str, nodes: dict, problem) -> None:
    if target != END and target not in nodes:
        problem(where, f"no question {target!r} (use '{END}' to finish)")


def _check_effect(effect: EffectSpec, where: str, spec: GraphSpec, problem) -> None:
    for condition in effect.weights:
        if condition not in spec.conditions:
            problem(f"{where}.weights.{condition}", "not one of the graph's conditions")
    pointing = effect.tier or any(w > 0 for w in effect.weights.values())
    if pointing and effect.why is None:
        problem(where, "needs a 'why' (shown as the reason for the tier or explanation)")


def _check_clause(clause: dict, where: str, nodes: dict, problem, earlier: set | None) -> None:
    for node_id, answers in clause.items():
        if node_id not in nodes:
            problem(f"{where}.{node_id}", "no such question")
            continue
        if earlier is not None and node_id not in earlier:
            problem(f"{where}.{node_id}", "not asked before this question, so never known")
        options = {o.id for o in nodes[node_id].options}
        for answer in answers:
            if answer not in options:
                problem(f"{where}.{node_id}", f"question has no answer {answer!r}")


def _reachable(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node in seen or node not in edges:
            continue
        seen.add(node)
        stack.extend(edges[node])
    return seen


def _find_cycle(edges: dict[str, set[str]]) -> list[str]:
    """One cycle as a list of ids, or [] (every path then ends: each next resolves)."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in edges:
                continue
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return []

    for node in edges:
        if node not in state and (found := visit(node)):
            return found
    return []


def _ancestors(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """For each question, every question that can come before it (the graph has no cycles)."""
    parents: dict[str, set[str]] = {n: set() for n in edges}
    for node, targets in edges.items():
        for target in targets:
            if target in parents:
                parents[target].add(node)
    memo: dict[str, set[str]] = {}

    def of(node: str) -> set[str]:
        if node not in memo:
            memo[node] = set()
            for parent in parents[node]:
                memo[node] |= {parent} | of(parent)
        return memo[node]

    return {n: of(n) for n in edges}


def _text_keys(spec: GraphSpec):
    yield "disclaimer", spec.disclaimer
    for cid, condition in spec.conditions.items():
        for key in (condition.name, condition.tip, condition.fallback_why):
            if key:
                yield f"conditions.{cid}", key
    for node in spec.nodes:
        yield f"nodes[{node.id}]", node.text
        for option in node.options:
            yield f"nodes[{node.id}].options[{option.id}]", option.label
            for key in (option.why, option.advice, option.action):
                if key:
                    yield f"nodes[{node.id}].options[{option.id}]", key
    for rule in spec.rules:
        for key in (rule.why, rule.advice, rule.action):
            if key:
                yield f"rules[{rule.id}]", key
    for key in UI_KEYS:
        yield "the result screen", key


def _effect(spec: EffectSpec) -> Effect:
    return Effect(
        spec.tier,
        tuple(spec.weights.items()),
        tuple(spec.tags),
        spec.why,
        spec.advice,
        spec.no_exercise,
        spec.action,
    )


def _clause(raw: dict[str, list[str]]) -> Clause:
    return tuple((node, frozenset(answers)) for node, answers in raw.items())


def _build(spec: GraphSpec) -> Graph:
    nodes = {
        n.id: Node(
            id=n.id,
            text=n.text,
            options={o.id: Option(o.id, o.label, o.next or n.next, _effect(o)) for o in n.options},
            next=n.next,
            ask_if=tuple(_clause(c) for c in n.ask_if),
            skip_if=tuple(_clause(c) for c in n.skip_if),
            skip_at_tier=n.skip_at_tier,
        )
        for n in spec.nodes
    }
    conditions = {
        cid: Condition(cid, c.name, c.tip, c.prior, c.fallback_why, tuple(c.tags))
        for cid, c in spec.conditions.items()
    }
    rules = tuple(Rule(r.id, _clause(r.when), _effect(r)) for r in spec.rules)
    return Graph(spec.version, spec.start, nodes, conditions, rules, spec.disclaimer)
