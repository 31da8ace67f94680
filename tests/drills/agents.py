"""People who keep trying: simulated users for drills where replies can be lost.

When the bot is killed mid-update, the reply a person waits for may never come.
A real person then looks at the chat and taps or types again. An Agent does
the same: each Goal looks at the screen, takes one action, and the agent waits
for the chat to change; if nothing comes, it looks again and acts again.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

from bot.sim.client import SimUser
from bot.sim.server import SimMessage

MENU_TITLE = "What would you like to do?"


def signature(user: SimUser) -> tuple[int, int]:
    """Changes whenever a message arrives in the chat or one is edited."""
    messages = user.chat.messages
    return len(messages), sum(m.edits for m in messages)


# The bot sends at most one message a second to a chat (Telegram's limit, kept by
# python-telegram-bot's rate limiter), so a reply of several messages comes with pauses.
# After a new message, wait out such a pause before acting, as a person reads first;
# acting in the middle of a reply would race the bot with a stale button.
AFTER_NEW_MESSAGE = 1.2


async def settle(user: SimUser, since: tuple[int, int], timeout: float, quiet: float) -> bool:
    """Wait for the chat to change from `since`, then to stay still for a while."""
    try:
        await user.server.wait_for(lambda: signature(user) != since, timeout)
    except TimeoutError:
        return False
    for _ in range(50):
        current = signature(user)
        still = max(quiet, AFTER_NEW_MESSAGE) if current[0] > since[0] else quiet
        try:
            await user.server.wait_for(lambda c=current: signature(user) != c, still)
        except TimeoutError:
            return True
    return True


def last_bot(user: SimUser) -> SimMessage | None:
    messages = user.bot_messages()
    return messages[-1] if messages else None


def has_button(message: SimMessage | None, label: str) -> bool:
    return message is not None and any(label in text for text in message.button_labels())


class Goal:
    """Something a person wants done; `act` takes one step towards it from the current screen."""

    name = "goal"

    def begin(self, user: SimUser) -> None:
        self.mark = len(user.chat.messages)

    def since_begin(self, user: SimUser) -> list[SimMessage]:
        return [m for m in user.chat.messages[self.mark :] if m.from_bot and not m.deleted]

    def done(self, user: SimUser) -> bool:
        raise NotImplementedError

    async def act(self, user: SimUser) -> None:
        raise NotImplementedError


class Onboard(Goal):
    name = "onboard"

    def done(self, user: SimUser) -> bool:
        return any(
            "Your notes are kept safe" in (m.plain or "") or "Welcome back" in (m.plain or "")
            for m in self.since_begin(user)
        )

    async def act(self, user: SimUser) -> None:
        last = last_bot(user)
        if has_button(last, "Yes, keep my notes"):
            await user.press("Yes, keep my notes", message=last)
        else:
            await user.send("/start")


class HelpAndBack(Goal):
    """/help, then the Menu button: the help message turns into the menu."""

    name = "help"

    def begin(self, user: SimUser) -> None:
        super().begin(user)
        self.pressed = False

    def done(self, user: SimUser) -> bool:
        return self.pressed and any(MENU_TITLE in (m.plain or "") for m in self.since_begin(user))

    async def act(self, user: SimUser) -> None:
        last = last_bot(user)
        if last is not None and "/cancel" in (last.plain or "") and has_button(last, "Menu"):
            await user.press("Menu", message=last)
            self.pressed = True
        else:
            await user.send("/help")


class LogPain(Goal):
    """A diary entry; done when its "Saved." is on screen.

    Each draft gets its own note ("<base> [t1]", "[t2]", ...): when a save goes through
    but its "Saved." is lost, the person starts again, and that second entry is a new one.
    A confirmed note thus names exactly one draft, which must be stored exactly once.
    """

    name = "log"

    def __init__(self, note: str, confirmed: list[str]):
        self.base = note
        self.typed: list[str] = []
        self.confirmed = confirmed

    @property
    def note(self) -> str:
        return self.typed[-1] if self.typed else self.base

    def done(self, user: SimUser) -> bool:
        for message in self.since_begin(user):
            text = message.plain or ""
            seen = [note for note in self.typed if "Saved." in text and note in text]
            if seen:
                self.confirmed.append(seen[0])
                return True
        return False

    async def act(self, user: SimUser) -> None:
        last = last_bot(user)
        text = (last.plain or "") if last is not None else ""
        if "Which time zone are you in?" in text and has_button(last, "Not now"):
            await user.press("Not now", message=last)
        elif "0 means no pain" in text and has_button(last, "6"):
            await press_exact(user, last, "6")
        elif "Save it as it is" in text:
            await user.press("Add details", message=last)
        elif "Where does it hurt?" in text:
            label = "Next" if has_button(last, "✅") else "Lower back"
            await user.press(label, message=last)
        elif "Anything else?" in text:
            await user.press("Next", message=last)
        elif "Want to add a note?" in text:
            self.typed.append(f"{self.base} [t{len(self.typed) + 1}]")
            await user.send(self.note)
        elif "When was this?" in text:
            await user.press("Now", message=last)
        elif "Check and save" in text and has_button(last, "Save"):
            await user.press("Save", message=last)
        else:
            await user.send("/log")


class CheckBack(Goal):
    """A check answered to its result (the self-care path); done when the result shows."""

    name = "check"

    def __init__(self, answers: list[str]):
        self.answers = answers

    def done(self, user: SimUser) -> bool:
        return any("Saved to your /history" in (m.plain or "") for m in self.since_begin(user))

    async def act(self, user: SimUser) -> None:
        last = last_bot(user)
        found = re.search(r"Question (\d+) of about", (last.plain or "") if last else "")
        number = int(found.group(1)) if found else 0
        if last is not None and 1 <= number <= len(self.answers):
            label = self.answers[number - 1]
            if any(text == label for text in last.button_labels()):
                await press_exact(user, last, label)
                return
        await user.send("/check")


async def press_exact(user: SimUser, message: SimMessage, label: str) -> None:
    """Press the button with this label; a marked current choice ("• 6 •") counts as it."""
    for row in message.buttons:
        for button in row:
            if button["text"].strip("• ") == label:
                await user.press_data(button["callback_data"], message)
                return
    raise AssertionError(f"no button {label!r}")


@dataclass
class AgentLog:
    goals_done: int = 0
    actions: int = 0
    retries: int = 0  # actions taken again because no reply came
    by_goal: dict[str, int] = field(default_factory=dict)
    confirmed_notes: list[str] = field(default_factory=list)  # diary entries seen saved
    notes_started: int = 0

    def new_note(self, user: SimUser) -> str:
        self.notes_started += 1
        return f"crash note {self.notes_started} of {user.user_id}"


async def pursue(
    user: SimUser,
    goal: Goal,
    log: AgentLog,
    *,
    reply_timeout: float = 10.0,
    quiet: float = 0.15,
    max_actions: int = 60,
) -> None:
    """Act until the goal is reached; raises AssertionError if it never is."""
    goal.begin(user)
    for _ in range(max_actions):
        if goal.done(user):
            log.goals_done += 1
            log.by_goal[goal.name] = log.by_goal.get(goal.name, 0) + 1
            return
        await goal.act(user)
        log.actions += 1
        if not await settle(user, signature(user), reply_timeout, quiet):
            log.retries += 1
        await asyncio.sleep(0)
    tail = "\n".join(user.transcript().splitlines()[-60:])
    raise AssertionError(f"user {user.user_id} never reached {goal.name}\n{tail}")
