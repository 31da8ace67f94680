"""Reading library files: YAML that refuses duplicate keys, one item at a time."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from bot.library.models import REFERENCE
from bot.problems import Problem, validate, yaml_problem
from bot.yamlfile import read_yaml


def validate_list(
    model: type[BaseModel], raw: dict, key: str, rel: str, problems: list[Problem]
) -> list[Any]:
    """Each item of raw[key] checked on its own, so one bad item hides none of the others."""
    items = raw.get(key) or []
    if not isinstance(items, list):
        problems.append(Problem(rel, key, "must be a list"))
        return []
    built = []
    for index, item in enumerate(items):
        name = item.get("id") if isinstance(item, dict) else None
        label = f"{key}[{name if isinstance(name, str) else index}]"
        found = validate(model, item, rel, problems, label)
        if found is not None:
            built.append(found)
    return built


def top_level(raw: Any, allowed: tuple[str, ...], rel: str, problems: list[Problem]) -> dict:
    """The file's mapping (empty if it is not one), with unknown keys reported."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(rel, "", f"must be a mapping with {' and '.join(allowed)}"))
        return {}
    for key in raw:
        if key not in allowed:
            problems.append(Problem(rel, str(key), "unknown field (typo?)"))
    return raw


_NAME = re.compile(r"^(?P<stem>[^.]+)(?:\.(?P<lang>[a-z]{2,3}))?\.(?:md|yaml)$")


def split_name(path: Path) -> tuple[str, str] | None:
    """("stenosis", "es") for stenosis.es.md; English files have no language part."""
    match = _NAME.match(path.name)
    if not match:
        return None
    return match["stem"], match["lang"] or REFERENCE


def read_mapping(path: Path, rel: str, problems: list[Problem], allowed: tuple[str, ...]) -> dict:
    """A YAML file's top-level mapping; empty (with the problem noted) if it is unusable."""
    try:
        raw = read_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        problems.append(yaml_problem(rel, exc))
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(rel, "", f"cannot read: {exc}"))
        return {}
    return top_level(raw, allowed, rel, problems)
