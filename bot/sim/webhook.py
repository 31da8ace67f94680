"""Webhook delivery for the stand-in, the way Telegram does it.

After setWebhook, queued updates are POSTed one by one to the bot's URL as
JSON, with the secret in `X-Telegram-Bot-Api-Secret-Token`. An update leaves
the queue only when the bot answers 2xx; otherwise the error is kept for
getWebhookInfo and the update is tried again a little later.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections import deque
from dataclasses import dataclass, field

import aiohttp

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
RETRY_DELAYS = (0.05, 0.1, 0.25, 0.5, 1.0)


@dataclass
class WebhookState:
    url: str | None = None
    secret: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None
    delivered: int = 0
    failures: list[str] = field(default_factory=list)  # one line per failed POST


class WebhookSender:
    """Drains `updates` into the bot's webhook while one is set."""

    def __init__(self, updates: deque[dict], state: WebhookState):
        self.updates = updates
        self.state = state
        self.wakeup = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._session: aiohttp.ClientSession | None = None

    def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        self._task = asyncio.create_task(self._run(), name="stand-in webhook")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _run(self) -> None:
        failures_in_a_row = 0
        while True:
            if not self.state.url or not self.updates:
                self.wakeup.clear()
                await self.wakeup.wait()
                continue
            update = self.updates[0]
            error = await self._post(self.state.url, update)
            if error is None:
                # The head may have been dropped meanwhile (deleteWebhook with drop).
                if self.updates and self.updates[0] is update:
                    self.updates.popleft()
                self.state.delivered += 1
                failures_in_a_row = 0
                continue
            self.state.last_error_date = int(time.time())
            self.state.last_error_message = error
            self.state.failures.append(error)
            delay = RETRY_DELAYS[min(failures_in_a_row, len(RETRY_DELAYS) - 1)]
            failures_in_a_row += 1
            self.wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wakeup.wait(), delay)

    async def _post(self, url: str, update: dict) -> str | None:
        """POST one update; None when the bot took it, else why not."""
        assert self._session is not None
        headers = {SECRET_HEADER: self.state.secret} if self.state.secret else {}
        try:
            async with self._session.post(url, json=update, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            return f"Connection failed: {type(exc).__name__}"


async def post_update(url: str, update: dict, secret: str | None) -> int:
    """POST one update as anyone could (with any secret, or none); returns the HTTP status."""
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=update, headers=headers) as response,
    ):
        await response.read()
        return response.status
