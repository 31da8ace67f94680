"""/export through the stand-in: the CSV parses back, the PDF is a real PDF, nobody waits."""

import asyncio
import csv
import io
import json
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from bot.diary import report as reports
from storage import diary, users
from storage.db import to_db
from tests.helpers import db_of

NEW_YORK = ZoneInfo("America/New_York")


def seed(harness, user_id=1001):
    db, now = db_of(harness), harness.clock()
    rows = [
        (0.2, 6, ["lower_back", "left_leg"], ["slept_badly"], 'sore, "very"\nstiff', "log"),
        (1, 4, ["neck"], [], None, "checkin"),
        (2, None, [], ["did_stretches"], None, "stretches"),
        (40, 7, ["buttock"], ["after_lifting", "slept_badly"], "=1+1 lifted boxes", "log"),
        (200, 3, [], [], "long ago", "log"),  # older than the report's 90 days
    ]
    for days_ago, pain, places, tags, note, source in rows:
        diary.add_entry(
            db,
            user_id,
            recorded_at=now - timedelta(days=days_ago),
            pain=pain,
            places=places,
            tags=tags,
            note=note,
            source=source,
            routine="desk_break" if source == "stretches" else None,
            now=now,
        )


def add_triage(harness, user_id=1001):
    db = db_of(harness)
    with db.atomic():
        db.execute(
            "insert into triage_results (user_id, created_at, answers, tier, explanations)"
            " values (?, ?, ?, ?, ?)",
            [
                user_id,
                to_db(harness.clock() - timedelta(days=3)),
                "{}",
                "routine",
                json.dumps([{"condition": "sciatica", "score": 5, "reasons": []}]),
            ],
        )


def pdf_text(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


async def test_export_sends_a_csv_that_parses_back_to_the_entries(harness, alex):
    users.set_time_zone(db_of(harness), 1001, "America/New_York")
    seed(harness)
    await alex.send("/export")
    assert "include your notes" in alex.last_text()
    await alex.press("Report without notes")
    csv_file, pdf_file = alex.files("document")
    assert csv_file.file_name == "backcare-diary-2026-03-02.csv"
    assert alex.chat.actions.count("upload_document") == 2
    rows = list(csv.DictReader(io.StringIO(csv_file.file_bytes.decode("utf-8"))))
    stored = diary.all_entries(db_of(harness), 1001)
    assert len(rows) == len(stored) == 5
    for row, entry in zip(rows, stored, strict=True):
        assert int(row["id"]) == entry.id
        recorded = datetime.fromisoformat(row["recorded_at"])
        assert recorded == entry.recorded_at
        assert recorded.utcoffset() == entry.recorded_at.astimezone(NEW_YORK).utcoffset()
        assert row["pain"] == ("" if entry.pain is None else str(entry.pain))
        assert tuple(filter(None, row["places"].split(";"))) == entry.places
        assert tuple(filter(None, row["tags"].split(";"))) == entry.tags
        assert row["source"] == entry.source
    notes = [row["note"] for row in rows]
    assert 'sore, "very"\nstiff' in notes
    assert "'=1+1 lifted boxes" in notes  # a spreadsheet must not run it as a formula
    assert pdf_file.file_name.endswith(".pdf")


async def test_the_report_is_a_pdf_with_notes_only_when_chosen(harness, alex):
    seed(harness)
    add_triage(harness)
    await alex.send("/export")
    await alex.press("Report without notes")
    plain = PdfReader(io.BytesIO(alex.files("document")[-1].file_bytes))
    assert len(plain.pages) == 1
    text = pdf_text(plain)
    assert "Pain diary report" in text
    assert "Slept badly: 2 of 4 entries" in text  # the 200-day-old entry is outside
    assert "advised to book a doctor or physiotherapist" in text and "sciatica" in text
    assert "lifted boxes" not in text
    await alex.send("/export")
    await alex.press("Report with my notes")
    with_notes = PdfReader(io.BytesIO(alex.files("document")[-1].file_bytes))
    assert len(with_notes.pages) == 2
    assert "lifted boxes" in pdf_text(with_notes)
    assert "long ago" not in pdf_text(with_notes)


async def test_export_of_an_empty_diary_says_so(harness, alex):
    await alex.send("/export")
    assert "nothing to download yet" in alex.last_text()
    assert alex.files() == []


async def test_a_report_being_made_does_not_hold_up_anyone_else(harness, alex, monkeypatch):
    seed(harness)
    started, release = threading.Event(), threading.Event()
    real = reports.clinician_pdf

    def held(*args, **kwargs):
        started.set()
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(reports, "clinician_pdf", held)
    bob = harness.user(1002, first_name="Bob")
    await alex.send("/export")
    pressing = asyncio.create_task(alex.press("Report without notes"))
    await asyncio.to_thread(started.wait, 10)
    await bob.send("/start")  # answered while Alex's report is still being drawn
    assert "BackCare" in bob.texts()[0]
    assert not pressing.done()
    release.set()
    await pressing
    assert len(alex.files("document")) == 2


async def test_a_note_with_a_byte_order_mark_is_in_the_report_and_kept_as_typed(harness, alex):
    await alex.send("/log")
    if "Not now" in alex.buttons():  # the time zone, asked once
        await alex.press("Not now")
    await alex.press("5")
    await alex.press("Add details")
    await alex.press("Neck")
    await alex.press("Next")
    await alex.press("Next")
    await alex.send("\ufeffstiff \u200bneck after the drive \U0001f62d")
    await alex.press("Now")
    await alex.press("Save")
    await alex.send("/export")
    await alex.press("Report with my notes")
    csv_file, pdf_file = alex.files("document")
    report = PdfReader(io.BytesIO(pdf_file.file_bytes))
    assert "stiff neck after the drive" in pdf_text(report)
    (entry,) = diary.all_entries(db_of(harness), 1001)
    assert entry.note == "\ufeffstiff \u200bneck after the drive \U0001f62d"  # stored as typed
    (row,) = csv.DictReader(io.StringIO(csv_file.file_bytes.decode("utf-8")))
    assert row["note"] == entry.note
