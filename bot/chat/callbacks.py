"""The callback-data codec: short, versioned, validated, within Telegram's 64 bytes.

    1:<flow>:<seq>:<action>[:<arg>...]

`seq` is the conversation step the button was drawn for ("-" for buttons that
do not belong to a step, such as menu entries). Parts are plain slugs, so
nothing a person types can end up in callback data.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

VERSION = "1"
MAX_BYTES = 64  # Telegram's limit for callback_data
_SLUG = r"[A-Za-z0-9_.+-]{1,40}"
_PART = re.compile(_SLUG)
# The whole of what encode() makes, checked in one pass.
_DATA = re.compile(rf"{_SLUG}(?::{_SLUG})*")
NO_SEQ = "-"


FLOWS: dict[str, str] = {}  # letter -> feature: every flow of the bot, each declared once


class Flow(str):
    """A feature's flow letter, declared once in that feature's buttons module.

    A str, so presses and stored conversations compare with it as before; making a
    second Flow with a letter another feature holds is an error at import time.
    """

    def __new__(cls, letter: str, feature: str) -> Flow:
        if not _PART.fullmatch(letter) or ":" in letter:
            raise ValueError(f"flow {letter!r} is not a slug")
        owner = FLOWS.setdefault(letter, feature)
        if owner != feature:
            raise ValueError(f"flow {letter!r} belongs to {owner}, not {feature}")
        return super().__new__(cls, letter)

    def button(self, action: str, *args: object, seq: int | None = None) -> str:
        return encode(self, action, *args, seq=seq)


class Expired(Exception):
    """Callback data that is malformed, from an old version, or forged."""


class Press(NamedTuple):  # a tuple: built on every tap, and cheap to build
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
    head, tail = _parts(flow, action, *args)
    data = f"{head}{NO_SEQ if seq is None else int(seq)}{tail}"
    if len(data) > MAX_BYTES:  # slugs are ASCII: one byte a character
        raise ValueError(f"callback data {data!r} is over {MAX_BYTES} bytes")
    return data


# typed: 1 and True are equal as keys but not as text.
@lru_cache(maxsize=4096, typed=True)
def _parts(flow: str, action: str, *args: object) -> tuple[str, str]:
    """What comes before and after the seq, checked once: a tap draws a dozen buttons,
    mostly the same ones with a new seq."""
    parts = (flow, action, *map(str, args))
    bad = next((part for part in parts if not _PART.fullmatch(part)), None)
    if bad is not None:
        raise ValueError(f"callback part {bad!r} is not a short slug")
    return f"{VERSION}:{flow}:", ":" + ":".join(parts[1:])


def decode(data: str | None) -> Press:
    """Parse callback data; raises Expired for anything we did not make."""
    if not data or len(data) > MAX_BYTES or not _DATA.fullmatch(data):
        raise Expired("empty, too long or not made of slugs")
    parts = data.split(":")
    if len(parts) < 4 or parts[0] != VERSION:
        raise Expired("unknown version or shape")
    flow, raw_seq, action, *args = parts[1:]
    if raw_seq == NO_SEQ:
        seq = None
    elif raw_seq.isdigit() and len(raw_seq) <= 12:
        seq = int(raw_seq)
    else:
        raise Expired("bad seq")
    return Press(flow=flow, seq=seq, action=action, args=tuple(args))
