"""A whole 6-week plan through the stand-in, day by day on the fake clock, for three kinds
of person at once: one improving, one stuck, one who flares in week 3. Each week's figures
print with `-s` (the closing note quotes them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.reminders.delivery import tick
from storage import plans
from storage.db import to_db
from tests.helpers import db_of, svc
from tests.programme_steps import set_up_plan

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday; London moves to BST on 29 March


class Person:
    """How one kind of person answers, day by day (week 1..6, day 1..7)."""

    def __init__(self, user, name):
        self.user, self.name = user, name
        self.flags_after_flare = 0  # times the plan re-asked the red flags after a flare

    def feedback(self, week, day):
        return "👍 About right"

    def does_exercise(self, week, day):
        return True

    def activity(self, week, day):
        return "✅ Did it"

    def pain(self, week, day):
        return 5

    def rating(self, week):
        return 3

    def felt(self, week):
        return "About the same"


class Improving(Person):
    def felt(self, week):
        return "Better"

    def feedback(self, week, day):
        return "😊 Easy" if day % 2 else "👍 About right"

    def pain(self, week, day):
        return max(1, 7 - week)

    def rating(self, week):
        return min(10, 3 + week)


class Stuck(Person):
    def does_exercise(self, week, day):
        return day in (2, 5)  # two sessions a week: too few to step up

    def activity(self, week, day):
        return "🌓 Part" if day in (1, 3, 5) else "Not today"

    def rating(self, week):
        return 3


class Flaring(Improving):
    flared = False

    def pain(self, week, day):
        if week == 3 and not self.flared and day in (2, 3):
            self.flared = day == 3  # two high scores lift the newest three above baseline
            return 9
        return 4

    def feedback(self, week, day):
        return "😣 Too hard" if week == 3 and day == 1 else "👍 About right"


async def live_day(person: Person, harness) -> None:
    """What the person does with today's message (the newest with the plan's buttons)."""
    user, plan = person.user, plans.current(db_of(harness), person.user.user_id)
    assert plan is not None
    week, day = plan.week, plan.day
    text = next(t for t in reversed(user.texts()) if t.startswith("Back on track · week"))
    assert f"week {week} of 6, day {day}" in text
    if day == 7:
        assert ("then your summary" in text) == (week == 6)  # the last review ends the plan
        await user.press("📋 Start my weekly review")
        assert "safety first" in user.last_text()
        await user.press("No")
        await user.press("No")
        if "better, about the same or worse" in user.last_text():
            await user.press(person.felt(week), message=user.last_message())
        for _ in plans.activities(db_of(harness), user.user_id, plan.id):
            await user.press(str(person.rating(week)), message=user.last_message())
        return
    if "📖 Read today's lesson" in " ".join(b for m in user.bot_messages()[-3:]
                                            for b in m.button_labels()):  # fmt: skip
        lesson = svc(harness).content.programme.lesson(
            plans.days(db_of(harness), user.user_id, plan.id)[-1].lesson
        )
        await user.press("📖 Read today's lesson")
        right = lesson.text("en").choices[lesson.spec.correct]
        await user.press(right, message=user.last_message())
        assert "✅ Right." in user.last_text()
    if person.does_exercise(week, day):
        await user.press("▶️ Start today's exercise")
        await user.press("Start", message=user.last_message())
        while not any("Done" in b for b in user.last_message().button_labels()):
            await user.press("Next", message=user.last_message())
        await user.press("Done", message=user.last_message())
        await user.press(person.feedback(week, day), message=user.last_message())
    await user.press(person.activity(week, day))
    await user.press(str(person.pain(week, day)))
    if "Two safety questions first" in user.last_text():  # a flare: the red flags again
        await user.press("No", message=user.last_message())
        await user.press("No", message=user.last_message())
        assert "this flare doesn't need a doctor today" in user.last_text()
        person.flags_after_flare += 1


async def test_six_weeks_for_an_improving_a_stuck_and_a_flaring_person(harness, clock):
    people = []
    for uid, kind, name in ((2001, Improving, "Ana"), (2002, Stuck, "Ben"), (2003, Flaring, "Cy")):
        user = harness.user(uid, first_name=name)
        await user.send("/start")
        await user.press("Yes, keep my notes")
        await set_up_plan(user)
        await user.send("/checkin")  # the pain tap rides on the plan's message
        await user.press("08:00")
        people.append(kind(user, name))
    day = 0
    while any(plans.current(db_of(harness), p.user.user_id) for p in people) and day < 60:
        for person in people:
            if plans.current(db_of(harness), person.user.user_id) is not None:
                before = len(person.user.bot_messages())
                await live_day(person, harness)
                assert len(person.user.bot_messages()) > before
        day += 1
        local = datetime.combine(START.date() + timedelta(days=day), datetime.min.time())
        morning = local.replace(hour=8, minute=0, second=30, tzinfo=LONDON).astimezone(UTC)
        clock.set(morning)
        await tick(harness.app)  # the check-in's time: skipped, the plan carries it
        clock.set(morning + timedelta(hours=11))  # 19:00:30 London, GMT or BST
        sent = await tick(harness.app)
        assert sent.claimed <= 3
    figures = {}
    for person in people:
        user = person.user
        plan = plans.latest(db_of(harness), user.user_id)
        assert plan is not None
        weeks = plans.weeks(db_of(harness), user.user_id, plan.id)
        figures[person.name] = weeks
        print(f"\n{person.name} ({type(person).__name__}):")
        for w in weeks:
            print(
                f"  week {w.week} {w.outcome:8} pain {w.pain_avg} ({w.pain_trend})"
                f" sessions {w.sessions} hard {w.hard} days {w.activity_days}:"
                f" exercise {w.exercise} ({w.exercise_rule}) L{w.level_before}->{w.level_after}"
                f" {w.routine_after}; activity {w.activity} ({w.activity_rule})"
                f" {w.minutes_before}->{w.minutes_after} min"
            )
        assert plan.status == "finished", (person.name, plan)
        assert any(t.startswith("Back on track: your 6 weeks") for t in user.texts())
        # One daily message, not two: while the plan ran, no check-in went out on its own.
        checkins = db_of(harness).query(
            "select d.status, d.due_utc from deliveries d join schedules s on s.id = d.schedule_id"
            " where s.kind = 'checkin' and d.user_id = ?", [user.user_id])  # fmt: skip
        during = [r["status"] for r in checkins if r["due_utc"] < to_db(plan.ended_at)]
        assert during and set(during) == {"skipped"}
    ana, ben, cy = figures["Ana"], figures["Ben"], figures["Cy"]
    # Improving: week 2 is harder and longer than week 1, from what Ana said.
    assert ana[0].exercise == "up" and ana[0].level_after == 2
    assert ana[0].minutes_after > ana[0].minutes_before
    assert [w.outcome for w in ana] == ["next"] * 5 + ["finished"]
    # Stuck: too few sessions and active days: nothing steps up, ever.
    assert all(w.exercise in ("stay", None) and w.activity in ("stay", None) for w in ben)
    assert ben[0].exercise_rule == "few_sessions"
    # Flaring: the flare steps the plan back a week at once, to last week's easier dose;
    # the week it was too hard does not step the exercise up; the plan runs a week longer.
    flare = next(w for w in cy if w.outcome == "flare")
    assert flare.week == 3 and (flare.level_before, flare.level_after) == (3, 2)
    assert [p.flags_after_flare for p in people] == [0, 0, 1]  # asked again, once
    assert flare.minutes_after < flare.minutes_before
    assert cy[cy.index(flare) + 1].week == 2
    assert next(w for w in cy if w.hard).exercise == "stay"
    assert len([w for w in cy if w.outcome != "flare"]) == len(ana) + 1  # a week longer
    assert cy[-1].level_before < ana[-1].level_before  # the flare cost a step
