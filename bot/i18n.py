"""UI strings per language from content/locales/<lang>.yaml, looked up by dotted key."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.problems import Problem
from bot.yamlfile import read_yaml

DEFAULT_LANGUAGE = "en"
_FORMATTER = string.Formatter()
_TAG = re.compile(r"</?([a-zA-Z]+)")


def flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _odd_keys(tree: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Keys YAML read as something other than text (a bare `on:` becomes True)."""
    odd: list[str] = []
    for key, value in tree.items():
        if not isinstance(key, str):
            odd.append(f"{prefix}{key}")
        elif isinstance(value, Mapping):
            odd += _odd_keys(value, f"{prefix}{key}.")
    return odd


def tags(text: str) -> list[str]:
    """The HTML tags in a string, opening and closing, sorted: translations keep English's."""
    return sorted(match.group(0) for match in _TAG.finditer(text))


def placeholders(text: str) -> set[str]:
    try:
        return {field for _, field, _, _ in _FORMATTER.parse(text) if field}
    except ValueError:
        return {"<malformed>"}


class Strings:
    """All locales, loaded once. `t(lang, key, **params)` formats one string."""

    def __init__(self, locales: dict[str, dict[str, str]]):
        self.locales = locales
        # Each language with English filling its gaps, so a string is one lookup: a tap
        # draws a dozen of them.
        english = locales.get(DEFAULT_LANGUAGE, {})
        self._tables = {lang: {**english, **table} for lang, table in locales.items()}
        self._tables.setdefault(DEFAULT_LANGUAGE, english)

    @property
    def languages(self) -> list[str]:
        return sorted(self.locales)

    def pick_language(self, code: str | None) -> str:
        """The supported language closest to a Telegram language_code ("es-MX" -> "es")."""
        if code:
            base = code.lower().split("-")[0]
            if base in self.locales:
                return base
        return DEFAULT_LANGUAGE

    def has(self, key: str) -> bool:
        return key in self.locales[DEFAULT_LANGUAGE]

    def t(self, lang: str, key: str, **params: object) -> str:
        table = self._tables.get(lang) or self._tables[DEFAULT_LANGUAGE]
        text = table[key]  # a KeyError here is a bug in code
        return text.format(**params) if params else text


def load_strings(locales_dir: Path) -> tuple[Strings, list[Problem]]:
    """Load every locale and check that each has the same keys and placeholders as English."""
    problems: list[Problem] = []
    locales: dict[str, dict[str, str]] = {}
    for path in sorted(locales_dir.glob("*.yaml")):
        rel = f"locales/{path.name}"
        try:
            tree = read_yaml(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            problems.append(Problem(rel, "", f"not valid YAML: {exc}"))
            continue
        if not isinstance(tree, Mapping):
            problems.append(Problem(rel, "", "must be a mapping of keys to strings"))
            continue
        for where in _odd_keys(tree):
            problems.append(Problem(rel, where, "key must be text (quote yes/no/on/off keys)"))
        flat = flatten(tree)
        for key, value in flat.items():
            if not isinstance(value, str):
                problems.append(Problem(rel, key, "must be a string"))
        locales[path.stem] = {k: v for k, v in flat.items() if isinstance(v, str)}
    if DEFAULT_LANGUAGE not in locales:
        problems.append(Problem(f"locales/{DEFAULT_LANGUAGE}.yaml", "", "missing"))
        return Strings(locales or {DEFAULT_LANGUAGE: {}}), problems
    base = locales[DEFAULT_LANGUAGE]
    for key, text in base.items():
        if "<malformed>" in placeholders(text):
            problems.append(
                Problem(f"locales/{DEFAULT_LANGUAGE}.yaml", key, "malformed {placeholder}")
            )
    for lang, table in locales.items():
        if lang == DEFAULT_LANGUAGE:
            continue
        rel = f"locales/{lang}.yaml"
        for key in sorted(base.keys() - table.keys()):
            problems.append(Problem(rel, key, "missing (present in en)"))
        for key in sorted(table.keys() - base.keys()):
            problems.append(Problem(rel, key, "not in en (typo or stale key?)"))
        for key in sorted(base.keys() & table.keys()):
            if placeholders(base[key]) != placeholders(table[key]):
                problems.append(
                    Problem(
                        rel,
                        key,
                        f"placeholders {sorted(placeholders(table[key]))} differ from en "
                        f"{sorted(placeholders(base[key]))}",
                    )
                )
            if tags(base[key]) != tags(table[key]):
                problems.append(Problem(rel, key, "HTML tags differ from en"))
    return Strings(locales), problems
