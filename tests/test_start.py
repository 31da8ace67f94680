"""Onboarding, consent, the menu and the always-available commands, through the stand-in."""

from storage import users
from tests.helpers import db_of


async def test_start_greets_warns_and_asks_for_consent(harness):
    sam = harness.user(2001)
    await sam.send("/start")
    text = "\n".join(sam.texts())
    assert "BackCare" in text
    assert "not a doctor" in text
    assert "emergency number" in text
    assert sam.buttons() == ["Yes, keep my notes", "No, don't keep anything"]
    row = users.get(harness.app.bot_data["services"].db, 2001)
    assert row is not None and row.consent_at is None and row.language == "en"


async def test_consent_yes_shows_menu_and_is_stored(harness, alex):
    assert "What would you like to do?" in alex.last_text()
    assert "How to use BackCare" in alex.buttons()
    assert users.get(harness.app.bot_data["services"].db, 1001).consented


async def test_the_answer_to_consent_becomes_the_menu_in_the_same_message(harness):
    ana = harness.user(2003)
    await ana.send("/start")
    asked = len(ana.bot_messages())
    await ana.press("Yes, keep my notes")
    assert len(ana.bot_messages()) == asked  # edited in place, nothing new sent
    assert "Your notes are kept safe" in ana.last_text()
    assert "What would you like to do?" in ana.last_text()
    assert "Check my back" in ana.buttons()


async def test_consent_no_keeps_nothing_but_still_offers_the_menu(harness):
    kim = harness.user(2002)
    await kim.send("/start")
    await kim.press("No, don't keep anything")
    assert "won't keep your notes" in "\n".join(kim.texts())
    assert "Your notes are not being kept" in kim.last_text()
    assert not users.get(harness.app.bot_data["services"].db, 2002).consented


async def test_restart_keeps_user_and_consent(harness, alex):
    await harness.restart()
    await alex.send("/start")
    assert "Welcome back" in "\n".join(alex.texts()[-2:])
    assert "What would you like to do?" in alex.last_text()


async def test_help_lists_every_command_the_bot_has(harness, alex):
    await alex.send("/help")
    text = alex.last_text()
    registered = harness.app.bot_data["services"].registry.commands
    for command in registered:
        assert f"/{command.name} – " in text
    assert {"check", "log", "learn", "stretches", "checkin", "settings"} <= {
        c.name for c in registered
    }
    names = [c["command"] for c in harness.server.commands[("default", "")]]
    assert names == [c.name for c in registered]


async def test_help_menu_and_cancel_work_from_anywhere(alex):
    await alex.send("/help")
    assert "/menu" in alex.last_text()
    await alex.send("/cancel")
    assert "nothing to stop" in alex.last_text()
    await alex.send("/menu")
    assert "What would you like to do?" in alex.last_text()
    await alex.press("How to use BackCare")
    assert "/cancel" in alex.last_text()
    await alex.press("Menu")
    assert "What would you like to do?" in alex.last_text()


async def test_where_consent_is_needed_its_buttons_are_right_there(harness):
    kim = harness.user(2002, first_name="Kim")
    await kim.send("/start")
    assert "tied only to your Telegram user ID" in kim.last_text()
    await kim.press("No, don't keep anything")
    for command in ("/log", "/history", "/reminders", "/checkin"):
        await kim.send(command)
        assert kim.buttons()[:2] == ["Yes, keep my notes", "No, don't keep anything"], command
    await kim.press("Yes, keep my notes")
    assert users.get(db_of(harness), 2002).consented
    await kim.send("/log")
    assert "Not now" in kim.buttons()  # the diary begins: first the time zone, asked once
    await kim.press("Not now")
    assert kim.buttons()[0] == "0"  # then how bad is it, 0 to 10
