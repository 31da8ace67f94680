"""Asking for the time zone through the stand-in: buttons, a shared location, typed places."""

import logging
from datetime import UTC, datetime, time

from bot.chat import callbacks
from storage import schedules, users
from tests.helpers import db_of


async def test_sharing_a_location_sets_the_zone_and_removes_the_keyboard(harness, alex):
    await alex.send("/checkin")
    await alex.press("Share my location")
    keyboard = alex.chat.reply_keyboard
    assert keyboard is not None
    assert keyboard["keyboard"][0][0]["request_location"] is True
    await alex.send_location(52.52, 13.40)
    assert alex.chat.reply_keyboard is None
    assert "Europe/Berlin" in alex.last_text() and "10:00" in alex.last_text()
    await alex.press("Yes, that's right")
    assert users.get(db_of(harness), 1001).time_zone == "Europe/Berlin"
    assert "At what time?" in alex.last_text()


async def test_a_location_at_sea_or_cancelled_asks_again(harness, alex):
    await alex.send("/checkin")
    await alex.press("Share my location")
    await alex.send_location(0.0, -30.0)
    assert alex.chat.reply_keyboard is None
    assert any("couldn't work out" in t for t in alex.texts()[-2:])
    assert "Which time zone" in alex.last_text()
    await alex.press("Share my location")
    await alex.send("Cancel")
    assert alex.chat.reply_keyboard is None
    assert "Which time zone" in alex.last_text()
    assert users.get(db_of(harness), 1001).time_zone is None


async def test_typing_a_city_while_the_location_keyboard_is_up(harness, alex):
    await alex.send("/checkin")
    await alex.press("Share my location")
    await alex.send("Tokyo")
    assert alex.chat.reply_keyboard is None
    assert "Asia/Tokyo" in alex.last_text() and "18:00" in alex.last_text()


async def test_typed_places_unknown_and_ambiguous(harness, alex, caplog):
    caplog.set_level(logging.DEBUG)
    await alex.send("/checkin")
    await alex.send("Atlantis Prime")
    assert "couldn't find that place" in alex.last_text()
    assert "Which time zone" in alex.last_text()
    await alex.send("Sao")
    assert "Did you mean" in alex.last_text()
    assert alex.buttons() == ["America/Sao Paulo", "Africa/Sao Tome", "« Back"]
    await alex.press("« Back")
    assert "Which time zone" in alex.last_text()
    await alex.send("new york")
    assert "America/New_York" in alex.last_text() and "04:00" in alex.last_text()
    await alex.press("No, choose again")
    await alex.press("Europe")
    await alex.press("Lisbon")
    await alex.press("Yes, that's right")
    assert users.get(db_of(harness), 1001).time_zone == "Europe/Lisbon"
    # Our own logs, at every level (the telegram library's DEBUG output is silenced
    # in production by bot/logs.py).
    ours = [r for r in caplog.records if r.name.split(".")[0] in ("bot", "storage")]
    logged = "\n".join(record.getMessage() for record in ours)
    assert "Atlantis" not in logged and "Sao" not in logged and "new york" not in logged


async def test_a_stale_region_button_expires(harness, alex):
    await alex.send("/checkin")
    asia = next(b["callback_data"] for row in alex.last_message().buttons for b in row
                if b["text"].startswith("Asia"))  # fmt: skip
    await alex.press("Europe")
    await alex.press_data(asia)  # drawn for an earlier step
    assert "expired" in alex.last_callback_answer()["text"]
    assert users.get(db_of(harness), 1001).time_zone is None


async def test_cancel_leaves_the_zone_alone(harness, alex):
    users.set_time_zone(db_of(harness), 1001, "Europe/Paris")
    await alex.press_data(callbacks.encode("z", "ask"))
    assert "Your time zone now: Europe/Paris" in alex.last_text()
    await alex.press("Cancel")
    assert "left your time zone as it was" in alex.last_text()
    assert users.get(db_of(harness), 1001).time_zone == "Europe/Paris"


async def test_the_entry_point_for_other_screens_ends_with_the_menu(harness, alex):
    await alex.press_data(callbacks.encode("z", "ask"))
    await alex.press("UTC")
    await alex.press("Yes, that's right")
    assert "Your time zone is UTC" in alex.last_text()
    assert alex.buttons() == ["Menu"]


async def test_changing_the_zone_moves_the_checkin_and_returns_to_it(harness, alex, clock):
    db = db_of(harness)
    users.set_time_zone(db, 1001, "Europe/Berlin")
    schedules.save_checkin(db, 1001, "Europe/Berlin", time(8), clock())
    await alex.send("/checkin")
    assert "Next: Tue 08:00" in alex.last_text()
    await alex.press("Change time zone")
    await alex.send("new york")
    await alex.press("Yes, that's right")
    assert any("now follow this time zone" in t for t in alex.texts()[-2:])
    assert "(America/New_York)" in alex.last_text()
    assert "Next: Mon 08:00" in alex.last_text()  # it is 04:00 on Monday in New York
    checkin = schedules.checkin_for(db, 1001)
    assert checkin.next_due == datetime(2026, 3, 2, 13, tzinfo=UTC)  # 08:00 EST


async def test_cancel_while_asked_for_a_location_takes_the_keyboard_away(harness, alex):
    await alex.send("/checkin")
    await alex.press("Share my location")
    assert alex.chat.reply_keyboard is not None
    await alex.send("/cancel")
    assert alex.chat.reply_keyboard is None
    assert "Stopped" in alex.texts()[-2]
    assert "What would you like to do?" in alex.last_text()


async def test_a_forged_return_flow_in_the_zone_button_expires(harness, alex):
    # "d" (the diary) has no step to come back to after the zone question: resuming it
    # there once drew an empty message, which Telegram refuses.
    for flow in ("d", "t", "p", "z", "nosuch"):
        await alex.press_data(callbacks.encode("z", "ask", flow))
        assert "expired" in alex.last_callback_answer()["text"], flow
        assert "Which time zone" not in alex.last_text(), flow
    await alex.press_data(callbacks.encode("z", "ask", "c", "extra"))
    assert "expired" in alex.last_callback_answer()["text"]
    assert not any("went wrong" in text for text in alex.texts())
    assert users.get(db_of(harness), 1001).time_zone is None
    await alex.press_data(callbacks.encode("z", "ask", "g"))  # the settings screen's button
    await alex.press("UTC")
    await alex.press("Yes, that's right")
    assert "Your time zone is UTC" in alex.texts()[-2]
    assert "Settings" in alex.last_text()


async def test_zone_names_that_are_not_places_get_a_friendly_no(harness, alex):
    await alex.send("/checkin")
    for typed in ("localtime", "Factory", "posixrules", "right/UTC", "posix/Europe/Berlin"):
        await alex.send(typed)
        assert "couldn't find that place" in alex.last_text(), typed
        assert "Which time zone" in alex.last_text(), typed
    seq = callbacks.decode(alex.last_message().buttons[0][0]["callback_data"]).seq
    await alex.press_data(callbacks.encode("z", "pick", "localtime", seq=seq))  # forged
    assert "localtime" not in alex.last_text() and "Which time zone" in alex.last_text()
    assert users.get(db_of(harness), 1001).time_zone is None
