"""Pages as screens of Telegram HTML, split at paragraph boundaries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from bot.library.html import visible_length
from bot.library.models import Library, Page

# About what fits on a phone without much scrolling; a screen never splits a paragraph.
SCREEN_LIMIT = 1200
Labels = Callable[..., str]  # t(key, **params) in the reader's language
GAP = "\n\n"


@dataclass(frozen=True)
class Unit:
    text: str
    section: str  # the section it belongs to ("summary", "stretches", "sources" or a body id)


@dataclass(frozen=True)
class Screen:
    text: str
    sections: frozenset[str]


def page_units(library: Library, page: Page, t: Labels) -> list[Unit]:
    """The page as paragraphs; a heading stays with its section's first paragraph."""
    units = [Unit(f"<i>{escape(page.summary, quote=False)}</i>", "summary")]
    for section in page.sections:
        heading = f"<b>{t(f'library.sections.{section.id}')}</b>"
        for index, paragraph in enumerate(section.paragraphs):
            text = f"{heading}\n{paragraph}" if index == 0 else paragraph
            units.append(Unit(text, section.id))
    if page.stretches:
        titles = [
            escape(library.routines[r].text(page.lang).title, quote=False)
            for r in page.stretches
            if r in library.routines
        ]
        lines = [f"<b>{t('library.sections.stretches')}</b>", t("library.stretches_intro")]
        lines += [f"• {title}" for title in titles]
        units.append(Unit("\n".join(lines), "stretches"))
    names = "; ".join(escape(n, quote=False) for n in library.source_names(page.sources))
    units.append(Unit(f"<i>{t('library.sources', names=names)}</i>", "sources"))
    return _keep_leads_together(units)


def _keep_leads_together(units: list[Unit]) -> list[Unit]:
    """A paragraph ending in a colon introduces the next one: never split them."""
    joined: list[Unit] = []
    for unit in units:
        previous = joined[-1] if joined else None
        if previous and previous.section == unit.section and previous.text.endswith(":"):
            joined[-1] = Unit(f"{previous.text}{GAP}{unit.text}", unit.section)
        else:
            joined.append(unit)
    return joined


def page_screens(
    library: Library, page: Page, t: Labels, limit: int = SCREEN_LIMIT
) -> list[Screen]:
    """Every screen of a page, each within `limit` visible characters when the content allows."""
    title = f"<b>{escape(page.title, quote=False)}</b>"
    widest = f"{title} {t('library.screen_counter', n=99, total=99)}"
    groups = pack(page_units(library, page, t), limit - visible_length(widest + GAP))
    screens = []
    for number, group in enumerate(groups, start=1):
        header = title
        if len(groups) > 1:
            header += " " + t("library.screen_counter", n=number, total=len(groups))
        body = GAP.join(u.text for u in group)
        screens.append(Screen(f"{header}{GAP}{body}", frozenset(u.section for u in group)))
    return screens


def pack(units: list[Unit], budget: int) -> list[list[Unit]]:
    """Greedy: fill each screen with whole paragraphs up to `budget` characters. The sources
    line never stands alone: the paragraph before it (the stretches, with their buttons)
    moves over with it."""
    groups: list[list[Unit]] = []
    current: list[Unit] = []
    for unit in units:
        candidate = [*current, unit]
        if current and visible_length(GAP.join(u.text for u in candidate)) > budget:
            carried = current[-1:] if unit.section == "sources" and len(current) > 1 else []
            groups.append(current[: len(current) - len(carried)])
            current = [*carried, unit]
        else:
            current = candidate
    if current:
        groups.append(current)
    return groups
