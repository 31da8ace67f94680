"""/privacy, /mydata and /forget through the stand-in, and the erase path over the whole schema."""

import json
import sqlite3
from dataclasses import replace
from types import SimpleNamespace

import pytest

from storage import diary, privacy, treatments, users
from storage.db import checkpoint, open_db, to_db
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
    treatments.add(
        db,
        user_id,
        kind="own",
        name="Warm bath <i>ñ</i>",
        tried_at=now,
        zone="Europe/Madrid",
        dedup_key=f"fill:{user_id}",
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
    assert exported["tables"]["treatments"][0]["name"] == "Warm bath <i>ñ</i>"
    for table in ("diary_entries", "treatments", "triage_results", "schedules", "deliveries"):
        assert [row["user_id"] for row in exported["tables"][table]] == [PERSON]
    assert "Diary entries: 1" in kim.last_text()
    assert str(OTHER) not in document.file_bytes.decode("utf-8")


async def test_mydata_nests_json_columns_as_lists_and_objects(harness, clock):
    kim = await start(harness, PERSON)
    db = db_of(harness)
    fill(db, PERSON, clock())
    await kim.send("/log")  # a conversation row with data
    if "Not now" in kim.buttons():  # the time zone, asked once
        await kim.press("Not now")
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
        "deliveries",
        "treatments",
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


MARKER = "zq-erase-marker-5b1e9c"  # unique, so a hit in the raw bytes can only be the note


def raw_files(db_path):
    """The database, its -wal and its -shm, byte for byte (missing files are empty)."""
    found = {}
    for suffix in ("", "-wal", "-shm"):
        path = db_path.with_name(db_path.name + suffix)
        found[suffix or "db"] = path.read_bytes() if path.exists() else b""
    return found


def holding_marker(files):
    forms = (MARKER.encode("utf-8"), MARKER.encode("utf-16-le"), MARKER.encode("utf-16-be"))
    return sorted(name for name, data in files.items() if any(f in data for f in forms))


async def log_note(person, note):
    await person.send("/log")
    if "Not now" in person.buttons():  # the time zone, asked once at the first entry
        await person.press("Not now")
    await person.press("6")
    await person.press("Add details")
    await person.press("Lower back")
    await person.press("Next")
    await person.press("Next")
    await person.send(note)
    await person.press("Now")
    await person.press("Save")
    assert "Saved." in person.last_text()


async def test_forget_leaves_no_note_in_the_database_files(harness, db_path):
    kim = await start(harness, PERSON)
    for n in range(3):  # drafts and saves rewrite pages: many copies to leave behind
        await log_note(kim, f"{MARKER} drove {n} hours, sore after")
    assert holding_marker(raw_files(db_path)) != []  # the scan can see a note when there is one

    await kim.send("/forget")
    await kim.press("Yes, erase everything")
    await kim.press("Erase it all now")
    assert "everything I kept about you is erased" in kim.last_text()
    files = raw_files(db_path)
    assert holding_marker(files) == []
    assert files["-wal"] == b""  # checkpointed and truncated


def erase_on_disk(db_path, clock, *, secure_delete):
    """Store a note, erase its owner and checkpoint, on a database of its own."""
    db = open_db(db_path)
    if not secure_delete:
        db.execute("PRAGMA secure_delete=OFF")
    users.ensure(db, PERSON, "en", clock())
    fill(db, PERSON, clock())
    diary.add_entry(
        db,
        PERSON,
        recorded_at=clock(),
        pain=3,
        places=[],
        tags=[],
        note=f"{MARKER} " * 40,
        source="log",
        now=clock(),
    )
    assert checkpoint(db)  # the note is in the database file itself now
    privacy.erase(db, PERSON)
    assert checkpoint(db)
    db.close()
    return raw_files(db_path)


def test_secure_delete_is_what_clears_free_space(tmp_path, clock):
    assert open_db(tmp_path / "on.db").execute("PRAGMA secure_delete").fetchone()[0] == 1
    # The control: with it off, the deleted cells keep the note in the file.
    assert holding_marker(erase_on_disk(tmp_path / "off.db", clock, secure_delete=False)) == ["db"]
    assert holding_marker(erase_on_disk(tmp_path / "x.db", clock, secure_delete=True)) == []


async def test_an_erase_during_a_backup_is_finished_by_the_hourly_job(
    harness, db_path, monkeypatch, caplog
):
    from bot.account import privacy as handler
    from bot.app import purge_stale_conversations

    monkeypatch.setattr(handler, "CHECKPOINT_RETRIES", (0, 0))
    kim = await start(harness, PERSON)
    await log_note(kim, f"{MARKER} lifting boxes")
    reader = sqlite3.connect(db_path)  # a backup in progress: a read transaction
    reader.execute("begin")
    reader.execute("select count(*) from diary_entries").fetchone()
    await kim.send("/forget")
    await kim.press("Yes, erase everything")
    await kim.press("Erase it all now")
    assert "everything I kept about you is erased" in kim.last_text()
    assert scan(db_of(harness), PERSON) == []
    assert "still in the WAL" in caplog.text  # said plainly, not hidden
    assert holding_marker(raw_files(db_path)) == ["-wal"]

    reader.rollback()
    reader.close()
    await purge_stale_conversations(SimpleNamespace(bot_data=harness.app.bot_data))
    assert holding_marker(raw_files(db_path)) == []


def test_a_database_from_before_secure_delete_is_cleaned_at_start_up(tmp_path, clock):
    from sqlite_utils import Database

    from storage.migrations import migrations

    path = tmp_path / "old.db"
    old = Database(path)
    old.execute("PRAGMA journal_mode=WAL")
    old.execute("PRAGMA secure_delete=OFF")  # as a build without it by default would
    migrations.apply(old, stop_before="0080_vacuum_free_space")
    users.ensure(old, PERSON, "en", clock())
    diary.add_entry(
        old,
        PERSON,
        recorded_at=clock(),
        pain=2,
        places=[],
        tags=[],
        note=MARKER * 30,
        source="log",
        now=clock(),
    )
    privacy.erase(old, PERSON)
    old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    old.close()
    assert holding_marker(raw_files(path)) == ["db"]

    open_db(path).close()
    assert holding_marker(raw_files(path)) == []


@pytest.mark.parametrize("language", ["en", "es"])
async def test_privacy_and_forget_say_how_long_backups_keep_erased_data(harness, language):
    svc = harness.app.bot_data["services"]
    svc.settings = replace(svc.settings, backup_keep_days=30)
    words = {"en": "within 31 days", "es": "en un plazo de 31 días"}[language]
    kim = await start(harness, PERSON, language)
    await kim.send("/privacy")
    assert words in kim.last_text()
    await kim.send("/forget")
    await kim.press(kim.buttons()[0])
    assert words in kim.last_text()  # told before the last tap, not only after
    await kim.press(kim.buttons()[0])
    assert words in kim.last_text()
    assert scan(db_of(harness), PERSON) == []
