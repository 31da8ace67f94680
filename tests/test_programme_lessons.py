"""The plan's lessons, checked like the condition pages: enough of them, one screen each,
sourced, translated, no doses, in our own words (no long run copied from another lesson or
a page), and the guidance's points made."""

from __future__ import annotations

import re

import pytest

from bot import content
from bot.library.html import visible_text
from bot.programme.load import word_count
from bot.programme.models import FLARE_LESSON


@pytest.fixture(scope="module")
def loaded():
    return content.load()


def test_at_least_30_lessons_in_every_language_each_one_screen(loaded):
    lessons = loaded.programme.lessons
    assert len(lessons) >= 30
    for lesson in lessons:
        assert lesson.spec.sources
        for lang in loaded.strings.languages:
            text = lesson.text(lang)
            assert lang == "en" or lesson.texts.get(lang) is not None
            screen = f"{text.title}\n{text.body}\n{text.question}"
            assert len(visible_text(screen)) < 1400
            assert 90 <= word_count(text.body) <= 185
            assert len(text.choices) == len(lesson.spec.choices)


def test_no_doses_and_medicines_point_to_a_pharmacist_or_doctor(loaded):
    dose = re.compile(r"\d+\s*(mg|milligrams?|ml|tablets?|pills?|capsules?)\b", re.I)
    for lesson in loaded.programme.lessons:
        for lang in loaded.strings.languages:
            text = lesson.text(lang)
            whole = " ".join([text.body, text.explain, *text.choices])
            assert not dose.search(whole), lesson.id
    medicines = loaded.programme.lesson("medicines_ask").text("en").body.lower()
    assert "pharmacist" in medicines and "doctor" in medicines


def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", visible_text(text).lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_own_words_no_run_of_8_words_shared_with_another_lesson_or_a_page(loaded):
    library = loaded.library
    pages = {
        page_id: " ".join(p for s in library.page(page_id, "en").sections for p in s.paragraphs)
        for page_id in library.page_ids()
    }
    lessons = loaded.programme.lessons
    for n, lesson in enumerate(lessons):
        mine = _shingles(lesson.spec.body)
        for other in lessons[n + 1 :]:
            assert not mine & _shingles(other.spec.body), (lesson.id, other.id)
        for page_id, text in pages.items():
            assert not mine & _shingles(text), (lesson.id, page_id)


def test_the_guidance_points_are_made(loaded):
    def body(lesson_id):
        return loaded.programme.lesson(lesson_id).text("en").body.lower()

    assert "staying in bed" in body("keep_moving")
    doesnt = body("what_doesnt_help")
    for point in ("paracetamol", "opioid", "tens", "acupuncture"):
        assert point in doesnt, point
    assert "{emergency}" in body("when_to_get_help")  # the person's own number
    assert loaded.programme.lesson(FLARE_LESSON) is not None
    assert loaded.programme.lessons[-1].id == "keep_going"
