"""Content problems, collected so every one is reported at once, in one form for every file:
YAML errors by line, schema errors by place (list items named by their id)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.yamlfile import read_yaml

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    where: str
    message: str

    def __str__(self) -> str:
        location = f"{self.file}: {self.where}" if self.where else self.file
        return f"{location}: {self.message}"


class ContentError(Exception):
    """Content failed validation; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(problems)} content problem(s)")


def yaml_problem(rel: str, exc: yaml.YAMLError, line_offset: int = 0) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1 + line_offset}" if mark is not None else ""
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return Problem(rel, where, f"not valid YAML: {reason}")


def validate(
    model: type[BaseModel], raw: Any, rel: str, problems: list[Problem], prefix: str = ""
) -> Any:
    """The model built from `raw`, or None with every schema error added to `problems`."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            problems.append(Problem(rel, _where(prefix, error["loc"], raw), _message(error)))
        return None


def _where(prefix: str, loc: tuple[Any, ...], raw: Any) -> str:
    """A readable location: list items are named by their id when they have one."""
    parts = [prefix] if prefix else []
    node = raw
    for step in loc:
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            item = node[step]
            item_id = item.get("id") if isinstance(item, dict) else None
            parts.append(f"[{item_id}]" if isinstance(item_id, str) else f"[{step}]")
            node = item
        else:
            parts.append(f".{step}" if parts else str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return "".join(parts).lstrip(".")


def _message(error: dict[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field (typo?)"
    if error["type"] == "missing":
        return "required field missing"
    return error["msg"]


def read_model(root: Path, rel: str, model: type[M]) -> tuple[M | None, list[Problem]]:
    """The file root/rel read (refusing repeated keys) and checked against `model`: the
    built model, or None with every problem ("missing", the YAML error, each schema error)."""
    path = root / rel
    if not path.is_file():
        return None, [Problem(rel, "", "missing")]
    try:
        raw = read_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return None, [yaml_problem(rel, exc)]
    problems: list[Problem] = []
    return validate(model, raw, rel, problems), problems
