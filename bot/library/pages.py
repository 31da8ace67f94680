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
from pathlib import Path
from typing import Any

import yaml

from bot.library.files import split_name, validate, yaml_problem
from bot.library.models import (
    CONDITION_IDS,
    CONDITION_SECTIONS,
    REFERENCE,
    REQUIRED_PAGES,
    Library,
    Page,
    PageFront,
    PageFrontText,
    Section,
)
from bot.problems import Problem
from bot.yamlfile import read_yaml

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
        if current is not None and current[0]:
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


def load_pages(root: Path, library: Library, languages: set[str], problems: list[Problem]):
    folder = root / "conditions"
    files: list[tuple[str, str, Path]] = []
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        named = split_name(path) if path.suffix == ".md" else None
        if named is None:
            problems.append(Problem(f"conditions/{path.name}", "", "not a <id>[.<lang>].md file"))
            continue
        files.append((*named, path))
    english: dict[str, Page] = {}
    for stem, lang, path in files:
        if lang == REFERENCE:
            page = _english_page(stem, path, problems)
            if page is not None:
                english[page.id] = page
    library.pages[REFERENCE] = english
    for stem, lang, path in files:
        rel = f"conditions/{path.name}"
        if lang == REFERENCE:
            continue
        if lang not in languages:
            problems.append(Problem(rel, "", f"no locales/{lang}.yaml for this language"))
        elif stem not in english:
            problems.append(Problem(rel, "", f"no English page conditions/{stem}.md"))
        else:
            page = _translated_page(english[stem], lang, path, problems)
            if page is not None:
                library.pages.setdefault(lang, {})[page.id] = page
    for page_id in REQUIRED_PAGES:
        if page_id not in english and not (folder / f"{page_id}.md").is_file():
            problems.append(Problem(f"conditions/{page_id}.md", "", "missing (required page)"))
    for lang in sorted(languages - {REFERENCE}):
        for page_id in sorted(english):
            if not (folder / f"{page_id}.{lang}.md").is_file():
                problems.append(
                    Problem(
                        f"conditions/{page_id}.{lang}.md",
                        "",
                        f"missing: locales/{lang}.yaml exists, so every page needs it",
                    )
                )


def _english_page(stem: str, path: Path, problems: list[Problem]) -> Page | None:
    rel = f"conditions/{path.name}"
    parsed = parse_page(path.read_text(encoding="utf-8"), rel, problems)
    if parsed is None:
        return None
    # Sections are checked even when the front matter is wrong: report everything at once.
    problems += _section_problems(rel, parsed.front.get("kind"), [s.id for s in parsed.sections])
    front = validate(PageFront, parsed.front, rel, problems, "front matter")
    if front is None:
        return None
    if front.id != stem:
        problems.append(Problem(rel, "front matter.id", f"{front.id!r} must match the file name"))
        return None
    if front.id in CONDITION_IDS and front.kind != "condition":
        problems.append(Problem(rel, "front matter.kind", "must be condition for this id"))
    return Page(
        id=front.id,
        lang=REFERENCE,
        kind=front.kind,
        order=front.order,
        title=front.title,
        summary=front.summary,
        stretches=tuple(front.stretches),
        cautions=tuple(front.cautions),
        sources=tuple(front.sources),
        sections=parsed.sections,
        file=rel,
    )


def _section_problems(rel: str, kind: object, ids: list[str]) -> list[Problem]:
    if not ids:
        return [Problem(rel, "sections", "a page needs at least one ## section")]
    if kind != "condition" or tuple(ids) == CONDITION_SECTIONS:
        return []
    missing = [s for s in CONDITION_SECTIONS if s not in ids]
    extra = [s for s in ids if s not in CONDITION_SECTIONS]
    detail = []
    if missing:
        detail.append(f"missing {', '.join(missing)}")
    if extra:
        detail.append(f"unexpected {', '.join(extra)}")
    expected = f"(a condition page has {', '.join(CONDITION_SECTIONS)})"
    return [Problem(rel, "sections", f"{'; '.join(detail) or 'out of order'} {expected}")]


def _translated_page(base: Page, lang: str, path: Path, problems: list[Problem]) -> Page | None:
    rel = f"conditions/{path.name}"
    parsed = parse_page(path.read_text(encoding="utf-8"), rel, problems)
    if parsed is None:
        return None
    front = validate(PageFrontText, parsed.front, rel, problems, "front matter")
    if front is None:
        return None
    if front.id != base.id:
        problems.append(Problem(rel, "front matter.id", f"{front.id!r} must match the file name"))
    ids = [s.id for s in parsed.sections]
    want = [s.id for s in base.sections]
    if ids != want:
        problems.append(
            Problem(rel, "sections", f"{', '.join(ids)} differ from English: {', '.join(want)}")
        )
    return Page(
        id=base.id,
        lang=lang,
        kind=base.kind,
        order=base.order,
        title=front.title,
        summary=front.summary,
        stretches=base.stretches,
        cautions=base.cautions,
        sources=base.sources,
        sections=parsed.sections,
        file=rel,
    )
