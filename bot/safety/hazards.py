"""The clinical hazard log (content/safety/hazards.yaml): what could harm someone, and
the controls that stop it, each tied to the graph, the code and the tests that prove it.

Checked at start-up like the rest of content: every question, answer and rule a
control names must exist in the triage graph, and every piece of code it names must
import. That the named tests exist is checked by the test suite (tests/test_hazards.py),
since an installed bot carries no tests.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bot.problems import Problem, read_model
from bot.triage.engine import Graph

FILE = "safety/hazards.yaml"
Text = Annotated[str, StringConstraints(min_length=10, max_length=600)]
TestId = Annotated[str, StringConstraints(pattern=r"^tests/[a-z0-9_/]+\.py::[A-Za-z0-9_]+$")]
CodeRef = Annotated[str, StringConstraints(pattern=r"^bot(\.[a-z0-9_]+)+:[A-Za-z_][A-Za-z0-9_]*$")]
Rating = Literal["catastrophic", "major", "considerable", "significant", "minor"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Control(Strict):
    what: Text
    nodes: list[str] = []  # triage questions
    options: list[str] = []  # "question.answer"
    rules: list[str] = []
    code: list[CodeRef] = []  # "bot.module:name"
    tests: Annotated[list[TestId], Field(min_length=1)]


class Hazard(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^H[0-9]{1,3}$")]
    hazard: Text
    harm: Text
    severity: Rating
    causes: Annotated[list[Text], Field(min_length=1)]
    controls: Annotated[list[Control], Field(min_length=1)]
    residual: Text


class HazardLog(Strict):
    hazards: Annotated[list[Hazard], Field(min_length=1)]

    def tests(self) -> set[str]:
        return {t for h in self.hazards for c in h.controls for t in c.tests}


def load_hazards(root: Path, graph: Graph | None) -> tuple[HazardLog | None, list[Problem]]:
    log, problems = read_model(root, FILE, HazardLog)
    if log is None:
        return None, problems
    problems = _check(log, graph)
    return (None if problems else log), problems


def _check(log: HazardLog, graph: Graph | None) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for hazard in log.hazards:
        if hazard.id in seen:
            problems.append(Problem(FILE, hazard.id, "duplicate hazard id"))
        seen.add(hazard.id)
        for number, control in enumerate(hazard.controls, 1):
            where = f"{hazard.id}.controls[{number}]"
            problems += [Problem(FILE, where, m) for m in _dangling(control, graph)]
    return problems


def _dangling(control: Control, graph: Graph | None) -> list[str]:
    """What a control names that does not exist."""
    found: list[str] = []
    if graph is not None:  # an unusable graph is reported by its own loader
        for node in control.nodes:
            if node not in graph.nodes:
                found.append(f"no triage question {node!r}")
        for pair in control.options:
            node, _, option = pair.partition(".")
            if node not in graph.nodes or option not in graph.nodes[node].options:
                found.append(f"no triage answer {pair!r}")
        rules = {r.id for r in graph.rules}
        found += [f"no triage rule {rule!r}" for rule in control.rules if rule not in rules]
    for ref in control.code:
        module, _, name = ref.partition(":")
        try:
            if not hasattr(importlib.import_module(module), name):
                found.append(f"{module} has no {name!r}")
        except ImportError:
            found.append(f"no module {module!r}")
    return found
