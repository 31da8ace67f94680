"""The check through the Bot API stand-in, as a person would use it."""

from __future__ import annotations

from bot.chat import callbacks
from storage import conversations, users
from storage import triage as results
from tests.helpers import svc

SELF_CARE_PATH = [
    "None of these",  # chest pain, tearing pain, fever with a stiff neck
    "No",  # bladder, bowel, numbness
    "No",  # legs
    "Suddenly, lifting or twisting",
    "None of these",  # urgent warning signs
    "20 to 34",
    "No",  # pregnant, weak bones
    "Lower back only",
    "Less than 2 weeks",
    "Moving, bending or lifting",
    "None of these",  # work pattern
]


async def tap(user, label: str) -> None:
    """Press the button with exactly this label on the newest message that has buttons."""
    for message in reversed(user.bot_messages()):
        if message.buttons:
            for row in message.buttons:
                for button in row:
                    if button["text"] == label:
                        await user.press_data(button["callback_data"], message)
                        return
            raise AssertionError(f"no button {label!r}; buttons: {user.buttons()}")
    raise AssertionError("no buttons")


def data_of(user, label: str) -> str:
    for row in user.last_message().buttons:
        for button in row:
            if button["text"] == label:
                return button["callback_data"]
    raise AssertionError(label)


def stored_answers(harness, user_id: int):
    conversation = conversations.get(svc(harness).db, user_id, svc(harness).now())
    return None if conversation is None else conversation.data["answers"]


async def test_menu_entry_and_commands_are_registered(harness, alex):
    assert "Check my back" in alex.buttons()
    assert "My past checks" in alex.buttons()
    names = [c["command"] for c in harness.server.commands[("default", "")]]
    assert "check" in names and "history" in names


async def test_a_self_care_check_edits_one_message_and_is_saved(harness, alex):
    await alex.press("Check my back")
    messages = len(alex.bot_messages())
    assert alex.last_text().startswith("Question 1 of about")
    assert alex.buttons() == [  # no Back on the first question
        "Chest pain, sweaty, breathless or faint",
        "Sudden severe tummy and back pain",
        "Worst headache or stroke signs",
        "Fever and a stiff neck",
        "Blood or pain when I pee",
        "None of these",
        "Stop",
    ]
    for number, label in enumerate(SELF_CARE_PATH, 1):
        assert f"Question {number} of about" in alex.last_text()
        await tap(alex, label)
    assert len(alex.bot_messages()) == messages  # every step edited the same message
    text = alex.last_text()
    assert text.startswith("🟢 Self-care is fine for now")
    assert "1. Muscle strain" in text and "it started suddenly with a lift or twist" in text
    assert "What helps now" in text and "If anything changes" in text
    assert "not getting better after 2 to 4 weeks" in text
    assert "Run this check again if anything changes" in text
    assert "ask a pharmacist or doctor" in text
    assert "This is not a diagnosis" in text and "Saved to your /history" in text
    features = svc(harness).registry.features
    buttons = alex.buttons()
    assert buttons[-2:] == ["Check again", "Menu"]
    assert ("Log today's pain" in buttons) == ("diary" in features)
    assert ("Read: Muscle strain" in buttons) == ("library" in features)
    saved = results.history(svc(harness).db, alex.user_id)
    assert [(s.tier, s.conditions[0]) for s in saved] == [("self_care", "strain")]
    assert "acute" in saved[0].tags
    assert stored_answers(harness, alex.user_id) is None


async def test_an_emergency_answer_ends_at_once_with_what_to_do(harness, alex):
    await alex.send("/check")
    await tap(alex, "None of these")
    await tap(alex, "No")
    await tap(alex, "Yes, in both legs")
    text = alex.last_text()
    assert text.startswith("🚨 Emergency: get help now")
    assert "Call your emergency number now" in text and "emergency department" in text
    assert "cauda equina" in text and "If you feel worse while you wait" in text
    assert "Possible explanations" not in text and "not a diagnosis" in text
    assert alex.buttons() == ["Check again", "Menu"]
    saved = results.history(svc(harness).db, alex.user_id)
    assert [s.tier for s in saved] == ["emergency"]


async def test_walking_leg_ache_that_eases_sitting_is_not_an_emergency(alex):
    await alex.send("/check")
    for label in ["None of these", "No", "Only on walking; sitting eases it",
                  "Slowly, no clear reason", "None of these", "50 to 64", "No",
                  "Below the knee, both legs", "Only on walking; sitting eases it", "Yes",
                  "More than 3 months", "Less than 30 minutes", "None of these"]:  # fmt: skip
        await tap(alex, label)
    text = alex.last_text()
    assert text.startswith("🟡 See a doctor or physio soon")
    assert "1. Lumbar spinal stenosis" in text


async def test_back_and_start_over(harness, alex):
    await alex.send("/check")
    await tap(alex, "None of these")
    await tap(alex, "No")
    assert "Question 3 of" in alex.last_text() and "What about your legs?" in alex.last_text()
    await tap(alex, "« Back")
    assert "Question 2 of" in alex.last_text() and "bladder" not in alex.last_text()
    assert "Since this pain began" in alex.last_text()
    assert stored_answers(harness, alex.user_id) == [["mimic", "none"]]
    assert "Start over" not in alex.buttons()  # it would do just what Back does
    await tap(alex, "No")
    await tap(alex, "Only on walking; sitting eases it")
    assert "Question 4 of" in alex.last_text()
    await tap(alex, "Start over")
    assert "Question 1 of" in alex.last_text() and "« Back" not in alex.buttons()
    assert stored_answers(harness, alex.user_id) == []


async def test_stop_ends_the_check_and_keeps_nothing(harness, alex):
    await alex.send("/check")
    await tap(alex, "None of these")
    await tap(alex, "Stop")
    assert "Stopped" in alex.last_text()
    assert stored_answers(harness, alex.user_id) is None
    assert results.history(svc(harness).db, alex.user_id) == []


async def test_forged_stale_and_replayed_buttons_expire_and_change_nothing(harness, alex):
    await alex.send("/check")
    old_no = data_of(alex, "None of these")
    await tap(alex, "None of these")
    await tap(alex, "No")
    await tap(alex, "No")
    answers = stored_answers(harness, alex.user_id)
    seq = callbacks.decode(data_of(alex, "Stop")).seq
    forged = [
        old_no,  # a replay of the first step's button
        "garbage",
        callbacks.encode("t", "a", "cauda", "yes", seq=seq),  # right seq, wrong question
        callbacks.encode("t", "a", "onset", "teleport", seq=seq),  # no such answer
        callbacks.encode("t", "jump", seq=seq),
        callbacks.encode("t", "a", "onset", "crash", seq=seq + 1000),
    ]
    for data in forged:
        before = len(alex.bot_messages())
        await alex.press_data(data)
        assert alex.last_callback_answer()["text"] == "This button has expired.", data
        assert stored_answers(harness, alex.user_id) == answers
        # ...and the step the person is really on is shown again.
        assert len(alex.bot_messages()) == before + 1
        assert "How did this pain start?" in alex.last_text()
    # The re-shown step works.
    await tap(alex, "Slowly, no clear reason")
    assert "Does any of these apply to you?" in alex.last_text()
    assert results.history(svc(harness).db, alex.user_id) == []


async def test_a_button_pressed_on_someone_elses_message_expires(harness, alex):
    await alex.send("/check")
    alex_question = alex.last_message()
    bob = harness.user(1002, first_name="Bob")
    await bob.send("/start")
    await bob.press_data(data_of(alex, "Sudden severe tummy and back pain"), alex_question)
    assert bob.last_callback_answer()["text"] == "This button has expired."
    assert stored_answers(harness, alex.user_id) == []
    assert stored_answers(harness, bob.user_id) is None
    assert results.history(svc(harness).db, alex.user_id) == []


async def test_a_replayed_last_answer_does_not_save_twice(harness, alex):
    await alex.send("/check")
    for label in SELF_CARE_PATH[:-1]:
        await tap(alex, label)
    last = data_of(alex, "None of these")
    await alex.press_data(last)
    result_message = alex.last_message()
    await alex.press_data(last, result_message)
    assert alex.last_callback_answer()["text"] == "This button has expired."
    assert len(results.history(svc(harness).db, alex.user_id)) == 1


async def test_a_restart_mid_check_carries_on_from_the_last_shown_button(harness, alex):
    await alex.send("/check")
    for label in SELF_CARE_PATH[:6]:
        await tap(alex, label)
    assert "Question 7 of" in alex.last_text()
    await harness.restart()  # the process is gone; only the database remains
    await tap(alex, "No")
    assert "Question 8 of" in alex.last_text() and "Where is the pain?" in alex.last_text()
    for label in SELF_CARE_PATH[7:]:
        await tap(alex, label)
    assert alex.last_text().startswith("🟢 Self-care is fine for now")
    assert len(results.history(svc(harness).db, alex.user_id)) == 1


async def test_without_consent_the_result_is_shown_but_not_kept(harness):
    kim = harness.user(2002)
    await kim.send("/start")
    await kim.press("No, don't keep anything")
    await kim.press("Check my back")
    for label in SELF_CARE_PATH:
        await tap(kim, label)
    assert kim.last_text().startswith("🟢 Self-care is fine for now")
    assert "Not saved" in kim.last_text()
    assert results.count(svc(harness).db, kim.user_id) == 0
    assert svc(harness).db.execute("select count(*) from triage_results").fetchone()[0] == 0
    await kim.send("/history")
    assert "without your permission" in kim.last_text()


async def test_history_lists_saved_checks_newest_first_in_local_time(harness, alex, clock):
    users.set_time_zone(svc(harness).db, alex.user_id, "Europe/Berlin")
    await alex.send("/history")
    assert "haven't saved any checks" in alex.last_text()
    await alex.send("/check")
    await tap(alex, "Chest pain, sweaty, breathless or faint")
    clock.advance(days=1)
    await alex.send("/check")
    for label in SELF_CARE_PATH:
        await tap(alex, label)
    await alex.send("/history")
    lines = alex.last_text().splitlines()
    assert lines[1] == "1. 2026-03-03 10:00: self-care · Muscle strain"
    assert lines[2] == "2. 2026-03-02 10:00: emergency"
    await alex.press("Check my back")
    assert "Question 1 of" in alex.last_text()


async def test_a_past_check_opens_whole_and_check_again_leaves_the_result(harness, alex, clock):
    users.set_time_zone(svc(harness).db, alex.user_id, "Europe/Berlin")
    await alex.send("/check")
    for label in SELF_CARE_PATH:
        await tap(alex, label)
    result = alex.last_message()
    shown = result.plain
    assert shown.startswith("🟢 Self-care is fine for now")
    await alex.press("Check again", message=result)
    assert result.plain == shown  # the old result stays where it was
    assert "Question 1 of" in alex.last_text() and alex.last_message() is not result
    await tap(alex, "Stop")
    await alex.send("/history")
    assert "Tap a check to read its whole result again." in alex.last_text()
    await alex.press("1. 2026-03-02 10:00")
    text = alex.last_text()
    assert text.startswith("Your check of 2026-03-02 10:00")
    assert "Self-care is fine for now" in text and "If anything changes" in text
    assert "« Back" in alex.buttons()
    await alex.press("« Back")
    assert "Your past checks" in alex.last_text()
    # Someone else's saved check cannot be opened by forging the button.
    kim = harness.user(2002, first_name="Kim")
    await kim.send("/start")
    await kim.press("Yes, keep my notes")
    saved_id = results.history(svc(harness).db, alex.user_id)[0].id
    await kim.press_data(callbacks.encode("t", "past", saved_id))
    assert "expired" in kim.last_text()
    assert not any("Self-care is fine" in text for text in kim.texts())


async def test_result_links_to_other_capabilities_only_when_they_exist(harness, alex):
    svc(harness).registry.features.update({"library", "diary"})
    svc(harness).registry.features.discard("checkin")  # registered now; shown only with it
    await alex.send("/check")
    for label in SELF_CARE_PATH:
        await tap(alex, label)
    buttons = alex.buttons()
    assert "Read: Muscle strain" in buttons and "Log today's pain" in buttons
    assert "Set a daily check-in" not in buttons
    assert data_of(alex, "Read: Muscle strain") == callbacks.encode("l", "page", "strain")
    assert data_of(alex, "Log today's pain") == callbacks.encode("d", "new")


async def test_typing_during_a_check_points_back_to_the_buttons(harness, alex):
    await alex.send("/check")
    await tap(alex, "None of these")
    await alex.send("my back hurts a lot")
    texts = alex.texts()
    assert "Please answer with the buttons" in texts[-2]
    assert "Question 2 of" in texts[-1]
    await tap(alex, "No")
    assert stored_answers(harness, alex.user_id) == [["mimic", "none"], ["cauda", "no"]]


async def test_result_suggests_a_safe_routine_that_opens_in_the_chat(harness, alex):
    await alex.send("/check")
    for label in SELF_CARE_PATH:
        await tap(alex, label)
    suggestion = [b for b in alex.buttons() if b.startswith("Stretches that may suit you: ")]
    assert len(suggestion) == 1
    routine_id = callbacks.decode(data_of(alex, suggestion[0])).args[0]
    library = svc(harness).content.library
    # A fresh strain ("acute") must not be offered anything to avoid in its first days.
    assert "acute" not in library.routine_avoid(library.routines[routine_id])
    await tap(alex, suggestion[0])
    assert library.routines[routine_id].text("en").title in alex.last_text()
    assert harness.server.rejections == []


async def test_a_re_shown_question_leaves_the_old_message_usable(harness, alex):
    await alex.send("/check")
    first = alex.last_message()
    await alex.press_data("1:t:999:a:mimic:none", first)  # a stale seq: expired, re-shown
    assert "expired" in alex.last_callback_answer()["text"]
    re_shown = alex.last_message()
    assert re_shown.message_id != first.message_id
    await alex.press("None of these", message=first)  # the old message's button still answers
    assert stored_answers(harness, alex.user_id) == [["mimic", "none"]]
    await alex.press("None of these", message=re_shown)  # ...and now the re-shown copy is stale
    assert stored_answers(harness, alex.user_id) == [["mimic", "none"]]
