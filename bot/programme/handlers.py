"""/plan and "My plan": the plan's status, pause, resume, stop, restart; and the wiring of
the plan into the bot (its buttons, the tick's daily message, the diary's flare check)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.chat.callbacks import Expired, Press
from bot.chat.registry import Command, MenuEntry, services
from bot.chat.turn import Button, Turn, begin, expired, keyboard, press
from bot.programme import daily, review, service, session, setup, summary
from bot.programme import text as words
from bot.programme.buttons import FLOW
from bot.programme.report import report_page
from bot.reminders.schedule import parse_time
from bot.reminders.schedule_text import time_rows
from bot.triage import buttons as triage_buttons
from bot.triage.engine import EMERGENCY, SEEN_FIRST
from storage import plans, schedules
from storage.conversations import Conversation
from storage.recurrence import from_hhmm, hhmm

log = logging.getLogger(__name__)
PRIVATE = filters.ChatType.PRIVATE


async def show_status(turn: Turn, *, new: bool = False, prefix: str = "") -> None:
    plan = plans.current(turn.db, turn.user_id)
    conv = turn.conversation()
    if plan is None and conv is not None and conv.flow == FLOW and conv.step in SETUP_STEPS:
        await setup.resume(turn, conv, prefix)  # /plan part-way: carry on where they were
        return
    if plan is None:
        await setup.show_start(turn, new=new)
        return
    content = turn.svc.content
    activities = plans.activities(turn.db, turn.user_id, plan.id)
    ratings = plans.ratings(turn.db, turn.user_id, plan.id)
    schedule = schedules.get(turn.db, plan.schedule_id, turn.user_id) if plan.schedule_id else None
    daily_at = (
        turn.t("programme.status.at_zone", time=hhmm(schedule.at), zone=schedule.zone)
        if schedule is not None and schedule.at is not None
        else None
    )
    text = words.status_text(
        turn.t, content.programme, content.library, plan, turn.lang, activities, ratings, daily_at
    )
    rows: list[list[Button]] = []
    if plan.lessons_read:
        rows.append([(turn.t("programme.lessons_button"), FLOW.button("lessons"))])
    if plan.status == "active":
        rows.append([(turn.t("programme.today_button"), FLOW.button("today"))])
        rows.append([(turn.t("programme.pause"), FLOW.button("pause"))])
    elif plan.status == "paused":
        rows.append([(turn.t("programme.resume"), FLOW.button("resume"))])
    else:  # held: a warning sign at the review
        rows.append([(turn.t("programme.gate.been_seen"), FLOW.button("unhold"))])
    rows.append([(turn.t("programme.change_time"), FLOW.button("time"))])
    ends = [(turn.t("programme.stop"), FLOW.button("ask", "stop"))]
    if plan.status != "held":  # on hold, a new plan waits too: only Stop, or "I've been seen"
        ends.insert(0, (turn.t("programme.restart"), FLOW.button("ask", "restart")))
    rows.append(ends)
    rows.append([turn.menu_button()])
    await turn.reply(f"{prefix}\n\n{text}" if prefix else text, keyboard(rows), new_message=new)


async def plan_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    await show_status(turn, new=True)


def _open_plan(turn: Turn, *statuses: str):
    plan = plans.current(turn.db, turn.user_id)
    if plan is None or (statuses and plan.status not in statuses):
        raise Expired("no such plan")
    return plan


async def on_open(turn: Turn, press: Press) -> None:
    await turn.answer()
    await show_status(turn, new=True)


async def on_new(turn: Turn, press: Press) -> None:
    await turn.answer()
    if plans.current(turn.db, turn.user_id) is not None:
        await show_status(turn, new=True)
        return
    await setup.show_start(turn, new=True)


async def on_today(turn: Turn, press: Press) -> None:
    plan = _open_plan(turn, "active")
    await turn.answer()
    await daily.send_today(turn, plan)


async def on_pause(turn: Turn, press: Press) -> None:
    plan = _open_plan(turn, "active")
    await turn.answer()
    plans.set_status(turn.db, plan, "paused", turn.now())
    await show_status(turn, prefix=turn.t("programme.paused"))


async def on_resume(turn: Turn, press: Press) -> None:
    plan = _open_plan(turn, "paused")
    await turn.answer()
    plans.set_status(turn.db, plan, "active", turn.now())
    await show_status(turn, prefix=turn.t("programme.resumed"))


async def on_unhold(turn: Turn, press: Press) -> None:
    """Seen after a warning sign: the week starts again, at the same dose."""
    plan = _open_plan(turn, "held")
    await turn.answer()
    if not press.args or press.args[0] != "yes":
        await setup.confirm_seen(turn, FLOW.button("unhold", "yes"))
        return
    now = turn.now()
    with turn.db.atomic():
        plans.set_cleared(turn.db, turn.user_id, now)
        again = plans.save_state(
            turn.db, plan, week=plan.week, day=0, routine=plan.routine, level=plan.level,
            minutes=plan.minutes, now=now,
        )  # fmt: skip
        plans.set_status(turn.db, again, "active", now)
    await show_status(turn, prefix=turn.t("programme.unheld"))


async def on_ask(turn: Turn, press: Press) -> None:
    """Are you sure? Stopping or restarting ends this plan (its records stay)."""
    what = press.arg(0)
    if what not in ("stop", "restart"):
        raise Expired("unknown")
    _open_plan(turn)
    await turn.answer()
    rows = [
        [(turn.t(f"programme.confirm_{what}"), FLOW.button("end", what))],
        [(turn.t("common.back"), FLOW.button("open"))],
    ]
    await turn.show(turn.t(f"programme.ask_{what}"), keyboard(rows))


async def on_end(turn: Turn, press: Press) -> None:
    what = press.arg(0)
    if what not in ("stop", "restart"):
        raise Expired("unknown")
    plan = _open_plan(turn)
    await turn.answer()
    if what == "restart":  # this plan carries on until the new one is set up
        await setup.show_start(turn, new=True, replacing=True)
        return
    plans.end(turn.db, plan, "stopped", turn.now())
    log.info("plan %s stopped for user %s", plan.id, turn.user_id)
    text, markup = summary.end_message(turn.svc, turn.lang, plan)
    await summary.send_with_chart(turn, plan, f"{turn.t('programme.stopped')}\n\n{text}", markup)


async def on_time(turn: Turn, press: Press) -> None:
    """Change the daily message's time: the setup's time step, on its own."""
    plan = _open_plan(turn)
    await turn.answer()
    await _ask_retime(turn, plan)


async def _ask_retime(turn: Turn, plan, prefix: str = "") -> None:
    conv = turn.put(FLOW, "retime", {"plan": plan.id})
    rows = [*time_rows(FLOW, conv.seq), [(turn.t("common.back"), FLOW.button("open"))]]
    text = turn.t("programme.ask_time", zone=turn.user.time_zone or "UTC")
    await turn.send(f"{prefix}\n\n{text}" if prefix else text, keyboard(rows))


async def on_at(turn: Turn, press: Press) -> None:
    """A time button: the setup's last step, or a new time for the plan."""
    conv = turn.pressed_step(press.seq, FLOW, "retime")
    if conv is None:
        await setup.on_time(turn, press)
        return
    raw = press.arg(0)
    value = from_hhmm(f"{raw[:2]}:{raw[2:]}") if len(raw) == 4 and raw.isdigit() else None
    if value is None:
        raise Expired("not a time")
    await _retime(turn, value)


async def _retime(turn: Turn, value) -> None:
    plan = _open_plan(turn)
    zone, now = turn.user.time_zone or "UTC", turn.now()
    due = plans.set_time(turn.db, plan, zone, value, now)
    turn.clear()
    await turn.answer()
    tz = ZoneInfo(zone)
    today = due is not None and due.astimezone(tz).date() == now.astimezone(tz).date()
    key = "programme.time_saved_today" if today else "programme.time_saved"
    if plan.status != "active":  # paused or on hold: nothing comes until it runs again
        key = "programme.time_saved_later"
    await show_status(turn, new=True, prefix=turn.t(key, time=hhmm(value)))


async def on_lessons(turn: Turn, press: Press) -> None:
    """The lessons so far, to read again (the first lesson promises they can be)."""
    plan = _open_plan(turn)
    await turn.answer()
    lessons = turn.svc.content.programme.lessons
    index = {lesson.id: n for n, lesson in enumerate(lessons)}
    rows: list[list[Button]] = [
        [(lessons[index[read]].text(turn.lang).title, FLOW.button("read", index[read]))]
        for read in plan.lessons_read
        if read in index
    ]
    rows.append([(turn.t("common.back"), FLOW.button("open")), turn.menu_button()])
    await turn.show(turn.t("programme.lessons_so_far"), keyboard(rows))


async def on_read(turn: Turn, press: Press) -> None:
    await daily.show_lesson(turn, press.int_arg(0), None)


async def on_cancel(turn: Turn, press: Press) -> None:
    conv = turn.pressed_step(press.seq, FLOW)
    if conv is None:
        raise Expired("not the setup")
    turn.clear()
    await turn.answer()
    running = plans.current(turn.db, turn.user_id) is not None
    text = turn.t("programme.setup.cancelled_keep" if running else "programme.setup.cancelled")
    await turn.show(text, keyboard([[turn.menu_button()]]))


ACTIONS: dict[str, Callable[[Turn, Press], Awaitable[None]]] = {
    "open": on_open,
    "new": on_new,
    "seen": setup.on_seen,
    "begin": setup.on_begin,
    "goal": setup.on_goal,
    "score": setup.on_score,
    "more": setup.on_more,
    "base": setup.on_baseline,
    "at": on_at,
    "cancel": on_cancel,
    "today": on_today,
    "lesson": daily.on_lesson,
    "read": on_read,
    "lessons": on_lessons,
    "ans": daily.on_answer,
    "act": daily.on_activity,
    "pain": daily.on_pain,
    "go": session.on_go,
    "step": session.on_step,
    "done": session.on_done,
    "fb": session.on_feedback,
    "review": review.on_review,
    "flag": review.on_flag,
    "felt": review.on_felt,
    "rate": review.on_rate,
    "pause": on_pause,
    "resume": on_resume,
    "unhold": on_unhold,
    "time": on_time,
    "ask": on_ask,
    "end": on_end,
}


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    try:
        pressed = press(turn)
        handler = ACTIONS.get(pressed.action)
        if handler is None:
            raise Expired("unknown action")
        if not turn.user.consented and pressed.action != "open":
            raise Expired("no consent")
        await handler(turn, pressed)
    except Expired:
        await expired(turn)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A typed activity name or time (never logged)."""
    turn = await begin(update, context)
    conv = turn.conversation()
    message = update.effective_message
    typed = message.text if message is not None and message.text else ""
    if conv is None or conv.flow != FLOW:
        return
    if conv.step == "retime":
        value = parse_time(typed)
        plan = plans.current(turn.db, turn.user_id)
        if value is None and plan is not None:
            await _ask_retime(turn, plan, turn.t("programme.setup.bad_time"))
            return
        if value is None:
            turn.clear()
            return
        await _retime(turn, value)
        return
    if conv.step in setup.TYPED:
        await setup.on_typed(turn, conv, typed)
        return
    # A step that takes a button: the words are not lost on it, the step is shown again.
    await resume(turn, conv, turn.t("programme.use_buttons"))


SETUP_STEPS = frozenset({setup.INTRO, setup.GOAL, setup.NAME, setup.SCORE, setup.MORE,
                         setup.BASELINE, setup.TIME})  # fmt: skip
REVIEW_STEPS = frozenset({review.RF1, review.RF2, review.FELT, review.RATE})
SESSION_STEPS = frozenset({session.WALK, session.FEEDBACK_STEP})


async def resume(turn: Turn, conv: Conversation, prefix: str = "") -> None:
    """Show the step the person is on again (after an expired button or typed words), so a
    review or an exercise in progress is never lost; My plan when the step is gone."""
    if conv.step in SETUP_STEPS:
        await setup.resume(turn, conv, prefix)
        return
    if conv.step in REVIEW_STEPS and await review.resume(turn, conv, prefix):
        return
    if conv.step in SESSION_STEPS and await session.resume(turn, conv, prefix):
        return
    turn.clear()
    await show_status(turn, new=True)


# ---------------------------------------------------------------- hooks
async def _after_flare(turn: Turn) -> None:
    """A flare in the diary: the warning signs came first; now the plan steps back a week."""
    plan = plans.current(turn.db, turn.user_id)
    content = turn.svc.content
    if plan is None or content.programme.progression is None:
        return
    moved = service.step_back(
        turn.db, content.programme.progression, content.library, plan, turn.now()
    )
    if moved is None:
        return
    log.info("plan %s stepped back a week for user %s (a flare)", plan.id, turn.user_id)
    easier = (moved.routine, moved.level) != (plan.routine, plan.level)
    key = "programme.flare.stepped_back" if easier else "programme.flare.stepped_back_floor"
    text = turn.t(key, week=moved.week, minutes=moved.minutes)
    flares = sum(week.outcome == "flare" for week in plans.weeks(turn.db, turn.user_id, plan.id))
    if flares > 1:  # flares that keep coming back are worth talking through with someone
        text += "\n\n" + turn.t("programme.flare.again", count=flares)
    await review.ask_after_flare(turn, moved, text)


# Thoughts of self-harm get the crisis reply and nothing about the plan after it.
NOT_ABOUT_EXERCISE = frozenset({"self_harm"})


async def _after_warning_words(turn: Turn, groups: frozenset[str]) -> None:
    """Typed words that can be a warning sign (they got the emergency line): a plan being
    set up stops, a running one goes on hold, and none starts until they have been seen."""
    conv = turn.conversation()
    ours = conv is not None and conv.flow == FLOW
    back = conv.data.get("back") if conv is not None and not ours else None
    in_setup = (ours and conv.step in SETUP_STEPS) or (  # or asking the zone for the set-up
        isinstance(back, list) and len(back) == 3 and back[0] == FLOW and back[1] in SETUP_STEPS
    )
    if not groups - NOT_ABOUT_EXERCISE:
        return  # the crisis reply stands alone (and the words go to no step: bot/fallback.py)
    if not turn.user.consented:
        return  # nothing is kept without consent, and there is no plan without it
    plans.set_warned(turn.db, turn.user_id, turn.now())
    plan = plans.current(turn.db, turn.user_id)
    rows = [[(turn.t("programme.gate.check"), triage_buttons.start())], [turn.menu_button()]]
    if plan is not None and plan.status in ("active", "paused"):
        with turn.db.atomic():
            service.hold(turn.db, plan, turn.now(), reviewed=False)
            if ours:
                turn.clear()
        log.info("plan %s on hold for user %s: warning words", plan.id, turn.user_id)
        await turn.send(turn.t("programme.warned.held"), keyboard(rows))
    elif in_setup:
        turn.clear()
        await turn.send(turn.t("programme.warned.setup"), keyboard(rows))


async def _after_check(turn: Turn, outcome) -> None:
    """A check that says "be seen first" or "no new exercise" while a plan runs: it waits."""
    if outcome.tier not in SEEN_FIRST and not outcome.no_exercise:
        return
    plan = plans.current(turn.db, turn.user_id)
    if plan is None or plan.status not in ("active", "paused"):
        return
    with turn.db.atomic():
        service.hold(turn.db, plan, turn.now(), reviewed=False)
    log.info("plan %s on hold for user %s: an urgent check", plan.id, turn.user_id)
    if outcome.tier != EMERGENCY:  # an emergency result stays the last thing on the screen
        await turn.send(turn.t("programme.warned.held_check"), keyboard([[turn.menu_button()]]))


def exercise_caution(svc, user_id: int, now) -> str | None:
    """For the stretches: new exercise waits after an urgent check or a warning sign."""
    plan = plans.current(svc.db, user_id)
    content = svc.content
    found = service.gate(svc.db, content.library, content.triage, user_id, now)
    if found.reason in ("seen_first", "no_exercise"):  # the check said so: say it was the check
        return "programme.caution.seen_first"
    if (plan is not None and plan.status == "held") or service.warned_since_check(svc.db, user_id):
        return "programme.caution.held"
    return None


async def _on_cancel_command(turn: Turn, conv: Conversation, _text: str) -> bool:
    """/cancel during the set-up: say what that means for the answers and any plan."""
    if conv.step not in SETUP_STEPS:
        return False
    running = plans.current(turn.db, turn.user_id) is not None
    key = "programme.setup.cancelled_keep" if running else "programme.setup.cancelled_here"
    await turn.send(turn.t(key))
    return True


def register(app: Application) -> None:
    registry = services(app).registry
    registry.features.add("programme")
    app.add_handler(CommandHandler("plan", plan_command, filters=PRIVATE))
    registry.buttons[FLOW] = on_button
    registry.text_inputs[FLOW] = on_text
    registry.typed_steps[FLOW] = frozenset({*setup.TYPED, "retime"})
    registry.resumers[FLOW] = resume
    registry.cancellers[FLOW] = _on_cancel_command
    registry.prompts[schedules.PLAN] = daily.prompt
    registry.carries_checkin.append(plans.has_active)  # its message has the pain tap
    registry.on_flare.append(_after_flare)
    registry.on_warning_words.append(_after_warning_words)
    registry.exercise_cautions.append(exercise_caution)
    registry.on_check_result.append(_after_check)
    registry.report_pages.append(report_page)
    registry.add_menu(MenuEntry(120, "programme.menu", FLOW.button("open"), needs_consent=True))
    registry.add_command(Command(120, "plan", "programme.command"))
