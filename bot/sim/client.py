"""A person (or a group) talking to the bot through the stand-in.

user = SimUser(server, 42, waiter=harness.wait_processed)
await user.send("/start")
await user.press("Yes, keep my notes")
assert "What would you like to do?" in user.last_text()
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from bot.sim.server import BotApiServer, SimChat, SimMessage

Waiter = Callable[[int], Awaitable[None]]


class ButtonNotFound(AssertionError):
    pass


class SimUser:
    """One Telegram user in a private chat with the bot (or posting into `chat_id`)."""

    def __init__(
        self,
        server: BotApiServer,
        user_id: int,
        *,
        first_name: str = "Alex",
        language_code: str | None = "en",
        waiter: Waiter | None = None,
        chat_id: int | None = None,
        chat_type: str = "private",
    ):
        self.server = server
        self.user_id = user_id
        self.first_name = first_name
        self.language_code = language_code
        self.waiter = waiter
        self.chat_id = user_id if chat_id is None else chat_id
        names: dict[str, str | None] = (
            {"first_name": first_name} if chat_type == "private" else {"title": "A group"}
        )
        self.chat: SimChat = server.ensure_chat(self.chat_id, chat_type, **names)

    # ------------------------------------------------------------------ sending
    def _from(self) -> dict:
        data: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def _new_message(self, **content: Any) -> dict:
        message_id = self.server.new_message_id(self.chat_id)
        message = SimMessage(
            chat_id=self.chat_id,
            message_id=message_id,
            from_bot=False,
            date=int(time.time()),
            kind=content.get("kind", "text"),
            plain=content.get("text"),
            text=content.get("text"),
        )
        self.chat.messages.append(message)
        payload = {"message_id": message_id, "date": message.date, "chat": self.chat.as_json()}
        if self.chat.type != "channel":
            payload["from"] = self._from()
        payload.update({k: v for k, v in content.items() if k != "kind"})
        return payload

    async def _deliver(self, update: dict) -> int:
        if self.chat.type == "private":
            self.chat.started = True
            self.chat.blocked = False
        update_id = self.server.push_update(update)
        if self.waiter is not None:
            await self.waiter(update_id)
        return update_id

    def _message_update(self, payload: dict) -> dict:
        key = "channel_post" if self.chat.type == "channel" else "message"
        return {key: payload}

    async def send(self, text: str) -> int:
        """Type a message (a leading /command gets its entity, as Telegram adds)."""
        payload = self._new_message(text=text)
        if text.startswith("/"):
            command = text.split()[0]
            payload["entities"] = [
                {
                    "type": "bot_command",
                    "offset": 0,
                    "length": len(command.encode("utf-16-le")) // 2,
                }
            ]
        return await self._deliver(self._message_update(payload))

    async def send_raw(self, content: dict) -> int:
        """Send a message with arbitrary content fields (sticker, photo, voice, ...)."""
        kind = next(iter(content), "text")
        return await self._deliver(self._message_update(self._new_message(kind=kind, **content)))

    async def send_sticker(self) -> int:
        return await self.send_raw(
            {
                "sticker": {
                    "file_id": "sticker-1",
                    "file_unique_id": "s1",
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                }
            }
        )

    async def send_photo(self) -> int:
        return await self.send_raw(
            {"photo": [{"file_id": "photo-in", "file_unique_id": "pi", "width": 90, "height": 90}]}
        )

    async def send_voice(self) -> int:
        return await self.send_raw(
            {"voice": {"file_id": "voice-1", "file_unique_id": "v1", "duration": 3}}
        )

    async def send_location(self, latitude: float, longitude: float) -> int:
        return await self.send_raw({"location": {"latitude": latitude, "longitude": longitude}})

    async def edit(self, message_id: int, text: str) -> int:
        """Edit one of our own earlier messages (an edited_message update)."""
        payload = {
            "message_id": message_id,
            "date": int(time.time()),
            "edit_date": int(time.time()),
            "chat": self.chat.as_json(),
            "from": self._from(),
            "text": text,
        }
        return await self._deliver({"edited_message": payload})

    async def press(self, label: str, *, message: SimMessage | None = None) -> int:
        """Tap the inline button whose label contains `label` (newest message first)."""
        candidates = [message] if message else reversed(self.bot_messages())
        for candidate in candidates:
            for row in candidate.buttons:
                for button in row:
                    if label in button["text"] and "callback_data" in button:
                        return await self.press_data(button["callback_data"], candidate)
        raise ButtonNotFound(f"no button {label!r}; last buttons: {self.buttons()}")

    async def press_data(self, data: str, message: SimMessage | None = None) -> int:
        """Tap a button with exactly this callback data (used to forge or replay presses)."""
        message = message or self.last_message()
        query_id = self.server.new_callback_id()
        query = {
            "id": query_id,
            "from": self._from(),
            "chat_instance": f"ci{self.chat_id}",
            "data": data,
            "message": self.server.message_json(message),
        }
        return await self._deliver({"callback_query": query})

    # ------------------------------------------------------------------ reading
    def bot_messages(self) -> list[SimMessage]:
        return [m for m in self.chat.messages if m.from_bot and not m.deleted]

    def last_message(self) -> SimMessage:
        messages = self.bot_messages()
        if not messages:
            raise AssertionError("the bot has not sent anything to this chat")
        return messages[-1]

    def last_text(self) -> str:
        message = self.last_message()
        return message.plain if message.kind == "text" else (message.caption or "")

    def texts(self) -> list[str]:
        return [m.plain or m.caption or "" for m in self.bot_messages()]

    def transcript(self) -> str:
        """Everything in the chat, as a person would read it, oldest first."""
        lines = []
        for message in self.chat.messages:
            if message.deleted:
                continue
            who = "bot" if message.from_bot else "me"
            body = message.plain or message.caption or f"[{message.kind}]"
            lines.append(f"{who}: {body}")
            labels = message.button_labels() if message.from_bot else []
            if labels:
                lines.append("     " + " | ".join(f"[{label}]" for label in labels))
        return "\n".join(lines)

    def buttons(self) -> list[str]:
        """Labels of the inline buttons on the newest bot message that has any."""
        for message in reversed(self.bot_messages()):
            if message.buttons:
                return message.button_labels()
        return []

    def files(self, kind: str | None = None) -> list[SimMessage]:
        return [
            m
            for m in self.bot_messages()
            if m.kind in ("photo", "document") and (kind is None or m.kind == kind)
        ]

    def last_callback_answer(self) -> dict | None:
        answered = [a for a in self.server.callback_answers.values() if a is not None]
        return answered[-1] if answered else None

    def block(self) -> None:
        """The person blocks the bot: sends to them now fail with 403."""
        self.chat.blocked = True

    async def wait_for_text(self, needle: str, timeout: float = 10.0) -> None:
        await self.server.wait_for(lambda: any(needle in t for t in self.texts()), timeout)
