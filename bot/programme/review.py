"""The weekly review: two red-flag questions first, then each activity re-rated 0-10,
then one screen with the chart: the week's figures and next week's plan. The end of the
plan: a summary (activities before and after, pain, sessions). Flow "b", steps rf1, rf2,
rate; any new warning sign ends the week, puts the plan on hold and shows the advice."""

from __future__ import annotations

import logging
from html import escape

from bot.chat.callbacks import Expired, Press
from bot.chat.turn import Turn, keyboard
from bot.programme import service
from bot.programme import text as words
from bot.programme.buttons import FLOW
from bot.programme.models import WEEKS
from bot.programme.plan import DAYS_PER_WEEK, MIN_SCORES
from bot.programme.pressed import own_day
from bot.programme.summary import end_message, send_with_chart
from bot.triage import buttons as triage_buttons
from storage import plans
from storage.conversations import Conversation
from storage.plans import Plan

log = logging.getLogger(__name__)

RF1, RF2, FELT, RATE = "rf1", "rf2", "felt", "rate"
FELT_ANSWERS = ("better", "same", "worse")
RED_FLAGS = {RF1: "emergency", RF2: "urgent"}


async def on_review(turn: Turn, press: Press) -> None:
    plan, day = own_day(turn, press)
    if day.day != DAYS_PER_WEEK or (plan.week, plan.day) != (day.week, day.day):
        raise Expired("not this week's review")
    if plan.status != "active":
        raise Expired("the plan is not running")
    await turn.answer()
    await _ask_flag(turn, RF1, {"plan": plan.id, "week": plan.week, "day": day.day, "i": 0})


async def ask_after_flare(turn: Turn, plan: Plan, prefix: str) -> None:
    """A flare stepped the plan back: the two red-flag questions again, before anything else."""
    data = {"plan": plan.id, "week": plan.week, "day": plan.day, "i": 0, "flare": 1}
    await _ask_flag(turn, RF1, data, prefix)


async def _flare_clear(turn: Turn) -> None:
    rows: list[list] = []
    index = service.flare_lesson(turn.svc.content.programme)
    if index is not None:
        rows.append([(turn.t("programme.flare.read"), FLOW.button("read", index))])
    rows.append([(turn.t("programme.status_button"), FLOW.button("open")), turn.menu_button()])
    await turn.reply(turn.t("programme.flare.clear", emergency=turn.emergency()), keyboard(rows))


async def _ask_flag(turn: Turn, step: str, data: dict, prefix: str = "") -> None:
    conv = turn.put(FLOW, step, data)
    rows = [
        [(turn.t("programme.review.yes"), FLOW.button("flag", "yes", step, seq=conv.seq))],
        [(turn.t("programme.review.no"), FLOW.button("flag", "no", step, seq=conv.seq))],
    ]
    where = "flare" if data.get("flare") else "review"
    signs = turn.t(f"programme.signs.{step}")
    text = turn.t(f"programme.{where}.{step}", week=data["week"], signs=signs)
    await turn.send(f"{prefix}\n\n{text}" if prefix else text, keyboard(rows))


def _review_plan(turn: Turn, press: Press, *steps: str):
    conv = turn.pressed_step(press.seq, FLOW, *steps)
    plan = plans.get(turn.db, turn.user_id, conv.data.get("plan", -1)) if conv else None
    if conv is None or plan is None or plan.status != "active":
        raise Expired("not the review in progress")
    if (plan.week, plan.day) != (conv.data["week"], conv.data["day"]):
        raise Expired("the plan moved on")
    return conv, plan


async def on_flag(turn: Turn, press: Press) -> None:
    answer = press.arg(0)
    if answer not in ("yes", "no"):
        raise Expired("unknown answer")
    try:
        conv, plan = _review_plan(turn, press, RF1, RF2)
    except Expired:
        # A "yes" on an old question still gets its advice (and holds a running plan):
        # a warning sign noticed late is no less a warning sign.
        step = press.args[1] if len(press.args) > 1 else None
        if answer != "yes" or step not in RED_FLAGS:
            raise
        await turn.answer()
        await _late_yes(turn, RED_FLAGS[step])
        return
    await turn.answer()
    if answer == "yes":
        await _hold(turn, plan, RED_FLAGS[conv.step], flare=bool(conv.data.get("flare")))
        return
    if conv.step == RF1:
        await _ask_flag(turn, RF2, conv.data)
        return
    if conv.data.get("flare"):
        turn.clear()
        await _flare_clear(turn)
        return
    facts = service.week_facts(turn.db, plan, turn.now(), reviewed=True)
    if facts.pain == "unknown":  # too few scores: ask, so a worse week is never missed
        mine = service.pain_scores(turn.db, turn.user_id, plan.week_started_at, turn.now())
        await _ask_felt(turn, {**conv.data, "few": int(len(mine) < MIN_SCORES)})
        return
    await _ask_rating(turn, plan, conv.data)


async def _ask_felt(turn: Turn, data: dict, prefix: str = "", *, new: bool = False) -> None:
    conv = turn.put(FLOW, FELT, data)
    rows = [[(turn.t(f"programme.review.felt_{a}"), FLOW.button("felt", a, seq=conv.seq))]
            for a in FELT_ANSWERS]  # fmt: skip
    # Too few scores this week, or enough but none the week before to compare them with.
    text = turn.t("programme.review.felt" if data.get("few", 1) else "programme.review.felt_first")
    await turn.reply(f"{prefix}\n\n{text}" if prefix else text, keyboard(rows), new_message=new)


async def resume(turn: Turn, conv: Conversation, prefix: str = "") -> bool:
    """Show the review's current question again as a new message; False if it is gone."""
    plan = plans.get(turn.db, turn.user_id, conv.data.get("plan", -1))
    here = (conv.data.get("week"), conv.data.get("day"))
    if plan is None or plan.status != "active" or (plan.week, plan.day) != here:
        return False
    if conv.step in (RF1, RF2):
        await _ask_flag(turn, conv.step, conv.data, prefix)
    elif conv.step == FELT:
        await _ask_felt(turn, conv.data, prefix, new=True)
    else:
        await _ask_rating(turn, plan, conv.data, prefix, new=True)
    return True


async def on_felt(turn: Turn, press: Press) -> None:
    conv, plan = _review_plan(turn, press, FELT)
    answer = press.arg(0)
    if answer not in FELT_ANSWERS:
        raise Expired("unknown answer")
    await turn.answer()
    await _ask_rating(turn, plan, {**conv.data, "felt": answer})


async def _late_yes(turn: Turn, tier: str) -> None:
    plan = plans.current(turn.db, turn.user_id)
    if plan is not None and plan.status == "active":
        await _hold(turn, plan, tier, new=True)
        return
    rows = [[(turn.t("programme.gate.check"), triage_buttons.start())], [turn.menu_button()]]
    text = turn.t(f"programme.review.{tier}_late", emergency=turn.emergency())
    await turn.send(text, keyboard(rows))


async def _hold(
    turn: Turn, plan: Plan, tier: str, *, new: bool = False, flare: bool = False
) -> None:
    """A new warning sign: this week ends here, the plan waits until they have been seen."""
    with turn.db.atomic():
        service.hold(turn.db, plan, turn.now(), reviewed=not flare)
        turn.clear()
    log.info("plan %s on hold for user %s: a new warning sign", plan.id, turn.user_id)
    rows = [[(turn.t("programme.gate.check"), triage_buttons.start())], [turn.menu_button()]]
    text = turn.t(f"programme.review.{tier}", emergency=turn.emergency())
    await turn.reply(text, keyboard(rows), new_message=new)


async def _ask_rating(
    turn: Turn, plan: Plan, data: dict, prefix: str = "", *, new: bool = False
) -> None:
    activities = plans.activities(turn.db, turn.user_id, plan.id)
    index = data.get("i", 0)
    if index >= len(activities):
        await _finish(turn, plan, data.get("felt"))
        return
    conv = turn.put(FLOW, RATE, data)
    numbers = [(str(n), FLOW.button("rate", n, seq=conv.seq)) for n in range(11)]
    name = escape(activities[index].name, quote=False)
    text = turn.t("programme.review.rate", name=name, n=index + 1, total=len(activities))
    text = f"{prefix}\n\n{text}" if prefix else text
    await turn.reply(text, keyboard([numbers[:6], numbers[6:]]), new_message=new)


async def on_rate(turn: Turn, press: Press) -> None:
    conv, plan = _review_plan(turn, press, RATE)
    score = press.int_arg(0)
    activities = plans.activities(turn.db, turn.user_id, plan.id)
    index = conv.data.get("i", 0)
    if score > 10 or index >= len(activities):
        raise Expired("not a rating")
    await turn.answer()
    plans.rate(turn.db, turn.user_id, plan.id, activities[index].id, plan.week, score, turn.now())
    await _ask_rating(turn, plan, {**conv.data, "i": index + 1})


async def _finish(turn: Turn, plan: Plan, felt: str | None) -> None:
    svc = turn.svc
    content = svc.content
    assert content.programme.progression is not None
    closed = service.close_week(
        turn.db, content.programme.progression, content.library, plan, turn.now(),
        reviewed=True, felt=felt if felt in FELT_ANSWERS else None,
    )  # fmt: skip
    turn.clear()
    if closed is None:
        raise Expired("the week was closed meanwhile")
    if closed.finished:
        text, markup = end_message(svc, turn.lang, closed.plan)
        await send_with_chart(turn, closed.plan, text, markup)
        return
    text = week_text(turn, plan, closed)
    rows = [[(turn.t("programme.status_button"), FLOW.button("open")), turn.menu_button()]]
    await send_with_chart(turn, closed.plan, text, keyboard(rows))


def _pain_line(turn: Turn, pain: float | None, trend: str) -> str:
    """The week's average and trend; with too few scores, what the person said instead."""
    if pain is None and trend in FELT_ANSWERS:
        return turn.t(
            "programme.review.pain_felt", trend=turn.t(f"programme.review.felt_said.{trend}")
        )
    shown = "–" if pain is None else f"{pain:g}"
    return turn.t("programme.review.pain", pain=shown, trend=words.trend_text(turn.t, trend))


def _exercise_change(change: str, before: Plan, after: Plan) -> str:
    """ "back" at the gentlest level, or "up" at the top with nowhere to go, says so."""
    same = (before.routine, before.level) == (after.routine, after.level)
    if same and change == "back":
        return "floor"
    if same and change == "up":
        return "top"
    return change


def week_text(turn: Turn, before: Plan, closed: service.Closed) -> str:
    content = turn.svc.content
    progression = content.programme.progression
    assert progression is not None and closed.decision is not None
    facts, decision, after = closed.facts, closed.decision, closed.plan
    activities = plans.activities(turn.db, turn.user_id, before.id)
    ratings = plans.ratings(turn.db, turn.user_id, before.id)
    recorded = plans.weeks(turn.db, turn.user_id, before.id)[-1]
    pain = recorded.pain_avg
    lines = [
        f"<b>{turn.t('programme.review.title', week=before.week, weeks=WEEKS)}</b>",
        "",
        f"<b>{turn.t('programme.rating.title')}</b>",
        *words.rating_lines(turn.t, activities, ratings),
        "",
        _pain_line(turn, pain, facts.pain),
        turn.t(
            "programme.review.sessions", sessions=facts.sessions, hard=facts.hard, leg=facts.leg
        ),
        turn.t("programme.review.active_days", days=facts.activity_days),
        "",
        f"<b>{turn.t('programme.review.next_week', week=after.week)}</b>",
        words.exercise_line(
            turn.t, content.library, progression, after.routine, after.level, turn.lang
        ),
        turn.t(
            f"programme.change.{_exercise_change(decision.exercise, before, after)}",
            why=turn.t(f"programme.why.{decision.exercise_rule}"),
        ),
        turn.t("programme.activity_line", minutes=after.minutes),
        turn.t(
            f"programme.change.{decision.activity}",
            why=turn.t(f"programme.why.{decision.activity_rule}"),
        ),
    ]
    return "\n".join(lines)
