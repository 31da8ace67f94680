"""The diary as CSV and as a PDF report for a clinician (fpdf2). No telegram here."""

from __future__ import annotations

import csv
import functools
import html
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

import matplotlib
from babel.dates import get_timezone_name
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bot.diary.charts import ChartText, pain_chart_png
from bot.diary.dates import DateWords, zone
from bot.diary.insights import Insight, insight_line
from bot.diary.stats import Summary, tag_counts
from bot.triage.engine import Graph
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
LIST_SEPARATOR = "; "
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # tells spreadsheet apps the file is UTF-8, so accents read right

# DejaVu comes with matplotlib (free licence, see LICENSE_DEJAVU beside it) and covers
# Spanish, Greek, Cyrillic and many symbols.
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FAMILY = "DejaVu"
PLACEHOLDER = "□"  # drawn for a character no font here has (most emoji)
EMOJI_PLANE = range(0x1F000, 0x1FB00)  # pictographs: a placeholder even where DejaVu has one
VARIATION_SELECTORS = {*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)}

MARGIN = 15  # mm
BODY, SMALL, HEADING = 10, 8.5, 12.5
GREY, RED, AMBER = (90, 90, 90), (253, 226, 226), (255, 241, 204)
HIGHLIGHT = {"emergency": RED, "urgent": AMBER}
CHECK_HEIGHT = 22  # mm, about a check's tier, answers and explanations
CHART_SIZE = (8.0, 4.6)  # inches, drawn at the page width: room for the text around it


# --- CSV -----------------------------------------------------------------------------
def _cell(text: str | None) -> str:
    if not text:
        return ""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


Words = Callable[..., str]  # t(key, **params), in the reader's language


def label(t: Words, key: str, fallback: str) -> str:
    """A name from the locale, or the raw id for one this version does not know."""
    try:
        return t(key)
    except KeyError:
        return fallback


def names(t: Words, group: str, ids: Sequence[str]) -> str:
    return LIST_SEPARATOR.join(label(t, f"diary.{group}.{i}", i) for i in ids)


def entry_zone(entry: Entry, tz: tzinfo) -> tzinfo:
    """The zone an entry reads in: the one it was saved in, else the person's."""
    return zone(entry.time_zone) if entry.time_zone else tz


def diary_csv(entries: Sequence[Entry], tz: tzinfo, t: Words) -> bytes:
    """One row per entry under a header row, in the reader's words; ISO 8601 local times
    with their offset; UTF-8 with a BOM."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([t(f"diary.csv.{column}") for column in CSV_COLUMNS])
    for e in entries:
        local = entry_zone(e, tz)
        writer.writerow(
            (
                e.id,
                e.recorded_at.astimezone(local).isoformat(),
                e.logged_at.astimezone(local).isoformat(),
                "" if e.pain is None else e.pain,
                names(t, "place", e.places),
                names(t, "tag", e.tags),
                _cell(e.note),
                label(t, f"diary.csv.source_{e.source}", e.source),
                e.routine or "",
            )
        )
    return out.getvalue().encode("utf-8")


# --- the report ----------------------------------------------------------------------
@dataclass(frozen=True)
class ReportData:
    entries: Sequence[Entry]  # the report's period, oldest first
    summary: Summary
    tz: tzinfo
    zone_name: str | None  # the person's zone as set; None if they never set one
    generated: datetime
    checks: Sequence[TriageResult]  # the period's symptom checks, oldest first
    include_notes: bool
    insights: tuple[Insight, ...] = ()  # what seems to help (bot/diary/insights.py)
    pages: tuple[ReportPage, ...] = ()  # other features' pages (the plan's), after the rest


@dataclass(frozen=True)
class ReportPage:
    """A page another feature adds to the report: a title, lines and a picture, drawn
    (`chart()`, PNG bytes) with the rest of the report in its worker thread."""

    title: str
    lines: tuple[str, ...]
    chart: Callable[[], bytes] | None = None


@functools.cache
def _drawable() -> frozenset[int]:
    """Code points every report font has a glyph for."""
    maps = [TTFont(FONT_DIR / name).getBestCmap() for name in FONTS.values()]
    return frozenset(set(maps[0]).intersection(*maps[1:]))


def printable(text: str) -> str:
    """Text as the report can draw it, for rendering only (what is stored stays as typed):
    runs of white space (line breaks too) as one space, invisible format, control and
    surrogate characters dropped, anything no font has (emoji) as one placeholder."""
    drawable = _drawable()
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch.isspace():
            out.append(" ")
        elif unicodedata.category(ch) in ("Cf", "Cc", "Cs") or code in VARIATION_SELECTORS:
            continue
        elif code in drawable and code not in EMOJI_PLANE:
            out.append(ch)
        elif not out or out[-1] != PLACEHOLDER:
            out.append(PLACEHOLDER)
    return " ".join("".join(out).split())


class _Pdf(FPDF):
    def __init__(self, footer: str):
        super().__init__(format="A4")
        self._footer = footer
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 4)
        for style, name in FONTS.items():
            self.add_font(FAMILY, style, FONT_DIR / name)

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(FAMILY, "", SMALL)
        self.set_text_color(*GREY)
        page = self._footer.replace("{page}", str(self.page_no())).replace("{pages}", "{nb}")
        self.cell(0, 5, page, align="R")
        self.set_text_color(0)


class _Writer:
    """Headings and paragraphs down the page, every string through printable()."""

    def __init__(self, pdf: _Pdf):
        self.pdf = pdf

    def heading(self, text: str) -> None:
        pdf = self.pdf
        if pdf.will_page_break(22):  # never a heading alone at the foot of a page
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(FAMILY, "B", HEADING)
        pdf.multi_cell(0, 7, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)

    def line(self, text: str, *, size: float = BODY, bold: bool = False, fill=None) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, "B" if bold else "", size)
        if fill:
            pdf.set_fill_color(*fill)
        pdf.multi_cell(
            0,
            size * 0.5,
            printable(text),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            fill=bool(fill),
            align="L",
        )
        pdf.set_fill_color(255)  # the table after this draws on white


def _figure_lines(data: ReportData, t: Words, dates: DateWords) -> list[str]:
    s = data.summary
    if s.average is None:
        return [t("diary.report.no_scores")]
    lines = [
        t("diary.report.entries", count=s.entries),
        t("diary.report.average", average=dates.number(s.average)),
        t("diary.report.range", lowest=s.lowest, highest=s.highest),
    ]
    if s.trend is not None:
        key = "diary.report.trend_meaningful" if s.trend.meaningful else "diary.report.trend"
        first, last = dates.number(s.trend.first), dates.number(s.trend.last)
        lines.append(t(key, first=first, last=last, change=dates.number(s.trend.change)))
    lines.append(t("diary.report.streak", days=s.streak))
    return lines


def _count_lines(t: Words, group: str, counts: Counter[str], total: int) -> list[str]:
    return [
        t("diary.report.count_line", name=label(t, f"diary.{group}.{i}", i), count=n, total=total)
        for i, n in counts.most_common()
    ]


def zone_line(data: ReportData, t: Words, dates: DateWords) -> str:
    name = data.zone_name or "UTC"
    long_name = get_timezone_name(data.tz, "long", locale=dates.locale)
    line = t("diary.report.zone", zone=name, name=long_name)
    if not data.zone_name:
        line += " " + t("diary.report.zone_unset")
    if any(_other_zone(e, data) for e in data.entries):
        line += " " + t("diary.report.zone_other")
    return line


def _when(e: Entry, data: ReportData, dates: DateWords) -> str:
    local = entry_zone(e, data.tz)
    text = dates.moment(e.recorded_at, local)
    if _other_zone(e, data):
        text += f" ({e.time_zone})"
    return text


def _other_zone(e: Entry, data: ReportData) -> bool:
    """Whether an entry was saved in another zone (before a move, or before one was set)."""
    return bool(e.time_zone) and e.time_zone != (data.zone_name or "UTC")


def _plain(text: str) -> str:
    """One of the bot's chat lines for the page: Telegram's tags and the labels' emoji
    dropped (a person's own words keep theirs, as boxes, through printable())."""
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "So" and ch != "\ufe0f")
    return " ".join(text.split())


def _helps(w: _Writer, data: ReportData, t: Words, dates: DateWords) -> None:
    """Days with each thing against days without, and the words that it is not a cause."""
    w.heading(t("diary.report.helps"))
    compared = [i for i in data.insights if i.enough]
    for insight in compared:
        w.line(_plain(insight_line(t, insight, dates.number)))
    if not compared:
        w.line(t("diary.report.no_helps"))
        return
    w.pdf.set_text_color(*GREY)
    w.line(_plain(t("diary.helps.caution")), size=SMALL)
    w.pdf.set_text_color(0)


def check_reasons(result: TriageResult, graph: Graph | None, t: Words) -> list[str]:
    """The answers behind a check, as the reasons the check gives for them, in the order
    asked; answers the current questions no longer have are left out."""
    reasons = []
    for question, option in result.answers.items():
        node = graph.nodes.get(question) if graph else None
        chosen = node.options.get(option) if node else None
        if chosen and chosen.effect.why:
            reasons.append(label(t, chosen.effect.why, chosen.effect.why))
    return list(dict.fromkeys(reasons))


def _checks(w: _Writer, data: ReportData, t: Words, dates: DateWords, graph: Graph | None):
    w.heading(t("diary.report.checks"))
    if not data.checks:
        w.line(t("diary.report.no_checks"))
        return
    for result in reversed(data.checks):  # newest first
        when = dates.moment(result.created_at, data.tz)
        tier = label(t, f"diary.report.tier.{result.tier}", result.tier)
        if w.pdf.will_page_break(CHECK_HEIGHT):  # a check and its answers on one page
            w.pdf.add_page()
        w.pdf.ln(1)
        w.line(f"{when}: {tier}", bold=True, fill=HIGHLIGHT.get(result.tier))
        reasons = check_reasons(result, graph, t)
        if reasons:
            w.line(t("diary.report.check_answers", reasons="; ".join(reasons)))
        else:
            w.line(t("diary.report.check_no_signs"))
        conditions = [str(item.get("condition", "")) for item in result.explanations[:3]]
        found = [label(t, f"diary.report.condition.{c}", c) for c in conditions if c]
        if found:
            w.line(t("diary.report.triage_explanations", names=", ".join(found)))


class _Widths:
    """String widths in mm for the current font, from one measurement per character
    (fpdf2's own line breaking costs a millisecond or two a cell: too slow for a
    table of hundreds of entries)."""

    def __init__(self, pdf: _Pdf):
        self.pdf = pdf
        self.cache: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        cache = self.cache
        total = 0.0
        for ch in text:
            width = cache.get(ch)
            if width is None:
                width = cache[ch] = self.pdf.get_string_width(ch)
            total += width
        return total

    def wrap(self, text: str, room: float) -> list[str]:
        """Greedy word wrap to `room` mm; a word longer than a line is cut."""
        lines: list[str] = []
        line = ""
        for word in text.split(" "):
            candidate = f"{line} {word}" if line else word
            if self(candidate) <= room:
                line = candidate
                continue
            if line:
                lines.append(line)
            while self(word) > room and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and self(word[:cut]) > room:
                    cut = max(1, int(cut * room / self(word[:cut])))
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
        return lines


def _table(pdf: _Pdf, data: ReportData, t: Words, dates: DateWords) -> None:
    """Every entry, newest first; the heading row again at the top of each page."""
    heads = [t("diary.report.col_when"), t("diary.report.col_pain")]
    heads += [t("diary.report.col_places"), t("diary.report.col_tags")]
    widths: tuple[float, ...] = (50, 14, 52, 64)  # mm, the page's 180
    if data.include_notes:
        heads.append(t("diary.report.col_note"))
        widths = (36, 14, 30, 38, 62)
    rows = []
    for e in reversed(data.entries):
        cells = [
            _when(e, data, dates),
            "-" if e.pain is None else str(e.pain),
            names(t, "place", e.places),
            names(t, "tag", e.tags),
        ]
        if data.include_notes:
            cells.append(e.note or "")
        rows.append([printable(c) for c in cells])
    line_height, pad = SMALL * 0.45, 1.0
    pdf.set_draw_color(200)
    pdf.set_line_width(0.2)

    def draw(cells: list[str], *, heading: bool) -> None:
        pdf.set_font(FAMILY, "B" if heading else "", SMALL)
        measure = bold if heading else regular
        wrapped = [measure.wrap(c, w - 2 * pad) for c, w in zip(cells, widths, strict=True)]
        height = max(len(lines) for lines in wrapped) * line_height + 2 * pad
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
            if not heading:
                draw(heads, heading=True)
                pdf.set_font(FAMILY, "", SMALL)
        x, y = pdf.l_margin, pdf.get_y()
        if heading:
            pdf.set_fill_color(235)
            pdf.rect(x, y, sum(widths), height, style="F")
            pdf.set_fill_color(255)
        for lines, width in zip(wrapped, widths, strict=True):
            for n, line in enumerate(lines):
                pdf.text(x + pad, y + pad + (n + 0.78) * line_height, line)
            x += width
        pdf.line(pdf.l_margin, y + height, pdf.l_margin + sum(widths), y + height)
        pdf.set_y(y + height)

    pdf.set_font(FAMILY, "", SMALL)
    regular = _Widths(pdf)
    pdf.set_font(FAMILY, "B", SMALL)
    bold = _Widths(pdf)
    draw(heads, heading=True)
    for cells in rows:
        draw(cells, heading=False)


def clinician_pdf(
    data: ReportData, t: Words, dates: DateWords, chart: ChartText, graph: Graph | None
) -> bytes:
    """The report: who and when, the figures, the chart, where it hurts, the tags, every
    symptom check with the answers behind it, then every entry (notes if chosen)."""
    s = data.summary
    pdf = _Pdf(t("diary.report.page"))
    pdf.set_title(t("diary.report.title"))
    pdf.set_creator("BackCare")
    pdf.add_page()
    w = _Writer(pdf)
    w.line(t("diary.report.title"), size=18, bold=True)
    pdf.ln(3)
    w.line(t("diary.report.patient"), size=BODY + 1)
    pdf.ln(2)
    made = dates.day(data.generated.astimezone(data.tz).date())
    w.line(t("diary.report.period", start=dates.day(s.start), end=dates.day(s.end), made=made))
    w.line(zone_line(data, t, dates))
    pdf.set_text_color(*GREY)
    w.line(t("diary.report.disclaimer"), size=SMALL)
    pdf.set_text_color(0)

    w.heading(t("diary.report.figures"))
    for line in _figure_lines(data, t, dates):
        w.line(line)
    if s.entries:
        png = pain_chart_png(
            data.entries, start=s.start, end=s.end, tz=data.tz, text=chart, size=CHART_SIZE
        )
        pdf.ln(2)
        pdf.image(io.BytesIO(png), w=pdf.epw)

    total = len(data.entries)
    w.heading(t("diary.report.places"))
    places = Counter(p for e in data.entries for p in e.places)
    for line in _count_lines(t, "place", places, total) or [t("diary.report.no_places")]:
        w.line(line)
    w.heading(t("diary.report.tags"))
    for line in _count_lines(t, "tag", tag_counts(data.entries), total) or [
        t("diary.report.no_tags")
    ]:
        w.line(line)
    _helps(w, data, t, dates)
    _checks(w, data, t, dates, graph)
    w.heading(t("diary.report.table"))
    if data.entries:
        _table(pdf, data, t, dates)
    else:
        w.line(t("diary.report.no_entries"))
    for page in data.pages:
        pdf.add_page()
        w.heading(page.title)
        for line in page.lines:
            w.line(line)
        if page.chart is not None:
            pdf.ln(2)
            pdf.image(io.BytesIO(page.chart()), w=pdf.epw)
    return bytes(pdf.output())
