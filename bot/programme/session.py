"""Today's exercise: the plan's routine at its level, one exercise a screen, then "how was
that?" (easy / about right / too hard / pain spread into a leg), which next week's dose
reads. A conversation of flow "b" at step "walk"; the session is noted once."""

from __future__ import annotations

import logging
import secrets

from bot.chat.callbacks import Expired, Press
from bot.chat.turn import Button, Turn, keyboard
from bot.library.models import Routine
from bot.library.stretches import exercise_screen
from bot.programme import text as words
from bot.programme.buttons import FLOW
from bot.programme.models import FEEDBACK
from bot.programme.pressed import own_day
from bot.triage import buttons as triage_buttons
from storage import diary, plans
from storage.conversations import Conversation
from storage.plans import Plan

log = logging.getLogger(__name__)

WALK, FEEDBACK_STEP = "walk", "feedback"


async def on_go(turn: Turn, press: Press) -> None:
    """Start today's exercise from the day's message."""
    plan, _day = own_day(turn, press)
    if plan.status != "active":
        raise Expired("the plan is paused")
    await turn.answer()
    data = {"plan": plan.id, "routine": plan.routine, "level": plan.level, "week": plan.week,
            "index": -1, "run": secrets.token_hex(6)}  # fmt: skip
    await _show_intro(turn, data)


async def _show_intro(turn: Turn, data: dict, prefix: str = "") -> None:
    """Today's routine at this week's dose, before its first exercise."""
    progression = turn.svc.content.programme.progression
    assert progression is not None
    library = turn.svc.content.library
    routine, level = data["routine"], data["level"]
    title = words.exercise_line(turn.t, library, progression, routine, level, turn.lang)
    lines = [
        *([prefix, ""] if prefix else []),
        f"<b>{title}</b>",
        *words.dose_lines(turn.t, library, progression, routine, level, turn.lang),
        "",
        turn.t("programme.session.intro"),
    ]
    conv = turn.put(FLOW, WALK, data)
    rows = [
        [(turn.t("stretches.start"), FLOW.button("step", 0, seq=conv.seq))],
        [turn.menu_button()],
    ]
    await turn.send("\n".join(lines), keyboard(rows))


def _walk(turn: Turn, press: Press, *steps: str):
    conv = turn.pressed_step(press.seq, FLOW, *steps)
    if conv is None:
        raise Expired("not the session in progress")
    plan = plans.get(turn.db, turn.user_id, conv.data.get("plan", -1))
    routine = turn.svc.content.library.routines.get(conv.data.get("routine", ""))
    if plan is None or routine is None:
        raise Expired("the plan or its routine is gone")
    return conv, plan, routine


async def on_step(turn: Turn, press: Press) -> None:
    conv, _plan, routine = _walk(turn, press, WALK)
    index = press.int_arg(0)
    if index >= len(routine.exercises):
        raise Expired("no such exercise")
    await turn.answer()
    await _show_step(turn, conv.data, routine, index)


async def _show_step(
    turn: Turn, data: dict, routine: Routine, index: int, prefix: str = "", *, new: bool = False
) -> None:
    reached = max(index, data.get("reached", -1))  # how far through the routine
    step = turn.put(FLOW, WALK, {**data, "index": index, "reached": reached})
    progression = turn.svc.content.programme.progression
    assert progression is not None
    dose = words.dose_of(progression, data["level"])
    text = exercise_screen(turn.svc.content.library, routine, index, turn.lang, turn.t, dose)
    nav: list[Button] = []
    if index > 0:
        nav.append((turn.t("stretches.back"), FLOW.button("step", index - 1, seq=step.seq)))
    if index + 1 < len(routine.exercises):
        nav.append((turn.t("stretches.next"), FLOW.button("step", index + 1, seq=step.seq)))
    else:
        nav.append((turn.t("stretches.done"), FLOW.button("done", seq=step.seq)))
    rows = [nav, [(turn.t("programme.session.stop"), FLOW.button("done", seq=step.seq))]]
    await turn.reply(f"{prefix}\n\n{text}" if prefix else text, keyboard(rows), new_message=new)


async def on_done(turn: Turn, press: Press) -> None:
    """Done, or stopped early: either way, how was it?"""
    conv, _plan, _routine = _walk(turn, press, WALK)
    await turn.answer()
    await _ask_feedback(turn, conv.data)


async def _ask_feedback(turn: Turn, data: dict, prefix: str = "", *, new: bool = False) -> None:
    step = turn.put(FLOW, FEEDBACK_STEP, data)
    rows = [[(turn.t(f"programme.feedback.{f}"), FLOW.button("fb", f, seq=step.seq))]
            for f in FEEDBACK]  # fmt: skip
    text = turn.t("programme.session.how_was_it")
    await turn.reply(f"{prefix}\n\n{text}" if prefix else text, keyboard(rows), new_message=new)


async def resume(turn: Turn, conv: Conversation, prefix: str = "") -> bool:
    """Show the session's current screen again as a new message; False if it is gone."""
    routine = turn.svc.content.library.routines.get(conv.data.get("routine", ""))
    index = conv.data.get("index", -1)
    if routine is None or not isinstance(index, int) or index >= len(routine.exercises):
        return False
    if conv.step == FEEDBACK_STEP:
        await _ask_feedback(turn, conv.data, prefix, new=True)
    elif index < 0:  # still at the routine's first screen
        await _show_intro(turn, conv.data, prefix)
    else:
        await _show_step(turn, conv.data, routine, max(index, 0), prefix, new=True)
    return True


async def on_feedback(turn: Turn, press: Press) -> None:
    conv, plan, routine = _walk(turn, press, FEEDBACK_STEP)
    feedback = press.arg(0)
    if feedback not in FEEDBACK:
        raise Expired("unknown feedback")
    await turn.answer()
    data, now = conv.data, turn.now()
    with turn.db.atomic():
        # (a walk begun before "reached" was kept counts from where it is)
        reached = max(data.get("reached", -1), data.get("index", -1))
        shown = min(reached + 1, len(routine.exercises))
        plans.add_session(
            turn.db, plan, week=data["week"], routine=routine.id, level=data["level"],
            feedback=feedback, run=data["run"], now=now,
            exercises=(shown, len(routine.exercises)),
        )  # fmt: skip
        diary.add_entry(
            turn.db, turn.user_id, recorded_at=now, pain=None, places=[],
            tags=["did_stretches"], note=None, source="stretches", routine=routine.id,
            dedup_key=f"plan-session:{turn.user_id}:{data['run']}", now=now,
        )  # fmt: skip
        turn.clear()
    log.info("plan session noted for user %s", turn.user_id)
    await _after(turn, plan, feedback, early=2 * shown < len(routine.exercises))


async def _after(turn: Turn, plan: Plan, feedback: str, *, early: bool = False) -> None:
    rows: list[list[Button]] = []
    if feedback == "leg":
        # Pain spreading into a leg: stop that exercise, know the warning signs, see someone
        # if it stays; next week's dose steps back (content/programme/progression.yaml).
        text = turn.t("programme.session.leg", emergency=turn.emergency())
        rows.append([(turn.t("programme.gate.check"), triage_buttons.start())])
    else:
        text = turn.t(f"programme.session.said_{feedback}")
        if early and feedback in ("easy", "right"):
            text += "\n\n" + turn.t("programme.session.early")
    rows.append([(turn.t("programme.status_button"), FLOW.button("open")), turn.menu_button()])
    await turn.show(text, keyboard(rows))
