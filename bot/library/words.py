"""Word counts of what a reader sees, per page and per routine (`backcare content words`)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import Strings
from bot.library.html import visible_text
from bot.library.models import Library
from bot.library.render import page_screens
from bot.library.stretches import exercise_screen, routine_overview


@dataclass(frozen=True)
class Count:
    kind: str  # page or routine
    id: str
    title: str
    screens: int
    words: int


def _words(texts: list[str]) -> int:
    return sum(len(visible_text(text).split()) for text in texts)


def word_counts(library: Library, strings: Strings, lang: str) -> list[Count]:
    def t(key: str, **params: object) -> str:
        return strings.t(lang, key, **params)

    counts = []
    for page_id in library.page_ids():
        page = library.page(page_id, lang)
        assert page is not None
        screens = [s.text for s in page_screens(library, page, t)]
        counts.append(Count("page", page_id, page.title, len(screens), _words(screens)))
    for routine in library.routines.values():
        screens = [routine_overview(library, routine, lang, t)]
        screens += [
            exercise_screen(library, routine, i, lang, t) for i in range(len(routine.exercises))
        ]
        counts.append(
            Count("routine", routine.id, routine.text(lang).title, len(screens), _words(screens))
        )
    return counts
