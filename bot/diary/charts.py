"""The pain chart: every score, the daily average, and when each tag came up. No telegram here.

Rendered with matplotlib's Agg canvas on a Figure of its own (never pyplot), so it
can run in a worker thread; RENDER_LOCK keeps matplotlib's shared caches to one
renderer at a time.
"""

from __future__ import annotations

import io
import math
import textwrap
import threading
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter

from bot.diary.dates import DateWords
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
MIN_DAYS_SHOWN = 7  # a few entries fill a week, not a 90-day stretch of empty space
DAILY_TICKS_UP_TO = 14  # days; a longer view gets fewer, automatic ticks
TAG_LABEL_WIDTH = 30  # characters per line of a tag name beside its row
TAG_ROW_INCHES = 0.35
PAD = 0.02  # of the time span, each side: no dot sits on the frame


@dataclass(frozen=True)
class ChartText:
    """The words on a chart, in the reader's language."""

    title: Callable[[int], str]  # "Pain, last {days} days"
    title_range: Callable[[str, str], str]  # "Pain, {start} to {end}"
    pain_axis: str  # "Pain (0-10)"
    each_entry: str
    daily_average: str
    tags: Mapping[str, str]  # tag id -> name
    dates: DateWords


def _local(moment: datetime, tz: tzinfo) -> datetime:
    # matplotlib plots aware datetimes in UTC; a naive local time plots where the person lives
    return moment.astimezone(tz).replace(tzinfo=None)


def shown_from(entries: Sequence[Entry], start: date, end: date, tz: tzinfo) -> date:
    """The first day drawn: the period's start, or later when its entries are all recent
    (at least MIN_DAYS_SHOWN days still show, so one entry is not a lone dot)."""
    days = [e.recorded_at.astimezone(tz).date() for e in entries]
    first = min((d for d in days if d >= start), default=end)
    return max(start, min(first, end - timedelta(days=MIN_DAYS_SHOWN - 1)))


def _tags_shown(entries: Sequence[Entry], text: ChartText) -> list[str]:
    return [tag for tag in text.tags if any(tag in e.tags for e in entries)]


def _average_line(averages: Sequence[tuple[date, float]]) -> tuple[list, list]:
    """Daily averages at midday, broken (NaN) across days with no score: a gap shows as one."""
    xs: list = []
    ys: list[float] = []
    for i, (day, value) in enumerate(averages):
        if i and (day - averages[i - 1][0]).days > 1:
            xs.append(datetime.combine(day - timedelta(days=1), time(12)))
            ys.append(math.nan)
        xs.append(datetime.combine(day, time(12)))
        ys.append(value)
    return xs, ys


def draw_pain_chart(
    fig: Figure,
    entries: Sequence[Entry],
    *,
    start: date,
    end: date,
    tz: tzinfo,
    text: ChartText,
) -> None:
    """Draw the chart for local days start..end (inclusive) on a whole figure."""
    first = shown_from(entries, start, end, tz)
    shown = [e for e in entries if first <= e.recorded_at.astimezone(tz).date() <= end]
    tags = _tags_shown(shown, text)
    ratios = [4.0, 0.3 * len(tags) + 0.4] if tags else [1.0]
    grid = fig.add_gridspec(len(ratios), 1, height_ratios=ratios, hspace=0.06)
    pain_ax = fig.add_subplot(grid[0])
    left = date2num(datetime.combine(first, time()))
    right = date2num(datetime.combine(end + timedelta(days=1), time()))
    pad = (right - left) * PAD

    scored = [e for e in shown if e.pain is not None]
    pain_ax.scatter(
        [_local(e.recorded_at, tz) for e in scored],
        [e.pain for e in scored],
        s=30,
        color=POINT_COLOUR,
        alpha=0.55,
        label=text.each_entry,
        zorder=2,
        clip_on=False,
    )
    averages = daily_averages(scored, tz)
    xs, ys = _average_line(averages)
    pain_ax.plot(
        xs,
        ys,
        color=LINE_COLOUR,
        linewidth=2.4,
        marker="o",  # a day on its own, between gaps, still shows its average
        markersize=4 if len(averages) < 40 else 2.5,
        label=text.daily_average,
        zorder=3,
    )
    pain_ax.set_ylim(-0.7, 10.7)
    pain_ax.set_yticks(range(0, 11, 2))
    pain_ax.set_ylabel(text.pain_axis, fontsize=FONT)
    days = (end - first).days + 1
    dates = text.dates
    title = (
        text.title(days)
        if first == start
        else text.title_range(dates.short_day(first), dates.short_day(end))
    )
    pain_ax.set_title(title, fontsize=FONT + 3, loc="left", pad=12)
    pain_ax.grid(axis="y", alpha=0.3)
    # Under the whole chart: never over a dot, never over the title.
    fig.legend(
        loc="lower center",
        bbox_to_anchor=(0.5, 0.0),
        fontsize=FONT - 2,
        frameon=False,
        ncols=2,
        borderaxespad=0.3,
    )
    pain_ax.tick_params(labelsize=FONT)
    axes = [pain_ax]

    if tags:
        tag_ax = fig.add_subplot(grid[1], sharex=pain_ax)
        for row, tag in enumerate(tags):
            times = [_local(e.recorded_at, tz) for e in shown if tag in e.tags]
            tag_ax.scatter(times, [row] * len(times), marker="|", s=160, color=TAG_COLOUR)
        names = [textwrap.fill(text.tags[tag], TAG_LABEL_WIDTH) for tag in tags]
        tag_ax.set_yticks(range(len(tags)), names, fontsize=FONT - 3)
        tag_ax.set_ylim(len(tags) - 0.4, -0.6)
        tag_ax.grid(axis="y", alpha=0.2)
        tag_ax.tick_params(axis="x", labelsize=FONT)
        pain_ax.tick_params(axis="x", labelbottom=False)
        axes.append(tag_ax)

    def day_label(value: float, _pos: object) -> str:
        return dates.short_day(num2date(value).date())

    bottom = axes[-1]
    if days <= DAILY_TICKS_UP_TO:  # one label under the middle of each day (or every other)
        noons = [
            date2num(datetime.combine(first + timedelta(days=n), time(12))) for n in range(days)
        ]
        bottom.xaxis.set_major_locator(FixedLocator(noons[:: 1 if days <= 8 else 2]))
    else:
        bottom.xaxis.set_major_locator(AutoDateLocator(minticks=4, maxticks=8))
    bottom.xaxis.set_major_formatter(FuncFormatter(day_label))
    pain_ax.set_xlim(left - pad, right + pad)


def chart_figure(
    entries: Sequence[Entry],
    *,
    start: date,
    end: date,
    tz: tzinfo,
    text: ChartText,
    size: tuple[float, float] = PNG_SIZE,
) -> Figure:
    """The chart on a figure of its own (hold RENDER_LOCK while drawing it)."""
    first = shown_from(entries, start, end, tz)
    shown = [e for e in entries if first <= e.recorded_at.astimezone(tz).date() <= end]
    # Each tag row gets room of its own, so the pain panel never shrinks for them.
    width, height = size
    height += TAG_ROW_INCHES * max(0, len(_tags_shown(shown, text)) - 2)
    fig = Figure(figsize=(width, height), dpi=PNG_DPI)
    canvas = FigureCanvasAgg(fig)
    draw_pain_chart(fig, entries, start=start, end=end, tz=tz, text=text)
    _fit_margins(fig, canvas.get_renderer())
    return fig


def _fit_margins(fig: Figure, renderer) -> None:
    """Margins sized to the labels, so long Spanish tag names are never cut off.
    (Constrained layout does the same with two extra drawing passes: three times slower.)"""
    points = fig.dpi / 72  # pixels per point
    width, height = fig.bbox.width, fig.bbox.height

    def widest(texts) -> float:
        found = 0.0
        for item in texts:
            for line in item.get_text().split("\n"):
                w, _, _ = renderer.get_text_width_height_descent(
                    line, item.get_fontproperties(), ismath=False
                )
                found = max(found, w)
        return found

    pain_ax = fig.axes[0]
    scores = widest(pain_ax.get_yticklabels()) + 8 * points  # "10" and the tick
    tags = max((widest(ax.get_yticklabels()) for ax in fig.axes[1:]), default=0.0)
    left = max(tags + 12 * points, scores + (FONT * 1.5 + 8) * points)  # + the axis name
    bottom = (FONT * 1.4 + (FONT - 2) * 2.2 + 6) * points  # dates, then the legend
    top = (FONT + 3) * 1.3 * points + 14 * points  # the title and its gap
    fig.subplots_adjust(
        left=left / width,
        right=1 - 14 * points / width,
        bottom=bottom / height,
        top=1 - top / height,
    )
    # The axis name (on its side, anchored at its right edge) just left of the scores.
    pain_ax.yaxis.set_label_coords(-(scores + 4 * points) / pain_ax.bbox.width, 0.5)


def pain_chart_png(
    entries: Sequence[Entry],
    *,
    start: date,
    end: date,
    tz: tzinfo,
    text: ChartText,
    size: tuple[float, float] = PNG_SIZE,
) -> bytes:
    """The chart as PNG bytes (call from a worker thread: it takes a while)."""
    with RENDER_LOCK:
        fig = chart_figure(entries, start=start, end=end, tz=tz, text=text, size=size)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=PNG_DPI)
        return buffer.getvalue()
