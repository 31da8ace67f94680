"""/reminders through the stand-in: add, receive, Done, Snooze, pause, resume, delete."""

from datetime import UTC, datetime

from bot.chat import callbacks
from bot.reminders.delivery import tick
from storage import schedules, users
from tests.helpers import db_of


async def add_work_day_reminder(user, routine="3-minute desk break"):
    """Every 2 hours, 09:00-17:00, work days (the zone is already known)."""
    await user.send("/reminders")
    await user.press("Add a reminder")
    assert "Which stretches" in user.last_text()
    await user.press(routine)
    assert "How often?" in user.last_text()
    await user.press("Every 2 hours")
    await user.press("09:00–17:00")
    assert "On which days?" in user.last_text()
    assert user.buttons()[:5] == ["✅ Mon", "✅ Tue", "✅ Wed", "✅ Thu", "✅ Fri"]
    await user.press("Save")


async def test_a_work_day_reminder_from_start_to_done(harness, alex, clock):
    users.set_time_zone(db_of(harness), 1001, "Europe/Berlin")
    await add_work_day_reminder(alex)
    text = alex.last_text()
    assert "Saved. Next reminder: Mon 11:00." in text  # Monday 10:00 Berlin now
    assert "every 2 hours from 09:00 to 17:00, Mon–Fri" in text

    clock.set(datetime(2026, 3, 2, 10, 0, 15, tzinfo=UTC))  # 11:00 Berlin
    assert (await tick(harness.app)).sent == 1
    assert "Time to stretch: 3-minute desk break" in alex.last_text()
    assert alex.buttons() == ["Start", "Done ✓", "Snooze 15 min"]
    start = alex.last_message().buttons[0][0]["callback_data"]
    assert start == callbacks.encode("x", "routine", "desk_break")
    await alex.press("Done")
    assert "Well done" in alex.last_text()
    [entry] = db_of(harness)["diary_entries"].rows
    assert (entry["source"], entry["pain"], entry["tags"], entry["routine"]) == (
        "stretches",
        None,
        '["did_stretches"]',
        "desk_break",
    )

    # Friday 17:00 is the last of the week; the next is Monday 09:00.
    clock.set(datetime(2026, 3, 6, 16, 0, 5, tzinfo=UTC))
    assert (await tick(harness.app)).sent == 1
    [row] = schedules.for_user(db_of(harness), 1001)
    assert row.next_due == datetime(2026, 3, 9, 8, tzinfo=UTC)


async def test_snooze_fifteen_minutes(harness, alex, clock):
    users.set_time_zone(db_of(harness), 1001, "Europe/Berlin")
    await add_work_day_reminder(alex)
    clock.set(datetime(2026, 3, 2, 10, 0, 15, tzinfo=UTC))
    await tick(harness.app)
    await alex.press("Snooze 15 min")
    assert "again at 11:15" in alex.last_text()
    clock.advance(minutes=14)
    assert (await tick(harness.app)).claimed == 0
    clock.advance(minutes=1)
    assert (await tick(harness.app)).sent == 1
    assert "Time to stretch" in alex.last_text()


async def test_once_a_day_typed_time_and_chosen_days(harness, alex):
    users.set_time_zone(db_of(harness), 1001, "America/New_York")
    await alex.send("/reminders")
    await alex.press("Add a reminder")
    await alex.press("A short movement break")
    await alex.press("Once a day")
    await alex.send("quarter past")
    assert "didn't get that time" in alex.last_text()
    await alex.send("18:45")
    assert "✅ Sun" in alex.buttons()  # once a day starts with every day
    await alex.press("Work days")
    await alex.press("✅ Wed")
    await alex.press("Save")
    assert "Mon, Tue, Thu, Fri at 18:45" in alex.last_text()
    [row] = schedules.for_user(db_of(harness), 1001)
    assert (row.weekdays, row.zone, row.every) == ("1245", "America/New_York", None)


async def test_a_typed_window_and_a_bad_one(harness, alex):
    users.set_time_zone(db_of(harness), 1001, "UTC")
    await alex.send("/reminders")
    await alex.press("Add a reminder")
    await alex.press("Core stability")
    await alex.press("Every hour")
    await alex.send("17-9")
    assert "end must be later" in alex.last_text()
    await alex.send("8:30-12:30")
    await alex.press("Every day")
    await alex.press("✅ Mon")
    await alex.press("✅ Tue")
    await alex.press("✅ Wed")
    await alex.press("✅ Thu")
    await alex.press("✅ Fri")
    await alex.press("✅ Sat")
    await alex.press("✅ Sun")
    await alex.press("Save")
    assert "at least one day" in alex.last_callback_answer()["text"]
    await alex.press("Sat")
    await alex.press("Save")
    assert "every hour from 08:30 to 12:30, Sat" in alex.last_text()


async def test_list_pause_resume_delete(harness, alex, clock):
    users.set_time_zone(db_of(harness), 1001, "Europe/Berlin")
    await add_work_day_reminder(alex)
    await alex.press("Change reminder 1")
    await alex.press("Pause")
    assert "Paused." in alex.last_text()
    clock.set(datetime(2026, 3, 2, 10, 0, 15, tzinfo=UTC))
    assert (await tick(harness.app)).claimed == 0
    await alex.press("Resume")
    assert "Next: Mon 13:00" in alex.last_text()
    await alex.press("Delete")
    await alex.press("No, keep it")
    await alex.press("Delete")
    await alex.press("Yes, delete it")
    assert "Deleted." in alex.last_text() and "none yet" in alex.last_text()
    assert schedules.for_user(db_of(harness), 1001) == []


async def test_first_reminder_asks_the_time_zone_first(harness, alex):
    await alex.send("/reminders")
    await alex.press("Add a reminder")
    assert "Which time zone" in alex.last_text()
    await alex.press("Americas")
    await alex.press("Chicago")
    assert "America/Chicago" in alex.last_text()
    await alex.press("Yes, that's right")
    assert "Which stretches" in alex.last_text()


async def test_someone_elses_reminder_and_prompt_buttons_change_nothing(harness, alex, clock):
    users.set_time_zone(db_of(harness), 1001, "Europe/Berlin")
    await add_work_day_reminder(alex)
    clock.set(datetime(2026, 3, 2, 10, 0, 15, tzinfo=UTC))
    await tick(harness.app)
    [row] = schedules.for_user(db_of(harness), 1001)
    mallory = harness.user(3005)
    await mallory.send("/start")
    await mallory.press("Yes, keep my notes")
    for data in (
        callbacks.encode("r", "delok", row.id),
        callbacks.encode("r", "pause", row.id),
        callbacks.encode("r", "done", 1),
        callbacks.encode("r", "snooze", 1),
        callbacks.encode("c", "pain", 1, 5),
        callbacks.encode("c", "pain", 1, 99),
    ):
        await mallory.press_data(data)
        assert "expired" in mallory.last_callback_answer()["text"]
    assert schedules.get(db_of(harness), row.id, 1001).active
    assert db_of(harness)["diary_entries"].count == 0
    assert harness.server.rejections == []


async def test_reminders_and_checkin_need_consent(harness):
    kim = harness.user(3010)
    await kim.send("/start")
    await kim.press("No, don't keep anything")
    assert "Daily check-in" not in kim.buttons()
    for command in ("/reminders", "/checkin"):
        await kim.send(command)
        assert "permission" in kim.last_text()
    await kim.press_data(callbacks.encode("r", "new"))
    assert "permission" in kim.last_text()
    assert schedules.for_user(db_of(harness), 3010) == []


async def test_menu_entries_and_commands(harness, alex):
    await alex.send("/menu")
    assert "Daily check-in" in alex.buttons() and "Stretch reminders" in alex.buttons()
    await alex.press("Stretch reminders")
    assert "Your stretch reminders" in alex.last_text()
    commands = [c["command"] for c in harness.server.commands[("default", "")]]
    assert "checkin" in commands and "reminders" in commands


async def test_the_latest_check_suggests_a_routine_that_suits_it(harness, alex, clock):
    db = db_of(harness)
    users.set_time_zone(db, 1001, "Europe/Berlin")
    db["triage_results"].insert(
        {
            "user_id": 1001,
            "created_at": "2026-03-01T09:00:00Z",
            "answers": "{}",
            "tier": "self_care",
            "explanations": '[{"condition": "strain", "score": 3, "reasons": []}]',
            "tags": '["acute"]',
        }
    )
    await alex.send("/reminders")
    await alex.press("Add a reminder")
    assert "suits the answers from your last back check" in alex.last_text()
    assert "⭐ Gentle routine for a fresh strain" in alex.buttons()
    assert sum(label.startswith("⭐") for label in alex.buttons()) == 1


async def test_a_movement_break_without_a_routine(harness, alex, clock):
    users.set_time_zone(db_of(harness), 1001, "UTC")
    await alex.send("/reminders")
    await alex.press("Add a reminder")
    await alex.press("A short movement break")
    await alex.press("Once a day")
    await alex.press("10:00")
    await alex.press("Save")
    assert "Movement break" in alex.last_text()
    clock.set(datetime(2026, 3, 2, 10, 0, 5, tzinfo=UTC))
    await tick(harness.app)
    assert "Time for a movement break" in alex.last_text()
    assert alex.buttons() == ["Done ✓", "Snooze 15 min"]


async def test_adding_edits_one_message_and_every_step_has_back_and_cancel(harness, alex):
    users.set_time_zone(db_of(harness), 1001, "Europe/Berlin")
    await alex.send("/reminders")
    messages = len(alex.bot_messages())
    await alex.press("Add a reminder")
    for step, choice in (
        ("Which stretches", "3-minute desk break"),
        ("How often?", "Once a day"),
        ("At what time?", "08:00"),
        ("On which days?", None),
    ):
        assert step in alex.last_text()
        assert alex.buttons()[-2:] == ["« Back", "Cancel"], step
        if choice:
            await alex.press(choice)
    await alex.press("« Back")  # days -> time, keeping the choices so far
    assert "At what time?" in alex.last_text()
    await alex.press("09:00")
    await alex.press("Save")
    assert "Saved. Next reminder" in alex.last_text()
    assert len(alex.bot_messages()) == messages  # the list itself became each step
    [row] = schedules.for_user(db_of(harness), 1001)
    assert row.at.strftime("%H:%M") == "09:00"


async def test_cancel_while_adding_keeps_nothing(harness, alex):
    users.set_time_zone(db_of(harness), 1001, "Europe/Berlin")
    await alex.send("/reminders")
    await alex.press("Add a reminder")
    await alex.press("3-minute desk break")
    await alex.press("Cancel")
    assert "nothing was changed" in alex.last_text()
    assert "Your stretch reminders" in alex.last_text()
    assert schedules.for_user(db_of(harness), 1001) == []


async def test_a_reminders_time_days_and_routine_can_be_changed(harness, alex):
    users.set_time_zone(db_of(harness), 1001, "Europe/Berlin")
    await add_work_day_reminder(alex)
    await alex.press("Change reminder 1")
    messages = len(alex.bot_messages())
    await alex.press("Change time")
    assert alex.buttons()[-2:] == ["« Back", "Cancel"]
    await alex.press("Once a day")
    await alex.send("18:30")  # typed
    assert "Changed. Next reminder: Mon 18:30." in alex.last_text()
    assert "every day at 18:30" not in alex.last_text()  # the days stayed Mon–Fri
    await alex.press("Change days")
    await alex.press("Every day")
    await alex.press("Save")
    await alex.press("Change stretches")
    await alex.press("5-minute morning routine")
    [row] = schedules.for_user(db_of(harness), 1001)
    assert (row.at.strftime("%H:%M"), row.every, row.weekdays, row.routine) == (
        "18:30",
        None,
        "1234567",
        "morning",
    )
    assert "Changed." in alex.last_text() and "5-minute morning routine" in alex.last_text()
    assert len(alex.bot_messages()) == messages + 1  # only the typed time needed a new one


async def test_back_from_a_change_returns_to_the_reminder_unchanged(harness, alex):
    users.set_time_zone(db_of(harness), 1001, "Europe/Berlin")
    await add_work_day_reminder(alex)
    await alex.press("Change reminder 1")
    await alex.press("Change days")
    await alex.press("Sat")
    await alex.press("« Back")
    assert "Mon–Fri" in alex.last_text() and "Change time" in alex.buttons()
    [row] = schedules.for_user(db_of(harness), 1001)
    assert row.weekdays == "12345"
