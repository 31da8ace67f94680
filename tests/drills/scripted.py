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

Step = Callable[[SimUser, "Tally"], Awaitable[None]]


class StepFailed(AssertionError):
    pass


@dataclass
class Tally:
    steps: int = 0
    failed: list[str] = field(default_factory=list)
    # diary notes whose "Saved." the person saw, one unique note per entry
    confirmed_notes: list[str] = field(default_factory=list)
    attempts: dict[int, int] = field(default_factory=dict)  # user id -> entries started
    checks: int = 0  # triage results seen

    def next_note(self, user: SimUser) -> str:
        count = self.attempts[user.user_id] = self.attempts.get(user.user_id, 0) + 1
        return f"entry {count} of person {user.user_id}"


def expect(user: SimUser, condition: bool, what: str) -> None:
    if not condition:
        tail = "\n".join(user.transcript().splitlines()[-8:])
        raise StepFailed(f"user {user.user_id}: expected {what}\n{tail}")


def shown(user: SimUser, needle: str) -> bool:
    """`needle` is in the newest bot message (or the one before, when the last is a pointer)."""
    return any(needle in text for text in user.texts()[-2:])


async def onboard(user: SimUser, tally: Tally) -> None:
    await user.send("/start")
    expect(user, "Yes, keep my notes" in user.buttons(), "the consent question")
    await user.press("Yes, keep my notes")
    expect(user, shown(user, "What would you like to do?"), "the menu after consent")


async def help_and_back(user: SimUser, tally: Tally) -> None:
    await user.send("/help")
    expect(user, "/cancel" in user.last_text(), "the help text")
    await user.press("Menu")
    expect(user, shown(user, "What would you like to do?"), "the menu from help")


async def cancel_nothing(user: SimUser, tally: Tally) -> None:
    await user.send("/cancel")
    expect(user, "nothing to stop" in user.last_text(), "nothing to cancel")


async def log_pain(user: SimUser, tally: Tally) -> None:
    """/log with every step: pain, a place, no tags, a unique note, now, Save."""
    note = tally.next_note(user)
    await user.send("/log")
    if "Which time zone are you in?" in user.last_text():  # asked at the first entry
        await user.press("Not now")
    expect(user, "0 means no pain" in user.last_text(), "the pain scale")
    await user.press("6")
    await user.press("Add details")
    expect(user, "Where does it hurt?" in user.last_text(), "the places step")
    await user.press("Lower back")
    await user.press("Next")
    expect(user, "Anything else?" in user.last_text(), "the tags step")
    await user.press("Next")
    expect(user, "Want to add a note?" in user.last_text(), "the note step")
    await user.send(note)
    expect(user, "When was this?" in user.last_text(), "the when step")
    await user.press("Now")
    expect(user, "Check and save" in user.last_text(), "the review")
    await user.press("Save")
    expect(user, shown(user, "Saved.") and shown(user, note), "the saved entry")
    tally.confirmed_notes.append(note)


async def read_library(user: SimUser, tally: Tally) -> None:
    """/learn, a page, its next screen, back to the list."""
    await user.send("/learn")
    expect(user, "Sciatica" in user.buttons(), "the list of topics")
    await user.press("Sciatica")
    expect(user, "Sciatica (1/" in user.last_text(), "the first screen of a page")
    await user.press("More")
    expect(user, "Sciatica (2/" in user.last_text(), "the second screen")
    await user.send("/learn")
    expect(user, "Sciatica" in user.buttons(), "the list again")


async def do_stretches(user: SimUser, tally: Tally) -> None:
    """/stretches, a routine, its first two exercises, then stop."""
    await user.send("/stretches")
    await user.press("desk break")
    expect(user, "Start routine" in " ".join(user.buttons()), "the routine overview")
    await user.press("Start routine")
    expect(user, "exercise 1 of" in user.last_text(), "the first exercise")
    await user.press("Next")
    expect(user, "exercise 2 of" in user.last_text(), "the second exercise")
    await user.press("Stop")


# Answers that lead a check to "self-care is fine for now" (a fresh strain from a lift).
SELF_CARE_ANSWERS = [
    "None of these",
    "No",
    "No",
    "Suddenly, lifting or twisting",
    "None of these",
    "20 to 34",
    "No",
    "Lower back only",
    "Less than 2 weeks",
    "Moving, bending or lifting",
    "None of these",
]


async def tap(user: SimUser, label: str) -> None:
    """Press the button with exactly this label on the newest message with buttons."""
    for message in reversed(user.bot_messages()):
        if message.buttons:
            for row in message.buttons:
                for button in row:
                    if button["text"] == label and "callback_data" in button:
                        await user.press_data(button["callback_data"], message)
                        return
            break
    raise StepFailed(f"user {user.user_id}: no button {label!r} in {user.buttons()}")


async def check_back(user: SimUser, tally: Tally) -> None:
    """/check answered all the way to a result, then /history shows it."""
    await user.send("/check")
    for number, label in enumerate(SELF_CARE_ANSWERS, 1):
        expect(user, f"Question {number} of about" in user.last_text(), f"question {number}")
        await tap(user, label)
    expect(user, "Self-care is fine for now" in user.last_text(), "the result")
    expect(user, "Saved to your /history" in user.last_text(), "the result saved")
    tally.checks += 1


FOUNDATION: list[Step] = [onboard, help_and_back, cancel_nothing]
BY_FEATURE: dict[str, list[Step]] = {
    "triage": [check_back],
    "diary": [log_pain],
    "library": [read_library],
    "stretches": [do_stretches],
}


def default_steps(features: set[str] | frozenset[str] = frozenset(BY_FEATURE)) -> list[Step]:
    """Everything a person can do with these features, in the order a newcomer would."""
    steps = [*FOUNDATION]
    for feature, more in BY_FEATURE.items():
        if feature in features:
            steps += more
    return steps


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
                await step(user, tally)
                tally.steps += 1

    results = await asyncio.gather(*(one(u) for u in users), return_exceptions=True)
    for user, result in zip(users, results, strict=True):
        if isinstance(result, BaseException):
            tally.failed.append(f"user {user.user_id}: {type(result).__name__}: {result}")
    return tally
