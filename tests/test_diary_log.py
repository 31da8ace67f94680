"""/log through the stand-in: every step, backdating, the note limit, Save once, flares."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.chat import callbacks
from storage import conversations, diary, preferences, users
from tests.helpers import db_of


@pytest.fixture
async def alex(alex, harness):
    """Alex, already asked for a time zone once: these tests are about the log itself
    (test_diary_zone.py is about the question)."""
    preferences.set_time_zone_asked(db_of(harness), 1001, harness.clock())
    return alex


def entries(harness, user_id=1001):
    return diary.all_entries(db_of(harness), user_id)


def button_data(user, label):
    for row in user.last_message().buttons:
        for button in row:
            if label in button["text"]:
                return button["callback_data"]
    raise AssertionError(f"no button {label!r} in {user.buttons()}")


async def test_log_with_every_step_stores_nothing_until_save(harness, alex):
    await alex.send("/log")
    assert "0 means no pain" in alex.last_text()
    assert alex.buttons()[:11] == [str(n) for n in range(11)]
    await alex.press("6")
    await alex.press("Add details")
    assert "Where does it hurt?" in alex.last_text()
    await alex.press("Lower back")
    await alex.press("Left leg")
    await alex.press("Neck")
    await alex.press("✅ Neck")  # a second tap takes it off again
    assert "✅ Lower back" in alex.buttons() and "Neck" in alex.buttons()
    await alex.press("Next")
    await alex.press("Slept badly")
    await alex.press("Took a painkiller")
    await alex.press("Next")
    assert "up to 1,000 characters" in alex.last_text()
    await alex.send("<b>sore</b> & stiff")
    assert "When was this?" in alex.last_text()
    await alex.press("Now")
    review = alex.last_text()
    assert "Pain: 6/10" in review
    assert "Where: Lower back, Left leg" in review
    assert "Tags: Slept badly, Took a painkiller" in review
    assert "Note: <b>sore</b> & stiff" in review  # shown as typed, not as formatting
    assert entries(harness) == []
    await alex.press("Save")
    assert "Saved." in alex.last_text() and "Pain: 6/10" in alex.last_text()
    (entry,) = entries(harness)
    assert entry.pain == 6 and entry.source == "log"
    assert entry.places == ("lower_back", "left_leg")
    assert entry.tags == ("slept_badly", "painkiller")
    assert entry.note == "<b>sore</b> & stiff"
    assert entry.recorded_at == harness.clock()
    assert conversations.get(db_of(harness), 1001, harness.clock()) is None


async def test_a_replayed_save_stores_one_entry(harness, alex):
    await alex.send("/log")
    await alex.press("4")
    await alex.press("Add details")
    await alex.press("Next")
    await alex.press("Next")
    await alex.press("Skip")
    await alex.press("Now")
    save = button_data(alex, "Save")
    await alex.press_data(save)
    await alex.press_data(save)
    assert alex.last_callback_answer()["text"] == "This button has expired."
    assert len(entries(harness)) == 1


async def test_backdate_yesterday_earlier_today_and_another_date(harness, alex):
    db = db_of(harness)
    users.set_time_zone(db, 1001, "Europe/Berlin")  # 10:00 local on Mon 2 Mar 2026
    for choice, then in (("Yesterday", "Evening"), ("Earlier today", "2 h ago")):
        await alex.send("/log")
        await alex.press("3")
        await alex.press("Add details")
        await alex.press("Next")
        await alex.press("Next")
        await alex.press("Skip")
        await alex.press(choice)
        await alex.press(then)
        await alex.press("Save")
    await alex.send("/log")
    await alex.press("5")
    await alex.press("Add details")
    await alex.press("Next")
    await alex.press("Next")
    await alex.press("Skip")
    await alex.press("Another date")
    months = alex.buttons()
    assert months[0] == "Mar 2026" and "Mar 2025" in months and "Feb 2025" not in months
    await alex.press("Jan 2026")
    assert "Which day in Jan 2026?" in alex.last_text()
    assert alex.buttons()[:31] == [str(n) for n in range(1, 32)]
    await alex.press("15")
    assert "Thu, 15 Jan 2026" in alex.last_text()
    await alex.press("Morning")
    assert "When: Thu, 15 Jan 2026, 08:00" in alex.last_text()
    await alex.press("Save")
    recorded = sorted(e.recorded_at for e in entries(harness))
    assert recorded == [
        datetime(2026, 1, 15, 7, 0, tzinfo=UTC),  # 08:00 in Berlin
        datetime(2026, 3, 1, 18, 0, tzinfo=UTC),  # yesterday 19:00 in Berlin
        harness.clock() - timedelta(hours=2),
    ]


async def test_the_date_picker_refuses_the_future_and_over_a_year_back(harness, alex):
    await alex.send("/log")
    await alex.press("5")
    await alex.press("Add details")
    await alex.press("Next")
    await alex.press("Next")
    await alex.press("Skip")
    await alex.press("Another date")
    await alex.press("Mar 2026")
    assert alex.buttons()[:-2] == ["1"]  # only yesterday: today has its own buttons
    await alex.press("« Back")
    await alex.press("Mar 2025")
    assert alex.buttons()[0] == "2"  # 365 days back from 2 Mar 2026
    forged = callbacks.encode("d", "day", "2025-03-01", seq=_seq(harness))
    await alex.press_data(forged)
    assert alex.last_callback_answer()["text"] == "This button has expired."
    assert "Which day in Mar 2025?" in alex.last_text()  # still on the same step


def _seq(harness, user_id=1001):
    return conversations.get(db_of(harness), user_id, harness.clock()).seq


async def test_a_note_over_the_limit_is_refused_and_the_draft_kept(harness, alex):
    await alex.send("/log")
    await alex.press("8")
    await alex.press("Add details")
    await alex.press("Buttock")
    await alex.press("Next")
    await alex.press("Next")
    await alex.send("x" * 1001)
    assert "1,001 characters long; the limit is 1,000" in alex.last_text()
    assert "Skip" in alex.buttons()
    await alex.send("y" * 1000)
    await alex.press("Now")
    assert "Pain: 8/10" in alex.last_text() and "Where: Buttock" in alex.last_text()
    await alex.press("Save")
    assert entries(harness)[0].note == "y" * 1000


async def test_typing_on_a_button_step_points_to_the_buttons(harness, alex):
    await alex.send("/log")
    await alex.send("seven")
    assert "Please tap one of the buttons" in alex.last_text()
    assert "0 means no pain" in alex.last_text()


async def test_back_and_cancel(harness, alex):
    await alex.send("/log")
    await alex.press("2")
    await alex.press("Add details")
    await alex.press("« Back")
    assert "0 means no pain" in alex.last_text()
    await alex.press("9")
    await alex.press("Cancel")
    assert "Nothing was saved" in alex.last_text()
    assert entries(harness) == []


async def test_an_old_step_button_has_expired(harness, alex):
    await alex.send("/log")
    old_seven = button_data(alex, "7")
    await alex.press("2")
    await alex.press("Add details")
    await alex.press("Lower back")
    await alex.press_data(old_seven)
    assert alex.last_callback_answer()["text"] == "This button has expired."
    data = conversations.get(db_of(harness), 1001, harness.clock()).data
    assert data["pain"] == 2 and data["places"] == ["lower_back"]


async def test_log_needs_consent(harness):
    kim = harness.user(2002)
    await kim.send("/start")
    await kim.press("No, don't keep anything")
    await kim.send("/log")
    assert "permission to keep notes" in kim.last_text()
    assert "Yes, keep my notes" in kim.buttons()
    await kim.press_data(callbacks.encode("d", "new"))
    assert "permission to keep notes" in kim.last_text()
    assert conversations.get(db_of(harness), 2002, harness.clock()) is None


async def test_a_check_in_can_start_the_log_with_the_pain_given(harness, alex):
    await alex.press_data(callbacks.encode("d", "new", 7))
    assert "Where does it hurt?" in alex.last_text()
    await alex.press("Next")
    await alex.press("Next")
    await alex.press("Skip")
    await alex.press("Now")
    await alex.press("Save")
    assert entries(harness)[0].pain == 7
    await alex.press_data(callbacks.encode("d", "new", 11))
    assert alex.last_callback_answer()["text"] == "This button has expired."


async def test_menu_has_log_pain(harness, alex):
    await alex.send("/menu")
    await alex.press("Log pain")
    assert "How bad is your back pain?" in alex.last_text()


def seed(db, user_id, now, pains_by_days_ago):
    for days_ago, pain in pains_by_days_ago:
        diary.add_entry(
            db,
            user_id,
            recorded_at=now - timedelta(days=days_ago),
            pain=pain,
            places=["lower_back"],
            tags=[],
            note=None,
            source="log",
            now=now,
        )


async def _log_now(alex, pain):
    await alex.send("/log")
    await alex.press(str(pain))
    await alex.press("Save now")


async def test_flare_after_saving_lists_red_flags_and_offers_triage(harness, alex):
    db, now = db_of(harness), harness.clock()
    seed(db, 1001, now, [(d, 2) for d in range(3, 15)] + [(2, 6), (1, 6)])
    harness.app.bot_data["services"].registry.features.add("triage")
    await _log_now(alex, 7)
    flare = alex.last_text()
    assert "flare-up" in flare and "6.3" in flare and "2.0" in flare
    assert "cannot control your bladder or bowels" in flare
    assert "fever" in flare
    assert "Check my back again" in alex.buttons()
    assert button_data(alex, "Check my back again") == callbacks.encode("t", "start")
    # The warning signs come before the reassurance, and the check asks about them first.
    assert flare.index("Get emergency help now") < flare.index("keep gently moving")
    await alex.press("Check my back again")
    assert "Question 1 of" in alex.last_text() and "chest" in alex.last_text()


async def test_pain_newly_in_both_legs_brings_the_warning_signs(harness, alex):
    harness.app.bot_data["services"].registry.features.add("triage")
    for places, warned in [(["Lower back"], False), (["Both legs"], True), (["Both legs"], False)]:
        await alex.send("/log")
        await alex.press("5")
        await alex.press("Add details")
        for place in places:
            await alex.press(place)
        await alex.press("Next")
        await alex.press("Next")
        await alex.press("Skip")
        await alex.press("Now")
        await alex.press("Save")
        text = alex.last_text()
        assert ("You noted pain in both legs" in text) == warned, places
    # The second entry in a row with both legs is not new: no warning every day.
    assert len([t for t in alex.texts() if "You noted pain in both legs" in t]) == 1
    [warning] = [m for m in alex.bot_messages() if "You noted pain in both legs" in (m.plain or "")]
    assert "numbness between your legs" in warning.plain
    await alex.press("Check my back again", message=warning)
    [check] = [m for m in alex.bot_messages() if m.message_id == warning.message_id]
    assert "Question 1 of" in check.plain  # the check opens where the warning was


async def test_no_flare_when_pain_is_steady_and_no_triage_button_without_triage(harness, alex):
    harness.app.bot_data["services"].registry.features.discard("triage")  # as if not wired in
    db, now = db_of(harness), harness.clock()
    seed(db, 1001, now, [(d, 5) for d in range(1, 15)])
    await _log_now(alex, 6)
    assert "Saved." in alex.last_text()
    seed(db, 1001, now, [(0.5, 9), (0.4, 9)])
    await _log_now(alex, 9)
    assert "flare-up" in alex.last_text()
    assert "Check my back again" not in alex.buttons()


async def test_an_abandoned_draft_is_dropped_after_a_day(harness, alex):
    await alex.send("/log")
    await alex.press("5")
    await alex.press("Add details")
    await alex.press("Next")
    await alex.press("Next")
    await alex.press("Skip")
    await alex.press("Now")
    save = button_data(alex, "Save")
    harness.clock.advance(hours=25)
    await alex.press_data(save)
    assert alex.last_callback_answer()["text"] == "This button has expired."
    assert entries(harness) == []


async def test_save_now_right_after_the_score_is_two_taps(harness, alex):
    await alex.send("/log")
    await alex.press("6")
    assert alex.buttons()[:2] == ["✅ Save now", "Add details"]
    await alex.press("Save now")
    assert "Saved." in alex.last_text() and "Pain: 6/10" in alex.last_text()
    (entry,) = entries(harness)
    assert entry.pain == 6 and entry.places == () and entry.tags == ()
    assert entry.recorded_at == harness.clock()
    assert conversations.get(db_of(harness), 1001, harness.clock()) is None


async def test_the_current_score_is_marked_when_changing_it(harness, alex):
    await _log_now(alex, 6)
    (entry,) = entries(harness)
    await alex.press_data(callbacks.encode("d", "edit", entry.id, 0))
    await alex.press("Pain")
    assert "• 6 •" in alex.buttons() and "6" not in alex.buttons()
    await alex.press("3")
    await alex.press("Save changes")
    assert entries(harness)[0].pain == 3
