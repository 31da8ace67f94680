"""/export through the stand-in: a CSV in the person's words, a clinician report worth
reading (its text read back with pypdf), and nobody else waits while it is drawn."""

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
BOM = "\ufeff"


def seed(harness, user_id=1001):
    db, now = db_of(harness), harness.clock()
    rows = [
        (0.2, 6, ["lower_back", "left_leg"], ["slept_badly"], 'sore, "very"\nstiff', "log"),
        (1, 4, ["neck"], [], None, "checkin"),
        (2, None, [], ["did_stretches"], None, "stretches"),
        (
            40,
            7,
            ["buttock", "lower_back"],
            ["after_lifting", "slept_badly"],
            "=1+1 lifted boxes",
            "log",
        ),
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


def add_check(harness, days_ago, tier, answers, user_id=1001):
    db = db_of(harness)
    with db.atomic():
        db.execute(
            "insert into triage_results (user_id, created_at, answers, tier, explanations)"
            " values (?, ?, ?, ?, ?)",
            [
                user_id,
                to_db(harness.clock() - timedelta(days=days_ago)),
                json.dumps(answers),
                tier,
                json.dumps([{"condition": "sciatica", "score": 5, "reasons": []}]),
            ],
        )


def pdf_text(document) -> str:
    reader = PdfReader(io.BytesIO(document.file_bytes))
    return "\n".join(page.extract_text() for page in reader.pages)


def fill_colours(document) -> set[str]:
    """The fill colours the report paints with ("r g b rg" operators in its pages)."""
    reader = PdfReader(io.BytesIO(document.file_bytes))
    found = set()
    for page in reader.pages:
        ops = page.get_contents().get_data().decode("latin-1").split("\n")
        found |= {op.strip() for op in ops if op.strip().endswith(" rg")}
    return found


def csv_rows(document) -> list[dict[str, str]]:
    text = document.file_bytes.decode("utf-8")
    assert text.startswith(BOM)  # spreadsheets then read the accents right
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))


async def test_the_csv_is_in_words_with_local_times_and_offsets(harness, alex):
    users.set_time_zone(db_of(harness), 1001, "America/New_York")
    seed(harness)
    await alex.send("/export")
    assert "include your notes" in alex.last_text()
    await alex.press("Report without notes")
    csv_file, pdf_file = alex.files("document")
    assert csv_file.file_name == "backcare-diary-2026-03-02.csv"
    assert alex.chat.actions.count("upload_document") == 2
    rows = csv_rows(csv_file)
    stored = diary.all_entries(db_of(harness), 1001)
    assert len(rows) == len(stored) == 5
    assert list(rows[0]) == [
        "Entry", "When", "Written down", "Pain (0-10)", "Where", "Tags", "Note", "From",
        "Stretch routine",
    ]  # fmt: skip
    for row, entry in zip(rows, stored, strict=True):
        assert int(row["Entry"]) == entry.id
        recorded = datetime.fromisoformat(row["When"])
        assert recorded == entry.recorded_at
        assert recorded.utcoffset() == entry.recorded_at.astimezone(NEW_YORK).utcoffset()
        assert row["Pain (0-10)"] == ("" if entry.pain is None else str(entry.pain))
    newest = rows[-1]  # 0.2 days ago
    assert newest["Where"] == "Lower back; Left leg" and newest["Tags"] == "Slept badly"
    assert newest["From"] == "Diary" and "lower_back" not in csv_file.file_bytes.decode()
    assert {row["From"] for row in rows} == {"Diary", "Daily check-in", "Stretches done"}
    notes = [row["Note"] for row in rows]
    assert 'sore, "very"\nstiff' in notes
    assert "'=1+1 lifted boxes" in notes  # a spreadsheet must not run it as a formula
    assert pdf_file.file_name == "backcare-report-2026-03-02.pdf"


async def test_the_spanish_csv_speaks_spanish(harness):
    ana = harness.user(1003, language_code="es")
    await ana.send("/start")
    await ana.press("Sí")
    seed(harness, 1003)
    await ana.send("/export")
    await ana.press("Informe sin notas")
    rows = csv_rows(ana.files("document")[0])
    assert rows[-1]["Dónde"] == "Zona lumbar (parte baja); Pierna izquierda"
    assert rows[-1]["Etiquetas"] == "Dormí mal" and rows[-1]["Origen"] == "Diario"


async def test_the_report_has_the_table_places_checks_and_time_zone(harness, alex):
    users.set_time_zone(db_of(harness), 1001, "America/New_York")
    seed(harness)
    add_check(harness, 3, "routine", {"mimic": "none", "cauda": "none", "legs": "none"})
    add_check(harness, 10, "emergency", {"mimic": "chest"})
    add_check(harness, 95, "urgent", {"legs": "weak"})  # before the report's 90 days
    await alex.send("/export")
    await alex.press("Report without notes")
    text = pdf_text(alex.files("document")[-1])
    assert "Pain diary report" in text and "Name: ____" in text
    assert "Times are in America/New_York (Eastern Time)" in text
    assert "Wed, 3 Dec 2025 to Mon, 2 Mar 2026" in text
    assert "Average pain: 5.7 out of 10" in text  # (6 + 4 + 7) / 3
    # where it hurts, and how often; the 200-day-old entry is outside
    assert "Lower back: 2 of 4 entries" in text and "Neck: 1 of 4 entries" in text
    assert "Slept badly: 2 of 4 entries" in text
    # every check in the period, its tier and the answers behind it
    assert "advised to get emergency care now" in text
    assert "chest pain, breathlessness or feeling faint with the pain" in text
    assert "advised to book a doctor or physiotherapist" in text and "sciatica" in text
    assert "advised to see a doctor the same day" not in text
    # the table: every entry in the period, newest first, in local time
    assert "Every entry, newest first" in text
    assert "Sun, 1 Mar 2026, 23:12" in text  # 04:12 UTC on 2 March
    assert "Lower back; Left leg" in text and "Buttock; Lower back" in text
    assert "Did my stretches" in text
    assert "lifted boxes" not in text and "long ago" not in text


async def test_emergency_and_urgent_checks_are_highlighted(harness, alex):
    red, amber = "0.9922 0.8863 0.8863 rg", "1 0.9451 0.8 rg"  # reports.RED, reports.AMBER
    seed(harness)
    add_check(harness, 3, "self_care", {"mimic": "none"})
    await alex.send("/export")
    await alex.press("Report without notes")
    assert not {red, amber} & fill_colours(alex.files("document")[-1])
    add_check(harness, 5, "emergency", {"mimic": "chest"})
    add_check(harness, 6, "urgent", {"legs": "weak"})
    await alex.send("/export")
    await alex.press("Report without notes")
    document = alex.files("document")[-1]
    assert {red, amber} <= fill_colours(document)
    text = pdf_text(document)
    assert "advised to see a doctor the same day" in text
    assert "Answers behind it: a leg or foot that is getting weak" in text


async def test_the_report_carries_the_notes_only_when_chosen(harness, alex):
    seed(harness)
    await alex.send("/export")
    await alex.press("Report with my notes")
    text = pdf_text(alex.files("document")[-1])
    assert "lifted boxes" in text and 'sore, "very" stiff' in text
    assert "long ago" not in text  # outside the 90 days


async def test_the_spanish_report_uses_spanish_numbers_dates_and_words(harness):
    ana = harness.user(1003, language_code="es")
    await ana.send("/start")
    await ana.press("Sí")
    users.set_time_zone(db_of(harness), 1003, "Europe/Madrid")
    seed(harness, 1003)
    add_check(harness, 10, "emergency", {"mimic": "chest"}, user_id=1003)
    await ana.send("/export")
    await ana.press("Informe sin notas")
    text = pdf_text(ana.files("document")[-1])
    assert "Informe del diario del dolor" in text and "Nombre: ____" in text
    assert "Dolor promedio: 5,7 de 10" in text
    assert "Del mié, 3 dic 2025 al lun, 2 mar 2026" in text
    assert "Las horas están en Europe/Madrid (hora de Europa central)" in text
    assert "Zona lumbar (parte baja): 2 de 4 entradas" in text
    assert "dolor de pecho, falta de aire o sensación de desmayo" in text
    assert "lun, 2 mar 2026, 5:12" in text


async def test_entries_saved_before_a_zone_was_set_keep_the_zone_they_were_saved_in(harness, alex):
    db = db_of(harness)
    seed(harness)  # no zone yet: saved in UTC
    users.set_time_zone(db, 1001, "Asia/Tokyo")
    diary.add_entry(
        db, 1001, recorded_at=harness.clock(), pain=2, places=[], tags=[], note=None,
        source="log", now=harness.clock(),
    )  # fmt: skip
    await alex.send("/export")
    await alex.press("Report without notes")
    csv_file, pdf_file = alex.files("document")
    rows = csv_rows(csv_file)
    assert rows[-1]["When"] == "2026-03-02T18:00:00+09:00"  # saved in Tokyo
    assert rows[0]["When"].endswith("+00:00")  # saved before the zone was set
    text = pdf_text(pdf_file)
    assert "Times are in Asia/Tokyo" in text
    assert "Mon, 2 Mar 2026, 18:00" in text
    assert "Mon, 2 Mar 2026, 04:12 (UTC)" in text


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
    assert "stiff neck after the drive" in pdf_text(pdf_file)
    (entry,) = diary.all_entries(db_of(harness), 1001)
    assert entry.note == "\ufeffstiff \u200bneck after the drive \U0001f62d"  # stored as typed
    (row,) = csv_rows(csv_file)
    assert row["Note"] == entry.note


async def test_the_report_says_what_seems_to_help_and_that_it_is_not_a_cause(harness, alex):
    db, now = db_of(harness), harness.clock()
    for day in range(1, 13):  # stretches on the even days, with pain 2 lower
        stretched = day % 2 == 0
        diary.add_entry(
            db, 1001, recorded_at=now - timedelta(days=day), pain=3 if stretched else 5,
            places=[], tags=["did_stretches"] if stretched else [], note=None,
            source="log", now=now,
        )  # fmt: skip
    await alex.send("/export")
    await alex.press("Report without notes")
    text = " ".join(pdf_text(alex.files("document")[-1]).split())
    assert "What seems to help" in text
    assert "on the 6 days with it, your pain averaged 2.0 lower than on the 6 days without" in text
    assert "This shows a pattern, not a cause" in text
    assert "<b>" not in text


async def test_a_report_with_too_few_days_says_there_is_not_enough_yet(harness, alex):
    seed(harness)
    await alex.send("/export")
    await alex.press("Report without notes")
    text = " ".join(pdf_text(alex.files("document")[-1]).split())
    assert "Not enough days yet to compare" in text
