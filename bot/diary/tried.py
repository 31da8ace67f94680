"""What I tried: a treatment or self-help noted in one or two taps, and the optional
"did it help?" an hour or two later.

The follow-up is a row the tick sends (`send_follow_ups`, registered as a tick hook):
nothing waits in memory, so a restart loses nothing; a claimed follow-up goes out at
most once. No dosing advice anywhere: a painkiller is noted by name only.
"""

from __future__ import annotations

import html
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from telegram.error import Forbidden
from telegram.ext import Application

from bot.chat import callbacks
from bot.chat.callbacks import Expired, Press
from bot.chat.registry import Services, services
from bot.chat.turn import Button, Turn, keyboard
from bot.diary.dates import zone as zone_of
from bot.diary.draft import current
from bot.diary.text import FLOW, button, moment_text
from bot.runtime.ratelimit import BULK
from bot.triage import buttons as triage_buttons
from storage import treatments, users
from storage.conversations import Conversation
from storage.treatments import KINDS, NAME_LIMIT, OUTCOMES, Treatment

log = logging.getLogger(__name__)

PICK, NAME = "tried", "tried_name"  # conversation steps of flow "d"
TYPED = ("painkiller", "own")  # kinds that ask for a name first
PAINKILLERS = ("paracetamol", "ibuprofen", "naproxen", "aspirin")
FOLLOW_UP_HOURS = (1, 2)


def clock_text(moment: datetime, zone_name: str | None) -> str:
    """ "10:15" in the person's zone, or "10:15 UTC" while they have none."""
    clock = moment.astimezone(zone_of(zone_name)).strftime("%H:%M")
    return clock if zone_name else f"{clock} UTC"


def kind_name(t: Callable[..., str], treatment: Treatment) -> str:
    """ "Heat", or "Painkiller (Ibuprofen)"; typed names escaped for HTML."""
    kind = t(f"diary.tried.kind.{treatment.kind}")
    if treatment.name and treatment.kind == "own":
        return html.escape(treatment.name)
    if treatment.name:
        return f"{kind} ({html.escape(treatment.name)})"
    return kind


# ---------------------------------------------------------------- logging one
async def show_picker(turn: Turn, *, new: bool = False, prefix: str = "") -> None:
    if not turn.user.consented:
        text, markup = turn.t("diary.needs_consent"), keyboard([[turn.menu_button()]])
        await turn.reply(text, markup, new_message=new)
        return
    conv = turn.put(FLOW, PICK, {"k": secrets.token_hex(8)})
    kinds = [
        (turn.t(f"diary.tried.kind.{kind}"), callbacks.encode(FLOW, "try", kind, seq=conv.seq))
        for kind in KINDS
    ]
    rows: list[list[Button]] = [kinds[n : n + 2] for n in range(0, len(kinds), 2)]
    rows.append([button(turn, "cancel", "cancel", seq=conv.seq)])
    text = turn.t("diary.tried.pick")
    await turn.reply(f"{prefix}\n\n{text}" if prefix else text, keyboard(rows), new_message=new)


async def _ask_name(
    turn: Turn, conv: Conversation, kind: str, prefix: str = "", *, new: bool = False
) -> None:
    step = turn.put(FLOW, NAME, {**conv.data, "kind": kind})
    rows: list[list[Button]] = []
    if kind == "painkiller":
        names = [
            (turn.t(f"diary.tried.painkillers.{p}"), callbacks.encode(FLOW, "pk", p, seq=step.seq))
            for p in PAINKILLERS
        ]
        rows += [names[:2], names[2:]]
        rows.append([button(turn, "tried_unnamed", "pk", "-", seq=step.seq)])
    rows.append(
        [
            (turn.t("common.back"), callbacks.encode(FLOW, "tried", seq=step.seq)),
            button(turn, "cancel", "cancel", seq=step.seq),
        ]
    )
    text = turn.t(f"diary.tried.name_{kind}", limit=NAME_LIMIT)
    if prefix:
        text = f"{prefix}\n\n{text}"
    await turn.reply(text, keyboard(rows), new_message=new)


async def on_tried(turn: Turn, press: Press) -> None:
    await show_picker(turn)


async def on_try(turn: Turn, press: Press) -> None:
    conv = current(turn, press, PICK)
    kind = press.arg(0)
    if kind not in KINDS:
        raise Expired("unknown kind")
    if kind in TYPED:
        await _ask_name(turn, conv, kind)
    else:
        await _save(turn, conv.data, kind, None)


async def on_painkiller(turn: Turn, press: Press) -> None:
    conv = current(turn, press, NAME)
    choice = press.arg(0)
    if conv.data.get("kind") != "painkiller" or (choice != "-" and choice not in PAINKILLERS):
        raise Expired("unknown painkiller")
    name = None if choice == "-" else turn.t(f"diary.tried.painkillers.{choice}")
    await _save(turn, conv.data, "painkiller", name)


async def on_name(turn: Turn, conv: Conversation, typed: str) -> None:
    """A typed painkiller or "something else" (never logged)."""
    name = " ".join(typed.split())
    if not name or len(name) > NAME_LIMIT:
        prefix = turn.t("diary.tried.name_too_long", limit=NAME_LIMIT)
        await _ask_name(turn, conv, conv.data.get("kind", "own"), prefix, new=True)
        return
    await _save(turn, conv.data, conv.data.get("kind", "own"), name, new=True)


async def _save(turn: Turn, data: dict, kind: str, name: str | None, *, new: bool = False) -> None:
    if not turn.user.consented:  # withdrawn since the picker was shown
        turn.clear()
        markup = keyboard([[turn.menu_button()]])
        await turn.reply(turn.t("diary.needs_consent"), markup, new_message=new)
        return
    now = turn.now()
    with turn.db.atomic():  # the row and the end of the step, together or not at all
        treatment_id = treatments.add(
            turn.db,
            turn.user_id,
            kind=kind,
            name=name,
            tried_at=now,
            zone=turn.user.time_zone or "UTC",
            dedup_key=f"tried:{turn.user_id}:{data['k']}",
            now=now,
        )
        turn.clear()
    log.info("treatment %s noted for user %s", treatment_id, turn.user_id)
    saved = treatments.get(turn.db, turn.user_id, treatment_id)
    if saved is None:
        raise Expired("gone")
    later = [button(turn, "ask_in", "fu", treatment_id, h, hours=h) for h in FOLLOW_UP_HOURS]
    rows = [later, [button(turn, "helps", "helps"), turn.menu_button()]]
    when = moment_text(turn, now)
    text = turn.t("diary.tried.saved", what=kind_name(turn.t, saved), when=when)
    await turn.answer()
    await turn.reply(text, keyboard(rows), new_message=new)


async def resume(turn: Turn, conv: Conversation, prefix: str | None = None) -> None:
    """Show a What I tried step again as a new message."""
    if conv.step == NAME and conv.data.get("kind") in TYPED:
        await _ask_name(turn, conv, conv.data["kind"], prefix or "", new=True)
    else:
        await show_picker(turn, new=True, prefix=prefix or "")


# ---------------------------------------------------------------- the follow-up
async def on_follow_up(turn: Turn, press: Press) -> None:
    treatment_id, hours = press.int_arg(0), press.int_arg(1)
    if hours not in FOLLOW_UP_HOURS:
        raise Expired("unknown delay")
    due = turn.now() + timedelta(hours=hours)
    if not treatments.ask_follow_up(turn.db, turn.user_id, treatment_id, due):
        raise Expired("no such treatment, or already asked")
    when = clock_text(due, turn.user.time_zone)
    text = turn.t("diary.tried.will_ask", when=when)
    await turn.reply(text, keyboard([[button(turn, "diary", "view", 30), turn.menu_button()]]))


def follow_up_message(svc: Services, lang: str, treatment: Treatment, zone: str | None):
    def t(key: str, **params: object) -> str:
        return svc.content.strings.t(lang, key, **params)

    answers = [
        (t(f"diary.tried.outcome.{o}"), callbacks.encode(FLOW, "help", treatment.id, o))
        for o in OUTCOMES
    ]
    text = t(
        "diary.tried.did_it_help",
        what=kind_name(t, treatment),
        time=clock_text(treatment.tried_at, zone),
    )
    return text, keyboard([answers])


async def send_follow_ups(app: Application, now: datetime) -> int:
    """Send every "did it help?" that is due; returns how many went out."""
    svc = services(app)
    sent = 0
    while claimed := treatments.claim_follow_ups(svc.db, now):
        for treatment in claimed:
            sent += await _send_one(app, svc, treatment)
    return sent


async def _send_one(app: Application, svc: Services, treatment: Treatment) -> int:
    user = users.get(svc.db, treatment.user_id)
    if user is None or not user.consented or not user.active:
        return 0
    text, markup = follow_up_message(svc, user.language, treatment, user.time_zone)
    try:
        await app.bot.send_message(
            treatment.user_id,
            text,
            reply_markup=markup,
            rate_limit_args=BULK if app.bot.rate_limiter else None,
        )
    except Forbidden:
        users.set_active(svc.db, treatment.user_id, False)
        return 0
    except Exception as exc:  # one bad send never stops the tick; it is not sent twice
        log.warning("follow-up %s failed (%s)", treatment.id, type(exc).__name__)
        return 0
    return 1


async def on_helped(turn: Turn, press: Press) -> None:
    treatment_id, outcome = press.int_arg(0), press.arg(1)
    if outcome not in OUTCOMES:
        raise Expired("unknown answer")
    if not turn.user.consented:  # withdrawn since it was asked: keep nothing new
        await turn.reply(turn.t("diary.needs_consent"), keyboard([[turn.menu_button()]]))
        return
    if not treatments.record_outcome(turn.db, turn.user_id, treatment_id, outcome, turn.now()):
        raise Expired("no such treatment for this person")
    treatment = treatments.get(turn.db, turn.user_id, treatment_id)
    what = kind_name(turn.t, treatment) if treatment else ""
    text = turn.t(f"diary.tried.noted_{outcome}", what=what)
    rows: list[list[Button]] = []
    if outcome == "worse" and "triage" in turn.svc.registry.features:
        rows.append([(turn.t("diary.button.triage"), triage_buttons.start())])
    rows.append([button(turn, "log", "new"), button(turn, "helps", "helps")])
    rows.append([turn.menu_button()])
    await turn.reply(text, keyboard(rows))


ACTIONS: dict[str, Callable[[Turn, Press], Awaitable[None]]] = {
    "tried": on_tried,
    "try": on_try,
    "pk": on_painkiller,
    "fu": on_follow_up,
    "help": on_helped,
}
