"""/privacy, /mydata and /forget through the stand-in, and the erase path over the whole schema."""

import json

from storage import diary, privacy, users
from storage.db import to_db
from tests.helpers import db_of

PERSON = 7_700_000_001  # distinctive, so a scan for it cannot hit a count or another id
OTHER = 7_700_000_002


def fill(db, user_id, now):
    """A row about the person in every table the schema has for them."""
    stamp = to_db(now)
    diary.add_entry(
        db,
        user_id,
        recorded_at=now,
        pain=6,
        places=["lower_back"],
        tags=["worse_sitting"],
        note="Long drive <b>yesterday</b> — ñ",
        source="log",
        now=now,
    )
    db["triage_results"].insert(
        {
            "user_id": user_id,
            "created_at": stamp,
            "answers": '{"age": "30_50"}',
            "tier": "self_care",
            "explanations": '[{"condition": "strain", "score": 3, "reasons": []}]',
            "graph_version": "1",
        }
    )
    schedule = (
        db["schedules"]
        .insert(
            {
                "user_id": user_id,
                "kind": "checkin",
                "time_zone": "Europe/Madrid",
                "local_time": "20:00",
                "next_due_utc": stamp,
                "created_at": stamp,
            }
        )
        .last_pk
    )
    db["deliveries"].insert(
        {"schedule_id": schedule, "user_id": user_id, "due_utc": stamp, "status": "sent"}
    )


def scan(db, user_id):
    """Every (table, column) in the whole schema holding the id, as a number or inside text."""
    hits = []
    for table in db.table_names():
        for column in db[table].columns:
            sql = (
                f'select count(*) as n from "{table}" where "{column.name}" = ?'
                f' or cast("{column.name}" as text) like ?'
            )
            if next(db.query(sql, [user_id, f"%{user_id}%"]))["n"]:
                hits.append((table, column.name))
    return hits


async def start(harness, user_id, language="en"):
    person = harness.user(user_id, language_code=language)
    await person.send("/start")
    await person.press("Yes, keep my notes" if language == "en" else "Sí")
    return person


async def test_privacy_says_what_is_kept_and_what_is_not(harness):
    kim = harness.user(PERSON)
    await kim.send("/privacy")
    text = kim.last_text()
    for words in ("Telegram user ID", "username", "phone number", "/mydata", "/forget"):
        assert words in text
    assert kim.buttons() == ["Download my data", "Erase everything", "Settings", "Menu"]


async def test_mydata_sends_everything_stored_as_json(harness, clock):
    kim = await start(harness, PERSON)
    db = db_of(harness)
    fill(db, PERSON, clock())
    await start(harness, OTHER)
    fill(db, OTHER, clock())

    await kim.send("/mydata")
    [document] = kim.files("document")
    assert document.file_name == "backcare-my-data-2026-03-02.json"
    exported = json.loads(document.file_bytes.decode("utf-8"))
    stored = privacy.rows_about(db, PERSON)
    assert exported["user"] == stored.pop("users")[0]
    assert exported["user"]["id"] == PERSON and exported["user"]["consent_at"]
    assert exported["tables"].keys() == stored.keys()
    for table, rows in stored.items():  # every row and column, JSON columns parsed
        nested = {k for t, k in privacy.JSON_COLUMNS if t == table}
        assert exported["tables"][table] == [
            {k: json.loads(v) if k in nested and v else v for k, v in r.items()} for r in rows
        ]
    assert exported["tables"]["diary_entries"][0]["note"] == "Long drive <b>yesterday</b> — ñ"
    for table in ("diary_entries", "triage_results", "schedules", "deliveries"):
        assert [row["user_id"] for row in exported["tables"][table]] == [PERSON]
    assert "Diary entries: 1" in kim.last_text()
    assert str(OTHER) not in document.file_bytes.decode("utf-8")


async def test_mydata_nests_json_columns_as_lists_and_objects(harness, clock):
    kim = await start(harness, PERSON)
    db = db_of(harness)
    fill(db, PERSON, clock())
    await kim.send("/log")  # a conversation row with data
    await kim.press("6")
    await kim.send("/mydata")
    exported = json.loads(kim.files("document")[-1].file_bytes.decode("utf-8"))
    assert exported["format"] == "backcare-mydata/2"
    entry = exported["tables"]["diary_entries"][0]
    assert entry["places"] == ["lower_back"] and entry["tags"] == ["worse_sitting"]
    check = exported["tables"]["triage_results"][0]
    assert check["answers"] == {"age": "30_50"}
    assert check["explanations"][0]["condition"] == "strain"
    assert isinstance(exported["tables"]["conversations"][0]["data"], dict)
    # Every stored column that holds JSON lists or objects is named, so none stays a string.
    for table, rows in privacy.rows_about(db, PERSON).items():
        for column in rows[0] if rows else ():
            values = [r[column] for r in rows if isinstance(r[column], str)]
            if values and all(v[:1] in "[{" for v in values):
                assert (table, column) in privacy.JSON_COLUMNS


async def test_forget_asks_twice_then_erases_every_row_about_the_person(harness, clock):
    kim = await start(harness, PERSON)
    db = db_of(harness)
    fill(db, PERSON, clock())
    await start(harness, OTHER)
    fill(db, OTHER, clock())
    other_before = privacy.rows_about(db, OTHER)

    harness.server.chat_commands[kim.chat_id] = [{"command": "help", "description": "Ayuda"}]
    await kim.send("/forget")
    assert "Erase everything?" in kim.last_text()
    await kim.press("Yes, erase everything")
    assert "This cannot be undone" in kim.last_text()
    first_seen = {table for table, _ in scan(db, PERSON)}
    assert {"users", "conversations", "diary_entries", "triage_results", "schedules"} | {
        "deliveries"
    } <= first_seen

    await kim.press("Erase it all now")
    assert "everything I kept about you is erased" in kim.last_text()
    assert scan(db, PERSON) == []
    assert privacy.rows_about(db, OTHER) == other_before
    assert kim.chat_id not in harness.server.chat_commands  # the chosen-language menu too

    await kim.send("/start")  # a fresh start: asked for consent again, nothing remembered
    assert kim.buttons() == ["Yes, keep my notes", "No, don't keep anything"]
    assert not users.get(db, PERSON).consented
    assert privacy.rows_about(db, PERSON)["diary_entries"] == []


async def test_keeping_data_or_a_stale_button_erases_nothing(harness, clock):
    kim = await start(harness, PERSON)
    db = db_of(harness)
    fill(db, PERSON, clock())
    await kim.send("/forget")
    await kim.press("Yes, erase everything")
    erase_data = kim.last_message().buttons[0][0]["callback_data"]
    await kim.press("No, keep my data")
    assert "Nothing was erased" in kim.last_text()
    await kim.press_data(erase_data)  # the erase button, replayed after keeping
    assert kim.last_callback_answer()["text"] == "This button has expired."
    assert len(privacy.rows_about(db, PERSON)["diary_entries"]) == 1

    await kim.send("/forget")
    first = kim.last_message()
    await kim.send("/forget")  # a newer question makes the first one stale
    await kim.press("Yes, erase everything", message=first)
    assert kim.last_callback_answer()["text"] == "This button has expired."
    assert "Erase everything?" in kim.last_text()  # shown the step it is really on
    assert users.get(db, PERSON) is not None


async def test_erase_covers_a_table_added_later(harness, clock):
    db = db_of(harness)
    await start(harness, PERSON)
    db["later_feature"].create({"id": int, "user_id": int, "value": str}, pk="id")
    db["later_feature"].insert({"user_id": PERSON, "value": "x"})
    assert ("later_feature", "user_id") in privacy.person_tables(db)
    deleted = privacy.erase(db, PERSON)
    assert deleted["later_feature"] == 1 and deleted["users"] == 1
    assert scan(db, PERSON) == []


async def test_forget_after_real_use_stops_reminders_and_leaves_nothing(harness, clock):
    from datetime import UTC, datetime

    from bot.reminders.delivery import tick

    kim = await start(harness, PERSON)
    db = db_of(harness)
    await kim.send("/checkin")
    await kim.send("Berlin")
    await kim.press("Yes, that's right")
    await kim.press("08:00")
    clock.set(datetime(2026, 3, 3, 7, 0, 20, tzinfo=UTC))  # 08:00 in Berlin
    assert (await tick(harness.app)).sent == 1
    await kim.press("4")
    await kim.send("/check")
    await kim.press("Chest pain")  # an emergency answer: a stored result at once
    found = {table for table, _ in scan(db, PERSON)}
    assert {"users", "schedules", "deliveries", "diary_entries", "triage_results"} <= found

    await kim.send("/forget")
    await kim.press("Yes, erase everything")
    await kim.press("Erase it all now")
    assert scan(db, PERSON) == []
    clock.set(datetime(2026, 3, 4, 7, 0, 20, tzinfo=UTC))  # the next morning
    sent_before = len(kim.bot_messages())
    assert (await tick(harness.app)).claimed == 0
    assert len(kim.bot_messages()) == sent_before
