"""Text a person typed, made safe to draw. For rendering only: the stored text is never changed.

matplotlib's text layout (libraqm) turns some characters into glyphs that map
to no character at all; U+FEFF, the byte-order mark some keyboards and
copy-paste leave in text, is one. The PDF backend then indexes that empty
string and raises IndexError, so a single such note broke the whole report.
Characters no font draws are taken out before any text reaches matplotlib.
A character the font simply lacks (an emoji) is fine: it draws as a box.
"""

from __future__ import annotations

import unicodedata

REPLACEMENT = "\ufffd"  # what a lone surrogate becomes: visibly "something was here"
_AS_SPACE = frozenset({"Cc", "Zl", "Zp"})  # tabs, newlines, NUL, U+2028/2029


def printable(text: str) -> str:
    """`text` without invisible format characters (category Cf: U+FEFF, zero-width
    joiners, direction marks), with control characters and line separators as spaces,
    and lone surrogates as U+FFFD."""
    out = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        if category in _AS_SPACE:
            out.append(" ")
        elif category == "Cs":
            out.append(REPLACEMENT)
        else:
            out.append(char)
    return "".join(out)
