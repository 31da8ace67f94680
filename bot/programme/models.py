"""Strict schemas for content/programme/: the lessons and the rules that adapt the plan.

English is the reference: lessons.yaml holds every field, lessons.<lang>.yaml only the
words. progression.yaml holds the dose levels, the safe maximum and the weekly rules.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

WEEKS = 6
LESSONS_PER_WEEK = 6  # the seventh day of each week is the weekly review
FLARE_LESSON = "flare_plan"

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,29}$")]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=48, pattern=r"^[^<>&]+$")
]
# A choice is a button label: short, plain text.
Choice = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=r"^[^<>&]+$")
]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=200, max_length=1300)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=400)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LessonSpec(Strict):
    id: Slug
    week: int = Field(ge=1, le=WEEKS)
    title: Title
    body: Body  # paragraphs split by blank lines; <b> and <i> allowed
    question: Line
    choices: list[Choice] = Field(min_length=2, max_length=3)
    correct: int = Field(ge=0, le=2)  # index into choices
    explain: Line  # shown after any answer
    sources: list[Slug] = Field(min_length=1)

    @model_validator(mode="after")
    def _correct_is_a_choice(self) -> LessonSpec:
        if self.correct >= len(self.choices):
            raise ValueError("correct must be the index of one of the choices")
        return self


class LessonText(Strict):
    """A translated lesson: the same id, only the words (same number of choices)."""

    id: Slug
    title: Title
    body: Body
    question: Line
    choices: list[Choice] = Field(min_length=2, max_length=3)
    explain: Line


class LessonFile(Strict):
    lessons: list[LessonSpec]


class LessonTextFile(Strict):
    lessons: list[LessonText]
