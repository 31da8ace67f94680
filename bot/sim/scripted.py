"""Scripted sessions: many people using the bot at once, each step checked.

Used by the fault, crash and webhook tests and by benchmarks/. A session is a
list of steps per person; `run_session` runs everyone concurrently and counts
the steps that completed. A step that does not get the reply it expects
raises StepFailed with the end of that person's transcript.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.sim.client import SimUser

Step = Callable[[SimUser], Awaitable[None]]


class StepFailed(AssertionError):
    pass


@dataclass
class Tally:
    steps: int = 0
    failed: list[str] = field(default_factory=list)


def expect(user: SimUser, condition: bool, what: str) -> None:
    if not condition:
        tail = "\n".join(user.transcript().splitlines()[-8:])
        raise StepFailed(f"user {user.user_id}: expected {what}\n{tail}")


def shown(user: SimUser, needle: str) -> bool:
    """`needle` is in the newest bot message (or the one before, when the last is a pointer)."""
    return any(needle in text for text in user.texts()[-2:])


async def onboard(user: SimUser) -> None:
    await user.send("/start")
    expect(user, "Yes, keep my notes" in user.buttons(), "the consent question")
    await user.press("Yes, keep my notes")
    expect(user, shown(user, "What would you like to do?"), "the menu after consent")


async def help_and_back(user: SimUser) -> None:
    await user.send("/help")
    expect(user, "/cancel" in user.last_text(), "the help text")
    await user.press("Menu")
    expect(user, shown(user, "What would you like to do?"), "the menu from help")


async def cancel_nothing(user: SimUser) -> None:
    await user.send("/cancel")
    expect(user, "nothing to stop" in user.last_text(), "nothing to cancel")


FOUNDATION: list[Step] = [onboard, help_and_back, cancel_nothing]


def default_steps() -> list[Step]:
    """Everything a person can do today, in the order a newcomer would."""
    return [*FOUNDATION]


async def run_session(
    users: list[SimUser], steps: list[Step], *, rounds: int = 1, tally: Tally | None = None
) -> Tally:
    """Every user runs `steps` (`rounds` times) at the same time as everyone else."""
    tally = tally or Tally()

    async def one(user: SimUser) -> None:
        for round_ in range(rounds):
            for step in steps:
                if round_ and step is onboard:
                    continue
                await step(user)
                tally.steps += 1

    results = await asyncio.gather(*(one(u) for u in users), return_exceptions=True)
    for user, result in zip(users, results, strict=True):
        if isinstance(result, BaseException):
            tally.failed.append(f"user {user.user_id}: {type(result).__name__}: {result}")
    return tally
