"""Asking for a person's time zone: region buttons, a shared location, or a typed place.

Other capabilities call `ask(turn, back=(flow, step, data))`: once the zone is
confirmed, that conversation step is stored again and the flow's resumer shows
it. The button `timezone.buttons.ask()` asks with nowhere to go back to;
`ask(flow)` goes back to `flow`'s resumer at step "after_zone"
(only for the flows in RETURN_FLOWS; any other is treated as expired).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import Application, ContextTypes

from bot.chat import callbacks
from bot.chat.registry import services
from bot.chat.turn import Turn, begin, day_name, expired, keyboard, press
from bot.timezone.buttons import FLOW
from bot.timezone.places import REGIONS, city_name, match, suggest, zone_at
from storage import schedules, users
from storage.conversations import Conversation
from storage.recurrence import is_zone, local

# Flows whose screens carry a "Change time zone" button (`timezone.buttons.ask(flow)`) and
# whose resumer shows that screen again at step "after_zone". Any other flow in the
# button is forged: resuming it there would draw a step it does not have.
RETURN_FLOWS = frozenset({"c", "g"})
log = logging.getLogger(__name__)
Back = tuple[str, str, dict[str, Any]]


def _slug(zone: str) -> str:
    return zone.replace("/", ".")  # callback parts may not hold "/"; zone names have no "."


def _unslug(slug: str) -> str | None:
    zone = slug.replace(".", "/")
    return zone if is_zone(zone) else None


async def ask(
    turn: Turn, back: Back | None = None, *, prefix: str = "", optional: bool = False
) -> None:
    """Start asking (a new message); afterwards go back to `back`, if given. `optional`:
    the person may answer "Not now", which also goes back to `back` (with no zone)."""
    data = {"back": list(back) if back else None, "optional": bool(optional and back)}
    conversation = turn.put(FLOW, "ask", data)
    await _show_ask(turn, conversation, new_message=True, prefix=prefix)


def _suggested(turn: Turn) -> str | None:
    """The zone the person's Telegram language points to, unless it is theirs already."""
    sender = turn.update.effective_user
    zone = suggest(sender.language_code if sender else None)
    return zone if zone != turn.user.time_zone else None


def _local_time_line(turn: Turn, zone: str) -> str:
    there = local(turn.now(), zone)
    return turn.t(
        "timezone.local_time",
        time=there.strftime("%H:%M"),
        day=day_name(turn, there.isoweekday(), long=True),
        zone=zone,
    )


async def _show_ask(
    turn: Turn, conversation: Conversation, *, new_message: bool = False, prefix: str = ""
) -> None:
    seq = conversation.seq
    text = turn.t("timezone.ask")
    if turn.user.time_zone:
        text = f"{turn.t('timezone.current', zone=turn.user.time_zone)}\n\n{text}"
    if prefix:
        text = f"{prefix}\n\n{text}"
    regions = [
        (turn.t(f"timezone.regions.{name}"), callbacks.encode(FLOW, "region", name, seq=seq))
        for name in REGIONS
    ]
    rows = [regions[i : i + 2] for i in range(0, len(regions), 2)]
    rows[-1].append(("UTC", callbacks.encode(FLOW, "pick", "UTC", seq=seq)))
    suggested = _suggested(turn)
    if suggested:
        label = turn.t("timezone.suggested", zone=suggested.replace("_", " "))
        rows.insert(0, [(label, callbacks.encode(FLOW, "pick", _slug(suggested), seq=seq))])
    rows.append([(turn.t("timezone.share_location"), callbacks.encode(FLOW, "loc", seq=seq))])
    cancel = "timezone.not_now" if conversation.data.get("optional") else "timezone.cancel"
    rows.append([(turn.t(cancel), callbacks.encode(FLOW, "cancel", seq=seq))])
    await turn.reply(text, keyboard(rows), new_message=new_message)


async def _show_zones(
    turn: Turn, conversation: Conversation, zones: list[str], title: str, *, full: bool = False
) -> None:
    """Zone buttons: city names for a region, whole zone names for "did you mean"."""
    seq = conversation.seq
    buttons = [
        (zone.replace("_", " ") if full else city_name(zone),
         callbacks.encode(FLOW, "pick", _slug(zone), seq=seq))
        for zone in zones
    ]  # fmt: skip
    per_row = 1 if full else 3
    rows = [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]
    rows.append([(turn.t("common.back"), callbacks.encode(FLOW, "again", seq=seq))])
    await turn.show(title, keyboard(rows))


async def _confirm(turn: Turn, conversation: Conversation, zone: str) -> None:
    """Ask "is it this time where you are?" before saving."""
    data = {**conversation.data, "zone": zone}
    step = turn.put(FLOW, "confirm", data)
    rows = [
        [(turn.t("timezone.yes"), callbacks.encode(FLOW, "ok", seq=step.seq))],
        [(turn.t("timezone.no"), callbacks.encode(FLOW, "again", seq=step.seq))],
    ]
    text = f"{_local_time_line(turn, zone)}\n{turn.t('timezone.is_that_right')}"
    await turn.show(text, keyboard(rows))


async def _save(turn: Turn, conversation: Conversation) -> None:
    zone = conversation.data.get("zone")
    if not is_zone(zone):
        return await expired(turn)
    users.set_time_zone(turn.db, turn.user_id, zone)
    moved = schedules.set_zone_for_user(turn.db, turn.user_id, zone, turn.now())
    turn.refresh_user()
    text = turn.t("timezone.saved", zone=zone)
    if moved:
        text += "\n" + turn.t("timezone.schedules_follow")
    back = conversation.data.get("back")
    resume = turn.svc.registry.resumers.get(back[0]) if back else None
    if back and resume is not None:
        await turn.show(text)
        await resume(turn, turn.put(back[0], back[1], back[2]))
        return
    turn.clear()
    await turn.show(text, keyboard([[turn.menu_button()]]))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    try:
        pressed = press(turn)
    except callbacks.Expired:
        return await expired(turn)
    if pressed.action == "ask":
        flow = pressed.args[0] if pressed.args else None
        if flow is not None and (flow not in RETURN_FLOWS or len(pressed.args) > 1):
            return await expired(turn)
        await turn.answer()
        return await ask(turn, (flow, "after_zone", {}) if flow else None)
    conversation = turn.pressed_step(pressed.seq, FLOW)
    if conversation is None:
        return await expired(turn)
    await turn.answer()
    action = pressed.action
    if action == "region" and pressed.arg(0) in REGIONS:
        step = turn.put(FLOW, "region", conversation.data)
        zones = [z for z in REGIONS[pressed.arg(0)] if is_zone(z)]
        await _show_zones(turn, step, zones, turn.t("timezone.pick_city"))
    elif action == "pick" and _unslug(pressed.arg(0)):
        await _confirm(turn, conversation, _unslug(pressed.arg(0)))  # type: ignore[arg-type]
    elif action == "again":
        await _show_ask(turn, turn.put(FLOW, "ask", conversation.data))
    elif action == "ok" and conversation.step == "confirm":
        await _save(turn, conversation)
    elif action == "loc":
        await _ask_location(turn, conversation)
    elif action == "cancel":
        await _cancel(turn, conversation)
    else:
        await expired(turn)


async def _cancel(turn: Turn, conversation: Conversation) -> None:
    back = conversation.data.get("back")
    resume = turn.svc.registry.resumers.get(back[0]) if back else None
    if conversation.data.get("optional") and back and resume is not None:
        await turn.show(turn.t("timezone.later"))  # "Not now": carry on without one
        await resume(turn, turn.put(back[0], back[1], back[2]))
        return
    turn.clear()
    await turn.show(turn.t("timezone.unchanged"), keyboard([[turn.menu_button()]]))


async def _ask_location(turn: Turn, conversation: Conversation) -> None:
    turn.put(FLOW, "location", conversation.data)
    reply = ReplyKeyboardMarkup(
        [
            [KeyboardButton(turn.t("timezone.send_location"), request_location=True)],
            [KeyboardButton(turn.t("timezone.location_cancel"))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    await turn.send(turn.t("timezone.location_help"), reply)


async def _close_keyboard(turn: Turn, conversation: Conversation, text: str) -> bool:
    """Leaving the location step: remove the reply keyboard (with a message, as Telegram needs)."""
    if conversation.step != "location":
        return False
    await turn.send(text, ReplyKeyboardRemove())
    return True


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    conversation = turn.conversation()
    place = update.effective_message.location if update.effective_message else None
    if conversation is None or place is None:
        return
    zone = await asyncio.to_thread(zone_at, place.latitude, place.longitude)
    log.info("time zone from a shared location: %s", "found" if zone else "none")
    if zone is None:
        await _close_keyboard(turn, conversation, turn.t("timezone.location_unknown"))
        return await _show_ask(turn, turn.put(FLOW, "ask", conversation.data), new_message=True)
    await _close_keyboard(turn, conversation, turn.t("timezone.got_it"))
    await _confirm(turn, conversation, zone)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    conversation = turn.conversation()
    message = update.effective_message
    if conversation is None or message is None or message.text is None:
        return
    text = message.text.strip()
    if conversation.step == "location" and text == turn.t("timezone.location_cancel"):
        await _close_keyboard(turn, conversation, turn.t("timezone.location_cancelled"))
        return await _show_ask(turn, turn.put(FLOW, "ask", conversation.data), new_message=True)
    found = match(text)  # the typed place is never logged
    if not found:
        closed = await _close_keyboard(turn, conversation, turn.t("timezone.not_found"))
        step = turn.put(FLOW, "ask", conversation.data)
        prefix = "" if closed else turn.t("timezone.not_found")
        return await _show_ask(turn, step, new_message=True, prefix=prefix)
    await _close_keyboard(turn, conversation, turn.t("timezone.got_it"))
    if len(found) == 1:
        return await _confirm(turn, conversation, found[0])
    step = turn.put(FLOW, "choose", conversation.data)
    await _show_zones(turn, step, found, turn.t("timezone.did_you_mean"), full=True)


async def resume(turn: Turn, conversation: Conversation) -> None:
    if conversation.step == "confirm" and is_zone(conversation.data.get("zone")):
        step = turn.put(FLOW, "ask", conversation.data)
        return await _confirm(turn, step, conversation.data["zone"])
    await _show_ask(turn, turn.put(FLOW, "ask", conversation.data), new_message=True)


def register(app: Application) -> None:
    registry = services(app).registry
    registry.buttons[FLOW] = on_button
    registry.text_inputs[FLOW] = on_text
    registry.typed_steps[FLOW] = frozenset({"ask", "location"})
    registry.location_inputs[FLOW] = on_location
    registry.resumers[FLOW] = resume
    registry.cancellers[FLOW] = _close_keyboard
