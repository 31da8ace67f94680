"""Starting a plan: the check it starts from, then three short things (what to get back
to, the activities that are hard now and how hard, how active now) and a time of day.

A conversation of flow "b"; every button carries its step's seq, so an old or replayed
press is recognised as expired. Typed activity names are never logged.
"""

from __future__ import annotations

import logging
from datetime import time
from html import escape

from bot.chat.callbacks import Expired, Press
from bot.chat.turn import Button, Turn, keyboard
from bot.programme import daily, service
from bot.programme.buttons import FLOW
from bot.programme.plan import start_minutes
from bot.reminders.schedule import parse_time
from bot.reminders.schedule_text import needs_consent, time_rows
from bot.timezone import handlers as timezone
from bot.triage import buttons as triage_buttons
from bot.triage.engine import ROUTINE  # "see a doctor or physio soon"
from storage import plans, schedules
from storage.conversations import Conversation
from storage.recurrence import from_hhmm, hhmm

log = logging.getLogger(__name__)

GOALS = ("walking", "work", "sport", "family", "home", "sleep", "sitting", "other")
INTRO, GOAL, NAME, SCORE, MORE, BASELINE, TIME = (
    "intro", "goal", "name", "score", "more", "baseline", "time",
)  # fmt: skip
TYPED = frozenset({NAME, TIME})


def _cancel_row(turn: Turn, seq: int) -> list[Button]:
    return [(turn.t("programme.setup.not_now"), FLOW.button("cancel", seq=seq))]


async def show_start(
    turn: Turn, *, new: bool = False, replacing: bool = False, prefix: str = ""
) -> None:
    """What the plan is, or why it cannot start yet (and what to do about that).
    `replacing`: Start again; the running plan carries on until the new one is set up."""
    if await needs_consent(turn):
        return
    svc = turn.svc
    found = service.gate(turn.db, svc.content.library, svc.content.triage, turn.user_id, turn.now())
    if not found.ok:
        rows: list[list[Button]] = []
        if found.reason in ("seen_first", "no_exercise", "warned"):
            rows.append([(turn.t("programme.gate.been_seen"), FLOW.button("seen"))])
        rows.append([(turn.t("programme.gate.check"), triage_buttons.start())])
        rows.append([turn.menu_button()])
        text = turn.t(f"programme.gate.{found.reason}", emergency=turn.emergency())
        await turn.reply(text, keyboard(rows), new_message=new)
        return
    conv = turn.put(FLOW, INTRO, {"replacing": 1} if replacing else {})
    rows = [
        [(turn.t("programme.setup.begin"), FLOW.button("begin", seq=conv.seq))],
        [turn.menu_button()],
    ]
    text = turn.t("programme.setup.intro")
    if found.tier == ROUTINE:  # the plan goes alongside the appointment, never instead
        text += "\n\n" + turn.t("programme.setup.routine_note")
    if replacing:
        text += "\n\n" + turn.t("programme.setup.replacing")
    await turn.reply(_with(prefix, text), keyboard(rows), new_message=new)


async def confirm_seen(turn: Turn, yes: str) -> None:
    """One deliberate step before "I've been seen" counts: it opens the plan's exercise."""
    rows = [
        [(turn.t("programme.gate.seen_yes"), yes)],
        [(turn.t("programme.gate.seen_not_yet"), FLOW.button("new"))],
    ]
    await turn.show(turn.t("programme.gate.seen_confirm", emergency=turn.emergency()),
                    keyboard(rows))  # fmt: skip


async def on_seen(turn: Turn, press: Press) -> None:
    """ "I have been seen": the plan may start from the check after all (once confirmed)."""
    await turn.answer()
    if not press.args or press.args[0] != "yes":
        await confirm_seen(turn, FLOW.button("seen", "yes"))
        return
    plans.set_cleared(turn.db, turn.user_id, turn.now())
    await show_start(turn)


async def on_begin(turn: Turn, press: Press) -> None:
    conv = turn.pressed_step(press.seq, FLOW, INTRO)
    if conv is None:
        raise Expired("not the intro")
    await _ask_goal(turn, {**conv.data, "acts": []})


def _with(prefix: str, text: str) -> str:
    return f"{prefix}\n\n{text}" if prefix else text


async def _ask_goal(turn: Turn, data: dict, prefix: str = "", *, new: bool = False) -> None:
    conv = turn.put(FLOW, GOAL, data)
    labels = [(turn.t(f"programme.goals.{g}"), FLOW.button("goal", g, seq=conv.seq)) for g in GOALS]
    rows = [labels[n : n + 2] for n in range(0, len(labels), 2)]
    rows.append(_cancel_row(turn, conv.seq))
    text = _with(prefix, turn.t("programme.setup.ask_goal"))
    await turn.reply(text, keyboard(rows), new_message=new)


async def on_goal(turn: Turn, press: Press) -> None:
    conv = turn.pressed_step(press.seq, FLOW, GOAL)
    goal = press.arg(0)
    if conv is None or goal not in GOALS:
        raise Expired("not the goal step")
    await turn.answer()
    await _ask_name(turn, {**conv.data, "goal": goal})


async def _ask_name(turn: Turn, data: dict, prefix: str = "", *, new: bool = False) -> None:
    conv = turn.put(FLOW, NAME, data)
    first = not data.get("acts")
    key = "programme.setup.ask_activity" if first else "programme.setup.ask_another"
    text = turn.t(key, limit=plans.ACTIVITY_NAME_LIMIT)
    rows = [_cancel_row(turn, conv.seq)]
    await turn.reply(_with(prefix, text), keyboard(rows), new_message=new)


async def on_typed(turn: Turn, conv: Conversation, typed: str) -> None:
    if conv.step == TIME:
        value = parse_time(typed)
        if value is None:
            await _ask_time(turn, conv.data, turn.t("programme.setup.bad_time"))
            return
        await _create(turn, conv.data, value)
        return
    name = " ".join(typed.split())
    if not name or len(name) > plans.ACTIVITY_NAME_LIMIT or name.startswith("/"):
        prefix = turn.t("programme.setup.name_too_long", limit=plans.ACTIVITY_NAME_LIMIT)
        await _ask_name(turn, conv.data, prefix, new=True)
        return
    await _ask_score(turn, {**conv.data, "name": name}, new=True)


async def _ask_score(turn: Turn, data: dict, prefix: str = "", *, new: bool = False) -> None:
    conv = turn.put(FLOW, SCORE, data)
    numbers = [(str(n), FLOW.button("score", n, seq=conv.seq)) for n in range(11)]
    rows = [numbers[:6], numbers[6:], _cancel_row(turn, conv.seq)]
    text = turn.t("programme.setup.ask_score", name=escape(data["name"], quote=False))
    await turn.reply(_with(prefix, text), keyboard(rows), new_message=new)


async def on_score(turn: Turn, press: Press) -> None:
    conv = turn.pressed_step(press.seq, FLOW, SCORE)
    score = press.int_arg(0)
    if conv is None or score > 10 or "name" not in conv.data:
        raise Expired("not the score step")
    await turn.answer()
    acts = [*conv.data.get("acts", []), [conv.data["name"], score]]
    data = {k: v for k, v in conv.data.items() if k != "name"} | {"acts": acts}
    if len(acts) >= plans.MAX_ACTIVITIES:
        await _ask_baseline(turn, data)
        return
    await _ask_more(turn, data)


async def _ask_more(turn: Turn, data: dict, prefix: str = "", *, new: bool = False) -> None:
    step = turn.put(FLOW, MORE, data)
    rows = [
        [(turn.t("programme.setup.add_another"), FLOW.button("more", "yes", seq=step.seq))],
        [(turn.t("programme.setup.thats_all"), FLOW.button("more", "no", seq=step.seq))],
    ]
    text = _with(prefix, turn.t("programme.setup.noted"))
    await turn.reply(text, keyboard(rows), new_message=new)


async def on_more(turn: Turn, press: Press) -> None:
    conv = turn.pressed_step(press.seq, FLOW, MORE)
    if conv is None or press.arg(0) not in ("yes", "no"):
        raise Expired("not the more step")
    await turn.answer()
    if press.arg(0) == "yes":
        await _ask_name(turn, conv.data)
    else:
        await _ask_baseline(turn, conv.data)


async def _ask_baseline(turn: Turn, data: dict, prefix: str = "", *, new: bool = False) -> None:
    conv = turn.put(FLOW, BASELINE, data)
    progression = turn.svc.content.programme.progression
    assert progression is not None
    choices = progression.activity.baseline_choices
    labels = [
        (turn.t("programme.setup.minutes", minutes=m), FLOW.button("base", m, seq=conv.seq))
        for m in choices
    ]
    rows = [labels[n : n + 3] for n in range(0, len(labels), 3)]
    rows.append(_cancel_row(turn, conv.seq))
    text = _with(prefix, turn.t("programme.setup.ask_baseline"))
    await turn.reply(text, keyboard(rows), new_message=new)


async def on_baseline(turn: Turn, press: Press) -> None:
    conv = turn.pressed_step(press.seq, FLOW, BASELINE)
    progression = turn.svc.content.programme.progression
    minutes = press.int_arg(0)
    if conv is None or progression is None or minutes not in progression.activity.baseline_choices:
        raise Expired("not the baseline step")
    await turn.answer()
    data = {**conv.data, "base": minutes}
    if not turn.user.time_zone:
        await timezone.ask(turn, back=(FLOW, TIME, data), optional=True)  # never lose the set-up
        return
    await _ask_time(turn, data)


async def _ask_time(turn: Turn, data: dict, prefix: str = "") -> None:
    conv = turn.put(FLOW, TIME, data)
    rows = [*time_rows(FLOW, conv.seq), _cancel_row(turn, conv.seq)]
    text = turn.t("programme.setup.ask_time", zone=turn.user.time_zone or "UTC")
    await turn.send(_with(prefix, text), keyboard(rows))


async def on_time(turn: Turn, press: Press) -> None:
    conv = turn.pressed_step(press.seq, FLOW, TIME)
    value = from_hhmm(f"{press.arg(0)[:2]}:{press.arg(0)[2:]}") if len(press.arg(0)) == 4 else None
    if conv is None or value is None:
        raise Expired("not the time step")
    await turn.answer()
    await _create(turn, conv.data, value)


async def _create(turn: Turn, data: dict, at: time) -> None:
    """Make the plan and show its first day now; the daily message comes from tomorrow."""
    svc = turn.svc
    progression = svc.content.programme.progression
    found = service.gate(turn.db, svc.content.library, svc.content.triage, turn.user_id, turn.now())
    acts = [(str(name), int(score)) for name, score in data.get("acts", [])]
    if progression is None or not found.ok or not acts or "base" not in data:
        turn.clear()
        await show_start(turn, new=True)  # something changed meanwhile (a new urgent check)
        return
    assert found.routine is not None and found.checked_at is not None
    with turn.db.atomic():
        plan = plans.start(
            turn.db,
            turn.user_id,
            goal=data.get("goal", "other"),
            routine=found.routine,
            level=progression.start_level,
            minutes=start_minutes(progression, int(data["base"])),
            baseline_minutes=int(data["base"]),
            conditions=found.conditions,
            cautions=found.tags,
            checked_at=found.checked_at,
            activities=acts,
            zone=turn.user.time_zone or "UTC",
            at=at,
            now=turn.now(),
            first_due_tomorrow=True,
        )
        turn.clear()
    log.info("plan %s started for user %s", plan.id, turn.user_id)
    started = turn.t("programme.setup.started", time=hhmm(at))
    if found.tier == ROUTINE:
        started += "\n\n" + turn.t("programme.setup.routine_note")
    checkin = schedules.checkin_for(turn.db, turn.user_id)
    if checkin is None or not checkin.active:  # the reviews compare pain scores
        started += "\n\n" + turn.t("programme.setup.pain_tip")
    await turn.send(started)
    await daily.send_today(turn, plan)


async def resume(turn: Turn, conv: Conversation, prefix: str = "") -> None:
    """Show a setup step again as a new message (after an expired button, typed words where
    a button is asked for, /plan part-way, or the zone), with what was answered so far."""
    data = conv.data
    if conv.step == TIME:
        await _ask_time(turn, data, prefix)
    elif conv.step == MORE and data.get("acts"):
        await _ask_more(turn, data, prefix, new=True)
    elif conv.step == NAME and data.get("acts") is not None:
        await _ask_name(turn, data, prefix, new=True)
    elif conv.step == SCORE and data.get("name"):
        await _ask_score(turn, data, prefix, new=True)
    elif conv.step == BASELINE and data.get("acts"):
        await _ask_baseline(turn, data, prefix, new=True)
    elif conv.step == GOAL:
        await _ask_goal(turn, {**data, "acts": []}, prefix, new=True)
    else:
        await show_start(turn, new=True, replacing=bool(data.get("replacing")), prefix=prefix)
