"""`backcare chat`: the real bot against the local stand-in, with a person at the keyboard.

Every message is printed the moment the bot sends or edits it, above the line being
typed (prompt_toolkit). Each message with buttons gets a short number, and its buttons
are shown as `4.1`, `4.2`, ...: typing `4.2` presses that button. A bare number presses
a button of the message shown last, and only if it has buttons; while the bot waits
for typed input (a time, a note, a city) a bare number is sent as text. Buttons under
the text box (such as Share location) are lettered a, b, c. An empty Enter shows the
last message again; /quit leaves. The chat is kept beside the database, so starting
again shows where the person was.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.sim import history
from bot.sim.client import SimUser
from bot.sim.harness import Harness
from bot.sim.server import SimMessage

USER_ID = 1001
FILES_DIR = Path("backcare-chat-files")
LETTERS = "abcdefghij"
RECENT_ON_RESUME = 4  # messages shown again when a chat starts where it was left
_PREFIXED = re.compile(r"(\d+)\.(\d+)")


def first_index(message: SimMessage) -> int:
    """Buttons are numbered from 1, or from 0 when they start with a 0 (a pain score),
    so that typing 3 gives a 3."""
    labels = message.button_labels()
    return 0 if labels and labels[0].strip() == "0" else 1


class ChatView:
    """What the person has seen, and what a line they typed means."""

    def __init__(
        self,
        harness: Harness,
        user: SimUser,
        write: Callable[[str], None],
        files_dir: Path = FILES_DIR,
    ):
        self.harness = harness
        self.user = user
        self.write = write
        self.files_dir = files_dir
        self.seen: dict[int, int] = {}  # message_id -> its change shown
        self.tags: dict[int, int] = {}  # message_id -> the short number before its buttons
        self.last_shown: SimMessage | None = None
        self.keyboard_shown: dict | None = None
        self.want_location = False
        self.on_change: Callable[[], None] | None = None  # e.g. redraw the prompt

    # ------------------------------------------------------------------ showing
    def pending(self) -> list[SimMessage]:
        changed = [
            m
            for m in self.user.chat.messages
            if m.from_bot and self.seen.get(m.message_id) != m.changed
        ]
        return sorted(changed, key=lambda m: m.changed)

    def has_pending(self) -> bool:
        return bool(self.pending()) or self.user.chat.reply_keyboard is not self.keyboard_shown

    def refresh(self) -> None:
        """Print everything the bot sent or edited since the last look, in order."""
        for message in self.pending():
            edited = message.message_id in self.seen
            self.seen[message.message_id] = message.changed
            if message.deleted:
                continue
            self._print(message, marker="(updated) " if edited else "")
            self.last_shown = message
        keyboard = self.user.chat.reply_keyboard
        if keyboard is not self.keyboard_shown:
            self.keyboard_shown = keyboard
            self._print_keyboard()
        if self.on_change is not None:
            self.on_change()

    def mark_seen(self, messages: list[SimMessage]) -> None:
        """Messages from an earlier session: known, but only the last few printed."""
        for message in messages:
            self.seen[message.message_id] = message.changed

    def redraw(self) -> None:
        """Show the last message (and the keyboard under the text box) again."""
        if self.last_shown is not None and not self.last_shown.deleted:
            self._print(self.last_shown, marker="(again) ")
        self._print_keyboard()

    def tag(self, message: SimMessage) -> int:
        if message.message_id not in self.tags:
            self.tags[message.message_id] = len(self.tags) + 1
        return self.tags[message.message_id]

    def target(self) -> SimMessage | None:
        """The message a bare number presses: the one shown last, if it has buttons."""
        shown = self.last_shown
        return shown if shown is not None and shown.buttons and not shown.deleted else None

    def prompt(self) -> str:
        if self.want_location:
            return "latitude longitude > "
        if self.harness.awaits_text(self.user.user_id):
            return "type your answer > "
        target = self.target()
        if target is None:
            return "> "
        start = first_index(target)
        last = start + len(target.button_labels()) - 1
        return f"[{self.tag(target)}] {start}-{last} > "

    def toolbar(self) -> str:
        if self.harness.awaits_text(self.user.user_id):
            first = "The bot waits for you to type: a number is sent as text."
        elif (target := self.target()) is not None:
            first = f"A number presses a button of [{self.tag(target)}]."
        else:
            first = "The last message has no buttons."
        return f"{first} 4.2: button 2 of [4]. Enter: show again. /quit leaves."

    def _print(self, message: SimMessage, *, marker: str) -> None:
        if message.kind in ("photo", "document"):
            self.files_dir.mkdir(exist_ok=True)
            target = self.files_dir / Path(message.file_name or f"{message.message_id}.bin").name
            if message.file_bytes is not None:
                target.write_bytes(message.file_bytes)
            self.write(f"\nbot: {marker}[{message.kind} saved to {target}]\n")
            if message.caption:
                self.write("     " + message.caption.replace("\n", "\n     ") + "\n")
        else:
            body = (message.plain or "").replace("\n", "\n     ")
            self.write(f"\nbot: {marker}{body}\n")
        if message.buttons:
            tag, start = self.tag(message), first_index(message)
            for number, label in enumerate(message.button_labels(), start=start):
                self.write(f"   {tag}.{number}  {label}\n")

    def _print_keyboard(self) -> None:
        for letter, button in zip(LETTERS, self.reply_buttons(), strict=False):
            self.write(f"   {letter}. {button['text']}\n")

    def reply_buttons(self) -> list[dict]:
        """Buttons of the keyboard under the text box (e.g. Share location), lettered a, b, c."""
        keyboard = self.user.chat.reply_keyboard or {}
        rows = keyboard.get("keyboard", [])
        return [b if isinstance(b, dict) else {"text": b} for row in rows for b in row]

    # ------------------------------------------------------------------ typing
    async def submit(self, line: str, *, typed_for: int | None = None) -> None:
        """Act on one typed line. `typed_for` is the message a bare number would have
        pressed when the person began typing it (None: no check)."""
        self.refresh()
        line = line.strip()
        if self.want_location:
            self.want_location = False
            return await self._send_location(line)
        if not line:
            return self.redraw()
        if self.harness.awaits_text(self.user.user_id) and not _PREFIXED.fullmatch(line):
            await self.user.send(line)
        elif line.isdigit():
            await self._press_bare(int(line), typed_for)
        elif match := _PREFIXED.fullmatch(line):
            await self._press_tagged(int(match[1]), int(match[2]))
        elif len(line) == 1 and line in LETTERS[: len(self.reply_buttons())]:
            await self._press_letter(LETTERS.index(line))
        else:
            await self.user.send(line)
        await asyncio.sleep(0)  # let replies sent by background tasks land
        self.refresh()

    async def _press_bare(self, number: int, typed_for: int | None) -> None:
        target = self.target()
        if target is None:
            return self.write("  (The last message has no buttons. Type 4.2 for an older one.)\n")
        if typed_for is not None and typed_for != target.message_id:
            return self.write(
                f"  (A new message came while you typed: [{self.tag(target)}] above. "
                "Type the number again to answer it.)\n"
            )
        await self._press(target, number)

    async def _press_tagged(self, tag: int, number: int) -> None:
        ids = [message_id for message_id, shown in self.tags.items() if shown == tag]
        found = [m for m in self.user.bot_messages() if ids and m.message_id == ids[0]]
        if not found or not found[0].buttons:
            return self.write(f"  (There is no message [{tag}] with buttons.)\n")
        await self._press(found[0], number)

    async def _press(self, message: SimMessage, number: int) -> None:
        buttons = [b for row in message.buttons for b in row]
        index = number - first_index(message)
        if not 0 <= index < len(buttons):
            return self.write(f"  ([{self.tag(message)}] has no button {number}.)\n")
        button = buttons[index]
        if "callback_data" not in button:
            return self.write(f"  ({button['text']} opens {button.get('url', 'a link')}.)\n")
        await self.user.press_data(button["callback_data"], message)

    async def _press_letter(self, index: int) -> None:
        button = self.reply_buttons()[index]
        if button.get("request_location"):
            self.want_location = True
            return self.write("  Type a latitude and longitude, e.g. 52.52 13.40\n")
        await self.user.send(button["text"])

    async def _send_location(self, line: str) -> None:
        try:
            latitude, longitude = (float(part) for part in line.replace(",", " ").split())
        except ValueError:
            return self.write("  That was not a latitude and longitude.\n")
        await self.user.send_location(latitude, longitude)
        self.refresh()

    # ------------------------------------------------------------------ living
    async def watch(self) -> None:
        """Print what the bot sends as it sends it (reminders, check-ins)."""
        while True:
            await self.user.server.wait_for(self.has_pending, timeout=None)  # type: ignore[arg-type]
            self.refresh()


async def open_chat(
    harness: Harness, view_write: Callable[[str], None], language: str | None, saved: Path
) -> ChatView:
    """The person's chat: where they left it, or a first /start for someone new."""
    user = harness.user(USER_ID, first_name="You", language_code=language)
    view = ChatView(harness, user, view_write)
    earlier = await history.resume_or_start(harness, user, saved)
    if earlier:
        view.mark_seen(earlier[:-RECENT_ON_RESUME])
        view_write("Welcome back. This is where you were:\n")
    elif earlier is not None:
        view_write("Welcome back. Type /menu to see everything.\n")
    view.refresh()
    return view


async def chat(
    db_path: str, language: str | None, inp: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> int:
    saved = history.path_for(db_path)
    async with Harness(db_path) as harness:
        if inp.isatty() and out.isatty():
            await _interactive(harness, language, saved)
        else:
            await _scripted(harness, language, saved, inp, out)
        history.save(saved, harness.server.chat(USER_ID))
        print(f"Bye. Your data is in {db_path}", file=out)
    return 0


def _is_quit(line: str) -> bool:
    return line.strip() in ("/quit", "/exit")


async def _interactive(harness: Harness, language: str | None, saved: Path) -> None:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.application.current import get_app_or_none
    from prompt_toolkit.patch_stdout import patch_stdout

    def write(text: str) -> None:
        print(text, end="", flush=True)

    def redraw_prompt() -> None:
        app = get_app_or_none()
        if app is not None:
            app.invalidate()

    session: PromptSession[str] = PromptSession()
    started: dict[str, int | None] = {"for": None}

    with patch_stdout(raw=True):
        print("BackCare terminal chat. A number presses a button; /quit leaves.")
        view = await open_chat(harness, write, language, saved)
        view.on_change = redraw_prompt

        def began_typing(buffer) -> None:  # which message a number meant when typing began
            if not buffer.text:
                started["for"] = None
            elif started["for"] is None:
                target = view.target()
                started["for"] = target.message_id if target else 0

        session.default_buffer.on_text_changed += began_typing
        watcher = asyncio.create_task(view.watch())
        try:
            while True:
                try:
                    line = await session.prompt_async(view.prompt, bottom_toolbar=view.toolbar)
                except (EOFError, KeyboardInterrupt):
                    break
                typed_for, started["for"] = started["for"], None
                if _is_quit(line):
                    break
                await view.submit(line, typed_for=typed_for)
                history.save(saved, view.user.chat)
        finally:
            watcher.cancel()


async def _scripted(
    harness: Harness, language: str | None, saved: Path, inp: TextIO, out: TextIO
) -> None:
    """Lines from a pipe or a file, each acted on once the bot has answered the one before."""

    def write(text: str) -> None:
        out.write(text)
        out.flush()

    loop = asyncio.get_running_loop()
    out.write("BackCare terminal chat. A number presses a button; /quit leaves.\n")
    view = await open_chat(harness, write, language, saved)
    watcher = asyncio.create_task(view.watch())
    try:
        while True:
            write(view.prompt())
            line = await loop.run_in_executor(None, inp.readline)
            if not line or _is_quit(line):
                break
            await view.submit(line)
            history.save(saved, view.user.chat)
    finally:
        watcher.cancel()
