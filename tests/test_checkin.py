"""/checkin through the stand-in: set it up, let the clock reach it, answer with one tap."""

from datetime import UTC, datetime

from bot.reminders.delivery import tick
from storage import schedules, users
from tests.helpers import db_of


async def set_up_checkin(user, *, place="Berlin", time="08:00"):
    await user.send("/checkin")
    assert "Which time zone" in user.last_text()
    await user.send(place)
    await user.press("Yes, that's right")
    assert "At what time?" in user.last_text()
    await user.press(time)


async def test_checkin_end_to_end_the_tap_lands_in_the_diary(harness, alex, clock):
    # Monday 2 March 2026, 09:00 UTC = 10:00 in Berlin.
    await alex.send("/checkin")
    assert "Which time zone" in alex.last_text()
    await alex.send("berlin")
    assert "10:00" in alex.last_text() and "Monday" in alex.last_text()
    assert "Europe/Berlin" in alex.last_text()
    await alex.press("Yes, that's right")
    assert "Europe/Berlin" in "\n".join(alex.texts()[-2:])
    assert "At what time?" in alex.last_text()
    assert "07:00" in alex.buttons() and "22:00" in alex.buttons()
    await alex.press("08:00")
    assert "every day at 08:00" in alex.last_text()
    assert "Next: Tue 08:00" in alex.last_text()

    clock.set(datetime(2026, 3, 3, 7, 0, 20, tzinfo=UTC))  # 08:00:20 in Berlin
    result = await tick(harness.app)
    assert result.sent == 1
    assert "How is your back today?" in alex.last_text()
    assert alex.buttons()[:11] == [str(n) for n in range(11)]
    assert "Snooze 1 h" in alex.buttons() and "Skip today" in alex.buttons()

    four = _data_for(alex, "4")
    await alex.press("4")
    assert "4/10" in alex.last_text()
    rows = list(db_of(harness).query("select * from diary_entries where user_id = 1001"))
    assert [(r["pain"], r["source"]) for r in rows] == [(4, "checkin")]
    # The same tap again (a replay) stores nothing more.
    await alex.press_data(four)
    assert "expired" in alex.last_callback_answer()["text"]
    assert db_of(harness)["diary_entries"].count == 1
    # Nothing more today, the next prompt comes tomorrow.
    assert (await tick(harness.app)).claimed == 0


def _data_for(user, label):
    for message in reversed(user.chat.messages):
        for row in message.buttons if message.from_bot else []:
            for button in row:
                if button["text"] == label:
                    return button["callback_data"]
    raise AssertionError(label)


async def test_typed_times_change_and_off_on(harness, alex, clock):
    await set_up_checkin(alex)
    assert "every day at 08:00" in alex.last_text()
    await alex.press("Change time")
    await alex.send("half past eight")
    assert "didn't get that time" in alex.last_text()
    await alex.send("20:15")
    assert "every day at 20:15" in alex.last_text()
    assert "Next: Mon 20:15" in alex.last_text()
    await alex.press("Turn off")
    assert "Off:" in alex.last_text() and "Paused." in alex.last_text()
    clock.set(datetime(2026, 3, 2, 19, 15, 5, tzinfo=UTC))
    assert (await tick(harness.app)).claimed == 0
    await alex.press("Turn on")
    assert "Next: Tue 20:15" in alex.last_text()
    [row] = schedules.for_user(db_of(harness), 1001)
    assert (row.kind, row.at.hour, row.at.minute, row.active) == ("checkin", 20, 15, True)


async def test_add_details_fills_in_the_same_entry(harness, alex, clock):
    await set_up_checkin(alex)
    clock.set(datetime(2026, 3, 3, 7, 0, 5, tzinfo=UTC))
    await tick(harness.app)
    await alex.press("7")
    await alex.press("Add details")
    assert "Pain: 7/10" in alex.last_text()
    await alex.press("Where")
    await alex.press("Lower back")
    await alex.press("Next")
    await alex.press("Save changes")
    [entry] = db_of(harness)["diary_entries"].rows  # the same entry, now with details
    assert (entry["pain"], entry["source"], entry["places"]) == (7, "checkin", '["lower_back"]')


async def test_a_run_of_high_scores_brings_the_flare_warning(harness, alex, clock):
    await set_up_checkin(alex)
    day = datetime(2026, 3, 3, 7, 0, 5, tzinfo=UTC)
    for score in ("2", "2", "3", "2", "2", "9", "9", "9"):
        clock.set(day)
        await tick(harness.app)
        await alex.press(score)
        day = day.replace(day=day.day + 1)
    assert db_of(harness)["diary_entries"].count == 8
    assert "Your pain is higher than usual." in alex.last_text()
    assert "9/10" in alex.texts()[-2]


async def test_a_prompt_answered_after_a_restart_still_counts(harness, alex, clock):
    await set_up_checkin(alex)
    clock.set(datetime(2026, 3, 3, 7, 0, 5, tzinfo=UTC))
    await tick(harness.app)
    await harness.restart()
    clock.advance(hours=3)
    await alex.press("2")
    assert "2/10" in alex.last_text()
    assert users.get(db_of(harness), 1001).time_zone == "Europe/Berlin"
    assert db_of(harness)["diary_entries"].count == 1
