"""Strict schemas for the library files, and the loaded objects handlers read.

English is the reference language: it holds every field. Other languages hold
only the words (titles, summaries, steps), in sibling files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from bot.vocabulary import (  # noqa: F401  (re-exported)
    AVOID_TAGS,
    CONDITION_IDS,
    AvoidTag,
    ConditionId,
)

REFERENCE = "en"

REQUIRED_PAGES = (*CONDITION_IDS, "treatments")
# Every condition page has these sections, in this order.
CONDITION_SECTIONS = (
    "what_it_is",
    "why_it_happens",
    "how_it_feels",
    "what_helps",
    "when_to_get_checked",
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,29}$")]
# Titles become button labels (plain text), so no markup and nothing long.
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=48, pattern=r"^[^<>&]+$")
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=600)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(Strict):
    id: Slug
    name: Annotated[str, StringConstraints(min_length=3, max_length=120, pattern=r"^[^<>&]+$")]
    url: Annotated[str, StringConstraints(pattern=r"^https://\S+$")] | None = None


class PageFront(Strict):
    id: Slug
    kind: Literal["condition", "guide"]
    order: int = 100
    title: Title
    summary: Text
    stretches: list[Slug] = []
    # Cautions that usually apply to someone with this condition: a linked
    # routine must not contain an exercise to avoid with them.
    cautions: list[AvoidTag] = []
    sources: list[Slug] = Field(min_length=1)


class PageFrontText(Strict):
    """Front matter of a translated page: only the words."""

    id: Slug
    title: Title
    summary: Text


class Dose(Strict):
    """How much: hold for N seconds, or repeat, or keep going for N minutes."""

    hold_seconds: int | None = Field(default=None, ge=1, le=120)
    minutes: int | None = Field(default=None, ge=1, le=30)
    times: int = Field(default=1, ge=1, le=30)
    each_side: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> Dose:
        if self.hold_seconds is not None and self.minutes is not None:
            raise ValueError("give hold_seconds or minutes, not both")
        if self.minutes is not None and self.times != 1:
            raise ValueError("an exercise measured in minutes is done once")
        if self.hold_seconds is None and self.minutes is None and self.times < 2:
            raise ValueError("give hold_seconds, minutes, or times of at least 2")
        return self


Steps = Annotated[list[Text], Field(min_length=2, max_length=8)]


class ExerciseSpec(Strict):
    id: Slug
    title: Title
    dose: Dose
    steps: Steps
    feel: Text
    stop: Text
    suits: list[ConditionId] = Field(min_length=1)
    avoid_if: list[AvoidTag]
    sources: list[Slug] = Field(min_length=1)


class ExerciseText(Strict):
    id: Slug
    title: Title
    steps: Steps
    feel: Text
    stop: Text


# gentle: may be offered from the first day; harder: builds strength, never offered while
# the pain is under two weeks old (it is avoided with `acute`).
Level = Literal["gentle", "harder"]
HARDER = "harder"


class RoutineSpec(Strict):
    id: Slug
    title: Title
    summary: Text
    minutes: int = Field(ge=1, le=30)
    level: Level
    exercises: list[Slug] = Field(min_length=2, max_length=8)


class RoutineText(Strict):
    id: Slug
    title: Title
    summary: Text


# ---------------------------------------------------------------- loaded objects
@dataclass(frozen=True)
class Section:
    id: str
    paragraphs: tuple[str, ...]  # Telegram HTML, one paragraph each
    line: int = 0  # where its heading is, for problem reports


@dataclass(frozen=True)
class Page:
    id: str
    lang: str
    kind: str
    order: int
    title: str
    summary: str
    stretches: tuple[str, ...]
    cautions: tuple[str, ...]
    sources: tuple[str, ...]
    sections: tuple[Section, ...]
    file: str = ""


@dataclass(frozen=True)
class Exercise:
    id: str
    dose: Dose
    suits: tuple[str, ...]
    avoid_if: tuple[str, ...]
    sources: tuple[str, ...]
    texts: dict[str, ExerciseText]
    file: str = ""

    def text(self, lang: str) -> ExerciseText:
        return self.texts.get(lang) or self.texts[REFERENCE]


@dataclass(frozen=True)
class Routine:
    id: str
    minutes: int
    exercises: tuple[str, ...]
    texts: dict[str, RoutineText]
    file: str = ""
    level: str = "gentle"

    def text(self, lang: str) -> RoutineText:
        return self.texts.get(lang) or self.texts[REFERENCE]


@dataclass
class Library:
    """Condition pages per language, exercises, routines and the sources they cite."""

    sources: dict[str, SourceSpec] = field(default_factory=dict)
    pages: dict[str, dict[str, Page]] = field(default_factory=dict)  # lang -> id -> page
    exercises: dict[str, Exercise] = field(default_factory=dict)
    routines: dict[str, Routine] = field(default_factory=dict)  # in file order

    def page(self, page_id: str, lang: str) -> Page | None:
        """The page in `lang`, or the English one."""
        found = self.pages.get(lang, {}).get(page_id)
        return found or self.pages.get(REFERENCE, {}).get(page_id)

    def page_ids(self) -> list[str]:
        """Every page in reading order."""
        pages = self.pages.get(REFERENCE, {}).values()
        return [p.id for p in sorted(pages, key=lambda p: (p.order, p.id))]

    def routine_exercises(self, routine: Routine) -> list[Exercise]:
        return [self.exercises[e] for e in routine.exercises if e in self.exercises]

    def routine_avoid(self, routine: Routine) -> set[str]:
        """Cautions of a routine: any one of its exercises to avoid is reason to skip it,
        and a harder routine waits until the pain is two weeks old."""
        tags = {tag for ex in self.routine_exercises(routine) for tag in ex.avoid_if}
        return tags | {"acute"} if routine.level == HARDER else tags

    def routine_suits(self, routine: Routine) -> set[str]:
        """Conditions every exercise of the routine suits."""
        sets = [set(ex.suits) for ex in self.routine_exercises(routine)]
        return set.intersection(*sets) if sets else set()

    def source_names(self, ids: tuple[str, ...] | list[str]) -> list[str]:
        return [self.sources[s].name for s in ids if s in self.sources]
