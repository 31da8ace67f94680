"""The tick: one repeating job that claims due reminders, sends them, and records the outcome.

No job per person lives in memory: the database says what is due, so start-up
cost and memory do not grow with the number of schedules. Tests call `tick`
directly with their own clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from telegram.error import Forbidden
from telegram.ext import Application, ContextTypes

from bot.chat.registry import SkipDelivery, services
from bot.reminders import checkin
from bot.reminders import handlers as reminders
from bot.runtime.ratelimit import OVERALL_PER_SECOND, PACED, PacedRateLimiter
from storage import deliveries, schedules, users
from storage.deliveries import Claim

log = logging.getLogger(__name__)
# Sends in flight at once; the rate limiter, not this, sets the pace. Few are needed at
# 30/s, and few waiting in the limiter keeps a person's replies quick during a fan-out.
# Paid broadcasts need more in flight to reach their rate.
CONCURRENCY = 4
PAID_CONCURRENCY = 32
# One claim is what the rate limiter lets out in CLAIM_SECONDS, so a stop (SIGTERM) that
# lets the batch in hand finish stays well inside docker stop's 10 s before SIGKILL, and
# a kill leaves at most this many for the next start to send. Paid broadcasts go ~950/s:
# their batch is bounded by the time one claim transaction may hold the event loop.
CLAIM_SECONDS = 3
BATCH = int(OVERALL_PER_SECOND * CLAIM_SECONDS)  # 84
PAID_BATCH = 500
LOCK_KEY = "reminders.tick_lock"


@dataclass
class TickResult:
    claimed: int = 0
    sent: int = 0
    skipped: int = 0
    blocked: int = 0
    failed: int = 0


async def tick(
    app: Application,
    now: datetime | None = None,
    *,
    paid_broadcast: bool = False,
    keep_going: Callable[[], bool] = lambda: True,
):
    """Claim everything due in small batches, send each once, record what happened.

    Before each batch `keep_going()` is asked: a stopping bot finishes the batch in
    hand and leaves the rest due for its next start. `paid_broadcast` marks sends as
    Telegram paid broadcasts (up to 1000/s, charged in Stars); the rate limiter then
    paces them at that rate.
    """
    svc = services(app)
    result = TickResult()
    gate = asyncio.Semaphore(PAID_CONCURRENCY if paid_broadcast else CONCURRENCY)
    limit = PAID_BATCH if paid_broadcast else BATCH
    while keep_going():
        claims = _claim(svc.db, now or svc.now(), limit)
        if not claims:
            break
        result.claimed += len(claims)
        await asyncio.gather(
            *(_gated(app, claim, gate, result, paid_broadcast) for claim in claims)
        )
    for hook in svc.registry.on_tick:
        try:
            await hook(app, now or svc.now())
        except Exception:  # one feature's rows never stop the reminders
            log.exception("a tick hook failed")
    if result.claimed:
        log.info(
            "tick: claimed %d, sent %d, skipped %d, blocked %d, failed %d",
            result.claimed, result.sent, result.skipped, result.blocked, result.failed,
        )  # fmt: skip
    return result


def _claim(db, now: datetime, limit: int) -> list[Claim]:
    """At most `limit` claims: what a dead process left first, then retries, then new."""
    claims = deliveries.claim_abandoned(db, now, limit=limit)
    if len(claims) < limit:
        claims += deliveries.claim_retries(db, now, limit=limit - len(claims))
    if len(claims) < limit:
        claims += deliveries.claim_due(db, now, limit=limit - len(claims))
    return claims


async def _gated(
    app: Application, claim: Claim, gate: asyncio.Semaphore, result: TickResult, paid: bool
) -> None:
    # The whole send inside the gate: preparing hundreds of prompts in one go would hold
    # the event loop, and the paced sends waiting behind it would then leave in a bunch.
    async with gate:
        await _send(app, claim, result, paid)


async def _send(app: Application, claim: Claim, result: TickResult, paid: bool) -> None:
    svc = services(app)
    db = svc.db
    try:
        user = users.get(db, claim.user_id)
        checkin_day = claim.kind == schedules.CHECKIN
        prompt = svc.registry.prompts.get(claim.kind)
        skip = (
            user is None
            or not user.consented
            or (
                checkin_day
                and claim.skip_if_logged
                and deliveries.logged_on_day(db, claim.user_id, claim.due, claim.zone)
            )
            # one daily message, not two: the plan's carries the pain tap
            or (checkin_day and any(f(db, claim.user_id) for f in svc.registry.carries_checkin))
            or (claim.kind not in (schedules.CHECKIN, schedules.STRETCH) and prompt is None)
        )
        if skip or user is None:
            deliveries.record_status(db, claim.delivery_id, "skipped")
            result.skipped += 1
            return
        if checkin_day:
            text, markup = checkin.prompt(svc, user.language, claim.delivery_id)
        elif prompt is not None:
            try:
                text, markup = prompt(svc, user, claim)
            except SkipDelivery:
                deliveries.record_status(db, claim.delivery_id, "skipped")
                result.skipped += 1
                return
        else:
            text, markup = reminders.prompt(svc, user.language, claim.delivery_id, claim.routine)
            text = _cautioned(svc, user, text)
        limiter = app.bot.rate_limiter
        paced = isinstance(limiter, PacedRateLimiter)
        if paced:  # wait for its moment first: a send waiting there has not left yet
            await limiter.pace(paid=paid)
        if not deliveries.begin_send(db, claim):
            return  # another tick took this claim over; it sends it
        message = await app.bot.send_message(
            claim.user_id,
            text,
            reply_markup=markup,
            allow_paid_broadcast=paid or None,
            rate_limit_args=PACED if paced else None,
        )
    except Forbidden:
        # Blocked, or the account is gone: stop everything of theirs until /start.
        deliveries.record_status(db, claim.delivery_id, "blocked")
        paused = schedules.pause_blocked(db, claim.user_id, svc.now())
        users.set_active(db, claim.user_id, False)
        result.blocked += 1
        log.info("user %s cannot be reached; paused %d schedules", claim.user_id, paused)
        return
    except Exception as exc:  # one bad send never stops the tick
        result.failed += 1
        try:
            retry = deliveries.record_failure(db, claim, svc.now())
        except Exception:
            log.exception("could not record the failure of delivery %s", claim.delivery_id)
            return
        log.warning(
            "delivery %s to user %s failed (%s: %s); %s",
            claim.delivery_id, claim.user_id, type(exc).__name__, exc,
            "will retry" if retry else "giving up",
        )  # fmt: skip
        return
    try:
        deliveries.record_sent(db, claim.delivery_id, message.message_id, svc.now())
    except Exception:  # it went out: the row stays "sending" and is never sent again
        log.exception("could not record that delivery %s was sent", claim.delivery_id)
        return
    result.sent += 1


def _cautioned(svc, user, text: str) -> str:
    """A stretch reminder says first when new exercise should wait (an urgent check, a hold)."""
    for hook in svc.registry.exercise_cautions:
        key = hook(svc, user.id, svc.now())
        if key:
            emergency = svc.content.emergency_line(user.language, user.time_zone)
            return f"{svc.content.strings.t(user.language, key, emergency=emergency)}\n\n{text}"
    return text


async def _job(context: ContextTypes.DEFAULT_TYPE) -> None:
    app = context.application
    lock: asyncio.Lock = app.bot_data.setdefault(LOCK_KEY, asyncio.Lock())
    if lock.locked():  # a long fan-out is still sending; it will pick up what is new
        return
    async with lock:
        # A stop (SIGTERM) waits for this job: only the batch in hand is finished.
        await tick(app, keep_going=lambda: app.running)


async def _welcome_back(turn) -> None:
    """/start after blocking the bot: reminders paused by the block come back."""
    resumed = schedules.resume_blocked(turn.db, turn.user_id, turn.now())
    if resumed:
        log.info("user %s is back; resumed %d schedules", turn.user_id, resumed)


def register(app: Application) -> None:
    svc = services(app)
    svc.registry.on_start.append(_welcome_back)
    if app.job_queue is None:
        raise RuntimeError("the JobQueue is needed: install python-telegram-bot[job-queue]")
    every = svc.settings.tick_seconds
    app.job_queue.run_repeating(
        _job, interval=every, first=every, name="reminders-tick",
        job_kwargs={"max_instances": 2, "coalesce": True},
    )  # fmt: skip
