"""The clinician report draws anything a person can type: emoji, invisible and control
characters, other scripts, very long words. Fuzzed with hypothesis, weighted toward the
characters people paste; what is stored stays exactly as typed."""

import io
import logging
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from bot.content import load
from bot.diary import queries
from bot.diary import report as reports
from bot.diary.dates import PLACES, TAGS
from bot.diary.stats import summarize
from storage.diary import Entry

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CONTENT = load()
PASTED = "\ufeff\u200b\u200d\u2028\u2029\u202e\u00ad\x00\x07\t\r\n\ud800\ufe0f" + (
    "😀👍🏽🇪🇸🦴日本語עבריתالعربية"
)
notes = st.text(
    alphabet=st.one_of(st.sampled_from(PASTED), st.characters(codec=None)), max_size=400
)


def words(lang):
    return lambda key, **kw: CONTENT.strings.t(lang, key, **kw)


def report(entries, lang="en", *, include_notes=True):
    t = words(lang)
    ordered = sorted(entries, key=lambda e: e.recorded_at)
    summary = summarize(ordered, today=NOW.date(), days=90, tz=UTC, streak_days=1)
    data = reports.ReportData(
        entries=ordered,
        summary=summary,
        tz=UTC,
        zone_name=None,
        generated=NOW,
        checks=[],
        include_notes=include_notes,
    )
    dates = queries.date_words(t)
    return reports.clinician_pdf(data, t, dates, queries.chart_text(t, 90), CONTENT.triage)


def entry(i, note, pain=5):
    moment = NOW - timedelta(days=i % 80, hours=i % 7)
    return Entry(i, 1, moment, moment, pain, PLACES[:2], TAGS[:2], note, "log", None)


def test_printable_drops_invisibles_and_shows_a_placeholder_for_emoji():
    assert reports.printable("a\ufeffb\u200bc") == "abc"
    assert reports.printable("sore\nand\tstiff\u2028now") == "sore and stiff now"
    assert reports.printable("ok 👍🏽 thanks") == "ok □ thanks"  # one mark for one emoji
    assert reports.printable("❤️ ñandú Ωμέγα") == "❤ ñandú Ωμέγα"
    assert reports.printable("lone \ud800 surrogate") == "lone surrogate"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(notes, min_size=1, max_size=6), st.sampled_from(["en", "es"]))
def test_any_typed_notes_make_a_readable_report(typed, lang):
    entries = [entry(i, note) for i, note in enumerate(typed)]
    pdf = report(entries, lang)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    assert reader.pages[0].extract_text()  # it has text, it is not a broken file
    assert [e.note for e in entries] == typed  # nothing stored was changed


def test_a_long_unbroken_note_and_a_full_diary_fit_the_page():
    entries = [entry(i, "x" * 1000 if i % 10 == 0 else "ok", pain=i % 11) for i in range(300)]
    pdf = report(entries)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert text.count("x" * 30) >= 30  # the long notes are all there, wrapped
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text


def test_a_report_with_no_scores_says_so():
    stretches = [
        Entry(1, 1, NOW, NOW, None, (), ("did_stretches",), None, "stretches", "desk_break")
    ]
    text = PdfReader(io.BytesIO(report(stretches))).pages[0].extract_text()
    assert "No pain scores in this period." in text and "No places noted" in text


def test_no_log_line_carries_a_character_from_a_note(caplog):
    caplog.set_level(logging.DEBUG)
    report([entry(1, "secret 日本語 \ufeff 🦴 zz")])
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "日" not in logged and "secret" not in logged  # fpdf2 names missing glyphs
