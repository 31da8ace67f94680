"""The defects a clinical review found, and the presentations the check must also catch,
each through the stand-in as a person would tap it. The hazard log names these tests."""

from __future__ import annotations

import pytest

from storage import triage as results
from tests.helpers import svc
from tests.test_triage_flow import tap

START = ["None of these", "No", "No"]  # no chest pain etc., no bladder signs, legs fine


async def check(user, labels: list[str]) -> str:
    await user.send("/check")
    for label in labels:
        await tap(user, label)
    return user.last_text()


def saved_tier(harness, user) -> str:
    return results.history(svc(harness).db, user.user_id)[0].tier


async def test_both_legs_below_the_knee_after_a_no_asks_again_and_yes_is_an_emergency(
    harness, alex
):
    text = await check(alex, [*START, "Slowly, no clear reason", "None of these", "50 to 64",
                              "No", "Below the knee, both legs"])  # fmt: skip
    assert "You said the pain goes below the knee in both legs" in text
    await tap(alex, "Yes")
    assert alex.last_text().startswith("🚨 Emergency: get help now")
    assert "cauda equina" in alex.last_text()
    assert saved_tier(harness, alex) == "emergency"


async def test_both_legs_that_only_ache_on_walking_stay_routine_with_stenosis(alex):
    await check(alex, [*START, "Slowly, no clear reason", "None of these", "50 to 64", "No",
                       "Below the knee, both legs", "Only on walking; sitting eases it", "No",
                       "More than 3 months", "Less than 30 minutes", "None of these"])  # fmt: skip
    text = alex.last_text()
    assert text.startswith("🟡 See a doctor or physio soon")
    assert "1. Lumbar spinal stenosis" in text


async def test_a_leg_that_is_getting_weak_is_urgent(harness, alex):
    text = await check(alex, ["None of these", "No", "Yes, one leg or foot is weak",
                              "Suddenly, lifting or twisting", "None of these", "35 to 49", "No",
                              "Lower back only"])  # fmt: skip
    assert text.startswith("🟠 Urgent: see a doctor today")
    assert "a leg or foot that is getting weak" in text
    assert saved_tier(harness, alex) == "urgent"


async def test_weakness_revealed_after_a_no_re_opens_it(harness, alex):
    text = await check(alex, [*START, "Suddenly, lifting or twisting", "None of these",
                              "20 to 34", "No", "Below the knee, one leg",
                              "A leg feels weak (with or without)"])  # fmt: skip
    assert text.startswith("🟠 Urgent: see a doctor today")


async def test_sudden_pain_with_no_injury_and_weak_bones_is_urgent(harness, alex):
    text = await check(alex, [*START, "Suddenly, no reason, or woke with it", "None of these",
                              "50 to 64", "Weak bones or steroid tablets",
                              "Lower back only"])  # fmt: skip
    assert text.startswith("🟠 Urgent: see a doctor today")
    assert "weak bones" in text and "crack" in text


async def test_an_urgent_result_never_offers_self_care(harness, alex):
    """Cancer in the past and a fresh strain: urgent, with nothing that reads as 'wait'."""
    svc(harness).registry.features.update({"library", "stretches", "diary"})
    text = await check(alex, [*START, "Suddenly, lifting or twisting", "Cancer, now or before",
                              "35 to 49", "No", "Lower back only"])  # fmt: skip
    assert text.startswith("🟠 Urgent: see a doctor today")
    assert "Don't start new exercises or stretches until you have been seen" in text
    assert "Things a doctor will want to rule out or confirm" in text
    for self_care in ["What helps now", "2 to 4 weeks", "Keep gently moving", "heavy lifting"]:
        assert self_care not in text, self_care
    buttons = alex.buttons()
    assert not any(b.startswith("Stretches that may suit you") for b in buttons)
    assert not any(b.startswith("Read: Muscle strain") for b in buttons)
    assert "Read: Warning signs" in buttons
    assert "If anything changes" in text and "Run this check again" in text


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("Chest pain, sweaty, breathless or faint", "heart or lungs"),
        ("Sudden severe tummy and back pain", "aorta"),
        ("Fever and a stiff neck", "meningitis"),
    ],
)
async def test_pain_that_may_not_come_from_the_spine_is_an_emergency_first(alex, label, words):
    text = await check(alex, [label])
    assert text.startswith("🚨 Emergency: get help now") and words in text
    assert alex.buttons() == ["Check again", "Menu"]


async def test_a_serious_accident_gets_accident_advice(alex):
    text = await check(alex, [*START, "Accident, or fall on stairs or from a height"])
    assert text.startswith("🚨 Emergency") and "keep as still as you can" in text
    assert "cauda equina" not in text


@pytest.mark.parametrize(
    "label", ["Weak immunity, or I inject drugs", "Recent infection or back operation"]
)
async def test_infection_risk_without_a_fever_is_urgent(alex, label):
    text = await check(alex, [*START, "Slowly, no clear reason", label, "35 to 49", "No",
                              "Lower back only"])  # fmt: skip
    assert text.startswith("🟠 Urgent") and "infection near the spine" in text


async def test_a_child_always_sees_a_doctor_and_gets_no_stretches(harness, alex):
    svc(harness).registry.features.update({"library", "stretches"})
    text = await check(alex, [*START, "A small slip or knock", "None of these", "Under 16", "No",
                              "Lower back only", "Less than 2 weeks",
                              "Moving, bending or lifting", "None of these"])  # fmt: skip
    assert text.startswith("🟡 See a doctor or physio soon")
    assert "child" in text and "Don't start new exercises" in text
    assert not any(b.startswith("Stretches that may suit you") for b in alex.buttons())


async def test_pregnancy_has_its_own_advice_and_warning_signs(harness, alex):
    text = await check(alex, [*START, "Slowly, no clear reason", "None of these", "20 to 34",
                              "Pregnant or had a baby", "No", "Lower back only",
                              "Less than 2 weeks", "Walking or standing",
                              "None of these"])  # fmt: skip
    assert text.startswith("🟡 See a doctor or physio soon")
    assert "midwife" in text and "before taking any medicine" in text
    assert "maternity unit straight away" in text  # its own safety-netting
    await check(alex, [*START, "Slowly, no clear reason", "None of these", "20 to 34",
                       "Pregnant or had a baby", "Yes", "Lower back only"])  # fmt: skip
    assert alex.last_text().startswith("🟠 Urgent")
    assert "Call your midwife or maternity unit now" in alex.last_text()


async def test_upper_back_pain_is_checked_the_same_day(alex):
    text = await check(alex, [*START, "Slowly, no clear reason", "None of these", "35 to 49",
                              "No", "Upper or middle back"])  # fmt: skip
    assert text.startswith("🟠 Urgent") and "between the shoulder blades" in text


async def test_neck_pain_with_clumsy_hands_or_unsteady_walking_is_urgent(alex):
    text = await check(alex, [*START, "Slowly, no clear reason", "None of these", "50 to 64",
                              "No", "Neck (maybe into an arm)", "No",
                              "Weak, clumsy or unsteady for a while"])  # fmt: skip
    assert text.startswith("🟠 Urgent") and "spinal cord" in text


async def test_the_both_legs_question_asks_again_in_spanish(harness):
    lucia = harness.user(3020, language_code="es")
    await lucia.send("/start")
    await lucia.press("Sí, guarda mis notas")
    text = await check(lucia, ["Ninguna de estas", "No", "No", "Poco a poco, sin motivo claro",
                               "Ninguna de estas", "De 50 a 64", "No",
                               "Bajo la rodilla, las dos piernas"])  # fmt: skip
    assert "Dijiste que el dolor baja por debajo de la rodilla" in text
    await tap(lucia, "Sí")
    assert lucia.last_text().startswith("🚨 Emergencia: pide ayuda ya")
    assert "cola de caballo" in lucia.last_text()
