"""Typed red-flag words, in any state, get the emergency line and Check my back first."""

from __future__ import annotations

import logging

from bot.triage.handlers import START_DATA
from storage import conversations, diary, users
from tests.helpers import db_of

SENTENCE = "help I can't control my bladder and my legs are numb"
FRASE = "ayuda no controlo la vejiga y tengo las piernas dormidas"


def alerts(user) -> list[str]:
    return [text for text in user.texts() if text.startswith("🚨")]


def button_data(user, label: str) -> str:
    for row in user.last_message().buttons:
        for button in row:
            if button["text"] == label:
                return button["callback_data"]
    raise AssertionError(f"no button {label!r} in {user.buttons()}")


async def test_the_issue_sentence_outside_a_check_gets_the_emergency_line(harness, alex):
    users.set_time_zone(db_of(harness), 1001, "Europe/London")
    before = len(alex.bot_messages())
    await alex.send(SENTENCE)
    assert len(alex.bot_messages()) == before + 1  # the alert, not "Sorry, I didn't get that"
    text = alex.last_text()
    assert text.startswith("🚨 This may need help straight away")
    assert "controlling or feeling your bladder or bowels" in text
    assert "your legs being numb, weak or giving way" in text
    assert "call 999 or 112 now" in text
    assert alex.buttons() == ["Check my back", "Menu"]
    assert button_data(alex, "Check my back") == START_DATA
    await alex.press("Check my back")
    assert alex.last_text().startswith("Question 1 of about")


async def test_without_a_time_zone_the_common_numbers_are_named(harness, alex):
    await alex.send("I fell off a ladder")
    assert "a serious accident or fall" in alex.last_text()
    assert "911 in the US" in alex.last_text()


async def test_the_spanish_sentence_for_a_spanish_speaker(harness):
    lucia = harness.user(3001, first_name="Lucía", language_code="es")
    await lucia.send("/start")
    users.set_time_zone(db_of(harness), 3001, "Europe/Madrid")
    await lucia.send(FRASE)
    text = lucia.last_text()
    assert text.startswith("🚨 Esto puede necesitar ayuda ya")
    assert "controlar o sentir la orina o las heces" in text
    assert "tus piernas están adormecidas" in text
    assert "llama ahora al 112" in text
    assert lucia.buttons() == ["Revisar mi espalda", "Menú"]
    assert "no te entendí" not in "\n".join(lucia.texts())


async def test_thoughts_of_suicide_get_the_crisis_lines_too(harness, alex):
    await alex.send("some days I want to kill myself")
    text = alex.last_text()
    assert "thoughts of ending your life" in text
    assert "You don't have to face it alone" in text and "988" in text
    assert "call your emergency number now" in text
    assert alex.buttons() == ["Check my back", "Menu"]


async def test_a_red_flag_diary_note_is_answered_and_still_saved(harness, alex):
    await alex.send("/log")
    await alex.press("Not now")  # the time zone, asked at the first entry
    await alex.press("7")
    await alex.press("Add details")
    await alex.press("Lower back")
    await alex.press("Next")
    await alex.press("Next")
    assert "up to 1,000 characters" in alex.last_text()
    note = "woke up and can't feel when I need to pee"
    await alex.send(note)
    assert len(alerts(alex)) == 1
    assert "When was this?" in alex.last_text()  # the log went on to its next step
    await alex.press("Now")
    await alex.press("Save")
    (entry,) = diary.all_entries(db_of(harness), 1001)
    assert entry.note == note and entry.pain == 7


async def test_during_a_check_the_alert_comes_first_and_the_check_resumes(harness, alex):
    await alex.press("Check my back")
    await alex.press("No")
    assert alex.last_text().startswith("Question 2 of about")
    stored = conversations.get(db_of(harness), 1001, harness.clock())
    await alex.send("I can't walk")
    texts = alex.texts()
    assert texts[-3].startswith("🚨") and "not being able to walk or stand" in texts[-3]
    assert texts[-1].startswith("Question 2 of about")  # the same question, as a new message
    after = conversations.get(db_of(harness), 1001, harness.clock())
    assert after.flow == "t" and after.data == stored.data
    await alex.press("No")
    assert alex.last_text().startswith("Question 3 of about")


async def test_a_typed_time_or_city_is_screened_and_still_read(harness, alex):
    await alex.send("/checkin")
    assert "Which time zone" in alex.last_text()
    await alex.send("chest pain")
    assert len(alerts(alex)) == 1 and "chest pain or tightness" in alerts(alex)[0]
    assert "couldn't find that place" in "\n".join(alex.texts()[-2:])


async def test_an_edited_message_and_a_caption_are_screened_too(harness, alex):
    await alex.send("hello")
    mine = [m for m in alex.chat.messages if not m.from_bot][-1]
    await alex.edit(mine.message_id, "both legs are numb")
    assert alex.last_text().startswith("🚨")
    photo = [{"file_id": "photo-in", "file_unique_id": "pi", "width": 90, "height": 90}]
    await alex.send_raw({"photo": photo, "caption": "I think I'm going to pass out"})
    assert alex.last_text().startswith("🚨") and "fainting" in alex.last_text()


async def test_harmless_words_get_the_pointer_with_check_my_back(harness, alex):
    await alex.send("my back hurts")
    assert "Sorry, I didn't get that" in alex.last_text()
    assert alex.buttons() == ["Check my back", "Menu"]
    assert alerts(alex) == []
    lucia = harness.user(3002, language_code="es")
    await lucia.send("/start")
    await lucia.send("dolor de espalda")
    assert "no te entendí" in lucia.last_text()
    assert lucia.buttons() == ["Revisar mi espalda", "Menú"]
    assert alerts(lucia) == []


async def test_the_typed_words_never_reach_a_log(harness, alex, caplog):
    caplog.set_level(logging.DEBUG)
    await alex.send(SENTENCE)
    await alex.send("/log")
    await alex.press("Not now")  # the time zone, asked at the first entry
    await alex.press("5")
    await alex.press("Add details")
    await alex.press("Next")
    await alex.press("Next")
    await alex.send("quiero morirme")
    ours = [r for r in caplog.records if r.name.split(".")[0] in ("bot", "storage")]
    logged = "\n".join(record.getMessage() for record in ours)
    assert "red-flag screen matched: bladder_bowel,both_legs" in logged
    assert "red-flag screen matched: self_harm" in logged
    for words in ("bladder and", "legs are numb", "control my", "morirme", "quiero"):
        assert words not in logged


async def test_after_the_crisis_reply_the_words_answer_no_waiting_step(harness, alex):
    await alex.send("/settings")
    await alex.press(next(b for b in alex.buttons() if b.startswith("Time zone")))
    await alex.send("I want to kill myself")  # where a city was asked for
    text = alex.last_text()
    assert "You don't have to face it alone" in text
    assert "couldn't find" not in "\n".join(alex.texts()[-2:])  # not read as a place
    await alex.send("Madrid")  # the question still waits
    assert "Madrid" in alex.last_text()
