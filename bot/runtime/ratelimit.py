"""Keeping under Telegram's flood limits: bulk sends get evenly spaced moments.

Telegram allows about 30 messages a second overall (1,000 for paid broadcasts).
python-telegram-bot's AIORateLimiter meters everything with a leaky bucket: it lets
a burst through, and when a 429 pause ends it releases every request that took a
slot during the pause at once, which draws more 429s. Against a stand-in enforcing
30/s, a 3,000-person reminder fan-out through it drew 429s on 5-14% of sends and took
116-119 s. Here bulk sends (`rate_limit_args=BULK`, or `pace()` then `PACED`) each get
the next moment on an evenly spaced timeline (absolute times, so late wake-ups do not
add up), and a 429 moves the timeline past its pause: the same fan-out takes about
108 s with at most a few 429s (benchmarks/reminders.py). Replies to a person go at once
but take a moment from the timeline, so the bulk sends behind them make room; yet never
all of it: a quarter of the rate stays the bulk sends' own, so reminders still go out
while replies alone fill the budget (with replies at 40 a second, the last of 60 reminders
went at 88 s without it, at 8 s with it: tests/test_ratelimit.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

BULK = "bulk"
# A bulk send whose moment was taken already (`pace`): the reminder tick waits for its
# moment first, so that a send counts as leaving only once it really leaves.
PACED = "paced"
OVERALL_PER_SECOND = 28.0  # under Telegram's 30: room for network jitter
PAID_PER_SECOND = 950  # allow_paid_broadcast: Telegram allows 1,000
# The part of the rate replies cannot take from bulk sends: 7 a second at 28, so the
# 60 check-ins of one busy minute still go out within about 9 s.
BULK_SHARE = 0.25


@dataclass
class Timeline:
    interval: float
    next: float = 0.0  # the next free moment
    last: float = -1e9  # when the latest bulk send really went
    reserved: float = 0.0  # the latest moment the next bulk send may have (its own share)


class PacedRateLimiter(BaseRateLimiter[str]):
    """`rate_limit_args=BULK` (or `pace()` first, then `PACED`) paces a request; anything
    else goes at once."""

    def __init__(
        self,
        per_second: float = OVERALL_PER_SECOND,
        *,
        paid_per_second: float = PAID_PER_SECOND,
        max_retries: int = 3,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep,
    ):
        self._overall = Timeline(1 / per_second)
        self._paid = Timeline(1 / paid_per_second)
        self._paused_until = 0.0
        self._max_retries = max_retries
        self._clock = clock
        self._sleep = sleep

    def _now(self) -> float:
        return self._clock() if self._clock else asyncio.get_running_loop().time()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def _wait_for(self, timeline: Timeline) -> None:
        """Bulk: sleep until this request's own moment (again, if a 429 paused us meanwhile)."""
        while True:
            now = self._now()
            moment = max(now, min(timeline.next, timeline.reserved), self._paused_until)
            timeline.next = max(timeline.next, moment) + timeline.interval
            timeline.reserved = moment + timeline.interval / BULK_SHARE
            if moment > now:
                await self._sleep(moment - now)
            if self._paused_until > self._now():
                continue
            # Sends that woke late together (the loop was busy) go at no more than twice
            # the pace, rather than all at once.
            gap = timeline.last + timeline.interval / 2 - self._now()
            if gap > 0:
                await self._sleep(gap)
            timeline.last = self._now()
            return

    async def pace(self, *, paid: bool = False) -> None:
        """Wait for the next bulk moment now; the request then goes with `PACED`."""
        await self._wait_for(self._paid if paid else self._overall)

    def _take(self, timeline: Timeline) -> None:
        """A reply goes now, but takes a moment from the timeline: bulk sends make room."""
        timeline.next = max(timeline.next, self._now()) + timeline.interval

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        timeline = self._paid if data.get("allow_paid_broadcast") else self._overall
        to_chat = data.get("chat_id") is not None
        for attempt in range(self._max_retries + 1):
            if to_chat and (rate_limit_args == BULK or (rate_limit_args == PACED and attempt)):
                await self._wait_for(timeline)
            elif to_chat and rate_limit_args == PACED:
                pass  # its first moment came from pace()
            elif to_chat:
                if self._paused_until > self._now():  # Telegram told us to pause
                    await self._sleep(self._paused_until - self._now())
                self._take(timeline)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self._max_retries:
                    raise
                pause = exc.retry_after
                seconds = pause if isinstance(pause, int | float) else pause.total_seconds()
                self._paused_until = max(self._paused_until, self._now() + seconds + 0.1)
        raise AssertionError("unreachable")
