"""Setting up the plan as people really do: typing where a button is asked for, /plan
part-way, Not now, and Start again (the running plan carries on until the new one exists)."""

from __future__ import annotations

from bot.reminders.delivery import tick
from storage import diary, plans
from tests.helpers import db_of
from tests.programme_steps import day_two_at_ten, next_message, self_care_check, set_up_plan
from tests.test_triage_flow import tap


async def to_first_activity(user) -> None:
    await self_care_check(user)
    await tap(user, "🗓 Start my 6-week plan")
    await tap(user, "Let's begin")


async def test_typed_words_where_a_button_is_asked_for_keep_the_step_and_say_so(alex):
    await to_first_activity(alex)
    await alex.send("walking")  # the goal takes a button
    assert "Please answer with the buttons below." in alex.last_text()
    assert "What would you most like to get back to?" in alex.last_text()
    await tap(alex, "Walking further")
    await alex.send("putting my socks on")
    await alex.send("7")  # a typed rating
    assert "Please answer with the buttons below." in alex.last_text()
    assert "putting my socks on" in alex.last_text()
    await tap(alex, "3")
    await alex.send("thanks")  # at "add another, or carry on?": not a new activity
    assert "Please answer with the buttons below." in alex.last_text()
    assert "Add another" in alex.last_text()
    await tap(alex, "That's all, carry on")
    await alex.send("about 25 minutes")
    assert "Please answer with the buttons below." in alex.last_text()
    assert "3 of 3." in alex.last_text()
    await tap(alex, "10 min")
    if "Which time zone" in alex.last_text():
        await alex.send("London")
        await tap(alex, "Yes, that's right")
    await tap(alex, "19:00")
    assert "Your plan is set up" in "\n".join(alex.texts())


async def test_plan_part_way_through_the_set_up_carries_on_where_it_was(harness, alex):
    await to_first_activity(alex)
    await tap(alex, "Walking further")
    await alex.send("sitting through a film")
    await tap(alex, "5")
    await alex.send("/plan")  # to look, not to start over
    assert "Add another" in alex.last_text() and "Let's begin" not in alex.buttons()
    await tap(alex, "That's all, carry on")
    assert "3 of 3." in alex.last_text()


async def test_not_now_says_the_answers_were_not_kept(harness, alex):
    await to_first_activity(alex)
    await tap(alex, "Walking further")
    await tap(alex, "Not now")
    assert "your answers were not kept" in alex.last_text()
    assert plans.current(db_of(harness), alex.user_id) is None


async def test_start_again_keeps_the_running_plan_until_the_new_one_is_set_up(harness, alex):
    await set_up_plan(alex)
    db = db_of(harness)
    old = plans.current(db, alex.user_id)
    await alex.send("/plan")
    await alex.press("Start again")
    assert "carries on until that is done" in alex.last_text()
    await alex.press("Yes, start again")
    assert "Your current plan carries on until the new one is set up." in alex.last_text()
    assert plans.current(db, alex.user_id).id == old.id  # still running
    await tap(alex, "Let's begin")
    await tap(alex, "Sleeping well")
    await tap(alex, "Not now")  # changed their mind
    assert "Your current plan carries on as before." in alex.last_text()
    same = plans.current(db, alex.user_id)
    assert same.id == old.id and same.status == "active"
    await alex.send("/plan")
    await alex.press("Start again")
    await alex.press("Yes, start again")
    await tap(alex, "Let's begin")
    await tap(alex, "Sleeping well")
    await alex.send("turning over in bed")
    await tap(alex, "2")
    await tap(alex, "That's all, carry on")
    await tap(alex, "15 min")
    await tap(alex, "08:00")
    new = plans.current(db, alex.user_id)
    assert new.id != old.id and new.status == "active"
    assert plans.get(db, alex.user_id, old.id).status == "stopped"


async def test_my_plan_shows_the_goal_and_the_time_of_the_daily_message(alex):
    await set_up_plan(alex, goal="Sleeping well", at="08:00")
    await alex.send("/plan")
    text = alex.last_text()
    assert "🎯 Getting back to: Sleeping well" in text
    assert "⏰ Daily message at 08:00 (Europe/London)" in text


async def test_lessons_so_far_can_be_read_again_from_my_plan(alex):
    await set_up_plan(alex)
    await alex.send("/plan")
    await alex.press("📚 Lessons so far")
    assert "Tap one to read it again" in alex.last_text()
    await alex.press("Back pain is rarely damage")
    assert "Back pain is rarely damage" in alex.last_text() and len(alex.buttons()) >= 3


async def test_a_typed_time_that_makes_no_sense_asks_again_with_the_buttons(alex):
    await set_up_plan(alex)
    await alex.send("/plan")
    await alex.press("Change the time")
    await alex.send("whenever")
    assert "When should your daily message come?" in alex.last_text()
    assert "08:00" in alex.buttons() and "Back" in " ".join(alex.buttons())
    await alex.send("7:30")
    assert "Your daily message now comes at 07:30, from tomorrow." in alex.last_text()


async def test_a_mis_tapped_pain_score_can_be_changed(harness, alex):
    await set_up_plan(alex)
    await alex.send("/checkin")  # the pain tap rides on the plan's message
    await alex.press("08:00")
    await alex.send("/plan")
    await alex.press("Today's message")
    day_message = next(m for m in reversed(alex.bot_messages()) if "10" in m.button_labels())
    await alex.press("7", message=day_message)
    await alex.press("9", message=day_message)
    assert "now 9/10" in alex.last_text()
    (entry,) = [e for e in diary.all_entries(db_of(harness), alex.user_id) if e.source == "plan"]
    assert entry.pain == 9
    await alex.press("9", message=day_message)
    assert "already noted" in alex.last_callback_answer()["text"]


async def test_someone_who_can_walk_only_a_little_has_a_button_for_it(harness, alex):
    await set_up_plan(alex, minutes="2 min")
    plan = plans.current(db_of(harness), alex.user_id)
    assert (plan.baseline_minutes, plan.minutes) == (2, 2)  # week 1 asks no more than that


async def test_a_later_time_never_brings_two_days_in_one_day(harness, alex, clock):
    await day_two_at_ten(harness, alex, clock)
    await alex.send("/plan")
    await alex.press("Change the time")
    await alex.send("21:00")
    assert "21:00, from tomorrow" in alex.last_text()
    clock.set(clock().replace(hour=21, minute=0, second=30))
    assert (await tick(harness.app)).sent == 0  # not day 3 on the same day
    clock.advance(days=1)
    assert (await tick(harness.app)).sent == 1
    assert "week 1 of 6, day 3" in alex.last_text()


async def test_an_older_days_activity_button_says_which_day_it_noted(harness, alex, clock):
    await set_up_plan(alex)
    first = next(m for m in reversed(alex.bot_messages()) if "✅ Did it" in m.button_labels())
    assert (await next_message(harness, clock)).sent == 1  # day 2
    await alex.press("✅ Did it", message=first)
    assert "Noted for week 1, day 1: ✅ Did it." in alex.last_text()
    assert "today" not in alex.last_text()


async def test_cancel_during_the_set_up_says_the_answers_were_not_kept(alex):
    await to_first_activity(alex)
    await tap(alex, "Walking further")
    await alex.send("/cancel")
    assert any("your answers have not been kept" in t or "answers were not kept" in t
               for t in alex.texts()[-2:])  # fmt: skip
    assert "Nothing was saved from that step" not in "\n".join(alex.texts()[-2:])


async def test_the_set_up_suggests_the_check_in_for_the_pain_score(alex):
    await set_up_plan(alex)
    started = next(t for t in alex.texts() if "Your plan is set up" in t)
    assert "/checkin" in started


async def test_typed_words_at_the_first_screens_say_to_use_the_buttons(alex):
    await self_care_check(alex)
    await tap(alex, "🗓 Start my 6-week plan")
    await alex.send("ok")  # at the plan's introduction
    assert alex.last_text().startswith("Please answer with the buttons below.")
    assert "Let's begin" in alex.buttons()
    await set_up_plan(alex)
    await alex.press("▶️ Start today's exercise")
    await alex.send("ok")  # at the routine's first screen: shown again, not exercise 1
    assert alex.last_text().startswith("Please answer with the buttons below.")
    assert "▶ Start routine" in alex.buttons()


async def test_a_mis_tapped_score_that_made_a_flare_takes_its_step_back_back(harness, alex, clock):
    await set_up_plan(alex)
    db = db_of(harness)
    plan = plans.current(db, alex.user_id)
    assert (plan.week, plan.day, plan.minutes) == (1, 1, 10)
    for pain in ("3", "3", "3", "8"):
        await alex.send("/log")
        await alex.press(pain)
        await alex.press("Save now")
        clock.advance(hours=20)
    await alex.send("/checkin")
    await alex.press("08:00")
    await alex.send("/plan")
    await alex.press("Today's message")
    day_message = next(m for m in reversed(alex.bot_messages()) if "10" in m.button_labels())
    await alex.press("9", message=day_message)  # meant 2
    moved = plans.current(db, alex.user_id)
    assert (moved.week, moved.day, moved.minutes) == (1, 0, 8)  # the flare stepped back
    await alex.press("2", message=day_message)
    assert "there is no flare after all" in alex.last_text()
    back = plans.current(db, alex.user_id)
    assert (back.week, back.day, back.minutes, back.flare_week) == (1, 1, 10, None)
    assert plans.weeks(db, alex.user_id, plan.id) == []


async def test_a_new_time_zone_never_brings_two_days_in_one_day(harness, alex, clock):
    await day_two_at_ten(harness, alex, clock)  # 10:00 London
    await alex.send("/settings")
    await alex.press(next(b for b in alex.buttons() if b.startswith("Time zone")))
    await alex.send("New York")
    await alex.press("Yes, that's right")
    clock.set(clock().replace(hour=15, minute=0, second=30))  # 10:00 in New York, same day
    assert (await tick(harness.app)).sent == 0
    clock.advance(days=1)
    assert (await tick(harness.app)).sent == 1
    assert "week 1 of 6, day 3" in alex.last_text()
