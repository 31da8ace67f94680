"""What the pages say: the clinical points the library must make, and mistakes it must not."""

import re

import pytest

from bot import content
from bot.library.html import visible_text
from bot.library.models import CONDITION_IDS
from bot.library.render import page_screens


@pytest.fixture(scope="module")
def loaded():
    return content.load()


@pytest.fixture(scope="module")
def pages(loaded):
    def t(key, **params):
        return loaded.strings.t("en", key, **params)

    library = loaded.library
    return {
        page_id: "\n".join(
            visible_text(s.text) for s in page_screens(library, library.page(page_id, "en"), t)
        )
        for page_id in library.page_ids()
    }


def _section(loaded, page_id, section_id):
    page = loaded.library.page(page_id, "en")
    return " ".join(next(s for s in page.sections if s.id == section_id).paragraphs)


def test_no_doses_anywhere(loaded, pages):
    dose = re.compile(r"\d+\s*(mg|milligrams?|ml|tablets?|pills?|capsules?)\b", re.IGNORECASE)
    texts = list(pages.values())
    for exercise in loaded.library.exercises.values():
        text = exercise.text("en")
        texts += [*text.steps, text.feel, text.stop]
    for text in texts:
        assert not dose.search(text), dose.search(text)


def test_medicines_always_point_to_a_pharmacist_or_doctor(loaded):
    for page_id in [*CONDITION_IDS, "treatments"]:
        page = loaded.library.page(page_id, "en")
        text = " ".join(p for s in page.sections for p in s.paragraphs)
        if re.search(r"painkiller|medicine", text, re.IGNORECASE):
            assert "pharmacist" in text, page_id


def test_every_condition_page_links_the_warning_signs(loaded):
    for page_id in CONDITION_IDS:
        assert "Warning signs" in _section(loaded, page_id, "when_to_get_checked"), page_id


def test_osteoarthritis_is_not_blamed_on_how_people_move(pages):
    text = pages["osteoarthritis"]
    assert "usually caused" not in text
    assert "Age is the biggest" in text
    assert "Exercise is the main treatment" in text


def test_rheumatoid_arthritis_is_about_hands_feet_and_the_neck(pages):
    text = pages["rheumatoid"]
    assert "hands, wrists and feet" in text
    assert "mainly affects the neck" in text
    assert "rarely causes lower back pain" in text
    assert "walking" not in text.split("When to get checked")[0]  # not "back pain while walking"
    assert "same day" in text  # the neck warning


def test_inflammatory_back_pain_names_the_nice_features(pages):
    text = pages["inflammatory"]
    for feature in (
        "before the age of 45",
        "more than 3 months",
        "more than 30 minutes",
        "second half of the night",
        "buttocks",
        "better when you move",
        "within 2 days",
    ):
        assert feature in text, feature


def test_treatments_lists_what_guidance_recommends_and_advises_against(pages):
    text = pages["treatments"]
    for recommended in ("Stay active", "Exercise", "Heat", "Manual therapy", "CBT", "back to work"):
        assert recommended in text, recommended
    advised_against = text.split("What the guidance advises against")[1]
    for item in (
        "belts",
        "corsets",
        "orthotics",
        "rocker-sole",
        "traction",
        "acupuncture",
        "ultrasound",
        "TENS",
        "electrical",
    ):
        assert item in advised_against, item
    assert "Paracetamol on its own is not recommended" in text
    assert "Opioids" in text


def test_warning_signs_cover_every_emergency_and_urgent_flag(pages):
    text = pages["red_flags"]
    emergency, rest = text.split("See a doctor today")
    for flag in (
        "bladder or bowels",
        "saddle",
        "both legs",
        "trouble walking",
        "sex",
        "serious accident",
    ):
        assert flag in emergency, flag
    for flag in (
        "fever",
        "weight loss",
        "cancer",
        "immune system",
        "inject drugs",
        "at night",
        "lump",
        "osteoporosis",
        "steroid",
    ):
        assert flag in rest, flag
    assert "under 20 or over 50" in rest


def test_sciatica_stenosis_and_occupational_facts(pages):
    assert "6 to 12 weeks" in pages["sciatica"]
    assert "below the knee" in pages["sciatica"]
    assert "shopping trolley" in pages["stenosis"]
    assert "lean forward" in pages["stenosis"]
    assert "every 30 to 60 minutes" in pages["occupational"]
    assert "no single perfect way to sit" in pages["occupational"]
    assert "cricket" in pages["spondylolisthesis"]


def test_jargon_is_explained(pages):
    # the first use of each term comes with a short explanation in brackets
    for page_id, term in [
        ("nonspecific", "physiotherapist (an expert"),
        ("osteoarthritis", "cartilage, a smooth"),
        ("stenosis", "bone spurs (small extra lumps"),
        ("spondylolisthesis", "stress fracture (a small crack"),
        ("inflammatory", "psoriasis (a skin condition"),
        ("treatments", "TENS (small electric pulses"),
    ]:
        assert term in pages[page_id], (page_id, term)
