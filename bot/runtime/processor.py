"""Updates from different people run concurrently; one person's run in order.

A person's taps must not race each other (each step reads and writes their
conversation), but nobody should wait behind someone else's burst: an update
waits for its person's turn first and only then for one of the shared slots,
so a slot is held only while an update is being handled. Each person's queue is
bounded; beyond it their updates are dropped and they are told once to slow down.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

DoneHook = Callable[[object], None]
# One person's updates waiting or being handled. A person tapping fast or sending
# an album stays well below it; a script or a stuck key does not.
MAX_QUEUED_PER_PERSON = 20
SLOTS = 256  # updates handled at once, across everyone


class _Person:
    __slots__ = ("dropped", "queued", "turn")

    def __init__(self) -> None:
        self.turn = asyncio.Lock()  # FIFO: asyncio wakes waiters in arrival order
        self.queued = 0
        self.dropped = 0  # in this burst; the burst ends when the queue is empty


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """python-telegram-bot's own limit is taken *before* do_process_update runs, and would
    count updates waiting behind their own person; it is unbounded here and `slots` is
    the real limit on updates handled at once."""

    def __init__(self, slots: int = SLOTS, max_queued: int = MAX_QUEUED_PER_PERSON):
        super().__init__(sys.maxsize)
        self.slots = slots
        self.max_queued = max_queued
        self._slots = asyncio.BoundedSemaphore(slots)
        self._people: dict[int, _Person] = {}
        self.done_hooks: list[DoneHook] = []
        # Called (not awaited) with the first update dropped in a person's burst.
        self.on_overflow: Callable[[Update], None] | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _key(update)
        try:
            if key is None:
                async with self._slots:
                    await coroutine
                return
            person = self._people.get(key)
            if person is None:
                person = self._people[key] = _Person()
            if person.queued >= self.max_queued:
                self._drop(person, update, coroutine)
                return
            person.queued += 1
            try:
                async with person.turn, self._slots:
                    await coroutine
            finally:
                person.queued -= 1
                if not person.queued:
                    del self._people[key]
                    if person.dropped:
                        log.warning("a burst ended; %d of its updates were dropped", person.dropped)
        finally:
            for hook in self.done_hooks:
                hook(update)

    def _drop(self, person: _Person, update: object, coroutine: Awaitable[Any]) -> None:
        if inspect.iscoroutine(coroutine):
            coroutine.close()  # never started: closing it is all the clean-up it needs
        person.dropped += 1
        if person.dropped == 1:
            update_id = update.update_id if isinstance(update, Update) else None
            log.warning(
                "update %s dropped: %d already queued for its person", update_id, person.queued
            )
            if self.on_overflow is not None and isinstance(update, Update):
                self.on_overflow(update)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def _key(update: object) -> int | None:
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return None
