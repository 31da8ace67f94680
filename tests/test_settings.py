"""/settings through the stand-in: every change stored and confirmed, replays change nothing."""

from storage import preferences, users
from tests.helpers import db_of


async def test_settings_shows_what_is_set(alex):
    await alex.send("/settings")
    text = alex.last_text()
    assert "Language: English" in text
    assert "Time zone: not set" in text
    assert "Keeping your notes: on" in text
    assert "Language: English" in alex.buttons()
    assert "Keep my notes: on" in alex.buttons()


async def test_menu_has_settings_and_privacy(alex):
    await alex.send("/menu")
    assert {"Settings", "Privacy and your data"} <= set(alex.buttons())
    await alex.press("Settings")
    assert "<b>" not in alex.last_text() and "Settings" in alex.last_text()
    await alex.press("Privacy and your data")
    assert "What I keep" in alex.last_text()


async def test_switching_language_is_stored_and_confirmed_in_the_new_language(harness, alex):
    await alex.send("/settings")
    await alex.press("Language: English")
    assert alex.buttons() == ["English", "Español", "« Back"]
    await alex.press("Español")
    assert users.get(db_of(harness), alex.user_id).language == "es"
    assert "español" in alex.last_text().split("\n")[0]
    assert "Idioma: Español" in alex.last_text()
    menu = {c["command"]: c["description"] for c in harness.server.chat_commands[alex.chat_id]}
    assert menu["help"] == harness.app.bot_data["services"].content.strings.t("es", "commands.help")
    await alex.send("/menu")
    assert "¿Qué te gustaría hacer?" in alex.last_text()
    await alex.press("Ajustes")
    await alex.press("Idioma: Español")
    await alex.press("English")
    assert "I'll speak English from now on" in alex.last_text()
    menu = {c["command"]: c["description"] for c in harness.server.chat_commands[alex.chat_id]}
    assert menu["help"] == "How to use the bot"


async def test_consent_off_and_on_again(harness, alex):
    db = db_of(harness)
    await alex.send("/settings")
    await alex.press("Keep my notes: on")
    assert "stop keeping new notes" in alex.last_text()
    assert "Keeping your notes: off" in alex.last_text()
    assert not users.get(db, alex.user_id).consented
    stale = "1:g:-:consent:off"
    await alex.press_data(stale)  # the old "turn off" button again: nothing changes
    assert alex.last_callback_answer()["text"] == "This button has expired."
    assert not users.get(db, alex.user_id).consented
    await alex.send("/settings")
    await alex.press("Keep my notes: off")
    assert "keep your notes from now on" in alex.last_text()
    assert users.get(db, alex.user_id).consented


async def test_report_notes_default_is_stored_and_used_by_export(harness, alex):
    db = db_of(harness)
    await alex.send("/log")
    if "Not now" in alex.buttons():  # the time zone, asked once
        await alex.press("Not now")
    await alex.press("4")
    await alex.press("Add details")
    await alex.press("Lower back")
    await alex.press("Next")
    await alex.press("Next")
    await alex.press("Skip")
    await alex.press("Now")
    await alex.press("Save")
    await alex.send("/export")
    assert alex.buttons()[:2] == ["Report without notes", "Report with my notes"]

    await alex.send("/settings")
    assert "Diary notes in the PDF report: off" in alex.last_text()
    await alex.press("Notes in the PDF report: off")
    assert "offer the report with your notes first" in alex.last_text()
    assert "Diary notes in the PDF report: on" in alex.last_text()
    assert preferences.report_notes(db, alex.user_id)
    await alex.press_data("1:g:-:notes:on")  # replayed: already on
    assert alex.last_callback_answer()["text"] == "This button has expired."
    await alex.send("/export")
    assert alex.buttons()[:2] == ["Report with my notes", "Report without notes"]

    await alex.send("/settings")
    await alex.press("Notes in the PDF report: on")
    assert "without your notes first" in alex.last_text()
    assert not preferences.report_notes(db, alex.user_id)


async def test_forged_settings_buttons_change_nothing(harness, alex):
    db = db_of(harness)
    for data in ("1:g:-:language:xx", "1:g:-:language", "1:g:-:frobnicate", "1:g:-:notes:maybe"):
        await alex.press_data(data)
        assert alex.last_callback_answer()["text"] == "This button has expired."
    assert users.get(db, alex.user_id).language == "en"
    assert not preferences.report_notes(db, alex.user_id)


async def test_settings_opens_check_in_and_reminders(harness, alex):
    users.set_time_zone(db_of(harness), alex.user_id, "Europe/Berlin")
    await alex.send("/settings")
    assert "Time zone: Europe/Berlin" in alex.buttons()
    await alex.press("Daily check-in")
    assert "At what time?" in alex.last_text()
    await alex.send("/settings")
    await alex.press("Stretch reminders")
    assert "Your stretch reminders" in alex.last_text()
    await alex.send("/settings")
    await alex.press("Time zone: Europe/Berlin")
    assert "Your time zone now: Europe/Berlin" in alex.last_text()
    await alex.press("Cancel")
    assert users.get(db_of(harness), alex.user_id).time_zone == "Europe/Berlin"
