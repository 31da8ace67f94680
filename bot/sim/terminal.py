"""`backcare chat`: the real bot against the local stand-in, with a person at the keyboard.

Buttons are shown as numbered choices; typing a number presses that button.
Buttons under the text box (such as Share location) are lettered a, b, c.
Plain text is sent as a message; /quit leaves.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TextIO

from bot.sim.client import SimUser
from bot.sim.harness import Harness
from bot.sim.server import SimMessage

USER_ID = 1001
FILES_DIR = Path("backcare-chat-files")


class Screen:
    """Prints what is new or changed in the chat since the last look."""

    def __init__(self, user: SimUser, out: TextIO):
        self.user = user
        self.out = out
        self.seen: dict[int, int] = {}  # message_id -> edits shown
        self.choices: list[str] = []
        self.keyboard_shown: dict | None = None

    def refresh(self) -> None:
        for message in self.user.bot_messages():
            shown = self.seen.get(message.message_id)
            if shown is not None and shown == message.edits:
                continue
            self.seen[message.message_id] = message.edits
            self._print(message, edited=shown is not None)
        self.choices = self._latest_choices()
        keyboard = self.user.chat.reply_keyboard
        if keyboard is not self.keyboard_shown and keyboard:
            for letter, button in zip("abcdefghij", self.reply_buttons(), strict=False):
                self.out.write(f"   {letter}. {button['text']}\n")
        self.keyboard_shown = keyboard
        self.out.flush()

    def reply_buttons(self) -> list[dict]:
        """Buttons of the keyboard under the text box (e.g. Share location), lettered a, b, c."""
        keyboard = self.user.chat.reply_keyboard or {}
        rows = keyboard.get("keyboard", [])
        return [b if isinstance(b, dict) else {"text": b} for row in rows for b in row]

    def _print(self, message: SimMessage, *, edited: bool) -> None:
        marker = "(updated) " if edited else ""
        if message.kind in ("photo", "document"):
            FILES_DIR.mkdir(exist_ok=True)
            target = FILES_DIR / (message.file_name or f"{message.message_id}.bin")
            target.write_bytes(message.file_bytes or b"")
            self.out.write(f"\nbot: {marker}[{message.kind} saved to {target}]\n")
            if message.caption:
                self.out.write(f"     {message.caption}\n")
        else:
            body = (message.plain or "").replace("\n", "\n     ")
            self.out.write(f"\nbot: {marker}{body}\n")
        labels = message.button_labels()
        if labels and message is self._newest_with_buttons():
            for number, label in enumerate(labels, start=1):
                self.out.write(f"   {number}. {label}\n")

    def _newest_with_buttons(self) -> SimMessage | None:
        for message in reversed(self.user.bot_messages()):
            if message.buttons:
                return message
        return None

    def _latest_choices(self) -> list[str]:
        message = self._newest_with_buttons()
        return message.button_labels() if message else []


async def chat(
    db_path: str, language: str | None, inp: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> int:
    loop = asyncio.get_running_loop()
    async with Harness(db_path) as harness:
        user = harness.user(USER_ID, first_name="You", language_code=language)
        screen = Screen(user, out)
        out.write("BackCare terminal chat. Type a message, a button's number, or /quit.\n")
        out.write("Starting with /start...\n")
        await user.send("/start")
        screen.refresh()
        while True:
            out.write("> ")
            out.flush()
            line = await loop.run_in_executor(None, inp.readline)
            if not line:  # end of input
                break
            line = line.strip()
            if not line:
                continue
            if line in ("/quit", "/exit"):
                break
            letters = "abcdefghij"[: len(screen.reply_buttons())]
            if len(line) == 1 and line in letters:
                button = screen.reply_buttons()[letters.index(line)]
                if button.get("request_location"):
                    out.write("Type a latitude and longitude, e.g. 52.52 13.40\n> ")
                    out.flush()
                    coords = (await loop.run_in_executor(None, inp.readline)).split()
                    try:
                        await user.send_location(float(coords[0]), float(coords[1]))
                    except (IndexError, ValueError):
                        out.write("That was not a latitude and longitude.\n")
                else:
                    await user.send(button["text"])
            elif line.isdigit() and 1 <= int(line) <= len(screen.choices):
                message = screen._newest_with_buttons()
                buttons = [b for row in message.buttons for b in row] if message else []
                await user.press_data(buttons[int(line) - 1]["callback_data"], message)
            else:
                await user.send(line)
            await asyncio.sleep(0)  # let replies sent by background tasks land
            screen.refresh()
        out.write("Bye. Your data is in " + db_path + "\n")
    return 0
