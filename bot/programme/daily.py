"""The one daily message: today's lesson (or the weekly review), today's exercise, the
activity goal with did it / part / not today, and the pain tap when the check-in is on.

The tick sends it (`prompt`, registered for schedule kind "plan"); the day it carries is
made once per delivery (service.open_day), so a retried send repeats nothing. Its buttons
name the day, which is checked against the person who pressed them.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup

from bot.chat.callbacks import Expired, Press
from bot.chat.registry import Services, SkipDelivery
from bot.chat.turn import MENU_DATA as MENU
from bot.chat.turn import Button, Turn, keyboard
from bot.diary import buttons as diary_buttons
from bot.diary import save as diary_save
from bot.programme import service, summary
from bot.programme import text as words
from bot.programme.buttons import FLOW
from bot.programme.models import ACTIVITY_ANSWERS, WEEKS
from bot.programme.plan import DAYS_PER_WEEK
from bot.programme.pressed import own_day
from storage import diary, plans, schedules
from storage.deliveries import Claim
from storage.plans import Day, Plan
from storage.recurrence import hhmm
from storage.users import User

log = logging.getLogger(__name__)


def day_message(
    svc: Services, user: User, plan: Plan, day: Day
) -> tuple[str, InlineKeyboardMarkup]:
    """The message for one day of the plan, in the person's language."""
    lang = user.language
    content = svc.content
    programme, library = content.programme, content.library
    progression = programme.progression
    assert progression is not None

    def t(key: str, **params: object) -> str:
        return content.strings.t(lang, key, **params)

    lines = [f"<b>{t('programme.day.head', week=day.week, weeks=WEEKS, day=day.day)}</b>", ""]
    rows: list[list[Button]] = []
    if day.day == DAYS_PER_WEEK:
        last = day.week >= WEEKS  # the last review ends with the summary, not a next week
        lines.append(t("programme.day.review_last" if last else "programme.day.review",
                       week=day.week))  # fmt: skip
        rows.append([(t("programme.day.review_button"), FLOW.button("review", day.id))])
    elif day.lesson and (lesson := programme.lesson(day.lesson)) is not None:
        title = lesson.text(lang).title
        lines.append(t("programme.day.lesson", title=title))
        rows.append([(t("programme.day.lesson_button"), FLOW.button("lesson", day.id))])
    else:
        lines.append(t("programme.day.no_lesson"))
    lines.append(words.exercise_line(t, library, progression, plan.routine, plan.level, lang))
    rows.append([(t("programme.day.exercise_button"), FLOW.button("go", day.id))])
    lines.append(t("programme.day.activity", minutes=plan.minutes))
    rows.append(
        [(t(f"programme.activity.{a}"), FLOW.button("act", day.id, a)) for a in ACTIVITY_ANSWERS]
    )
    checkin = schedules.checkin_for(svc.db, plan.user_id)
    if checkin is not None and checkin.active:
        lines += ["", t("programme.day.pain")]
        numbers = [(str(n), FLOW.button("pain", day.id, n)) for n in range(11)]
        rows += [numbers[:6], numbers[6:]]
    emergency = content.emergency_line(lang, user.time_zone)
    lines += ["", f"<i>{t('programme.day.safety', emergency=emergency)}</i>"]
    rows.append(
        [(t("programme.status_button"), FLOW.button("open")), (t("common.menu_button"), MENU)]
    )
    return "\n".join(lines), keyboard(rows)


def prompt(svc: Services, user: User, claim: Claim) -> tuple[str, InlineKeyboardMarkup]:
    """What the tick sends for a plan's schedule (raises SkipDelivery if nothing is due)."""
    plan = plans.current(svc.db, user.id)
    if plan is None or plan.status != "active" or plan.schedule_id != claim.schedule_id:
        raise SkipDelivery("no active plan for this schedule")
    retried = plans.day_of_delivery(svc.db, user.id, claim.delivery_id) is not None
    if not retried and plans.sent_today(svc.db, plan, claim.zone, svc.now()):
        # One day of the plan a day, whatever moved the time (a new zone, a new time, resuming).
        raise SkipDelivery("a day of the plan already went out today")
    content = svc.content
    today = service.open_day(
        svc.db, content.programme, content.library, plan, svc.now(), delivery_id=claim.delivery_id
    )
    if today is None:
        raise SkipDelivery("the plan moved on")
    if today.closed is not None and today.closed.finished:
        return summary.end_message(svc, user.language, today.plan)
    text, markup = day_message(svc, user, today.plan, today.day)
    if today.closed is not None:  # last week's review was not done: say what that meant
        missed = svc.content.strings.t(user.language, "programme.day.missed_review")
        text = f"{missed}\n\n{text}"
    return text, markup


async def send_today(turn: Turn, plan: Plan, prefix: str = "") -> None:
    """The newest day's message again (or day 1, for a plan just started). It never makes a
    new day: that is the daily message's job, so the plan keeps its pace."""
    content = turn.svc.content
    latest = plans.days(turn.db, turn.user_id, plan.id)
    shown = latest[-1] if latest else None
    if shown is not None and (plan.day == 0 or shown.week != plan.week):
        # The week has just been reviewed (or started again): its first day comes next.
        await turn.send(_next_text(turn, plan), keyboard([[turn.menu_button()]]))
        return
    if shown is None:
        opened = service.open_day(
            turn.db, content.programme, content.library, plan, turn.now(), delivery_id=None
        )
        if opened is None:
            return
        plan, shown = opened.plan, opened.day
    text, markup = day_message(turn.svc, turn.user, plan, shown)
    await turn.send(f"{prefix}\n\n{text}" if prefix else text, markup)


def _next_text(turn: Turn, plan: Plan) -> str:
    schedule = schedules.get(turn.db, plan.schedule_id, turn.user_id) if plan.schedule_id else None
    when = hhmm(schedule.at) if schedule is not None and schedule.at else "–"
    return turn.t("programme.day.next_comes", week=plan.week, time=when)


# ---------------------------------------------------------------- the day's buttons
async def on_lesson(turn: Turn, press: Press) -> None:
    _plan, day = own_day(turn, press)
    programme = turn.svc.content.programme
    lesson = programme.lesson(day.lesson or "")
    if lesson is None:
        raise Expired("no lesson that day")
    index = programme.lessons.index(lesson)
    await show_lesson(turn, index, day.id if day.answer is None else None)


async def show_lesson(turn: Turn, index: int, day_id: int | None) -> None:
    """A lesson and its question; the answer is noted on the day when it has one."""
    programme = turn.svc.content.programme
    if not 0 <= index < len(programme.lessons):
        raise Expired("no such lesson")
    lesson = programme.lessons[index]
    await turn.answer()
    choices = lesson.text(turn.lang).choices
    tail = (day_id,) if day_id is not None else ()
    rows = [[(c, FLOW.button("ans", index, n, *tail))] for n, c in enumerate(choices)]
    rows.append([turn.menu_button()])
    await turn.send(
        words.lesson_screen(turn.t, lesson, turn.lang, turn.emergency()), keyboard(rows)
    )


async def on_answer(turn: Turn, press: Press) -> None:
    programme = turn.svc.content.programme
    index, choice = press.int_arg(0), press.int_arg(1)
    if not 0 <= index < len(programme.lessons):
        raise Expired("no such lesson")
    lesson = programme.lessons[index]
    if choice >= len(lesson.spec.choices):
        raise Expired("no such choice")
    if len(press.args) > 2:  # a day's lesson: noted once, on the person's own day
        day = plans.get_day(turn.db, turn.user_id, press.int_arg(2))
        if day is None or day.lesson != lesson.id:
            raise Expired("not this person's day")
        plans.set_day_answer(turn.db, turn.user_id, day.id, "answer", choice)
    plan = plans.current(turn.db, turn.user_id)
    if plan is not None:
        plans.mark_read(turn.db, plan, lesson.id, turn.now())
    await turn.answer()
    library = turn.svc.content.library
    sources = "; ".join(library.source_names(list(lesson.spec.sources)))
    text = words.answer_screen(turn.t, lesson, turn.lang, choice, sources)
    rows = [[(turn.t("programme.status_button"), FLOW.button("open")), turn.menu_button()]]
    await turn.show(text, keyboard(rows))


async def on_activity(turn: Turn, press: Press) -> None:
    plan, day = own_day(turn, press)
    answer = press.arg(1)
    if answer not in ACTIVITY_ANSWERS:
        raise Expired("unknown answer")
    before = day.activity
    if not plans.set_day_answer(turn.db, turn.user_id, day.id, "activity", answer):
        await turn.answer(turn.t("programme.activity.already"))
        return
    said = "programme.activity.changed" if before else f"programme.activity.saved_{answer}"
    await turn.answer(turn.t(said))
    newest = plans.days(turn.db, turn.user_id, plan.id)[-1]
    if newest.id != day.id:  # an older day's message: say which day, not "today"
        label = turn.t(f"programme.activity.{answer}")
        await turn.send(turn.t("programme.activity.said_on", day=day.day, week=day.week,
                               answer=label))  # fmt: skip
        return
    await turn.send(turn.t(f"programme.activity.said_{answer}", minutes=plan.minutes))


async def on_pain(turn: Turn, press: Press) -> None:
    """The pain tap: a diary entry like the daily check-in's, then the flare check."""
    _plan, day = own_day(turn, press)
    pain = press.int_arg(1)
    if pain > 10:
        raise Expired("pain out of range")
    if day.pain_entry_id is not None:
        await _change_pain(turn, day.pain_entry_id, pain)
        return
    now = turn.now()
    with turn.db.atomic():
        entry_id = diary.add_entry(
            turn.db, turn.user_id, recorded_at=now, pain=pain, places=[], tags=[], note=None,
            source="plan", dedup_key=f"plan:{day.id}", now=now,
        )  # fmt: skip
        plans.set_day_answer(turn.db, turn.user_id, day.id, "pain_entry_id", entry_id)
    await turn.answer()
    rows = [[(turn.t("checkin.add_details"), diary_buttons.edit(entry_id, 0))]]
    rows.append([turn.menu_button()])
    await turn.send(turn.t("checkin.saved", pain=pain), keyboard(rows))
    await diary_save.send_flare(turn)


async def _change_pain(turn: Turn, entry_id: int, pain: int) -> None:
    """A second tap changes today's score (a mis-tap), like the activity buttons."""
    entry = diary.get_entry(turn.db, turn.user_id, entry_id)
    if entry is None:
        raise Expired("the entry was deleted from the diary")
    if entry.pain == pain:
        await turn.answer(turn.t("programme.day.pain_already"))
        return
    was_flare = service.flare_now(turn.db, turn.user_id)
    diary.update_entry(
        turn.db, turn.user_id, entry.id, recorded_at=entry.recorded_at, pain=pain,
        places=entry.places, tags=entry.tags, note=entry.note,
    )  # fmt: skip
    await turn.answer()
    await turn.send(turn.t("programme.day.pain_changed", pain=pain))  # the chat shows the new one
    is_flare = service.flare_now(turn.db, turn.user_id)
    if is_flare and not was_flare:  # the new score makes a flare: as if tapped first
        await diary_save.send_flare(turn)
        return
    if is_flare or not was_flare:
        return  # nothing changed for the flare check: its warning was already shown
    plan = plans.current(turn.db, turn.user_id)
    if plan is None or not service.among_flare_scores(turn.db, turn.user_id, entry.id):
        return
    undone = plans.undo_flare(turn.db, plan, turn.now())
    if undone is not None:  # the flare came from the mis-tapped score: take its step back back
        conv = turn.conversation()
        if conv is not None and conv.flow == FLOW and conv.data.get("flare"):
            turn.clear()  # its two safety questions were about that flare
        log.info("plan %s: a flare's step back taken back for user %s", undone.id, turn.user_id)
        await turn.send(turn.t("programme.flare.undone", week=undone.week, minutes=undone.minutes))
