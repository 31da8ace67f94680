"""Validation of content/triage.yaml: every problem reported at once, with file and place."""

from __future__ import annotations

import pytest

from bot import content
from bot.cli import main
from bot.problems import ContentError
from tests.triage_fixtures import KEYS, SMALL_GRAPH, write_content

BROKEN = """
version: "broken-1"
start: first
conditions:
  nonspecific: {name: t.c.nonspecific, tip: t.tip}
  gout: {name: t.c.nonspecific, tip: t.tip}
nodes:
  - id: first
    text: t.q.danger
    next: second
    options:
      - {id: "yes", label: t.a.yes, tier: emergency, next: second, why: t.why.danger}
      - {id: "no", label: t.a.no, weights: {nonspecific: 1}}
      - {id: "no", label: t.a.no}
  - id: second
    text: t.q.how
    next: third
    ask_if:
      - {third: [a]}
    options:
      - {id: a, label: t.a.lift, next: nowhere}
      - {id: b, label: t.a.slow, weights: {sciatica: 1}, why: t.why.lift}
  - id: third
    text: t.q.where
    next: second
    options:
      - {id: a, label: t.a.back}
      - {id: a_very_long_answer_id_xx, label: t.a.missing_label}
  - id: third
    text: t.q.where
    next: end
    options:
      - {id: a, label: t.a.back}
      - {id: b, label: t.a.leg}
  - id: lonely_question_long_id1
    text: t.q.where
    next: end
    options:
      - {id: a_very_long_answer_id_xx, label: t.a.back}
      - {id: b, label: t.a.leg}
rules:
  - id: nothing
    when: {first: [maybe]}
"""


def problems_for(tmp_path, graph: str, keys=KEYS, extra_locales=None):
    root = write_content(tmp_path, graph, keys)
    for lang, text in (extra_locales or {}).items():
        (root / "locales" / f"{lang}.yaml").write_text(text, encoding="utf-8")
    _, problems = content.check(root)
    # The fixture holds only the triage graph and its strings; the library's own
    # complaints about its missing pages (and the emergency numbers', the red-flag
    # phrases', the plan's lessons) are tested elsewhere.
    library_files = ("conditions/", "stretches/", "sources.yaml", "emergency.yaml", "safety/",
                     "programme/")  # fmt: skip
    return [
        str(p)
        for p in problems
        if not p.file.startswith(library_files) and "the library needs it" not in p.message
    ]


def test_the_shipped_content_is_valid(capsys):
    loaded, problems = content.check()
    assert problems == []
    assert loaded.triage is not None and loaded.triage.start == "mimic"
    assert main(["content", "check"]) == 0
    assert "content OK" in capsys.readouterr().out


def test_every_graph_problem_is_reported_at_once(tmp_path):
    found = "\n".join(problems_for(tmp_path, BROKEN))
    expected = [
        "conditions.gout: unknown condition (not in the shared condition list)",
        "nodes[third]: duplicate question id",
        "nodes[first].options[no]: duplicate answer id in this question",
        "nodes[first].options[yes].next: an emergency answer ends the check: no next",
        "nodes[first].options[no]: needs a 'why'",
        "nodes[second].options[a].next: no question 'nowhere'",
        "nodes[second].options[b].weights.sciatica: not one of the graph's conditions",
        "nodes[lonely_question_long_id1]: not reachable from the start",
        "nodes[lonely_question_long_id1].options[a_very_long_answer_id_xx]: button data too long",
        "nodes: cycle: second -> third -> second",
        "rules[nothing].when.first: question has no answer 'maybe'",
        "rules[nothing]: does nothing",
        "locales/en.yaml: t.a.missing_label: missing (used by nodes[third].options[",
        # the graph names no disclaimer, and the default one is not in this locale
        "locales/en.yaml: triage.result.disclaimer: missing (used by disclaimer)",
    ]
    for message in expected:
        assert message in found, f"{message!r} not in:\n{found}"


def test_a_clause_must_name_an_earlier_question(tmp_path):
    graph = SMALL_GRAPH.replace(
        "    next: how\n", "    next: how\n    skip_if:\n      - {where: [leg]}\n", 1
    )
    found = problems_for(tmp_path, graph)
    assert found == [
        "triage.yaml: nodes[danger].skip_if[0].where: not asked before this question, "
        "so never known"
    ]


def test_schema_errors_name_the_place_and_a_misspelt_key_fails(tmp_path):
    graph = SMALL_GRAPH.replace("{strain: 3, sciatica: 1}, why", "{strain: 3}, nxt: end, why")
    graph = graph.replace("tier: urgent", "tier: soon")
    found = problems_for(tmp_path, graph)
    assert any("nodes[how].options[lift].nxt: unknown field (typo?)" in p for p in found)
    assert any("nodes[danger].options[unsure].tier: Input should be" in p for p in found)


def test_repeated_yaml_keys_are_refused(tmp_path):
    graph = SMALL_GRAPH.replace('version: "test-1"', 'version: "test-1"\nversion: "test-2"')
    found = problems_for(tmp_path, graph)
    assert len(found) == 1 and "duplicate key 'version'" in found[0]


def test_every_text_key_must_exist_in_every_language(tmp_path):
    root = write_content(tmp_path, SMALL_GRAPH)
    english = (root / "locales" / "en.yaml").read_text()
    spanish = english.replace("t.q.how: text for t.q.how\n", "")
    found = problems_for(tmp_path, SMALL_GRAPH, extra_locales={"es": spanish})
    assert "locales/es.yaml: t.q.how: missing (used by nodes[how])" in found


def test_conditions_are_checked_against_the_library_pages_once_there_are_any(tmp_path):
    root = write_content(tmp_path, SMALL_GRAPH)
    pages = root / "conditions"
    pages.mkdir()
    (pages / "strain.md").write_text("---\nid: strain\nkind: condition\n---\ntext\n")
    (pages / "nonspecific.md").write_text("---\nkind: condition\n---\ntext\n")
    (pages / "treatments.md").write_text("---\nid: sciatica\nkind: guide\n---\ntext\n")
    _, problems = content.check(root)
    assert [str(p) for p in problems if p.file == "triage.yaml"] == [
        "triage.yaml: conditions.sciatica: unknown condition (not in content/conditions/)"
    ]


def test_invalid_triage_content_stops_start_up_and_the_check_command(tmp_path, capsys):
    root = write_content(tmp_path, BROKEN)
    with pytest.raises(ContentError):
        content.load(root)
    assert main(["content", "check", "--dir", str(root)]) == 1
    out = capsys.readouterr().out
    assert "nodes[third]: duplicate question id" in out
    assert "nodes: cycle" in out
