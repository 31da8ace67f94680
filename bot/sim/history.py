"""A local chat's history, kept beside the database so that starting again resumes.

Telegram keeps a chat's messages (and their buttons) on the phone; the stand-in
forgets them when it stops. Saving them lets `backcare chat` show the step a person
was on and lets its buttons work again, with no /start that would wipe a check in
progress. File contents (charts, PDFs) are not kept here: they are saved as files.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, fields
from pathlib import Path

from bot.sim.client import SimUser
from bot.sim.harness import Harness
from bot.sim.server import SimChat, SimMessage

KEPT = 200  # messages; enough to scroll back through a day's use
_FIELDS = {f.name for f in fields(SimMessage)} - {"file_bytes", "changed"}


def path_for(db_path: str) -> Path:
    return Path(f"{db_path}-chat.json")


def load(path: Path) -> tuple[list[SimMessage], dict | None]:
    """The saved messages and keyboard under the text box; none if the file is missing
    or unreadable."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        rows = saved["messages"]
        messages = [SimMessage(**{k: v for k, v in row.items() if k in _FIELDS}) for row in rows]
        return messages, saved.get("reply_keyboard")
    except (OSError, ValueError, TypeError, KeyError):
        return [], None


def save(path: Path, chat: SimChat) -> None:
    """Write the newest messages atomically, readable by this user only (health notes)."""
    rows = []
    for message in chat.messages[-KEPT:]:
        row = asdict(message)
        row.pop("file_bytes", None)
        row.pop("changed", None)
        rows.append(row)
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"messages": rows, "reply_keyboard": chat.reply_keyboard}, handle)
    os.replace(temporary, path)


async def resume_or_start(harness: Harness, user: SimUser, path: Path) -> list[SimMessage] | None:
    """Put back the person's saved chat and return it; for someone the bot knows but
    whose chat was not kept, return []; for someone new, send a first /start (None)."""
    if not harness.knows(user.user_id):
        await user.send("/start")
        return None
    earlier, keyboard = load(path)
    if earlier:
        harness.server.restore(user.chat, earlier)
        user.chat.reply_keyboard = keyboard
    return earlier
