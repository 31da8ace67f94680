"""The real Application running in-process against the stand-in, for tests and the terminal chat.

    async with Harness(db_path) as harness:
        alex = harness.user(42)
        await alex.send("/start")      # returns once the bot has handled it

`send` and `press` wait for the bot to finish the update they caused (a hook
in the update processor), never for the wall clock.
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.app import API_TIMEOUT, build_application
from bot.chat.registry import Clock, services, system_clock
from bot.config import Settings
from bot.content import Content
from bot.sim.client import SimUser
from bot.sim.server import BotApiServer
from storage import conversations, users

PROCESS_TIMEOUT = 15.0
WEBHOOK_SECRET = "stand-in-webhook-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Harness:
    def __init__(
        self,
        db_path: str | Path,
        *,
        clock: Clock = system_clock,
        content: Content | None = None,
        server: BotApiServer | None = None,
        admin_ids: frozenset[int] = frozenset(),
        tick_seconds: float = 30,
        api_timeout: float = API_TIMEOUT,
        webhook: bool = False,
        rate_limit: bool = True,
    ):
        self.db_path = str(db_path)
        self.clock = clock
        self.content = content
        self.server = server or BotApiServer()
        self.admin_ids = admin_ids
        self.tick_seconds = tick_seconds
        self.api_timeout = api_timeout
        self.webhook = webhook  # deliver updates by webhook instead of getUpdates
        self.rate_limit = rate_limit
        self.app: Application | None = None
        self._waiters: dict[int, asyncio.Future[None]] = {}
        self._processed: set[int] = set()
        self._owns_server = server is None

    @property
    def settings(self) -> Settings:
        return Settings(
            token=self.server.token,
            api_base_url=self.server.base_url,
            db_path=self.db_path,
            tick_seconds=self.tick_seconds,
            admin_ids=self.admin_ids,
            log_level="INFO",
        )

    async def __aenter__(self) -> Harness:
        if self.server.port is None:
            await self.server.start()
        await self.start_bot()
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.stop_bot()
        if self._owns_server:
            await self.server.stop()

    async def start_bot(self) -> Application:
        app = build_application(
            self.settings,
            content=self.content,
            clock=self.clock,
            api_timeout=self.api_timeout,
            rate_limit=self.rate_limit,
        )
        app.update_processor.done_hooks.append(self._on_processed)  # type: ignore[attr-defined]
        await app.initialize()
        await app.start()
        assert app.updater is not None
        if self.webhook:
            port = free_port()
            await app.updater.start_webhook(
                listen="127.0.0.1",
                port=port,
                url_path="telegram",
                webhook_url=f"http://127.0.0.1:{port}/telegram",
                secret_token=WEBHOOK_SECRET,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            await app.updater.start_polling(poll_interval=0.0, timeout=5)
        if app.post_init:
            await app.post_init(app)
        self.app = app
        return app

    async def stop_bot(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        assert app.updater is not None
        stopping = asyncio.create_task(app.updater.stop())
        await asyncio.sleep(0)
        self.server.wake_pollers()
        await stopping
        await app.stop()
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)

    async def restart(self) -> None:
        """Stop the application and start a fresh one on the same database."""
        await self.stop_bot()
        await self.start_bot()

    def user(self, user_id: int, **kwargs: Any) -> SimUser:
        return SimUser(self.server, user_id, waiter=self.wait_processed, **kwargs)

    def knows(self, user_id: int) -> bool:
        """Whether this person has used the bot before (on this database)."""
        assert self.app is not None
        return users.get(services(self.app).db, user_id) is not None

    def awaits_text(self, user_id: int) -> bool:
        """Whether the bot is waiting for this person to type (a time, a note, a city)."""
        assert self.app is not None
        svc = services(self.app)
        conversation = conversations.get(svc.db, user_id, svc.now())
        if conversation is None:
            return False
        return svc.registry.awaits_text(conversation.flow, conversation.step)

    def _on_processed(self, update: object) -> None:
        if isinstance(update, Update):
            self._processed.add(update.update_id)
            waiter = self._waiters.pop(update.update_id, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(None)

    async def wait_processed(self, update_id: int) -> None:
        if update_id in self._processed:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters[update_id] = waiter
        await asyncio.wait_for(waiter, PROCESS_TIMEOUT)
