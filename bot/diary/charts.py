"""The pain chart: every score, the daily average, and when each tag came up. No telegram here.

Rendered with matplotlib's Agg canvas on a Figure of its own (never pyplot), so it
can run in a worker thread; RENDER_LOCK keeps matplotlib's shared caches to one
renderer at a time.
"""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.gridspec import SubplotSpec
from matplotlib.ticker import FuncFormatter

from bot.diary.stats import daily_averages
from storage.diary import Entry

RENDER_LOCK = threading.Lock()
# A missing glyph (an emoji in a note) draws as a box; the warning would copy the
# person's character into the logs.
warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from")
PNG_SIZE = (8.0, 6.0)  # inches; at PNG_DPI about 960 x 720 pixels, sharp on a phone
PNG_DPI = 120
FONT = 13
POINT_COLOUR = "#5b8fd6"
LINE_COLOUR = "#c0392b"
TAG_COLOUR = "#2e7d5b"


@dataclass(frozen=True)
class ChartText:
    """The words on a chart, in the reader's language."""

    title: str
    pain_axis: str  # "Pain (0-10)"
    each_entry: str
    daily_average: str
    tags: Mapping[str, str]  # tag id -> name
    months: Sequence[str]  # twelve short month names


def _local(moment: datetime, tz: tzinfo) -> datetime:
    # matplotlib plots aware datetimes in UTC; a naive local time plots where the person lives
    return moment.astimezone(tz).replace(tzinfo=None)


def draw_pain_chart(
    fig: Figure,
    spec: SubplotSpec,
    entries: Sequence[Entry],
    *,
    start: date,
    end: date,
    tz: tzinfo,
    text: ChartText,
) -> None:
    """Draw the chart for local days start..end (inclusive) into one cell of a figure."""
    shown = [e for e in entries if start <= e.recorded_at.astimezone(tz).date() <= end]
    tags = [tag for tag in text.tags if any(tag in e.tags for e in shown)]
    ratios = [4.0, 0.45 * len(tags) + 0.3] if tags else [1.0]
    grid = spec.subgridspec(len(ratios), 1, height_ratios=ratios, hspace=0.08)
    pain_ax = fig.add_subplot(grid[0])
    left = date2num(datetime.combine(start, time()))
    right = date2num(datetime.combine(end + timedelta(days=1), time()))

    scored = [e for e in shown if e.pain is not None]
    pain_ax.scatter(
        [_local(e.recorded_at, tz) for e in scored],
        [e.pain for e in scored],
        s=28,
        color=POINT_COLOUR,
        alpha=0.55,
        label=text.each_entry,
        zorder=2,
    )
    averages = daily_averages(scored, tz)
    pain_ax.plot(
        [datetime.combine(day, time(12)) for day, _ in averages],
        [value for _, value in averages],
        color=LINE_COLOUR,
        linewidth=2.4,
        marker="o" if len(averages) < 40 else None,
        markersize=4,
        label=text.daily_average,
        zorder=3,
    )
    pain_ax.set_ylim(-0.5, 10.5)
    pain_ax.set_yticks(range(0, 11, 2))
    pain_ax.set_ylabel(text.pain_axis, fontsize=FONT)
    pain_ax.set_title(text.title, fontsize=FONT + 3, loc="left", pad=10)
    pain_ax.grid(axis="y", alpha=0.3)
    pain_ax.legend(loc="upper left", fontsize=FONT - 2, frameon=False, ncols=2)
    pain_ax.tick_params(labelsize=FONT)
    axes = [pain_ax]

    if tags:
        tag_ax = fig.add_subplot(grid[1], sharex=pain_ax)
        for row, tag in enumerate(tags):
            times = [_local(e.recorded_at, tz) for e in shown if tag in e.tags]
            tag_ax.scatter(times, [row] * len(times), marker="|", s=160, color=TAG_COLOUR)
        tag_ax.set_yticks(range(len(tags)), [text.tags[tag] for tag in tags], fontsize=FONT - 3)
        tag_ax.set_ylim(len(tags) - 0.5, -0.5)
        tag_ax.grid(axis="y", alpha=0.2)
        tag_ax.tick_params(axis="x", labelsize=FONT)
        pain_ax.tick_params(axis="x", labelbottom=False)
        axes.append(tag_ax)

    months = list(text.months)

    def day_label(value: float, _pos: object) -> str:
        moment = num2date(value)
        return f"{moment.day} {months[moment.month - 1]}"

    bottom = axes[-1]
    bottom.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=7))
    bottom.xaxis.set_major_formatter(FuncFormatter(day_label))
    pain_ax.set_xlim(left, right)


def pain_chart_png(
    entries: Sequence[Entry], *, start: date, end: date, tz: tzinfo, text: ChartText
) -> bytes:
    """The chart as PNG bytes (call from a worker thread: it takes a while)."""
    with RENDER_LOCK:
        fig = Figure(figsize=PNG_SIZE, dpi=PNG_DPI)
        FigureCanvasAgg(fig)
        fig.subplots_adjust(left=0.2, right=0.94, top=0.9, bottom=0.08)
        spec = fig.add_gridspec(1, 1)[0]
        draw_pain_chart(fig, spec, entries, start=start, end=end, tz=tz, text=text)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=PNG_DPI)
        return buffer.getvalue()
