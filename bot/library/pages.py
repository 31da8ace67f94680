"""Page files: YAML front matter between `---` lines, then sections.

    ---
    id: stenosis
    title: Lumbar spinal stenosis
    ...
    ---
    ## what_it_is
    A paragraph. Lines of one paragraph are joined with spaces.

    - a bullet
    - another bullet

A section starts with `## <section id>`; its heading text comes from the
locale (`library.sections.<id>`), so every language shares the ids.
Paragraphs are separated by blank lines and may use Telegram HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from bot.library.files import read_yaml, yaml_problem
from bot.library.models import Section
from bot.problems import Problem

_HEADING = re.compile(r"^##\s+(\S+)\s*$")
_SECTION_ID = re.compile(r"^[a-z][a-z0-9_]{0,29}$")


@dataclass(frozen=True)
class PageFile:
    front: Any  # raw front matter, validated by the caller
    sections: tuple[Section, ...]


def parse_page(text: str, rel: str, problems: list[Problem]) -> PageFile | None:
    """Split a page file into front matter and sections; problems are added, not raised."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(rel, "line 1", "must start with front matter between --- lines"))
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.append(Problem(rel, "front matter", "no closing --- line"))
        return None
    try:
        front = read_yaml("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        problems.append(yaml_problem(rel, exc, line_offset=1))
        return None
    if not isinstance(front, dict):
        problems.append(Problem(rel, "front matter", "must be a mapping of fields"))
        return None
    sections = _sections(lines, end + 1, rel, problems)
    return PageFile(front=front, sections=tuple(sections))


def _sections(lines: list[str], start: int, rel: str, problems: list[Problem]) -> list[Section]:
    sections: list[Section] = []
    current: tuple[str, int] | None = None
    block: list[str] = []
    paragraphs: list[str] = []

    def close_block() -> None:
        if block:
            paragraphs.append(_paragraph(block))
            block.clear()

    def close_section() -> None:
        close_block()
        if current is not None:
            section_id, line = current
            if not paragraphs:
                problems.append(Problem(rel, f"line {line}", f"section {section_id} is empty"))
            sections.append(Section(section_id, tuple(paragraphs), line))
        paragraphs.clear()

    for number, line in enumerate(lines[start:], start=start + 1):
        heading = _HEADING.match(line)
        if heading:
            close_section()
            section_id = heading.group(1)
            if not _SECTION_ID.match(section_id):
                problems.append(
                    Problem(rel, f"line {number}", f"section id {section_id!r} is not a slug")
                )
            elif any(s.id == section_id for s in sections):
                problems.append(Problem(rel, f"line {number}", f"section {section_id} repeated"))
            current = (section_id, number)
        elif not line.strip():
            close_block()
        elif current is None:
            problems.append(Problem(rel, f"line {number}", "text before the first ## section"))
            current = ("", number)  # report once
        else:
            block.append(line)
    close_section()
    return [s for s in sections if s.id]


def _paragraph(block: list[str]) -> str:
    """Join wrapped lines with spaces; `- item` lines become bullets on their own line."""
    items: list[str] = []
    for raw in block:
        line = raw.strip()
        if line.startswith("- "):
            items.append("• " + line[2:].strip())
        elif items:
            items[-1] += " " + line
        else:
            items.append(line)
    return "\n".join(items)
