"""The pain chart with little data and long words: a few entries fill a week, gaps
between days show, dots keep off the frame, Spanish labels are never cut off."""

import io
import math
from datetime import UTC, date, datetime, timedelta

from PIL import Image

from bot.content import load
from bot.diary import queries
from bot.diary.charts import RENDER_LOCK, _average_line, chart_figure, shown_from
from bot.diary.dates import TAGS
from storage import diary
from storage.diary import Entry
from tests.helpers import db_of

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
START = TODAY - timedelta(days=89)
STRINGS = load().strings


def entry(moment, pain, tags=()):
    return Entry(1, 1, moment, moment, pain, ("lower_back",), tuple(tags), None, "log", None)


def text(lang):
    return queries.chart_text(lambda key, **kw: STRINGS.t(lang, key, **kw), 90)


def drawn(entries, lang="en"):
    with RENDER_LOCK:
        fig = chart_figure(entries, start=START, end=TODAY, tz=UTC, text=text(lang))
        fig.canvas.draw()
    return fig


def test_a_few_recent_entries_fill_a_week_not_ninety_empty_days():
    few = [entry(NOW - timedelta(days=2), 4), entry(NOW, 6)]
    assert shown_from(few, START, TODAY, UTC) == TODAY - timedelta(days=6)
    fig = drawn(few)
    assert fig.axes[0].get_title(loc="left") == "Pain, 24 Feb to 2 Mar"
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["24 Feb", "25 Feb", "26 Feb", "27 Feb", "28 Feb", "1 Mar", "2 Mar"]
    spread = [entry(NOW - timedelta(days=89), 4), entry(NOW, 6)]
    assert shown_from(spread, START, TODAY, UTC) == START
    assert drawn(spread).axes[0].get_title(loc="left") == "Pain, last 90 days"


def test_the_daily_average_breaks_across_days_without_a_score():
    days = [(date(2026, 2, 1), 4.0), (date(2026, 2, 2), 5.0), (date(2026, 2, 6), 3.0)]
    xs, ys = _average_line(days)
    assert len(xs) == 4 and math.isnan(ys[2]) and ys[:2] == [4.0, 5.0] and ys[3] == 3.0


def test_no_dot_touches_the_frame():
    first_moment = datetime.combine(TODAY - timedelta(days=6), datetime.min.time(), UTC)
    edges = [entry(first_moment, 0), entry(NOW.replace(hour=23, minute=59), 10)]
    ax = drawn(edges).axes[0]
    offsets = ax.collections[0].get_offsets()
    left, right = ax.get_xlim()
    bottom, top = ax.get_ylim()
    assert left < min(offsets[:, 0]) and max(offsets[:, 0]) < right
    assert bottom <= -0.5 and top >= 10.5


def test_spanish_labels_are_never_cut_off():
    every_tag = [entry(NOW - timedelta(days=d), d % 11, TAGS) for d in range(0, 60, 3)]
    fig = drawn(every_tag, "es")
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    labels = [t for ax in fig.axes for t in ax.get_yticklabels() + ax.get_xticklabels()]
    labels += [fig.axes[0].yaxis.label, fig.axes[0].title, *fig.legends[0].get_texts()]
    assert any("Hormigueo" in t.get_text() for t in labels)
    for label in labels:
        if label.get_text() and label.get_visible():
            box = label.get_window_extent(renderer)
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1, label.get_text()
            assert frame.y0 <= box.y0 and box.y1 <= frame.y1, label.get_text()


async def test_diary_with_two_entries_in_spanish_sends_a_chart(harness):
    ana = harness.user(1003, language_code="es")
    await ana.send("/start")
    await ana.press("Sí")
    db, now = db_of(harness), harness.clock()
    for days_ago, pain in ((3, 7), (0, 5)):
        moment = now - timedelta(days=days_ago)
        diary.add_entry(
            db, 1003, recorded_at=moment, pain=pain, places=[], tags=["leg_tingling"],
            note=None, source="log", now=now,
        )  # fmt: skip
    await ana.send("/diary")
    (photo,) = ana.files("photo")
    assert Image.open(io.BytesIO(photo.file_bytes)).size[0] == 960
