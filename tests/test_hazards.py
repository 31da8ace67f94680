"""The hazard log (content/safety/hazards.yaml) is kept true by the code and the tests."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from bot import content
from bot.paths import content_dir

ROOT = Path(__file__).resolve().parent.parent


def defined_tests() -> set[str]:
    """Every test function in tests/, as 'tests/file.py::name'."""
    found = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                "test_"
            ):
                found.add(f"{path.relative_to(ROOT).as_posix()}::{node.name}")
    return found


@pytest.fixture(scope="module")
def log():
    loaded = content.load()
    assert loaded.hazards is not None
    return loaded.hazards


def test_every_test_the_log_names_exists(log):
    missing = sorted(log.tests() - defined_tests())
    assert missing == [], f"the hazard log names tests that do not exist: {missing}"


def test_the_log_covers_the_review_and_every_emergency_answer(log):
    graph = content.load().triage
    named = {o for h in log.hazards for c in h.controls for o in c.options}
    emergencies = {
        f"{node.id}.{option.id}"
        for node in graph.nodes.values()
        for option in node.options.values()
        if option.effect.tier == "emergency"
    }
    assert sorted(emergencies - named) == []  # every emergency answer is a named control
    assert {"H1", "H2", "H3", "H4", "H5"} <= {h.id for h in log.hazards}


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    path = root / "safety" / "hazards.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("nodes: [legs_again]", "nodes: [legs_later]", "no triage question 'legs_later'"),
        ("options: [legs.weak]", "options: [legs.wobbly]", "no triage answer 'legs.wobbly'"),
        ("rules: [bones_fracture]", "rules: [bones_broken]", "no triage rule 'bones_broken'"),
        ('"bot.triage.text:result"', '"bot.triage.text:nothing"', "has no 'nothing'"),
        ("severity: catastrophic", "severity: awful", "Input should be"),
        ("    residual: None known.", "    residue: None known.", "unknown field (typo?)"),
    ],
)
def test_a_control_naming_what_does_not_exist_stops_start_up(tmp_path, old, new, message):
    root = _broken_copy(tmp_path, old, new)
    _, problems = content.check(root)
    found = [str(p) for p in problems if p.file == "safety/hazards.yaml"]
    assert any(message in p for p in found), found
