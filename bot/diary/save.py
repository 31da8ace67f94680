"""Saving a draft: a new entry (Save) or changes to one (Save changes), then the flare check."""

from __future__ import annotations

import logging

from bot.chat.callbacks import Expired, Press
from bot.chat.turn import Button, Turn, keyboard
from bot.diary import queries as diary_service
from bot.diary.dates import valid_moment
from bot.diary.draft import EDIT, QUICK, REVIEW, WHEN, current, draft_at, draft_details, go
from bot.diary.text import button, dates, entry_view
from bot.triage import buttons as triage_buttons
from storage import diary
from storage.db import to_db

log = logging.getLogger(__name__)


async def on_save(turn: Turn, press: Press) -> None:
    conv = current(turn, press, QUICK, REVIEW)  # QUICK: "Save now" right after the score
    if not turn.user.consented:
        turn.clear()
        await turn.reply(
            turn.t("diary.needs_consent"), keyboard([*turn.consent_rows(), [turn.menu_button()]])
        )
        return
    data, now = conv.data, turn.now()
    at = draft_at(data) or now
    if not valid_moment(at, now):
        await go(turn, WHEN, data)
        return
    with turn.db.atomic():  # the entry and the end of the draft, together or not at all
        entry_id = diary.add_entry(
            turn.db,
            turn.user_id,
            recorded_at=at,
            pain=data.get("pain"),
            places=data.get("places", []),
            tags=data.get("tags", []),
            note=data.get("note"),
            source="log",
            dedup_key=f"log:{turn.user_id}:{data['k']}",
            now=now,
        )
        turn.clear()
    log.info("diary entry %s saved for user %s", entry_id, turn.user_id)
    saved = {**data, "at": to_db(at)}
    markup = keyboard(
        [
            [button(turn, "log_another", "new"), button(turn, "diary", "view", 30)],
            [turn.menu_button()],
        ]
    )
    await turn.answer()
    await turn.reply(turn.t("diary.saved", details=draft_details(turn, saved)), markup)
    if diary_service.newly_in_both_legs(turn.db, turn.user_id, entry_id):
        await send_warning(turn, "diary.both_legs")
    await send_flare(turn)


async def on_update(turn: Turn, press: Press) -> None:
    conv = current(turn, press, EDIT)
    data = conv.data
    changed = diary.update_entry(
        turn.db,
        turn.user_id,
        data["entry"],
        recorded_at=draft_at(data) or turn.now(),
        pain=data.get("pain"),
        places=data.get("places", []),
        tags=data.get("tags", []),
        note=data.get("note"),
        time_zone=data.get("zone") or turn.user.time_zone or "UTC",
    )
    turn.clear()
    entry = diary.get_entry(turn.db, turn.user_id, data["entry"])
    if not changed or entry is None:
        raise Expired("the entry is gone")
    log.info("diary entry %s changed for user %s", entry.id, turn.user_id)
    text, markup = entry_view(turn, entry, data.get("page", 0))
    await turn.reply(f"{turn.t('diary.changed')}\n\n{text}", markup)


async def send_flare(turn: Turn) -> bool:
    """After a save: if the newest scores are a flare, the warning signs first, then the rest."""
    found = diary_service.flare_check(turn.db, turn.user_id)
    if found is None:
        return False
    words = dates(turn)
    rise = {"recent": words.number(found.recent), "baseline": words.number(found.baseline)}
    await send_warning(turn, "diary.flare", **rise, rise=words.number(found.rise))
    for hook in turn.svc.registry.on_flare:  # the warning signs first, then the rest
        await hook(turn)
    return True


async def send_warning(turn: Turn, key: str, **values: str) -> None:
    """The warning signs, with a check that asks about them first (the check begins with them)."""
    rows: list[list[Button]] = []
    if "triage" in turn.svc.registry.features:
        rows.append([(turn.t("diary.button.triage"), triage_buttons.start())])
    rows.append([turn.menu_button()])
    await turn.send(turn.t(key, emergency=turn.emergency(), **values), keyboard(rows))
