"""/log: a pain entry in a few taps; the draft's buttons and the typed note.

Nothing is stored until Save (bot/diary/save.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.chat.callbacks import Expired, Press
from bot.chat.turn import Turn, begin, keyboard
from bot.diary import save as diary_save
from bot.diary import tried as diary_tried
from bot.diary.dates import (
    NOTE_LIMIT,
    PAIN_SCORES,
    PARTS,
    PLACES,
    TAGS,
    at_part_of_day,
    day_options,
    hours_ago_options,
    local_date,
    month_options,
    parse_day,
    parse_month,
    valid_moment,
)
from bot.diary.draft import (
    DAY,
    EARLIER,
    EDIT,
    FIELDS,
    MONTH,
    NOTE,
    PAIN,
    PART,
    PLACES_STEP,
    QUICK,
    REVIEW,
    TAGS_STEP,
    WHEN,
    after,
    back_step,
    current,
    editing,
    go,
    resume,
)
from bot.diary.text import FLOW, entry_view, user_zone
from bot.timezone import handlers as timezone
from storage import diary, preferences
from storage.db import to_db

AFTER_ZONE = "after_zone"  # the step the time zone question comes back to


async def start(turn: Turn, pain: int | None = None, *, new: bool = True) -> None:
    """Begin a fresh draft (with the pain score already given, from a check-in). The first
    time, with no zone set, the person's zone is asked first ("Not now" carries on)."""
    if not turn.user.consented:
        text, markup = (
            turn.t("diary.needs_consent"),
            keyboard([*turn.consent_rows(), [turn.menu_button()]]),
        )
        await turn.reply(text, markup, new_message=new)
        return
    if not turn.user.time_zone and not preferences.time_zone_asked(turn.db, turn.user_id):
        preferences.set_time_zone_asked(turn.db, turn.user_id, turn.now())
        back = (FLOW, AFTER_ZONE, {"pain": pain})
        await timezone.ask(turn, back, prefix=turn.t("timezone.for_diary"), optional=True)
        return
    data = {"k": secrets.token_hex(8), "pain": pain, "places": [], "tags": [], "note": None}
    await go(turn, PAIN if pain is None else PLACES_STEP, data, new=new)


async def start_edit(turn: Turn, entry: diary.Entry, page: int) -> None:
    data = {
        "entry": entry.id,
        "page": page,
        "pain": entry.pain,
        "places": list(entry.places),
        "tags": list(entry.tags),
        "note": entry.note,
        "at": to_db(entry.recorded_at),
        "zone": entry.time_zone,
    }
    await go(turn, EDIT, data)


async def on_new(turn: Turn, press: Press) -> None:
    pain = press.int_arg(0) if press.args else None
    if pain is not None and pain not in PAIN_SCORES:
        raise Expired("pain out of range")
    await start(turn, pain, new=False)


# ---------------------------------------------------------------- step buttons
async def on_pain(turn: Turn, press: Press) -> None:
    conv = current(turn, press, PAIN)
    pain = press.int_arg(0)
    if pain not in PAIN_SCORES:
        raise Expired("pain out of range")
    await go(turn, after(PAIN, conv.data), {**conv.data, "pain": pain})


async def _toggle(turn: Turn, press: Press, step: str, field: str, allowed: tuple) -> None:
    conv = current(turn, press, step)
    choice = press.arg(0)
    if choice not in allowed:
        raise Expired("unknown choice")
    chosen = list(conv.data.get(field, []))
    chosen = [c for c in chosen if c != choice] if choice in chosen else [*chosen, choice]
    # keep ids this version does not offer (from another capability) rather than drop them
    ordered = [c for c in allowed if c in chosen] + [c for c in chosen if c not in allowed]
    await go(turn, step, {**conv.data, field: ordered})


async def on_place(turn: Turn, press: Press) -> None:
    await _toggle(turn, press, PLACES_STEP, "places", PLACES)


async def on_tag(turn: Turn, press: Press) -> None:
    await _toggle(turn, press, TAGS_STEP, "tags", TAGS)


async def on_next(turn: Turn, press: Press) -> None:
    conv = current(turn, press, QUICK, PLACES_STEP, TAGS_STEP)
    await go(turn, after(conv.step, conv.data), conv.data)


async def on_skip(turn: Turn, press: Press) -> None:
    conv = current(turn, press, NOTE)
    data = conv.data if editing(conv.data) else {**conv.data, "note": None}
    await go(turn, after(NOTE, data), data)


async def on_no_note(turn: Turn, press: Press) -> None:
    conv = current(turn, press, NOTE)
    await go(turn, EDIT, {**conv.data, "note": None})


async def _chosen_time(turn: Turn, data: dict[str, Any], at: datetime | None) -> None:
    # a newly picked time is in the person's zone now, not the one the entry was saved in
    data = {k: v for k, v in data.items() if k not in ("month", "day", "zone")}
    if at is None and editing(data):
        at = turn.now()
    data["at"] = to_db(at) if at else None
    await go(turn, EDIT if editing(data) else REVIEW, data)


async def on_when(turn: Turn, press: Press) -> None:
    conv = current(turn, press, WHEN)
    choice = press.arg(0)
    now, tz = turn.now(), user_zone(turn)
    if choice == "now":
        await _chosen_time(turn, conv.data, None)
    elif choice == "today" and hours_ago_options(now, tz):
        await go(turn, EARLIER, conv.data)
    elif choice == "yday":
        yesterday = local_date(now, tz) - timedelta(days=1)
        data = {k: v for k, v in conv.data.items() if k != "month"}
        await go(turn, PART, {**data, "day": yesterday.isoformat()})
    elif choice == "other":
        await go(turn, MONTH, conv.data)
    else:
        raise Expired("unknown time choice")


async def on_ago(turn: Turn, press: Press) -> None:
    conv = current(turn, press, EARLIER)
    hours = press.int_arg(0)
    if hours not in hours_ago_options(turn.now(), user_zone(turn)):
        raise Expired("no longer today")
    await _chosen_time(turn, conv.data, turn.now() - timedelta(hours=hours))


async def on_month(turn: Turn, press: Press) -> None:
    conv = current(turn, press, MONTH)
    chosen = parse_month(press.arg(0))
    if chosen not in month_options(local_date(turn.now(), user_zone(turn))):
        raise Expired("month out of range")
    await go(turn, DAY, {**conv.data, "month": press.arg(0)})


async def on_day(turn: Turn, press: Press) -> None:
    conv = current(turn, press, DAY)
    day = parse_day(press.arg(0))
    year, month = parse_month(conv.data.get("month", "")) or (0, 0)
    if day is None or day not in day_options(year, month, local_date(turn.now(), user_zone(turn))):
        raise Expired("day out of range")
    await go(turn, PART, {**conv.data, "day": day.isoformat()})


async def on_part(turn: Turn, press: Press) -> None:
    conv = current(turn, press, PART)
    part, day = press.arg(0), parse_day(conv.data.get("day", ""))
    if part not in PARTS or day is None:
        raise Expired("unknown part of the day")
    at = at_part_of_day(day, part, user_zone(turn))
    if not valid_moment(at, turn.now()):
        raise Expired("date out of range")
    await _chosen_time(turn, conv.data, at)


async def on_back(turn: Turn, press: Press) -> None:
    conv = turn.pressed_step(press.seq, FLOW)
    if conv is None:
        raise Expired("not the current diary step")
    target = back_step(conv.step, conv.data)
    if target is None:
        raise Expired("nowhere to go back to")
    await go(turn, target, conv.data)


async def on_field(turn: Turn, press: Press) -> None:
    conv = current(turn, press, EDIT)
    step = FIELDS.get(press.arg(0))
    if step is None:
        raise Expired("unknown field")
    await go(turn, step, conv.data)


async def on_cancel(turn: Turn, press: Press) -> None:
    conv = turn.pressed_step(press.seq, FLOW)
    if conv is None:
        raise Expired("not the current diary step")
    turn.clear()
    entry = (
        diary.get_entry(turn.db, turn.user_id, conv.data["entry"]) if editing(conv.data) else None
    )
    if entry is not None:
        text, markup = entry_view(turn, entry, conv.data.get("page", 0))
        await turn.reply(f"{turn.t('diary.edit_cancelled')}\n\n{text}", markup)
    else:
        await turn.reply(turn.t("diary.cancelled"), keyboard([[turn.menu_button()]]))


# ---------------------------------------------------------------- typed note
async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    conv = turn.conversation()
    if conv is None or conv.flow != FLOW:
        return
    if conv.step == diary_tried.NAME:
        typed = (update.effective_message.text or "").strip()  # type: ignore[union-attr]
        await diary_tried.on_name(turn, conv, typed)
        return
    if conv.step == diary_tried.PICK:
        await diary_tried.resume(turn, conv, turn.t("diary.use_buttons"))
        return
    if conv.step != NOTE:
        await resume(turn, conv, turn.t("diary.use_buttons"))
        return
    text = (update.effective_message.text or "").strip()  # type: ignore[union-attr]
    if len(text) > NOTE_LIMIT:
        prefix = turn.t(
            "diary.step.note_too_long", length=f"{len(text):,}", limit=f"{NOTE_LIMIT:,}"
        )
        await resume(turn, conv, prefix)
        return
    data = {**conv.data, "note": text or None}
    await go(turn, after(NOTE, data), data, new=True)


ACTIONS: dict[str, Callable[[Turn, Press], Awaitable[None]]] = {
    "new": on_new,
    "pain": on_pain,
    "place": on_place,
    "tag": on_tag,
    "next": on_next,
    "skip": on_skip,
    "nonote": on_no_note,
    "when": on_when,
    "ago": on_ago,
    "month": on_month,
    "day": on_day,
    "part": on_part,
    "back": on_back,
    "field": on_field,
    "cancel": on_cancel,
    "save": diary_save.on_save,
    "update": diary_save.on_update,
}
