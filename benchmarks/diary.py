"""Diary timings for one person with five years of daily entries.

    .venv/bin/python benchmarks/diary.py [--runs 7]

Measures what a person waits for: the /diary summary plus its chart, the CSV
export and the PDF report (with notes, and with a symptom check every month),
each the median of several runs after a warm-up, on a real database file.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.content import load
from bot.diary import queries as diary_service
from bot.diary import report as reports
from bot.diary.charts import pain_chart_png
from bot.diary.dates import PLACES, TAGS, zone
from storage import diary, users
from storage.db import open_db, to_db

USER = 42
ZONE = "Europe/London"
YEARS = 5
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TARGETS_MS = {"summary + chart (90 days)": 300, "CSV export": 200, "PDF export": 1000}


def fill(db, rng: random.Random) -> int:
    users.ensure(db, USER, "en", NOW)
    users.set_consent(db, USER, NOW)
    users.set_time_zone(db, USER, ZONE)
    days = 365 * YEARS
    with db.atomic():
        for day in range(days, 0, -1):
            moment = NOW - timedelta(days=day, hours=rng.randint(0, 12))
            diary.add_entry(
                db,
                USER,
                recorded_at=moment,
                pain=rng.randint(1, 8),
                places=rng.sample(PLACES, rng.randint(1, 2)),
                tags=rng.sample(TAGS, rng.randint(0, 3)),
                note=("woke up stiff, eased after a walk " * rng.randint(1, 6))
                if rng.random() < 0.3
                else None,
                source="log",
                now=moment,
            )
            if day % 30 == 0:  # a symptom check a month, the report lists those in range
                db.execute(
                    "insert into triage_results (user_id, created_at, answers, tier,"
                    " explanations) values (?, ?, ?, ?, ?)",
                    [USER, to_db(moment), '{"mimic": "none", "legs": "weak"}', "urgent", "[]"],
                )
    return days


def median_ms(task: Callable[[], object], runs: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        task()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        task()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    content = load()
    strings = content.strings

    def t(key: str, **params: object) -> str:
        return strings.t("en", key, **params)

    words = diary_service.date_words(t)
    graph = content.triage
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db")
        count = fill(db, random.Random(5))

        def summary_and_chart(days: int) -> bytes:
            period = diary_service.period(db, USER, ZONE, NOW, days)
            return pain_chart_png(
                period.entries,
                start=period.summary.start,
                end=period.summary.end,
                tz=period.tz,
                text=diary_service.chart_text(t, days),
            )

        def csv_export() -> bytes:
            return reports.diary_csv(diary.all_entries(db, USER), zone(ZONE), t)

        def pdf_export() -> bytes:
            data = diary_service.report_data(db, USER, ZONE, NOW, include_notes=True)
            chart = diary_service.chart_text(t, diary_service.REPORT_DAYS)
            return reports.clinician_pdf(data, t, words, chart, graph)

        figures = {
            "summary + chart (30 days)": median_ms(lambda: summary_and_chart(30), args.runs),
            "summary + chart (90 days)": median_ms(lambda: summary_and_chart(90), args.runs),
            "CSV export": median_ms(csv_export, args.runs),
            "PDF export": median_ms(pdf_export, args.runs),
        }
        db.close()
    cpu = cpu_name()
    print(f"diary benchmark: {count} entries over {YEARS} years, median of {args.runs} runs")
    print(f"machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for name, ms in figures.items():
        target = TARGETS_MS.get(name)
        verdict = "" if target is None else f"  (target < {target} ms: "
        verdict += "" if target is None else ("ok)" if ms < target else "MISSED)")
        print(f"  {name:<28} {ms:8.1f} ms{verdict}")


if __name__ == "__main__":
    main()
