"""The plan's chart: each activity's rating (0 can't - 10 as before) week by week, and the
week's average pain below it. No telegram here; drawn like the diary's chart (its own
Figure on the Agg canvas, under the shared render lock) so it can run in a thread."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.diary.charts import FONT, LINE_COLOUR, PNG_DPI, RENDER_LOCK
from storage.plans import Activity, Rating, Week

COLOURS = ("#5b8fd6", "#2e7d5b", "#8e44ad")
SIZE = (8.0, 6.5)


@dataclass(frozen=True)
class ChartWords:
    title: str
    ratings: str  # the top panel's axis
    pain: str  # the bottom panel's axis
    week: Callable[[int], str]  # "Start", "Week 1", ...


def chart_words(t: Callable[..., str]) -> ChartWords:
    return ChartWords(
        title=t("programme.chart.title"),
        ratings=t("programme.chart.ratings"),
        pain=t("programme.chart.pain"),
        week=lambda n: t("programme.chart.start") if n == 0 else t("programme.chart.week", week=n),
    )


def _drawable(name: str) -> str:
    """A typed name without what the chart's font cannot draw (emoji would be empty boxes)."""
    kept = "".join(
        c for c in name
        if unicodedata.category(c) not in ("So", "Cs", "Co", "Cf", "Cc") and ord(c) < 0x1F000
    )  # fmt: skip
    return " ".join(kept.split())


def progress_figure(
    activities: Sequence[Activity],
    ratings: Sequence[Rating],
    weeks: Sequence[Week],
    words: ChartWords,
    size: tuple[float, float] = SIZE,
) -> Figure:
    fig = Figure(figsize=size, dpi=PNG_DPI)
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    last_week = max([r.week for r in ratings] + [w.week for w in weeks] + [1])
    for n, activity in enumerate(activities):
        mine = sorted((r for r in ratings if r.activity_id == activity.id), key=lambda r: r.week)
        label = _drawable(activity.name) or f"{n + 1}"
        label = label if len(label) <= 40 else label[:39] + "…"
        label = label.replace("$", r"\$")  # typed text: a $ would start matplotlib's maths
        top.plot([r.week for r in mine], [r.score for r in mine], marker="o", linewidth=2.5,
                 color=COLOURS[n % len(COLOURS)], label=label)  # fmt: skip
    top.set_ylim(-0.5, 10.5)
    top.set_yticks(range(0, 11, 2))
    top.set_ylabel(words.ratings, fontsize=FONT - 1)
    top.grid(axis="y", alpha=0.3)
    if activities:
        top.legend(loc="upper left", fontsize=FONT - 3, frameon=False)
    # A week done again after a flare shows its latest figures, as its ratings do.
    pains = {w.week: w.pain_avg for w in weeks if w.pain_avg is not None and w.outcome != "flare"}
    bottom.bar(list(pains), list(pains.values()), color=LINE_COLOUR, alpha=0.7,
               width=0.5)  # fmt: skip
    bottom.set_ylim(0, 10)
    bottom.set_yticks(range(0, 11, 5))
    bottom.set_ylabel(words.pain, fontsize=FONT - 1)
    bottom.grid(axis="y", alpha=0.3)
    ticks = list(range(0, last_week + 1))
    bottom.set_xticks(ticks)
    bottom.set_xticklabels([words.week(n) for n in ticks], fontsize=FONT - 3)
    bottom.set_xlim(-0.5, last_week + 0.5)
    fig.suptitle(words.title, fontsize=FONT + 2)
    fig.subplots_adjust(left=0.12, right=0.97, top=0.9, bottom=0.1, hspace=0.15)
    return fig


def progress_png(
    activities: Sequence[Activity],
    ratings: Sequence[Rating],
    weeks: Sequence[Week],
    words: ChartWords,
    size: tuple[float, float] = SIZE,
) -> bytes:
    with RENDER_LOCK:
        fig = progress_figure(activities, ratings, weeks, words, size)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=PNG_DPI)
        return buffer.getvalue()
