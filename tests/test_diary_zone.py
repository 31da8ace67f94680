"""Times are the person's own: the zone asked once at the first entry, with a suggestion
from Telegram's language; entries kept and shown in the zone they were saved in."""

import pytest

from bot.chat import callbacks
from bot.timezone.places import suggest
from storage import diary, users
from tests.helpers import db_of


async def start(harness, user_id, language_code):
    person = harness.user(user_id, first_name="P", language_code=language_code)
    await person.send("/start")
    await person.press("Yes, keep my notes" if language_code.startswith("en") else "Sí, guarda")
    return person


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("es-MX", "America/Mexico_City"),
        ("es", "Europe/Madrid"),
        ("en-GB", "Europe/London"),
        ("en-US", "America/New_York"),
        ("en", None),  # says nothing about where someone is
        ("es-BO", None),  # not Madrid just because it is Spanish
        (None, None),
    ],
)
def test_a_zone_is_suggested_from_the_telegram_language(code, zone):
    assert suggest(code) == zone


async def test_the_first_entry_asks_the_zone_once_suggesting_one(harness):
    sam = await start(harness, 2001, "en-GB")
    await sam.send("/log")
    text = sam.last_text()
    assert "One question before your first entry" in text and "Which time zone" in text
    buttons = sam.buttons()
    assert buttons[0] == "✨ Europe/London (suggested)"
    assert {"Europe", "Americas", "UTC", "📍 Share my location", "Not now"} <= set(buttons)
    await sam.press("Europe/London (suggested)")
    assert "in <b>Europe/London</b>" in sam.last_message().text  # the local time, to confirm
    await sam.press("Yes, that's right")
    assert users.get(db_of(harness), 2001).time_zone == "Europe/London"
    assert "0 means no pain" in sam.last_text()
    await sam.press("4")
    await sam.press("Save now")
    (entry,) = diary.all_entries(db_of(harness), 2001)
    assert entry.time_zone == "Europe/London"
    await sam.send("/log")
    assert "0 means no pain" in sam.last_text()  # asked once


async def test_typing_a_city_works_from_the_diary_question_too(harness):
    ana = await start(harness, 2002, "en")
    await ana.send("/log")
    assert not any("suggested" in b for b in ana.buttons())  # a bare "en": no guess
    await ana.send("Berlin")
    await ana.press("Yes, that's right")
    assert users.get(db_of(harness), 2002).time_zone == "Europe/Berlin"
    assert "0 means no pain" in ana.last_text()


async def test_not_now_carries_on_in_utc_and_says_so_and_is_not_asked_again(harness, clock):
    kai = await start(harness, 2003, "en")
    await kai.send("/log")
    await kai.press("Not now")
    assert "times are shown in UTC" in kai.texts()[-2]
    assert "0 means no pain" in kai.last_text()
    await kai.press("5")
    await kai.press("Save now")
    (early,) = diary.all_entries(db_of(harness), 2003)
    assert early.time_zone == "UTC"
    await kai.send("/diary")
    assert "Times are in UTC" in kai.last_text()
    await kai.press_data(callbacks.encode("d", "entry", early.id, 0))
    assert "Mon, 2 Mar 2026, 09:00 (UTC)" in kai.last_text()  # named, not silent
    await kai.send("/log")
    assert "0 means no pain" in kai.last_text()  # "Not now" counts as asked


async def test_an_entry_from_before_the_zone_was_set_keeps_its_zone(harness, clock):
    kai = await start(harness, 2004, "en")
    await kai.send("/log")
    await kai.press("Not now")
    await kai.press("5")
    await kai.press("Save now")
    users.set_time_zone(db_of(harness), 2004, "Europe/Madrid")
    clock.advance(hours=1)
    await kai.send("/log")
    await kai.press("6")
    await kai.press("Save now")
    early, later = diary.all_entries(db_of(harness), 2004)
    assert (early.time_zone, later.time_zone) == ("UTC", "Europe/Madrid")
    await kai.press("My pain diary")
    await kai.press("Entries")
    labels = kai.buttons()
    assert "Mon, 2 Mar 2026, 11:00 · 6/10" in labels  # 10:00 UTC is 11:00 in Madrid
    assert "Mon, 2 Mar 2026, 09:00 (UTC) · 5/10" in labels  # as it was saved
    await kai.press("09:00 (UTC)")
    await kai.press("Edit")
    await kai.press("Date and time")
    await kai.press("Now")  # a new time is given in the zone the person has now
    await kai.press("Save changes")
    assert diary.all_entries(db_of(harness), 2004)[-1].time_zone == "Europe/Madrid"


def test_old_entries_get_the_persons_zone_or_utc(tmp_path):
    from sqlite_utils import Database

    from storage.migrations import migrations

    db = Database(tmp_path / "old.db")
    migrations.apply(db, stop_before="0071_diary_entries_time_zone")
    for uid, zone in ((1, "Europe/Rome"), (2, None)):
        db["users"].insert({"id": uid, "language": "en", "time_zone": zone,
                            "created_at": "2026-01-01T00:00:00Z", "active": 1})  # fmt: skip
        db["diary_entries"].insert({"user_id": uid, "recorded_at": "2026-01-01T00:00:00Z",
                                    "logged_at": "2026-01-01T00:00:00Z", "places": "[]",
                                    "tags": "[]", "source": "log"})  # fmt: skip
    migrations.apply(db)
    zones = [r["time_zone"] for r in db.query("select time_zone from diary_entries order by id")]
    assert zones == ["Europe/Rome", "UTC"]
