"""The callback-data codec: short, versioned, validated, within Telegram's 64 bytes.

    1:<flow>:<seq>:<action>[:<arg>...]

`seq` is the conversation step the button was drawn for ("-" for buttons that
do not belong to a step, such as menu entries). Parts are plain slugs, so
nothing a person types can end up in callback data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "1"
MAX_BYTES = 64  # Telegram's limit for callback_data
_PART = re.compile(r"^[A-Za-z0-9_.+-]{1,40}$")
NO_SEQ = "-"


class Expired(Exception):
    """Callback data that is malformed, from an old version, or forged."""


@dataclass(frozen=True)
class Press:
    flow: str
    seq: int | None
    action: str
    args: tuple[str, ...] = ()

    def arg(self, index: int) -> str:
        try:
            return self.args[index]
        except IndexError:
            raise Expired(f"missing argument {index}") from None

    def int_arg(self, index: int) -> int:
        value = self.arg(index)
        if not value.isdigit() or len(value) > 18:
            raise Expired(f"argument {index} is not a number")
        return int(value)


def encode(flow: str, action: str, *args: object, seq: int | None = None) -> str:
    """Build callback data; raises ValueError if a part is not a slug or it is too long."""
    parts = [VERSION, flow, NO_SEQ if seq is None else str(seq), action, *map(str, args)]
    for part in parts[1:]:
        if part != NO_SEQ and not _PART.match(part):
            raise ValueError(f"callback part {part!r} is not a short slug")
    data = ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data {data!r} is over {MAX_BYTES} bytes")
    return data


def decode(data: str | None) -> Press:
    """Parse callback data; raises Expired for anything we did not make."""
    if not data or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        raise Expired("empty or too long")
    parts = data.split(":")
    if len(parts) < 4 or parts[0] != VERSION:
        raise Expired("unknown version or shape")
    flow, raw_seq, action, *args = parts[1:]
    for part in (flow, action, *args):
        if not _PART.match(part):
            raise Expired("bad part")
    if raw_seq == NO_SEQ:
        seq = None
    elif raw_seq.isdigit() and len(raw_seq) <= 12:
        seq = int(raw_seq)
    else:
        raise Expired("bad seq")
    return Press(flow=flow, seq=seq, action=action, args=tuple(args))


def pattern(flow: str) -> str:
    """A CallbackQueryHandler pattern matching one flow's buttons."""
    return rf"^{VERSION}:{re.escape(flow)}:"
