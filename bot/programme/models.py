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


# ---------------------------------------------------------------- progression.yaml
Change = Literal["up", "stay", "back"]
Trend = Literal["better", "same", "worse", "unknown"]
TRENDS: tuple[Trend, ...] = ("better", "same", "worse", "unknown")
FEEDBACK = ("easy", "right", "hard", "leg")  # after each session; "leg": pain spread into a leg
ACTIVITY_ANSWERS = ("did", "part", "not")


class SafeMax(Strict):
    """Never more than this in one go, whatever the level (each side counts on its own)."""

    hold_seconds: int = Field(ge=5, le=60)
    times: int = Field(ge=2, le=30)
    minutes: int = Field(ge=1, le=30)


class When(Strict):
    """What a week must have shown for a rule to apply; unset fields match anything."""

    reviewed: bool | None = None  # the weekly review (with its red-flag questions) was done
    leg_pain: bool | None = None  # a session ended with pain spreading into a leg
    flare: bool | None = None  # the diary showed a flare this week
    pain: Trend | None = None  # this week's average pain against last week's
    sessions_below: int | None = Field(default=None, ge=1, le=8)
    too_hard_at_least: int | None = Field(default=None, ge=1, le=7)
    too_hard_share_at_least: float | None = Field(default=None, gt=0, le=1)
    activity_days_below: int | None = Field(default=None, ge=1, le=8)


class Rule(Strict):
    id: Slug  # its reason, in words, is the string programme.why.<id>
    when: When
    then: Change


class ActivitySpec(Strict):
    baseline_choices: list[int] = Field(min_length=3, max_length=8)  # minutes a day, buttons
    step_up: float = Field(ge=0.10, le=0.20)  # share of the current goal added on an "up" week
    step_back: float = Field(ge=0.05, le=0.5)
    min_step_minutes: int = Field(ge=1, le=5)
    min_minutes: int = Field(ge=1, le=30)
    max_minutes: int = Field(ge=10, le=120)


class Progression(Strict):
    start_level: int = Field(ge=1)
    # each level's dose as a share of each exercise's own dose (content/stretches)
    levels: list[float] = Field(min_length=2, max_length=8)
    min_hold_seconds: int = Field(ge=1, le=30)
    safe_max: SafeMax
    # at the top level, "up" moves on to the first of these routines safe for the person
    next_routine: dict[Slug, list[Slug]] = {}
    next_routine_level: int = Field(ge=1)
    exercise_rules: list[Rule] = Field(min_length=1)
    activity_rules: list[Rule] = Field(min_length=1)
    activity: ActivitySpec

    @model_validator(mode="after")
    def _sane(self) -> Progression:
        if any(b <= a for a, b in zip(self.levels, self.levels[1:], strict=False)):
            raise ValueError("levels must go up")
        if not all(0 < share <= 2 for share in self.levels):
            raise ValueError("a level's share must be above 0 and at most 2")
        if self.start_level > len(self.levels) or self.next_routine_level > len(self.levels):
            raise ValueError("start_level and next_routine_level must be levels")
        for name in ("exercise_rules", "activity_rules"):
            rules = getattr(self, name)
            if rules[-1].when != When():
                raise ValueError(f"the last of {name} must match any week (an empty when)")
            if len({r.id for r in rules}) != len(rules):
                raise ValueError(f"{name}: a rule id is used twice")
        return self
