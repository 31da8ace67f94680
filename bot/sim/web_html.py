"""Telegram's HTML subset made safe for a web page: every text escaped, only the tags
Telegram formats kept (bot/chat/telegram_html.py lists them), links only to http(s)."""

from __future__ import annotations

import html
from html.parser import HTMLParser

# Telegram tag -> the tag the page uses (None: keep only the text inside)
TAGS: dict[str, str | None] = {
    "b": "b",
    "strong": "b",
    "i": "i",
    "em": "i",
    "u": "u",
    "ins": "u",
    "s": "s",
    "strike": "s",
    "del": "s",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "a": "a",
    "span": "span",  # only tg-spoiler reaches here
    "tg-spoiler": "span",
    "tg-emoji": None,
}


class _Renderer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        page_tag = TAGS.get(tag)
        self.open.append(page_tag)
        if page_tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith(("https://", "http://")):
                safe = html.escape(href, quote=True)
                self.out.append(f'<a href="{safe}" target="_blank" rel="noopener noreferrer">')
            else:
                self.open[-1] = None
        elif page_tag == "span":
            self.out.append('<span class="spoiler">')
        elif page_tag is not None:
            self.out.append(f"<{page_tag}>")

    def handle_endtag(self, tag: str) -> None:
        if self.open:
            page_tag = self.open.pop()
            if page_tag is not None:
                self.out.append(f"</{page_tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))

    def close(self) -> None:
        super().close()
        while self.open:
            self.handle_endtag("")


def render(text: str | None, parse_mode: str | None) -> str:
    """HTML for the page from a message as the bot sent it."""
    if not text:
        return ""
    if (parse_mode or "").upper() != "HTML":
        return html.escape(text, quote=False)
    renderer = _Renderer()
    renderer.feed(text)
    renderer.close()
    return "".join(renderer.out)
