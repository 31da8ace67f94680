"""The plan through the stand-in: who may start it, a day's message and its taps, the
weekly review's red-flag questions, pause/resume/stop/restart, flares, forged presses,
privacy, Spanish and the PDF page."""

from __future__ import annotations

import io

from pypdf import PdfReader

from bot.chat import callbacks
from bot.programme import service
from bot.reminders.delivery import tick
from storage import plans, privacy, users
from tests.helpers import db_of, svc
from tests.programme_steps import (
    day_two_at_ten,
    next_message,
    self_care_check,
    set_up_plan,
    to_the_time_zone_question,
)
from tests.test_triage_flow import SELF_CARE_PATH, tap
from tests.test_triage_safety import check

URGENT = ["None of these", "No", "Yes, one leg or foot is weak", "Suddenly, lifting or twisting",
          "None of these", "35 to 49", "No", "Lower back only"]  # fmt: skip


async def an_easy_week(harness, user, clock, *, stop_early: bool = False) -> None:
    """Days 1-6 each with an easy session (the whole routine, or stopped at its first
    exercise) and the activity done; then day 7 comes."""
    for day in range(7):
        if day:
            await next_message(harness, clock)
        if day < 6:
            await user.press("▶️ Start today's exercise")
            await user.press("Start", message=user.last_message())
            if stop_early:
                await user.press("Stop here", message=user.last_message())
            else:
                while not any("Done" in b for b in user.last_message().button_labels()):
                    await user.press("Next", message=user.last_message())
                await user.press("Done", message=user.last_message())
            await user.press("😊 Easy", message=user.last_message())
            await user.press("✅ Did it")


def plan_of(harness, user):
    return plans.current(db_of(harness), user.user_id)


async def test_not_offered_after_an_urgent_check_until_the_person_has_been_seen(
    harness, alex, clock
):
    await alex.send("/plan")
    assert "starts from a short check" in alex.last_text()
    assert "Let's begin" not in alex.buttons() and "Check my back" in alex.buttons()
    text = await check(alex, URGENT)
    assert text.startswith("🟠 Urgent") and "🗓 Start my 6-week plan" not in alex.buttons()
    await alex.press("Menu")
    await alex.press("🗓 My 6-week plan")
    assert "should be seen by a doctor first" in alex.last_text()
    assert "call 999" in alex.last_text().lower() or "emergency number" in alex.last_text()
    assert "Let's begin" not in alex.buttons()
    clock.advance(days=2)
    await alex.press("I've been seen and can exercise")
    assert "Just to be sure" in alex.last_text()  # one deliberate step more
    await alex.press("Not yet")
    assert "should be seen by a doctor first" in alex.last_text()
    await alex.press("I've been seen and can exercise")
    await alex.press("Yes, I've been checked and can exercise")
    assert "Back on track: a 6-week plan" in alex.last_text()
    assert "Let's begin" in alex.buttons()
    # A new urgent check after being seen closes the door again.
    clock.advance(days=1)
    await check(alex, URGENT)
    await alex.send("/plan")
    assert "should be seen by a doctor first" in alex.last_text()


ROUTINE = ["None of these", "No", "Only on walking; sitting eases it", "Slowly, no clear reason",
           "None of these", "50 to 64", "No", "Below the knee, both legs",
           "Only on walking; sitting eases it", "Yes", "More than 3 months",
           "Less than 30 minutes", "None of these"]  # fmt: skip


async def test_after_see_a_doctor_soon_the_plan_says_to_keep_the_appointment(harness, alex):
    text = await check(alex, ROUTINE)
    assert text.startswith("🟡 See a doctor or physio soon")
    await tap(alex, "🗓 Start my 6-week plan")
    assert "Please still book that appointment" in alex.last_text()
    await tap(alex, "Let's begin")
    await tap(alex, "Walking further")
    await alex.send("walking to the shops")
    await tap(alex, "4")
    await tap(alex, "That's all, carry on")
    await tap(alex, "10 min")
    if "Which time zone" in alex.last_text():
        await alex.send("London")
        await tap(alex, "Yes, that's right")
    await tap(alex, "19:00")
    started = next(t for t in alex.texts() if "Your plan is set up" in t)
    assert "not instead of it" in started


async def test_warning_words_typed_during_set_up_stop_it_until_seen(harness, alex, clock, caplog):
    await self_care_check(alex)
    await tap(alex, "🗓 Start my 6-week plan")
    await tap(alex, "Let's begin")
    await tap(alex, "Walking further")
    await alex.send("walking without my legs going numb")
    texts = "\n".join(alex.texts()[-2:])
    assert "emergency" in texts.lower() and "stopped setting up your plan" in alex.last_text()
    assert "How well can you manage this" not in alex.last_text()
    assert plans.current(db_of(harness), alex.user_id) is None
    await alex.send("/plan")  # the plan waits: no "Let's begin" until they have been seen
    assert "can be a warning sign" in alex.last_text() and "Let's begin" not in alex.buttons()
    clock.advance(days=1)
    await alex.press("I've been seen and can exercise")
    await alex.press("Yes, I've been checked and can exercise")
    assert "Let's begin" in alex.buttons()
    assert "legs going numb" not in caplog.text


async def test_warning_words_typed_at_the_time_zone_question_stop_the_set_up(harness, alex):
    await to_the_time_zone_question(alex)
    await alex.send("I feel numb between my legs")
    assert "stopped setting up your plan" in alex.last_text()
    assert "couldn't find" not in "\n".join(alex.texts()[-3:])  # not read as a place


async def test_warning_words_typed_while_the_plan_runs_put_it_on_hold(harness, alex):
    await set_up_plan(alex)
    plan = plan_of(harness, alex)
    await alex.send("I suddenly can't control my bladder")
    assert "Your plan is on hold" in alex.last_text()
    held = plan_of(harness, alex)
    assert held.status == "held"
    weeks = plans.weeks(db_of(harness), alex.user_id, plan.id)
    assert [(w.outcome, w.reviewed) for w in weeks] == [("held", False)]
    await alex.send("/plan")
    assert "On hold: you told me about a warning sign" in alex.last_text()


async def test_not_now_at_the_time_zone_question_keeps_the_set_up(harness, alex):
    await to_the_time_zone_question(alex)
    await tap(alex, "Not now")  # carries on, in UTC, rather than dropping the set-up
    assert "Times are in UTC" in alex.last_text()
    await tap(alex, "19:00")
    plan = plan_of(harness, alex)
    assert plan is not None and plan.status == "active"
    assert "Back on track · week 1 of 6, day 1" in "\n".join(alex.texts())


async def test_set_up_then_day_one_lesson_exercise_activity(harness, alex, clock):
    await self_care_check(alex)
    assert "🗓 Start my 6-week plan" in alex.buttons()
    await set_up_plan(
        alex, activities=(("putting my socks on", "3"), ("sitting through a film", "5"))
    )
    plan = plan_of(harness, alex)
    assert (plan.week, plan.day, plan.level, plan.minutes) == (1, 1, 1, 10)
    assert plan.routine == "fresh_strain"  # the gentle routine the strain check suits
    names = [a.name for a in plans.activities(db_of(harness), alex.user_id, plan.id)]
    assert names == ["putting my socks on", "sitting through a film"]
    text = alex.last_text()
    assert "week 1 of 6, day 1" in text and "Back pain is rarely damage" in text
    assert "10 minutes today" in text and "level 1 of 6" in text
    assert "call 999 or 112 now" in text  # the warning signs, with the person's own number
    await alex.press("📖 Read today's lesson")
    assert "Back pain is rarely damage" in alex.last_text() and len(alex.buttons()) >= 3
    await alex.press(alex.buttons()[0])
    assert "You said:" in alex.last_text() and "The answer:" in alex.last_text()
    await alex.press("▶️ Start today's exercise")
    assert "Tummy brace: hold for 5 seconds" in alex.last_text()  # level 1: half its own dose
    await alex.press("Start")
    await alex.press("Stop here")
    assert "How was that?" in alex.last_text()
    await alex.press("⚡ Pain spread into a leg")
    assert "Stop this exercise for now" in alex.last_text() and "999" in alex.last_text()
    (session,) = plans.sessions(db_of(harness), alex.user_id, plan.id)
    assert session.feedback == "leg" and session.level == 1
    assert (session.exercises_done, session.most_done) == (1, False)
    facts = service.week_facts(db_of(harness), plan_of(harness, alex), clock(), reviewed=True)
    assert (facts.sessions, facts.leg) == (1, 1)  # stopped at once, yet a leg pain counts
    await alex.press("✅ Did it")
    assert plans.days(db_of(harness), alex.user_id, plan.id)[0].activity == "did"
    await alex.press("✅ Did it")  # the same answer again changes nothing
    assert alex.last_callback_answer()["text"] == "Already noted for today."
    await alex.press("🌓 Part")  # a mis-tap can be put right
    assert alex.last_callback_answer()["text"] == "Changed."
    assert plans.days(db_of(harness), alex.user_id, plan.id)[0].activity == "part"


async def test_the_weekly_review_asks_the_red_flags_first_and_a_yes_puts_the_plan_on_hold(
    harness, alex, clock
):
    await set_up_plan(alex)
    plan = plan_of(harness, alex)
    for _ in range(6):  # days 2-7 by the tick, at 19:00 London
        assert (await next_message(harness, clock)).sent == 1
    assert "review is ready" in alex.last_text()
    await alex.press("📋 Start my weekly review")
    assert "safety first" in alex.last_text() and "genitals" in alex.last_text()
    await alex.press("No")
    assert "weight" in alex.last_text() and "fall" in alex.last_text()
    await alex.press("Yes")
    assert "see a doctor today" in alex.last_text() and "on hold" in alex.last_text()
    assert plan_of(harness, alex).status == "held"
    clock.advance(days=1)
    assert (await tick(harness.app)).sent == 0  # no daily messages while on hold
    await alex.send("/plan")
    assert "On hold" in alex.last_text()
    await alex.press("I've been seen and can exercise")
    assert plan_of(harness, alex).status == "held"  # not until confirmed
    await alex.press("Yes, I've been checked and can exercise")
    held = plan_of(harness, alex)
    assert held.status == "active" and (held.week, held.day, held.level) == (1, 0, plan.level)
    assert [w.outcome for w in plans.weeks(db_of(harness), alex.user_id, plan.id)] == ["held"]


async def test_review_week_one_changes_week_two_from_what_the_person_said(harness, alex, clock):
    await set_up_plan(alex)
    plan = plan_of(harness, alex)
    await an_easy_week(harness, alex, clock)
    await alex.press("📋 Start my weekly review")
    await alex.press("No")
    await alex.press("No")
    assert "too few pain scores" in alex.last_text()  # none logged: the person is asked
    await alex.press("Better", message=alex.last_message())
    await alex.press("6", message=alex.last_message())
    assert alex.files("photo")  # the chart
    text = alex.last_text()
    assert "putting my socks on: 3 → 6 (up 3: a real change)" in text
    assert "↗️ Up a step: it went well." in text and "level 2 of 6" in text
    assert "12 minutes a day" in text
    week2 = plan_of(harness, alex)
    assert (week2.week, week2.day, week2.level, week2.minutes) == (2, 0, 2, 12)
    assert plan.level == 1
    await alex.send("/plan")
    await alex.press("Today's message")
    assert "Week 2 begins with your next daily message, at 19:00." in alex.last_text()
    # A "yes" pressed late on the review's old safety question still gets its advice,
    # and puts the running plan on hold.
    rf1 = next(m for m in reversed(alex.bot_messages()) if "safety first" in (m.plain or ""))
    await alex.press("Yes", message=rf1)
    assert "on hold" in alex.last_text() and "call 999" in alex.last_text().lower()
    assert plan_of(harness, alex).status == "held"


async def test_pause_resume_stop_and_restart(harness, alex, clock):
    await set_up_plan(alex)
    await alex.send("/plan")
    await alex.press("⏸ Pause the plan")
    assert "Paused" in alex.last_text() and plan_of(harness, alex).status == "paused"
    clock.advance(days=1, hours=10)
    assert (await tick(harness.app)).sent == 0
    await alex.press("▶️ Resume the plan")
    assert plan_of(harness, alex).status == "active"
    clock.advance(days=1)
    assert (await tick(harness.app)).sent == 1
    await alex.send("/plan")
    await alex.press("Stop the plan")
    assert "Stop your plan?" in alex.last_text()
    await alex.press("Yes, stop it")
    assert plan_of(harness, alex) is None
    assert any("Your plan is stopped" in t for t in alex.texts())
    clock.advance(days=1)
    assert (await tick(harness.app)).claimed == 0  # its daily message is gone
    await alex.send("/plan")
    assert "Let's begin" in alex.buttons()  # a new plan, from the same check
    await alex.press("Let's begin")
    assert "What would you most like to get back to?" in alex.last_text()


async def flare(alex, clock, highs=(8, 8)) -> None:
    """Three ordinary days, then high scores: the diary's flare check fires on the last."""
    for pain in (3, 3, 3):
        await alex.send("/log")
        await alex.press(str(pain))
        await alex.press("Save now")
        clock.advance(days=1)
    for pain in highs:
        await alex.send("/log")
        await alex.press(str(pain))
        await alex.press("Save now")


async def week_three(harness, alex, clock):
    await set_up_plan(alex)
    plan = plan_of(harness, alex)
    plans.save_state(db_of(harness), plan, week=3, day=2, routine=plan.routine, level=3,
                     minutes=14, now=clock())  # fmt: skip
    return plan


async def test_a_flare_steps_back_a_week_after_the_warning_signs(harness, alex, clock):
    await week_three(harness, alex, clock)
    await flare(alex, clock)
    texts = alex.texts()
    warning = next(
        i for i, t in enumerate(texts) if "higher than usual" in t or "flare" in t.lower()
    )
    stepped = next(i for i, t in enumerate(texts) if "stepped back to week 2" in t)
    assert warning < stepped  # the warning signs first
    moved = plan_of(harness, alex)
    assert (moved.week, moved.day, moved.level) == (2, 0, 2) and moved.minutes < 14
    # ... and the plan's two red-flag questions again before anything else
    assert "Two safety questions first" in alex.last_text() and "genitals" in alex.last_text()
    assert "📖 Read: Your flare plan" not in alex.buttons()
    await alex.press("No")
    assert "since your pain went up" in alex.last_text() and "weight" in alex.last_text()
    await alex.press("No")
    assert "this flare doesn't need a doctor today" in alex.last_text()
    assert "flares during this plan" not in " ".join(alex.texts())  # the first one
    await alex.press("📖 Read: Your flare plan")
    assert "Your flare plan" in alex.last_text()
    assert plan_of(harness, alex).status == "active"
    await alex.send("/log")  # another high score the same week: no second step back
    await alex.press("9")
    await alex.press("Save now")
    assert plan_of(harness, alex).week == 2


async def test_a_warning_sign_said_after_a_flare_puts_the_plan_on_hold(harness, alex, clock):
    plan = await week_three(harness, alex, clock)
    await flare(alex, clock)
    await alex.press("Yes")  # numbness around the bottom, say
    assert "999" in alex.last_text() and "on hold" in alex.last_text()
    held = plan_of(harness, alex)
    assert held.status == "held" and held.week == 2
    outcomes = [w.outcome for w in plans.weeks(db_of(harness), alex.user_id, plan.id)]
    assert outcomes == ["flare", "held"]
    await alex.send("/plan")
    assert "On hold" in alex.last_text()


async def test_flares_that_keep_coming_back_suggest_an_appointment(harness, alex, clock):
    plan = await week_three(harness, alex, clock)
    await flare(alex, clock)
    await alex.press("No")
    await alex.press("No")
    assert "flares during this plan" not in " ".join(alex.texts())
    db = db_of(harness)
    moved = plan_of(harness, alex)
    plans.save_state(db, moved, week=3, day=1, routine=moved.routine, level=moved.level,
                     minutes=moved.minutes, now=clock())  # fmt: skip
    clock.advance(days=5)
    before = len(alex.texts())
    await flare(alex, clock, highs=(9, 9))
    again = "\n".join(alex.texts()[before:])
    assert "stepped back to week 2" in again and "2 flares during this plan" in again
    assert "GP or a physiotherapist" in again and "Two safety questions first" in again
    assert [w.outcome for w in plans.weeks(db, alex.user_id, plan.id)] == ["flare", "flare"]


async def test_forged_and_replayed_presses_change_nothing(harness, alex, clock):
    await set_up_plan(alex)
    plan = plan_of(harness, alex)
    (day,) = plans.days(db_of(harness), alex.user_id, plan.id)
    kim = harness.user(1002, first_name="Kim")
    await kim.send("/start")
    await kim.press("Yes, keep my notes")
    for data in (
        callbacks.encode("b", "act", day.id, "did"),
        callbacks.encode("b", "pain", day.id, 7),
        callbacks.encode("b", "go", day.id),
        callbacks.encode("b", "review", day.id),
        callbacks.encode("b", "ans", 0, 1, day.id),
        callbacks.encode("b", "pain", day.id, 99),
        callbacks.encode("b", "nonsense"),
    ):
        await kim.press_data(data)
        assert kim.last_callback_answer()["text"] == "This button has expired."
    again = plans.get_day(db_of(harness), alex.user_id, day.id)
    assert again.activity is None and again.pain_entry_id is None and again.answer is None
    await alex.press("✅ Did it")
    assert plans.days(db_of(harness), alex.user_id, plan.id)[0].activity == "did"


async def test_the_plan_is_in_mydata_and_forget_erases_it(harness, alex):
    await set_up_plan(alex)
    exported = privacy.export(db_of(harness), alex.user_id, svc(harness).now())
    tables = exported["tables"]
    assert tables["plans"] and tables["plan_activities"][0]["name"] == "putting my socks on"
    assert tables["plan_ratings"] and tables["plan_days"]
    privacy.erase(db_of(harness), alex.user_id)
    for table in ("plans", "plan_activities", "plan_ratings", "plan_days", "plan_sessions",
                  "plan_weeks"):  # fmt: skip
        assert db_of(harness)[table].count == 0, table


async def test_typed_activity_names_never_reach_the_logs(harness, alex, caplog):
    caplog.set_level("DEBUG")
    await set_up_plan(alex, activities=(("tying my zebra shoelaces", "2"),))
    lines = [r.getMessage() for r in caplog.records if r.name.startswith(("bot", "storage"))]
    assert lines and not any("zebra" in line for line in lines)


async def test_in_spanish(harness):
    ana = harness.user(3001, first_name="Ana", language_code="es")
    await ana.send("/start")
    await ana.press("Sí, guarda mis notas")
    await ana.send("/plan")
    assert "revisión corta de tu espalda" in ana.last_text()
    assert "Revisar mi espalda" in ana.buttons()


async def test_the_daily_message_and_its_lesson_in_spanish(harness, alex, clock):
    await set_up_plan(alex)
    users.set_language(db_of(harness), alex.user_id, "es")
    assert (await next_message(harness, clock)).sent == 1
    text = alex.last_text()
    assert text.startswith("De vuelta en marcha · semana 1 de 6, día 2")
    assert "Ejercicio:" in text and "minutos" in text
    await alex.press("📖 Leer la lección de hoy")
    lesson = svc(harness).content.programme.lessons[1]
    assert lesson.text("es").title in alex.last_text()
    await alex.press(lesson.text("es").choices[lesson.spec.correct], message=alex.last_message())
    assert lesson.text("es").explain[:40] in alex.last_text()


async def test_the_pdf_report_has_the_plan_page(harness, alex):
    await set_up_plan(alex)
    await alex.send("/log")
    await alex.press("4")
    await alex.press("Save now")
    await alex.send("/export")
    await alex.press(alex.buttons()[0])
    pdf = next(m for m in alex.files("document") if m.file_name.endswith(".pdf"))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.file_bytes)).pages)
    assert "Back on track: the 6-week plan" in text and "putting my socks on" in text


async def test_the_daily_message_keeps_its_local_time_across_the_clock_change(harness, alex, clock):
    await set_up_plan(alex, at="19:00")
    clock.set(clock().replace(month=3, day=28, hour=18, minute=59))  # GMT
    await tick(harness.app)
    sent = [t for t in alex.texts() if t.startswith("Back on track · week")]
    clock.set(clock().replace(day=29, hour=18, minute=0, second=30))  # 19:00 BST
    assert (await tick(harness.app)).sent == 1
    assert len([t for t in alex.texts() if t.startswith("Back on track · week")]) == len(sent) + 1


async def test_with_too_few_scores_a_week_said_to_be_worse_steps_nothing_up(harness, alex, clock):
    await set_up_plan(alex)
    await an_easy_week(harness, alex, clock)
    await alex.press("📋 Start my weekly review")
    await alex.press("No")
    await alex.press("No")
    await alex.press("Worse", message=alex.last_message())
    await alex.press("3", message=alex.last_message())
    (week,) = plans.weeks(db_of(harness), alex.user_id, plan_of(harness, alex).id)
    assert (week.pain_trend, week.exercise, week.activity) == ("worse", "stay", "stay")
    assert "nothing steps up after a worse week" in alex.last_text()


async def test_never_offered_to_under_16s(harness, alex):
    path = [label if label != "20 to 34" else "Under 16" for label in SELF_CARE_PATH]
    await alex.send("/check")
    for label in path:
        await tap(alex, label)
    assert "🗓 Start my 6-week plan" not in alex.buttons()
    await alex.send("/plan")
    assert "made for adults (16 and over)" in alex.last_text()
    assert "Let's begin" not in alex.buttons()
    assert "I've been seen and can exercise" not in alex.buttons()


async def test_typing_during_the_review_or_an_exercise_keeps_the_step(harness, alex, clock):
    await set_up_plan(alex)
    await alex.press("▶️ Start today's exercise")
    await alex.press("Start", message=alex.last_message())
    await alex.press("Next", message=alex.last_message())
    await alex.send("ok done")
    assert alex.last_text().startswith("Please answer with the buttons below.")
    assert any("Done" in b or "Next" in b for b in alex.buttons())
    await alex.press("Stop here", message=alex.last_message())
    assert "How was that?" in alex.last_text()
    await alex.send("fine")
    assert "How was that?" in alex.last_text()
    await alex.press("👍 About right", message=alex.last_message())
    assert len(plans.sessions(db_of(harness), alex.user_id, plan_of(harness, alex).id)) == 1
    await an_easy_week(harness, alex, clock)
    await alex.press("📋 Start my weekly review")
    await alex.press("No")
    await alex.send("no, nothing like that")  # typed, not tapped: the question comes again
    assert alex.last_text().startswith("Please answer with the buttons below.")
    assert "In the past week, any of these?" in alex.last_text().replace("And in", "In")
    await alex.press("No", message=alex.last_message())
    await alex.press("Better", message=alex.last_message())
    await alex.send("5")
    assert "How well can you manage this" in alex.last_text()
    await alex.press("5", message=alex.last_message())
    assert plan_of(harness, alex).week == 2


async def test_a_session_stopped_at_once_steps_nothing_up(harness, alex, clock):
    await set_up_plan(alex)
    await an_easy_week(harness, alex, clock, stop_early=True)
    said = [t for t in alex.texts() if "at least half of the exercises" in t]
    assert len(said) == 6  # each early stop says why it does not count
    facts = service.week_facts(db_of(harness), plan_of(harness, alex), clock(), reviewed=True)
    assert facts.sessions == 0  # six "easy" taps after one exercise each are not six sessions
    assert len(plans.sessions(db_of(harness), alex.user_id, plan_of(harness, alex).id)) == 6


async def test_stopped_before_any_review_the_summary_counts_the_scores_so_far(harness, alex, clock):
    await set_up_plan(alex)
    for pain in ("4", "6"):
        clock.advance(hours=3)
        await alex.send("/log")
        await alex.press(pain)
        await alex.press("Save now")
    await alex.send("/plan")
    await alex.press("Stop the plan")
    await alex.press("Yes, stop it")
    summary = alex.last_text()
    assert "Average pain during the plan: 5 out of 10 (scores logged: 2)" in summary
    assert "Back on track: your plan so far" in summary  # stopped on day 1: not "6 weeks"
    assert "No pain scores" not in summary


async def test_a_flare_in_week_one_says_the_week_starts_again_at_the_gentlest_level(
    harness, alex, clock
):
    await set_up_plan(alex)
    await flare(alex, clock)
    text = "\n".join(alex.texts())
    assert "starts week 1 again, at the gentlest exercise level" in text
    assert "stepped back to week" not in text


async def test_the_first_review_with_scores_but_none_before_says_so(harness, alex, clock):
    await set_up_plan(alex)
    for pain in ("4", "5"):
        clock.advance(hours=2)
        await alex.send("/log")
        await alex.press(pain)
        await alex.press("Save now")
    await an_easy_week(harness, alex, clock)
    await alex.press("📋 Start my weekly review")
    await alex.press("No")
    await alex.press("No")
    assert "There are too few from the week before to compare them with" in alex.last_text()
    assert "too few pain scores" not in alex.last_text()


async def test_a_review_not_done_is_named_in_the_next_days_message(harness, alex, clock):
    await set_up_plan(alex)
    await an_easy_week(harness, alex, clock)
    assert "review is ready" in alex.last_text()
    assert (await next_message(harness, clock)).sent == 1
    text = alex.last_text()
    assert text.startswith("Last week's review wasn't done, so nothing stepped up")
    assert "week 2 of 6, day 1" in text


async def test_stretches_say_to_wait_after_an_urgent_check_or_a_warning_sign(harness, alex, clock):
    await self_care_check(alex)
    await alex.send("/stretches")
    assert "⚠️" not in alex.last_text()
    clock.advance(hours=1)
    await check(alex, URGENT)
    await alex.send("/stretches")
    assert "not to start new exercises or stretches until you have been seen" in alex.last_text()
    await alex.press(alex.buttons()[0])  # a routine's overview says so too, before Start
    assert "until you have been seen" in alex.last_text()
    clock.advance(hours=1)
    await self_care_check(alex)
    await alex.send("/stretches")
    assert "⚠️" not in alex.last_text()
    await alex.send("my legs are going numb")
    await alex.send("/stretches")
    assert "possible warning sign" in alex.last_text()


async def test_a_stretch_reminder_after_an_urgent_check_says_to_wait_first(harness, alex, clock):
    from datetime import UTC, datetime

    from tests.test_reminders import add_work_day_reminder

    users.set_time_zone(db_of(harness), alex.user_id, "Europe/Berlin")
    await add_work_day_reminder(alex)
    await check(alex, URGENT)
    clock.set(datetime(2026, 3, 2, 10, 0, 15, tzinfo=UTC))  # 11:00 Berlin
    assert (await tick(harness.app)).sent == 1
    text = alex.last_text()
    assert text.startswith("⚠️ Your last check said not to start new exercises or stretches")
    assert "Time to stretch: 3-minute desk break" in text


async def test_after_a_yes_at_the_review_no_new_plan_starts_until_seen(harness, alex, clock):
    await set_up_plan(alex)
    for _ in range(6):
        await next_message(harness, clock)
    await alex.press("📋 Start my weekly review")
    await alex.press("Yes")  # a warning sign
    assert plan_of(harness, alex).status == "held"
    await alex.send("/plan")
    assert "Start again" not in alex.buttons()  # on hold: a new plan waits too
    await alex.press("Stop the plan")
    await alex.press("Yes, stop it")
    await alex.send("/plan")
    assert "can be a warning sign" in alex.last_text()  # stopping does not clear it either
    assert "Let's begin" not in alex.buttons()


async def test_an_urgent_check_while_the_plan_runs_puts_it_on_hold(harness, alex, clock):
    await set_up_plan(alex)
    clock.advance(hours=2)
    await check(alex, URGENT)
    assert "Your 6-week plan is on hold" in alex.last_text()
    assert plan_of(harness, alex).status == "held"
    clock.advance(days=1)
    assert (await tick(harness.app)).sent == 0  # no exercise offered until seen


async def test_thoughts_of_self_harm_get_the_crisis_reply_and_nothing_about_the_plan(harness, alex):
    await set_up_plan(alex)
    await alex.send("I want to kill myself")
    assert "116 123" in alex.last_text()
    assert plan_of(harness, alex).status == "active"
    assert "plan" not in alex.last_text().lower()


async def test_warning_words_before_any_check_still_caution_the_stretches(harness, alex):
    await alex.send("my legs are going numb")
    await alex.send("/stretches")
    assert "possible warning sign" in alex.last_text()


async def test_resuming_the_same_day_never_brings_a_second_day(harness, alex, clock):
    await day_two_at_ten(harness, alex, clock)
    await alex.send("/plan")
    await alex.press("⏸ Pause the plan")
    await alex.send("/plan")
    await alex.press("Change the time")
    await alex.send("21:00")
    assert "21:00 once your plan runs again" in alex.last_text()
    await alex.press("▶️ Resume the plan")
    clock.set(clock().replace(hour=21, minute=0, second=30))
    assert (await tick(harness.app)).sent == 0
    clock.advance(days=1)
    assert (await tick(harness.app)).sent == 1
    assert "week 1 of 6, day 3" in alex.last_text()


async def test_an_emergency_check_holds_the_plan_and_stays_the_last_message(harness, alex, clock):
    await set_up_plan(alex)
    clock.advance(hours=2)
    text = await check(alex, ["None of these", "No", "Yes, in both legs"])
    assert text.startswith("🚨 Emergency: get help now")  # nothing about the plan after it
    assert plan_of(harness, alex).status == "held"


async def test_thoughts_of_self_harm_during_the_set_up_are_not_taken_as_an_answer(harness, alex):
    await self_care_check(alex)
    await tap(alex, "🗓 Start my 6-week plan")
    await tap(alex, "Let's begin")
    await alex.send("I want to kill myself")  # at the goal question
    assert "116 123" in alex.last_text()  # the crisis reply, and nothing after it
    await alex.send("/plan")  # the set-up waits where it was
    await tap(alex, "Walking further")
    await alex.send("I want to kill myself")  # at the activity question
    assert "116 123" in alex.last_text()
    assert "How well can you manage this" not in "\n".join(alex.texts()[-2:])
    assert plans.current(db_of(harness), alex.user_id) is None


async def test_on_hold_my_plan_offers_no_start_again(harness, alex):
    await set_up_plan(alex)
    await alex.send("my legs are going numb")
    await alex.send("/plan")
    assert "Start again" not in alex.buttons() and "Stop the plan" in alex.buttons()
    assert "I've been seen and can exercise" in alex.buttons()
