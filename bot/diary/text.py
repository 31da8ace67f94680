"""How diary entries and drafts read in the chat (shared by the diary handlers)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime, tzinfo

from telegram import InlineKeyboardMarkup

from bot.chat import callbacks
from bot.chat.turn import Button, Turn, keyboard
from bot.diary.buttons import FLOW
from bot.diary.dates import DateWords, zone
from bot.diary.queries import date_words
from bot.diary.report import label
from storage.diary import Entry


def user_zone(turn: Turn) -> tzinfo:
    return zone(turn.user.time_zone)


def dates(turn: Turn) -> DateWords:
    return date_words(turn.t)


def moment_text(turn: Turn, at: datetime, saved_zone: str | None = None) -> str:
    """A time in the person's own zone. An entry saved in another zone (before they set
    theirs) is shown in that zone, and any time not in their own zone names its zone:
    never a silent UTC."""
    own = turn.user.time_zone
    shown = saved_zone if saved_zone and saved_zone != own else own
    text = dates(turn).moment(at, zone(shown))
    return text if shown and shown == own else f"{text} ({shown or 'UTC'})"


def button(
    turn: Turn, key: str, action: str, *args: object, seq: int | None = None, **params: object
) -> Button:
    label = turn.t(f"diary.button.{key}", **params)
    return (label, callbacks.encode(FLOW, action, *args, seq=seq))


def names(turn: Turn, group: str, ids: Sequence[str]) -> str:
    if not ids:
        return turn.t("diary.line.none")
    return ", ".join(label(turn.t, f"diary.{group}.{i}", i) for i in ids)


def details(
    turn: Turn,
    *,
    pain: int | None,
    places: Sequence[str],
    tags: Sequence[str],
    note: str | None,
    at: datetime | None,
    saved_zone: str | None = None,
) -> str:
    """The lines describing an entry or a draft; `at` None means "now"; `saved_zone` the
    zone an entry was saved in."""
    lines = [
        turn.t("diary.line.pain", pain=pain) if pain is not None else turn.t("diary.line.no_pain"),
        turn.t("diary.line.places", places=names(turn, "place", places)),
        turn.t("diary.line.tags", tags=names(turn, "tag", tags)),
        turn.t("diary.line.note", note=html.escape(note))
        if note
        else turn.t("diary.line.note", note=turn.t("diary.line.none")),
        turn.t(
            "diary.line.when",
            when=moment_text(turn, at, saved_zone) if at else turn.t("diary.line.now"),
        ),
    ]
    return "\n".join(lines)


def entry_details(turn: Turn, entry: Entry) -> str:
    text = details(
        turn,
        pain=entry.pain,
        places=entry.places,
        tags=entry.tags,
        note=entry.note,
        at=entry.recorded_at,
        saved_zone=entry.time_zone,
    )
    if entry.source == "checkin":
        text += "\n" + turn.t("diary.line.source_checkin")
    elif entry.source == "stretches":
        routine = html.escape(entry.routine or "")
        text += "\n" + turn.t("diary.line.source_stretches", routine=routine)
    return text


def entry_label(turn: Turn, entry: Entry) -> str:
    """A one-line button label: when, score, first place (no notes: they may be long)."""
    when = moment_text(turn, entry.recorded_at, entry.time_zone)
    score = f"{entry.pain}/10" if entry.pain is not None else turn.t("diary.list.stretches")
    parts = [when, score]
    if entry.places:
        parts.append(label(turn.t, f"diary.place.{entry.places[0]}", entry.places[0]))
    return " · ".join(parts)


def entry_view(turn: Turn, entry: Entry, page: int) -> tuple[str, InlineKeyboardMarkup]:
    """One entry with Edit and Delete; `page` is the list page to go back to."""
    text = f"{turn.t('diary.entry.title')}\n{entry_details(turn, entry)}"
    markup = keyboard(
        [
            [
                button(turn, "edit", "edit", entry.id, page),
                button(turn, "delete", "del", entry.id, page),
            ],
            [button(turn, "back_to_entries", "list", page), turn.menu_button()],
        ]
    )
    return text, markup
