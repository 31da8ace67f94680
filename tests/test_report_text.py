"""Any text a person can type renders in the PDF report, the CSV and the chart.

U+FEFF in one note used to break the whole PDF (IndexError inside matplotlib's
PDF backend); notes are cleaned for drawing only (bot/printable.py).
"""

from __future__ import annotations

import csv
import io
import sys
import unicodedata
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from bot import content as content_module
from bot.diary import queries as diary_service
from bot.diary import report as reports
from bot.diary.charts import pain_chart_png
from bot.diary.printable import REPLACEMENT, printable
from storage import diary, users
from storage.db import open_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# Every format character Unicode has (U+FEFF, ZWJ, direction marks, tag characters...)
# and every control character, drawn from on their own so the generator meets them
# often, not once in a million code points.
FORMAT = [chr(cp) for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) == "Cf"]
CONTROLS = [
    chr(cp)
    for cp in range(sys.maxunicode + 1)
    if unicodedata.category(chr(cp)) in ("Cc", "Zl", "Zp")
]
INVISIBLE = FORMAT + CONTROLS
# The invisible characters people really paste: byte-order mark, zero-width space,
# joiners and direction marks (copied from web pages, PDFs and right-to-left chats).
PASTED = [
    "\ufeff", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u00ad", "\u2060",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
    "\u2069", "\u061c", "\ufe0f", "\u2028", "\u00a0", "\t", "\n", "\r",
]  # fmt: skip
NASTY = [
    "\ufeff",
    "\ufeffsore back",
    "sore\ufeff back \ufeff",
    "\u200d\U0001f468\u200d\U0001f469\u200d\U0001f467 family trip",
    "\u202eright to left override\u202c and \u2066isolates\u2069",
    "\u0301\u0301 combining marks with nothing under them",
    "nul\x00bell\x07tab\tcr\rline\u2028para\u2029",
    "\U000e0001\U000e0065\U000e006e tag characters",
    "\U0001f62d" * 300,  # emoji the font lacks: boxes, not a crash
    "ﷺ ﷽ \u0e01\u0e33 \u1100\u1161\u11a8 \u0915\u094d\u0937 mixed scripts",
    "\ufff9annotation\ufffa\ufffb \ufffe\uffff noncharacters",
    "=SUM(A1) @cmd +1 -1",
]
# Pieces joined, not one alphabet: hypothesis would merge the lists into one range of
# code points and meet the invisible ones no more often than any other.
notes_text = st.lists(
    st.one_of(
        st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12),
        st.sampled_from(PASTED),
        st.sampled_from(FORMAT),
        st.sampled_from(CONTROLS),
    ),
    min_size=1,
    max_size=20,
).map("".join)
FUZZ = settings(
    deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.fixture(scope="module")
def words():
    strings = content_module.load().strings
    return lambda key, **params: strings.t("en", key, **params)


def diary_with(notes):
    db = open_db(":memory:")
    users.ensure(db, 1, "en", NOW)
    for n, note in enumerate(notes):
        diary.add_entry(
            db,
            1,
            recorded_at=NOW - timedelta(hours=7 * n),
            pain=n % 11,
            places=["lower_back"],
            tags=["slept_badly"] if n % 2 else [],
            note=note,
            source="log",
            now=NOW,
        )
    return db


def render_everything(notes, t):
    """The CSV, the PDF with notes and the chart PNG for a diary holding `notes`."""
    db = diary_with(notes)
    entries = diary.all_entries(db, 1)
    table = reports.diary_csv(entries, UTC)
    data = diary_service.report_data(db, 1, "UTC", NOW, include_notes=True)
    chart = diary_service.chart_text(t, diary_service.REPORT_DAYS)
    pdf = reports.clinician_pdf(data, t, diary_service.date_words(t), chart)
    png = pain_chart_png(entries, start=date(2026, 2, 1), end=NOW.date(), tz=UTC, text=chart)
    return entries, table, pdf, png


def check_outputs(notes, t):
    entries, table, pdf, png = render_everything(notes, t)
    assert pdf.startswith(b"%PDF") and len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    assert png.startswith(b"\x89PNG")
    rows = list(csv.DictReader(io.StringIO(table.decode("utf-8"), newline="")))
    stored = {e.id: e.note for e in entries}
    for row in rows:  # the CSV carries the note exactly as stored (formula guard aside)
        note = stored[int(row["id"])] or ""
        assert row["note"] in (note, "'" + note)
    assert sorted(n for n in stored.values() if n) == sorted(n for n in notes if n)


def test_notes_with_invisible_and_missing_characters_render(words):
    check_outputs(NASTY, words)


def test_a_note_keeps_its_invisible_characters_in_storage(words):
    db = diary_with(["\ufeffsore\u200b back"])
    (entry,) = diary.all_entries(db, 1)
    assert entry.note == "\ufeffsore\u200b back"  # only the drawing is cleaned
    data = diary_service.report_data(db, 1, "UTC", NOW, include_notes=True)
    lines = reports.note_pages(data, diary_service.date_words(words))[0]
    assert lines[1] == "    sore back"


@settings(FUZZ, max_examples=25)
@given(notes=st.lists(notes_text, min_size=1, max_size=4))
def test_any_typed_note_renders(words, notes):
    check_outputs(notes, words)


@pytest.mark.slow
@settings(FUZZ, max_examples=400)
@given(notes=st.lists(notes_text, min_size=1, max_size=8))
def test_any_typed_note_renders_many(words, notes):
    check_outputs(notes, words)


@settings(FUZZ, max_examples=500)
@given(
    text=st.lists(
        st.one_of(
            st.text(max_size=12), st.sampled_from(INVISIBLE), st.characters(categories=["Cs"])
        ),
        max_size=20,
    ).map("".join)
)
def test_printable_leaves_nothing_a_font_cannot_place(text):
    cleaned = printable(text)
    assert not {unicodedata.category(c) for c in cleaned} & {"Cf", "Cc", "Cs", "Zl", "Zp"}
    assert printable(cleaned) == cleaned
    assert len(cleaned) <= len(text)


@FUZZ
@given(text=st.text(st.characters(categories=("L", "M", "N", "P", "S", "Zs"))))
def test_printable_keeps_ordinary_text_as_it_is(text):
    assert printable(text) == text


def test_printable_marks_a_lone_surrogate():
    assert printable("a\ud800b") == f"a{REPLACEMENT}b"
