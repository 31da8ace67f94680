"""The schema of content/triage.yaml: strict (a misspelt key is an error), plus a YAML
reader that refuses repeated keys."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bot.vocabulary import AvoidTag

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]{0,23}$")]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")]
TierName = Literal["emergency", "urgent", "routine"]
ClauseSpec = Annotated[dict[Slug, Annotated[list[Slug], Field(min_length=1)]], Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EffectSpec(Strict):
    tier: TierName | None = None
    weights: dict[Slug, float] = {}
    tags: list[AvoidTag] = []
    why: Key | None = None
    advice: Key | None = None
    no_exercise: bool = False
    action: Key | None = None


class OptionSpec(EffectSpec):
    id: Slug
    label: Key
    next: Slug | None = None


class NodeSpec(Strict):
    id: Slug
    text: Key
    next: Slug
    options: Annotated[list[OptionSpec], Field(min_length=2, max_length=8)]
    ask_if: list[ClauseSpec] = []
    skip_if: list[ClauseSpec] = []
    skip_at_tier: TierName | None = None


class RuleSpec(EffectSpec):
    id: Slug
    when: ClauseSpec


class ConditionSpec(Strict):
    name: Key
    tip: Key
    prior: float = 0.0
    fallback_why: Key | None = None
    tags: list[AvoidTag] = []


class GraphSpec(Strict):
    version: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    start: Slug
    disclaimer: Key = "triage.result.disclaimer"
    conditions: Annotated[dict[Slug, ConditionSpec], Field(min_length=1)]
    nodes: Annotated[list[NodeSpec], Field(min_length=1)]
    rules: list[RuleSpec] = []
