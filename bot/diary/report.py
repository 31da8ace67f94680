"""The diary as CSV and as a PDF report for a clinician. No telegram here."""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from bot.diary.charts import RENDER_LOCK, ChartText, draw_pain_chart
from bot.diary.dates import DateWords
from bot.diary.printable import printable
from bot.diary.stats import Summary, tag_counts
from storage.diary import Entry, TriageResult

CSV_COLUMNS = (
    "id",
    "recorded_at",
    "logged_at",
    "pain",
    "places",
    "tags",
    "note",
    "source",
    "routine",
)
LIST_SEPARATOR = ";"
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

A4 = (8.27, 11.69)  # inches, portrait
NOTE_WIDTH = 92  # characters per line of the notes pages
NOTE_LINES_PER_PAGE = 52
BODY = 10.5


def _cell(text: str | None) -> str:
    if not text:
        return ""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def diary_csv(entries: Sequence[Entry], tz: tzinfo) -> bytes:
    """One row per entry, a header row, ISO 8601 times in the person's zone, UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow(
            (
                e.id,
                e.recorded_at.astimezone(tz).isoformat(),
                e.logged_at.astimezone(tz).isoformat(),
                "" if e.pain is None else e.pain,
                LIST_SEPARATOR.join(e.places),
                LIST_SEPARATOR.join(e.tags),
                _cell(e.note),
                e.source,
                e.routine or "",
            )
        )
    return out.getvalue().encode("utf-8")


@dataclass(frozen=True)
class ReportData:
    entries: Sequence[Entry]  # the report's period, oldest first
    summary: Summary
    tz: tzinfo
    generated: datetime
    triage: TriageResult | None
    include_notes: bool


# t(key, **params) for keys under diary.report (and the shared diary labels)
Words = Callable[..., str]


def _figure_lines(data: ReportData, t: Words, dates: DateWords) -> list[str]:
    s = data.summary
    if s.average is None:
        return [t("diary.report.no_scores")]
    lines = [
        t("diary.report.entries", count=s.entries),
        t("diary.report.average", average=f"{s.average:.1f}"),
        t("diary.report.range", lowest=s.lowest, highest=s.highest),
    ]
    if s.trend is not None:
        key = "diary.report.trend_meaningful" if s.trend.meaningful else "diary.report.trend"
        lines.append(
            t(key, first=f"{s.trend.first:.1f}", last=f"{s.trend.last:.1f}", change=s.trend.change)
        )
    lines.append(t("diary.report.streak", days=s.streak))
    return lines


def _tag_lines(data: ReportData, t: Words) -> list[str]:
    counts = tag_counts(data.entries)
    total = len(data.entries)
    if not counts:
        return [t("diary.report.no_tags")]
    return [
        t("diary.report.tag_line", tag=label(t, f"diary.tag.{tag}", tag), count=n, total=total)
        for tag, n in counts.most_common()
    ]


def _triage_lines(data: ReportData, t: Words, dates: DateWords) -> list[str]:
    result = data.triage
    if result is None:
        return [t("diary.report.no_triage")]
    lines = [
        t(
            "diary.report.triage_when",
            when=dates.day(result.created_at.astimezone(data.tz).date()),
            tier=label(t, f"diary.report.tier.{result.tier}", result.tier),
        )
    ]
    names = []
    for item in result.explanations[:3]:
        condition = str(item.get("condition", "")) if isinstance(item, dict) else ""
        if condition:
            names.append(label(t, f"diary.report.condition.{condition}", condition))
    if names:
        lines.append(t("diary.report.triage_explanations", names=", ".join(names)))
    return lines


def label(t: Words, key: str, fallback: str) -> str:
    """A name from the locale, or the raw id for one this version does not know."""
    try:
        return t(key)
    except KeyError:
        return fallback


def note_pages(data: ReportData, dates: DateWords) -> list[list[str]]:
    """The notes, newest first, as pages of lines; a note starts a page rather than
    being split, unless it is longer than a page itself."""
    pages: list[list[str]] = []
    page: list[str] = []
    for e in reversed(data.entries):
        if not e.note:
            continue
        score = "" if e.pain is None else f" · {e.pain}/10"
        wrapped = textwrap.wrap(" ".join(printable(e.note).split()), NOTE_WIDTH - 4) or [""]
        block = [f"{dates.moment(e.recorded_at, data.tz)}{score}"]
        block += ["    " + line for line in wrapped]
        if page and len(page) + len(block) > NOTE_LINES_PER_PAGE:
            pages.append(page)
            page = []
        for line in block:
            if len(page) == NOTE_LINES_PER_PAGE:
                pages.append(page)
                page = []
            page.append(line)
    if page:
        pages.append(page)
    return pages


def page_count(data: ReportData, dates: DateWords) -> int:
    return 1 + (len(note_pages(data, dates)) if data.include_notes else 0)


def _text_block(fig: Figure, y: float, heading: str, lines: Sequence[str]) -> float:
    """Write a heading and lines from height y down; returns where the next block starts."""
    fig.text(0.08, y, heading, fontsize=BODY + 2, weight="bold", parse_math=False, va="top")
    y -= 0.028
    for line in lines:
        for part in textwrap.wrap(line, 95) or [""]:
            fig.text(0.09, y, part, fontsize=BODY, parse_math=False, va="top")
            y -= 0.02
    return y - 0.015


def clinician_pdf(data: ReportData, t: Words, dates: DateWords, chart: ChartText) -> bytes:
    """A one-page summary with the chart, then pages of notes if the person chose them."""
    buffer = io.BytesIO()
    s = data.summary
    with RENDER_LOCK, PdfPages(buffer, metadata={"Title": t("diary.report.title")}) as pdf:
        fig = Figure(figsize=A4)
        fig.text(0.08, 0.955, t("diary.report.title"), fontsize=18, weight="bold", va="top")
        period = t(
            "diary.report.period",
            start=dates.day(s.start),
            end=dates.day(s.end),
            made=dates.day(data.generated.astimezone(data.tz).date()),
        )
        fig.text(0.08, 0.92, period, fontsize=BODY, va="top", parse_math=False)
        fig.text(0.08, 0.9, t("diary.report.disclaimer"), fontsize=BODY - 1.5, va="top")
        y = _text_block(fig, 0.865, t("diary.report.figures"), _figure_lines(data, t, dates))
        chart_top = y - 0.025
        grid = fig.add_gridspec(1, 1, left=0.24, right=0.93, top=chart_top, bottom=chart_top - 0.36)
        draw_pain_chart(
            fig, grid[0], data.entries, start=s.start, end=s.end, tz=data.tz, text=chart
        )
        y = chart_top - 0.41
        y = _text_block(fig, y, t("diary.report.tags"), _tag_lines(data, t))
        _text_block(fig, y, t("diary.report.triage"), _triage_lines(data, t, dates))
        pdf.savefig(fig)

        if data.include_notes:
            for lines in note_pages(data, dates):
                page = Figure(figsize=A4)
                page.text(0.08, 0.955, t("diary.report.notes"), fontsize=14, weight="bold")
                for row, line in enumerate(lines):
                    page.text(
                        0.08,
                        0.93 - row * 0.0165,
                        line,
                        fontsize=BODY - 1,
                        parse_math=False,
                        va="top",
                        family="DejaVu Sans Mono",
                    )
                pdf.savefig(page)
    return buffer.getvalue()
