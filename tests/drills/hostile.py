"""Hostile input: a seeded stream of strange, broken and malicious updates.

Random and huge text in odd Unicode, every kind of message, edits, group and
channel posts, other update types, commands with junk arguments, and button
presses that are forged, malformed, over-long, replayed, or lifted from another
person's chat. Mixed in are ordinary presses of the buttons on screen, so the
people wander deep into every flow. Each person types a marker of their own;
no bot message may ever show one person another's marker.
"""

from __future__ import annotations

import random
import string
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bot.sim.client import SimUser
from bot.sim.server import SimChat
from tests.drills.agents import LogPain
from tests.drills.hostile_data import COMMANDS, INJECTIONS, MEDIA, ODD


def marker(index: int) -> str:
    """A token only person `index` ever types (fixed width: none contains another)."""
    return f"MK{index:04d}QZ"


class HostileCrowd:
    """Private users plus a group and a channel, and a generator of their updates."""

    def __init__(self, make_user: Callable[..., SimUser], users: int, seed: int, first_id: int):
        self.rng = random.Random(seed)
        self.people = [make_user(first_id + n, first_name=f"H{n}") for n in range(users)]
        self.markers = {p.user_id: marker(n) for n, p in enumerate(self.people)}
        self.group_members = [
            make_user(p.user_id, chat_id=-(first_id + 1000), chat_type="group")
            for p in self.people[:3]
        ]
        self.channel = make_user(first_id + 2000, chat_id=-(first_id + 3000), chat_type="channel")
        self.seen_data: list[str] = []  # callback data harvested from every chat
        self.origin: dict[str, int] = {}  # callback data -> the chat it was first seen in
        self.goals: dict[int, LogPain] = {}
        self.calm: dict[int, int] = {}  # user id -> ordinary updates still to send
        self.saved_notes: list[str] = []
        self.sent = 0
        self.kinds: dict[str, int] = {}

    # ------------------------------------------------------------------ text
    def text(self, owner: SimUser) -> str:
        """Something a person could type (Telegram never delivers a blank message)."""
        text = self._text(owner)
        return text if text.strip() else f"{text}."

    def _text(self, owner: SimUser) -> str:
        rng = self.rng
        pick = rng.random()
        if pick < 0.15:  # huge (Telegram allows 4096 characters in)
            unit = rng.choice(["a", "é", "😀", "ࠀ", "\u0301", " "])
            return (self.markers.get(owner.user_id, "") + unit * 4096)[:4096]
        if pick < 0.35:
            return "".join(rng.choice(ODD) for _ in range(rng.randint(1, 30)))
        if pick < 0.55:
            return rng.choice(INJECTIONS) + " " + self.markers.get(owner.user_id, "")
        if pick < 0.65:
            return rng.choice(["", " ", "\n", "0", "11", "-3", "5.5", "7/10", "13:61", "25:00"])
        alphabet = string.printable + "äöüßçñ€漢字ひらがなДж"
        body = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 200)))
        return f"{body} {self.markers.get(owner.user_id, '')}"

    def junk_command(self, owner: SimUser) -> str:
        rng = self.rng
        name = rng.choice(COMMANDS)
        if rng.random() < 0.2:
            name = name.upper()
        suffix = rng.choice(["", "@backcare_test_bot", "@other_bot"])
        args = rng.choice(["", " ", " 7", " -1", " 99999999999999999999", " x" * 200])
        if rng.random() < 0.4:
            args += " " + self.text(owner)[:300]
        return f"/{name}{suffix}{args}"

    def forged_data(self) -> str:
        rng = self.rng
        choice = rng.random()
        if choice < 0.25 and self.seen_data:
            data = rng.choice(self.seen_data)
            parts = data.split(":")
            if len(parts) > 2:  # same shape, another id or step
                index = rng.randrange(2, len(parts))
                parts[index] = rng.choice(["0", "1", "-", "999999", str(rng.randint(1, 500)), "x"])
            return ":".join(parts)
        if choice < 0.45:
            return rng.choice(
                ["", ":", "1", "1:", "1:m", "1:m:-", "2:m:-:open", "1:::", "1:m:x:open",
                 "1:m:-1:open", "1:m:99999999999999:open", "1:zz:-:open", "1:d:-:new:11",
                 "1:t:-:answer:" + "a" * 40, "1:s:-:consent:maybe", "🙂", "1:m:-:open:\x00"]
            )  # fmt: skip
        if choice < 0.6:
            return "1:" + "x" * rng.randint(60, 300)  # over-long
        return "".join(rng.choice(string.printable) for _ in range(rng.randint(1, 64)))

    # ------------------------------------------------------------------ updates
    async def one(self, user: SimUser) -> None:
        """Send one hostile (or, now and then, ordinary) update from `user`."""
        rng = self.rng
        roll = rng.random()
        own = [m for m in user.bot_messages() if m.buttons]
        # Now and then a person behaves for a while (and saves an entry) before the next storm.
        calm = self.calm.get(user.user_id, 0)
        if calm == 0 and rng.random() < 0.03 and user.user_id in self.markers:
            calm = rng.randint(8, 16)
        if calm:
            self.calm[user.user_id] = calm - 1
            await self._diligent(user)
        elif roll < 0.18 and own:
            await self._press_on_screen(user, own[-1])
        elif roll < 0.30:
            await self._diligent(user)
        elif roll < 0.42:
            await self._count("text", user.send(self.text(user)))
        elif roll < 0.51:
            await self._count("command", user.send(self.junk_command(user)))
        elif roll < 0.58:
            await self._count("media", user.send_raw(dict(rng.choice(MEDIA))))
        elif roll < 0.63:
            await self._edit(user)
        elif roll < 0.79 and user.bot_messages():
            data = rng.choice(self.seen_data) if self.seen_data else self.forged_data()
            kind = "replayed" if rng.random() < 0.5 else "forged"
            if kind == "forged":
                data = self.forged_data()
            elif rng.random() < 0.5:  # half the replays are of this person's own old buttons
                own = [d for d in self.seen_data if self.origin.get(d) == user.chat_id]
                data = rng.choice(own) if own else data
            if kind == "replayed" and self.origin.get(data, user.chat_id) != user.chat_id:
                kind = "other_persons"  # a button from someone else's chat: their entry ids
            target = rng.choice(user.bot_messages())
            await self._count(f"button_{kind}", user.press_data(data, target))
        elif roll < 0.87:
            await self._group_or_channel()
        elif roll < 0.93:
            await self._count("other_update", self._other_update(user))
        else:
            await self._count("text", user.send(self.text(user)))
        self._harvest(user.chat)

    async def _diligent(self, user: SimUser) -> None:
        """An ordinary step: towards a diary entry whose note carries the person's marker,
        or into the list of their entries (whose buttons carry entry ids to replay)."""
        if self.rng.random() < 0.8:
            goal = self.goals.get(user.user_id)
            if goal is None or goal.done(user):
                note = f"note {self.markers[user.user_id]} {self.rng.randint(1, 10**6)}"
                goal = self.goals[user.user_id] = LogPain(note, self.saved_notes)
                goal.begin(user)
            await self._count("ordinary", goal.act(user))
            return
        last = user.bot_messages()[-1] if user.bot_messages() else None
        if last is not None and any("Entries" in label for label in last.button_labels()):
            await self._count("ordinary", user.press("Entries", message=last))
        else:
            await self._count("ordinary", user.send("/diary"))

    async def _press_on_screen(self, user: SimUser, message) -> None:
        buttons = [b for row in message.buttons for b in row if "callback_data" in b]
        if not buttons:
            await self._count("text", user.send(self.text(user)))
            return
        data = self.rng.choice(buttons)["callback_data"]
        await self._count("button_on_screen", user.press_data(data, message))

    async def _edit(self, user: SimUser) -> None:
        mine = [m for m in user.chat.messages if not m.from_bot and m.kind == "text"]
        if not mine:
            await self._count("text", user.send(self.text(user)))
            return
        target = self.rng.choice(mine)
        await self._count("edited", user.edit(target.message_id, self.text(user) or "."))

    async def _group_or_channel(self) -> None:
        rng = self.rng
        if rng.random() < 0.6:
            member = rng.choice(self.group_members)
            text = rng.choice([self.text(member), self.junk_command(member), "/start"])
            await self._count("group", member.send(text))
        elif rng.random() < 0.7 or not self.channel.chat.messages:
            await self._count("channel", self.channel.send(self.text(self.channel)))
        else:
            first = self.channel.chat.messages[0]
            payload = {
                "message_id": first.message_id,
                "date": int(time.time()),
                "edit_date": int(time.time()),
                "chat": self.channel.chat.as_json(),
                "text": "edited " + self.text(self.channel),
            }
            edit = self.channel._deliver({"edited_channel_post": payload})
            await self._count("channel_edit", edit)

    async def _other_update(self, user: SimUser) -> int:
        rng = self.rng
        who = {"id": user.user_id, "is_bot": False, "first_name": user.first_name}
        kind = rng.choice(["inline_query", "my_chat_member", "poll_answer", "reaction"])
        if kind == "inline_query":
            query = {"id": str(rng.random()), "from": who, "query": self.text(user)[:256]}
            body: dict[str, Any] = {"inline_query": {**query, "offset": ""}}
        elif kind == "my_chat_member":
            status = rng.choice(["kicked", "member"])
            body = {
                "my_chat_member": {
                    "chat": user.chat.as_json(), "from": who, "date": int(time.time()),
                    "old_chat_member": {"status": "member", "user": who},
                    "new_chat_member": {"status": status, "user": who, **(
                        {"until_date": 0} if status == "kicked" else {})},
                }
            }  # fmt: skip
        elif kind == "poll_answer":
            body = {
                "poll_answer": {
                    "poll_id": "1", "user": who, "option_ids": [0], "option_persistent_ids": ["a"]
                }
            }  # fmt: skip
        else:
            body = {
                "message_reaction": {
                    "chat": user.chat.as_json(), "message_id": 1, "user": who,
                    "date": int(time.time()), "old_reaction": [],
                    "new_reaction": [{"type": "emoji", "emoji": "👍"}],
                }
            }  # fmt: skip
        return await user._deliver(body)

    async def _count(self, kind: str, sending: Awaitable[object]) -> None:
        await sending
        self.sent += 1
        self.kinds[kind] = self.kinds.get(kind, 0) + 1

    def _harvest(self, chat: SimChat) -> None:
        for message in chat.messages[-3:]:
            for row in message.buttons:
                for button in row:
                    data = button.get("callback_data")
                    if data and data not in self.seen_data[-200:]:
                        self.seen_data.append(data)
                        self.origin.setdefault(data, chat.id)
        del self.seen_data[:-2000]

    # ------------------------------------------------------------------ checks
    def leaks(self) -> list[str]:
        """Bot messages that show a person someone else's marker."""
        found = []
        for owner in [*self.people, *self.group_members, self.channel]:
            own = self.markers.get(owner.user_id) if owner.chat.type == "private" else None
            for message in owner.bot_messages():
                shown = f"{message.plain or ''}\n{message.caption or ''}"
                for other in self.markers.values():
                    if other != own and other in shown:
                        found.append(f"chat {owner.chat_id} was shown {other}")
        return found
