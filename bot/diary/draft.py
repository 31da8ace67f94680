"""A diary draft in `conversations` (flow "d"): its steps, where each leads, and how
each looks. A draft with an "entry" id changes that entry; each step then returns
to the edit menu instead of moving on.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.chat import callbacks
from bot.chat.callbacks import Expired, Press
from bot.chat.turn import Button, Turn, keyboard
from bot.diary.dates import (
    NOTE_LIMIT,
    PAIN_SCORES,
    PARTS,
    PLACES,
    TAGS,
    day_options,
    hours_ago_options,
    local_date,
    month_options,
    parse_day,
    parse_month,
)
from bot.diary.text import FLOW, button, dates, details, user_zone
from storage.conversations import Conversation
from storage.db import from_db

PAIN, QUICK, PLACES_STEP, TAGS_STEP, NOTE, WHEN, EARLIER, MONTH, DAY, PART, REVIEW, EDIT = (
    "pain",
    "quick",
    "places",
    "tags",
    "note",
    "when",
    "earlier",
    "month",
    "day",
    "part",
    "review",
    "edit",
)
# After the score, "Save now" or "Add details" (QUICK): one tap more, not six.
LOG_NEXT = {
    PAIN: QUICK,
    QUICK: PLACES_STEP,
    PLACES_STEP: TAGS_STEP,
    TAGS_STEP: NOTE,
    NOTE: WHEN,
    WHEN: REVIEW,
}
LOG_BACK = {
    QUICK: PAIN,
    PLACES_STEP: PAIN,
    TAGS_STEP: PLACES_STEP,
    NOTE: TAGS_STEP,
    WHEN: NOTE,
    REVIEW: WHEN,
}
FIELDS = {"pain": PAIN, "places": PLACES_STEP, "tags": TAGS_STEP, "note": NOTE, "when": WHEN}


def editing(data: dict[str, Any]) -> bool:
    return "entry" in data


def after(step: str, data: dict[str, Any]) -> str:
    """Where a finished field step leads: the edit menu, or the next step of /log."""
    return EDIT if editing(data) else LOG_NEXT[step]


def back_step(step: str, data: dict[str, Any]) -> str | None:
    if step in (EARLIER, MONTH):
        return WHEN
    if step == DAY:
        return MONTH
    if step == PART:
        return DAY if data.get("month") else WHEN
    if editing(data):
        return EDIT if step in FIELDS.values() else None
    return LOG_BACK.get(step)


def draft_at(data: dict[str, Any]) -> datetime | None:
    return from_db(data["at"]) if data.get("at") else None


def draft_details(turn: Turn, data: dict[str, Any]) -> str:
    return details(
        turn,
        pain=data.get("pain"),
        places=data.get("places", []),
        tags=data.get("tags", []),
        note=data.get("note"),
        at=draft_at(data),
        saved_zone=data.get("zone"),
    )


# ---------------------------------------------------------------- showing a step
def _nav(turn: Turn, conv: Conversation) -> list[Button]:
    row = []
    if back_step(conv.step, conv.data):
        row.append((turn.t("common.back"), callbacks.encode(FLOW, "back", seq=conv.seq)))
    row.append(button(turn, "cancel", "cancel", seq=conv.seq))
    return row


def _toggles(turn: Turn, conv: Conversation, group: str, ids: tuple[str, ...], per_row: int):
    chosen = set(conv.data.get("places" if group == "place" else "tags", []))
    labels = [(("✅ " if i in chosen else "") + turn.t(f"diary.{group}.{i}"), i) for i in ids]
    buttons = [(text, callbacks.encode(FLOW, group, i, seq=conv.seq)) for text, i in labels]
    return [buttons[n : n + per_row] for n in range(0, len(buttons), per_row)]


def _today(turn: Turn) -> date:
    return local_date(turn.now(), user_zone(turn))


def render(turn: Turn, conv: Conversation) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of the draft's current step."""
    step, data, seq = conv.step, conv.data, conv.seq
    rows: list[list[Button]] = []
    text = turn.t(f"diary.step.{step}") if step in (PAIN, PLACES_STEP, TAGS_STEP, WHEN) else ""
    if step == PAIN:
        chosen = data.get("pain")  # marked when changing an entry or coming back to the score
        scores = [
            (
                turn.t("diary.button.score_chosen", score=n) if n == chosen else str(n),
                callbacks.encode(FLOW, "pain", n, seq=seq),
            )
            for n in PAIN_SCORES
        ]
        rows += [scores[:6], scores[6:]]
    elif step == QUICK:
        text = turn.t("diary.step.quick", pain=data.get("pain"))
        rows.append(
            [
                button(turn, "save_now", "save", seq=seq),
                button(turn, "add_details", "next", seq=seq),
            ]
        )
    elif step == PLACES_STEP:
        rows += _toggles(turn, conv, "place", PLACES, 2)
        rows.append([button(turn, "next", "next", seq=seq)])
    elif step == TAGS_STEP:
        rows += _toggles(turn, conv, "tag", TAGS, 1)
        rows.append([button(turn, "next", "next", seq=seq)])
    elif step == NOTE:
        key = "diary.step.note_edit" if editing(data) else "diary.step.note"
        text = turn.t(key, limit=f"{NOTE_LIMIT:,}")
        if not editing(data):
            rows.append([button(turn, "skip", "skip", seq=seq)])
        else:
            rows.append([button(turn, "keep_note", "skip", seq=seq)])
            if data.get("note"):
                rows.append([button(turn, "remove_note", "nonote", seq=seq)])
    elif step == WHEN:
        first = [button(turn, "now", "when", "now", seq=seq)]
        if hours_ago_options(turn.now(), user_zone(turn)):
            first.append(button(turn, "earlier", "when", "today", seq=seq))
        rows.append(first)
        rows.append(
            [
                button(turn, "yesterday", "when", "yday", seq=seq),
                button(turn, "other_date", "when", "other", seq=seq),
            ]
        )
    elif step == EARLIER:
        text = turn.t("diary.step.earlier")
        hours = hours_ago_options(turn.now(), user_zone(turn))
        choices = [
            (turn.t("diary.button.hours_ago", hours=h), callbacks.encode(FLOW, "ago", h, seq=seq))
            for h in hours
        ]
        rows += [choices[n : n + 3] for n in range(0, len(choices), 3)]
    elif step == MONTH:
        text = turn.t("diary.step.month")
        months = [
            (dates(turn).month(y, m), callbacks.encode(FLOW, "month", f"{y}-{m:02d}", seq=seq))
            for y, m in month_options(_today(turn))
        ]
        rows += [months[n : n + 3] for n in range(0, len(months), 3)]
    elif step == DAY:
        today = _today(turn)
        year, month = parse_month(data.get("month", "")) or (today.year, today.month)
        text = turn.t("diary.step.day", month=dates(turn).month(year, month))
        days = [
            (str(d.day), callbacks.encode(FLOW, "day", d.isoformat(), seq=seq))
            for d in day_options(year, month, today)
        ]
        rows += [days[n : n + 7] for n in range(0, len(days), 7)]
    elif step == PART:
        day = parse_day(data.get("day", "")) or _today(turn)
        text = turn.t("diary.step.part", day=dates(turn).day(day))
        parts = [
            (turn.t(f"diary.part.{p}"), callbacks.encode(FLOW, "part", p, seq=seq)) for p in PARTS
        ]
        rows += [parts[:3], parts[3:]]
    elif step == REVIEW:
        text = turn.t("diary.step.review", details=draft_details(turn, data))
        rows.append([button(turn, "save", "save", seq=seq)])
    elif step == EDIT:
        text = turn.t("diary.step.edit", details=draft_details(turn, data))
        fields = [button(turn, f"field_{f}", "field", f, seq=seq) for f in FIELDS]
        rows += [fields[:2], fields[2:4], fields[4:]]
        rows.append([button(turn, "save_changes", "update", seq=seq)])
    rows.append(_nav(turn, conv))
    return text, keyboard(rows)


async def go(turn: Turn, step: str, data: dict[str, Any], *, new: bool = False) -> None:
    conv = turn.put(FLOW, step, data)
    text, markup = render(turn, conv)
    if new:
        await turn.send(text, markup)
    else:
        await turn.reply(text, markup)


async def resume(turn: Turn, conv: Conversation, prefix: str | None = None) -> None:
    """Show the draft's current step again as a new message."""
    text, markup = render(turn, conv)
    await turn.send(f"{prefix}\n\n{text}" if prefix else text, markup)


def current(turn: Turn, press: Press, *steps: str) -> Conversation:
    """The draft this button was drawn for, or Expired."""
    conv = turn.pressed_step(press.seq, FLOW, *steps)
    if conv is None:
        raise Expired("not the current diary step")
    return conv
