"""Parse text the way Telegram does for parse_mode=HTML.

Returns the plain text a person sees, or raises HtmlError with Telegram's own
wording for the mistakes the real API rejects.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

ALLOWED = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")


class HtmlError(ValueError):
    pass


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            raise HtmlError(f'Unsupported start tag "{tag}"')
        if tag == "span" and ("class", "tg-spoiler") not in attrs:
            raise HtmlError('Tag "span" must have class "tg-spoiler"')
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise HtmlError(f'Unsupported start tag "{tag}/"')

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise HtmlError(f'Unmatched end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            raise HtmlError("Unexpected < or > in text; escape it")
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            raise HtmlError(f'Unsupported HTML entity "&{name};"')
        self.out.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.out.append(html.unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        raise HtmlError("HTML comments are not supported")

    def handle_decl(self, decl: str) -> None:
        raise HtmlError("declarations are not supported")

    def unknown_decl(self, data: str) -> None:
        raise HtmlError("declarations are not supported")


def to_plain(text: str) -> str:
    """The visible text of an HTML-formatted message."""
    if "&" in text:
        bare = _ENTITY.sub("", text)
        if "&" in bare:
            raise HtmlError('Unescaped "&"; write &amp;')
    parser = _Parser()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{parser.stack[-1]}"')
    return "".join(parser.out)


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2
