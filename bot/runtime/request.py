"""HTTP to the Bot API that rides out a bad minute.

python-telegram-bot retries only `RetryAfter` (through the rate limiter); a 5xx
answer, a timeout or a dropped connection reaches the handler as an error and
the person's reply is lost. RetryingRequest tries such calls again with a
short backoff. A retried send may reach the person twice (Telegram may have
delivered the first try before the answer was lost); everything a handler
stores is committed before it replies, so nothing is ever stored twice.
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any

from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData

from bot.runtime.http import AiohttpRequest

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({500, 502, 503, 504})
BACKOFF = (0.2, 0.5, 1.0, 2.0, 4.0)  # seconds before each retry
# A success whose result is not read: what the Bot API answers for an edit that
# returns no message, and python-telegram-bot passes it on as True.
DONE = b'{"ok":true,"result":true}'
# What the bot leaves unread (bot/app.py): no handler reads an edited message back.
UNREAD = frozenset({"editMessageText"})


class RetryingRequest(AiohttpRequest):
    """AiohttpRequest that retries 5xx answers, timeouts and network errors.

    `unread` names methods whose successful result the caller never reads: each
    is answered as plain True. The bot passes editMessageText, whose result is the
    whole edited message; python-telegram-bot would otherwise build it into
    objects, buttons and all, on every tap: about a quarter of the bot's CPU for
    a tap, HTTP aside (benchmarks/README.md). Failures are untouched.
    """

    def __init__(
        self,
        *args,
        backoff: tuple[float, ...] = BACKOFF,
        unread: frozenset[str] = frozenset(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.backoff = backoff
        self.unread = unread
        self.retries = 0  # how many calls were tried again, for tests and figures

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = AiohttpRequest.DEFAULT_NONE,
        write_timeout: Any = AiohttpRequest.DEFAULT_NONE,
        connect_timeout: Any = AiohttpRequest.DEFAULT_NONE,
        pool_timeout: Any = AiohttpRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]  # the method name; the URL itself holds the token
        for attempt in range(len(self.backoff) + 1):
            last = attempt == len(self.backoff)
            try:
                code, payload = await super().do_request(
                    url,
                    method,
                    request_data,
                    read_timeout=read_timeout,
                    write_timeout=write_timeout,
                    connect_timeout=connect_timeout,
                    pool_timeout=pool_timeout,
                )
            except (TimedOut, NetworkError) as exc:
                if last:
                    raise
                reason = type(exc).__name__
            else:
                if code == 200 and endpoint in self.unread:
                    return code, DONE
                if code not in RETRY_STATUSES or last:
                    return code, payload
                reason = f"HTTP {code}"
            delay = self.backoff[attempt] * random.uniform(0.8, 1.2)
            self.retries += 1
            log.warning("%s failed (%s); retry %d in %.1fs", endpoint, reason, attempt + 1, delay)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")
