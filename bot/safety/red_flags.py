"""Red-flag phrases in typed messages: load, normalise, match. No telegram here.

    flags, problems = load_red_flags(root, strings)   # content/safety/red_flag_phrases.yaml
    flags.match("help I can't control my bladder", "en") -> [Hit("bladder_bowel", ...)]

Patterns are matched against every language's list whatever the person's language
(someone may type in either), and the reply uses their language's reason. Matching
errs on the side of safety: a false alarm costs one message, a miss may cost far more.
The text is matched and forgotten here; it is never stored or logged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.i18n import Strings
from bot.problems import Problem, yaml_problem
from bot.yamlfile import read_yaml

FILE = "safety/red_flag_phrases.yaml"
DEFAULT_ADVICE = "safety.advice.urgent"
GAP = "..."  # in a pattern: up to four words in between
_GAP = re.compile(r"\s*\.\.\.\s*")
_GAP_REGEX = r" (?:\w+ ){0,4}"  # normalised text is words joined by single spaces
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc\u0060\u00b4]")
_NOT_WORD = re.compile(r"[\W_]+")
_CANNOT = re.compile(r"\bcan ?not\b")
_ESCAPE_OR_TEXT = re.compile(r"\\.|[^\\]+", re.DOTALL)
_FIELDS = {"reason", "advice", "patterns"}


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """Lower case, no accents or apostrophes, words joined by single spaces.

    "Can’t feel my VEJÍGA!!" -> "cant feel my vejiga"; "cannot" and "can not" -> "cant".
    """
    text = _APOSTROPHES.sub("", text.casefold())  # before NFKD: it turns ´ into a space
    text = _NOT_WORD.sub(" ", _strip_accents(text)).strip()
    return _CANNOT.sub("cant", text)


def _lower_text(part: re.Match[str]) -> str:
    text = part.group()
    return text if text.startswith("\\") else text.casefold()


def _pattern_source(pattern: str) -> str:
    """A pattern as written in the file, made to fit normalised text (still a regex)."""
    # Lower case outside escapes (\S must stay \S): cheaper than matching ignoring case.
    source = _ESCAPE_OR_TEXT.sub(_lower_text, _strip_accents(_APOSTROPHES.sub("", pattern)))
    source = _CANNOT.sub("cant", source)
    source = re.sub(r"\s+", " ", source.strip())
    return _GAP.sub(lambda _: _GAP_REGEX, source)


@dataclass(frozen=True)
class Hit:
    group: str
    reason: str  # locale key
    advice: str  # locale key; its text names {emergency}


@dataclass(frozen=True)
class Group:
    id: str
    reason: str
    advice: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class RedFlags:
    # language -> its groups, in file order (the order replies list them in)
    by_language: dict[str, tuple[Group, ...]] = field(default_factory=dict)

    def match(self, text: str, lang: str) -> list[Hit]:
        """Groups whose patterns occur in `text` (any language), each once, worded for `lang`."""
        plain = normalise(text)
        if not plain:
            return []
        found: dict[str, Group] = {}
        for groups in self.by_language.values():
            for group in groups:
                if group.id not in found and group.regex.search(plain):
                    found[group.id] = group
        own = [g for g in self.by_language.get(lang, ()) if g.id in found]
        ids = {g.id for g in own}
        rest = [g for g in found.values() if g.id not in ids]  # only if the file lacks one
        return [Hit(g.id, g.reason, g.advice) for g in own + rest]


def load_red_flags(root: Path, strings: Strings) -> tuple[RedFlags, list[Problem]]:
    """Read and check the phrases file: {lang: {group: {reason, advice?, patterns}}}."""
    try:
        tree = read_yaml((root / FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return RedFlags(), [Problem(FILE, "", "missing")]
    except yaml.YAMLError as exc:
        return RedFlags(), [yaml_problem(FILE, exc)]
    if not isinstance(tree, Mapping):
        return RedFlags(), [Problem(FILE, "", "must map each language (en, es) to its groups")]
    problems: list[Problem] = []
    languages = strings.languages
    for lang in tree:
        if lang not in languages:
            problems.append(Problem(FILE, str(lang), f"not a language of locales/ {languages}"))
    by_language: dict[str, tuple[Group, ...]] = {}
    ids: dict[str, set[str]] = {}  # as written, even a group whose every pattern is broken
    for lang in languages:
        section = tree.get(lang)
        if not isinstance(section, Mapping) or not section:
            problems.append(Problem(FILE, lang, "missing: every language needs its groups"))
            continue
        groups, found = _groups(lang, section, strings)
        problems += found
        by_language[lang] = groups
        ids[lang] = {str(group_id) for group_id in section}
    every = set().union(*ids.values()) if ids else set()
    for lang, have in ids.items():
        for missing in sorted(every - have):
            problems.append(Problem(FILE, f"{lang}.{missing}", "group missing in this language"))
    return RedFlags(by_language), problems


def _groups(
    lang: str, section: Mapping, strings: Strings
) -> tuple[tuple[Group, ...], list[Problem]]:
    problems: list[Problem] = []
    groups: list[Group] = []
    seen: dict[str, str] = {}  # normalised pattern -> where it first appeared
    for group_id, spec in section.items():
        where = f"{lang}.{group_id}"
        if not isinstance(group_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", group_id):
            problems.append(Problem(FILE, where, "group id must be lower_case_words"))
            continue
        if not isinstance(spec, Mapping) or not {"reason", "patterns"} <= set(spec):
            problems.append(Problem(FILE, where, "needs reason: and patterns:"))
            continue
        for unknown in sorted(set(map(str, spec)) - _FIELDS):
            problems.append(Problem(FILE, f"{where}.{unknown}", "unknown field"))
        reason, advice = spec["reason"], spec.get("advice", DEFAULT_ADVICE)
        problems += _key_problems(f"{where}.reason", reason, strings)
        problems += _key_problems(f"{where}.advice", advice, strings, needs="{emergency}")
        sources, found = _patterns(where, spec["patterns"], seen)
        problems += found
        if sources:
            regex = re.compile(r"\b(?:" + "|".join(sources) + r")\b")
            groups.append(Group(group_id, str(reason), str(advice), regex))
    return tuple(groups), problems


def _key_problems(where: str, key: object, strings: Strings, needs: str = "") -> list[Problem]:
    if not isinstance(key, str):
        return [Problem(FILE, where, "must be a locale key such as safety.reason.bladder_bowel")]
    problems = []
    for lang in strings.languages:
        text = strings.locales[lang].get(key)
        if text is None:
            problems.append(Problem(FILE, where, f"{key} is not in locales/{lang}.yaml"))
        elif needs and needs not in text:
            problems.append(Problem(FILE, where, f"{key} in locales/{lang}.yaml lacks {needs}"))
    return problems


def _patterns(
    where: str, patterns: object, seen: dict[str, str]
) -> tuple[list[str], list[Problem]]:
    if not isinstance(patterns, list) or not patterns:
        return [], [Problem(FILE, f"{where}.patterns", "must be a list of patterns")]
    problems: list[Problem] = []
    sources: list[str] = []
    for number, pattern in enumerate(patterns, 1):
        at = f"{where}.patterns[{number}]"
        if not isinstance(pattern, str) or not pattern.strip():
            problems.append(Problem(FILE, at, "must be text (quote it if it starts with a symbol)"))
            continue
        if pattern.strip().startswith(GAP) or pattern.strip().endswith(GAP):
            problems.append(Problem(FILE, at, f"{GAP} belongs between two words"))
            continue
        source = _pattern_source(pattern)
        try:
            compiled = re.compile(source)
        except re.error as exc:
            problems.append(Problem(FILE, at, f"not a valid pattern: {exc}"))
            continue
        if compiled.fullmatch("") or compiled.fullmatch(" "):
            problems.append(Problem(FILE, at, "matches empty text, so it would match everything"))
            continue
        key = source.casefold()
        if key in seen:
            problems.append(Problem(FILE, at, f"duplicate of {seen[key]}"))
            continue
        seen[key] = at
        sources.append(f"(?:{source})")
    return sources, problems
