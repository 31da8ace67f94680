"""A small content directory for triage tests: three questions, three conditions, one rule."""

from __future__ import annotations

from pathlib import Path

from bot.triage.graph import UI_KEYS

SMALL_GRAPH = """
version: "test-1"
start: danger
disclaimer: t.disclaimer
conditions:
  nonspecific: {prior: 1, name: t.c.nonspecific, tip: t.tip, fallback_why: t.why.common}
  strain: {name: t.c.strain, tip: t.tip}
  sciatica: {name: t.c.sciatica, tip: t.tip, tags: [nerve_pain]}
nodes:
  - id: danger
    text: t.q.danger
    next: how
    options:
      - {id: "yes", label: t.a.yes, tier: emergency, why: t.why.danger}
      - {id: unsure, label: t.a.unsure, tier: urgent, why: t.why.unsure}
      - {id: "no", label: t.a.no}
  - id: how
    text: t.q.how
    next: where
    options:
      - {id: lift, label: t.a.lift, weights: {strain: 3, sciatica: 1}, why: t.why.lift}
      - {id: slow, label: t.a.slow, weights: {strain: -1}}
  - id: where
    text: t.q.where
    next: end
    options:
      - {id: back, label: t.a.back, weights: {sciatica: -2}, tags: [acute]}
      - {id: leg, label: t.a.leg, weights: {sciatica: 3}, why: t.why.leg}
rules:
  - id: slow_leg
    when: {how: [slow], where: [leg]}
    tier: routine
    weights: {sciatica: 2}
    why: t.why.slow_leg
"""

KEYS = [
    "t.disclaimer", "t.tip", "t.c.nonspecific", "t.c.strain", "t.c.sciatica",
    "t.why.common", "t.why.danger", "t.why.unsure", "t.why.lift", "t.why.leg", "t.why.slow_leg",
    "t.q.danger", "t.q.how", "t.q.where",
    "t.a.yes", "t.a.unsure", "t.a.no", "t.a.lift", "t.a.slow", "t.a.back", "t.a.leg",
]  # fmt: skip


def locale(keys: list[str]) -> str:
    lines = [f"{key}: text for {key}" for key in keys]
    lines += [f"{key}: words" for key in UI_KEYS]
    return "\n".join(lines) + "\n"


def write_content(root: Path, graph: str, keys: list[str] = KEYS) -> Path:
    """root/content with the graph and an English locale holding `keys` (flat dotted keys)."""
    target = root / "content"
    (target / "locales").mkdir(parents=True, exist_ok=True)
    (target / "triage.yaml").write_text(graph, encoding="utf-8")
    (target / "locales" / "en.yaml").write_text(locale(keys), encoding="utf-8")
    return target
