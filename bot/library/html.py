"""Checking content HTML: the tags the project uses, balanced, as Telegram would parse it."""

from __future__ import annotations

from html.parser import HTMLParser

from bot.chat.telegram_html import HtmlError, to_plain, utf16_length

TELEGRAM_TEXT_LIMIT = 4096  # characters Telegram shows in one message
# The subset of Telegram's tags the project writes (README: Telegram HTML only).
ALLOWED = {"b", "i", "u", "s", "code", "pre", "a", "blockquote"}


class _TagScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.problems.append(f"tag <{tag}> is not allowed (use {', '.join(sorted(ALLOWED))})")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            if not href.startswith("https://") or len(attrs) != 1:
                self.problems.append('<a> needs exactly one attribute, href="https://..."')
        elif attrs:
            self.problems.append(f"<{tag}> takes no attributes")


def html_problems(text: str) -> list[str]:
    """What is wrong with `text` as a Telegram HTML message (empty when nothing is)."""
    try:
        to_plain(text)
    except HtmlError as exc:
        return [f"Telegram would refuse this HTML: {exc}"]
    scan = _TagScan()
    scan.feed(text)
    scan.close()
    return scan.problems


def visible_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 units of the visible text)."""
    try:
        return utf16_length(to_plain(text))
    except HtmlError:
        return utf16_length(text)


def visible_text(text: str) -> str:
    try:
        return to_plain(text)
    except HtmlError:
        return text
