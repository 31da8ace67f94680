"""Typed words are screened for red flags before any flow sees them (bot/safety/red_flags.py).

A match gets the emergency line, in the person's language, with a Check my back
button; then the flow that was waiting for the text still gets it, so a diary
note with alarming words is answered and saved. The text is never logged.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update

from bot.chat.turn import Button, Turn, keyboard
from bot.triage import buttons as triage_buttons

log = logging.getLogger(__name__)


def typed_text(update: Update) -> str:
    """What the person typed: a message's text, or a photo's or file's caption."""
    message = update.effective_message
    if message is None:
        return ""
    return message.text or message.caption or ""


def check_button(turn: Turn) -> Button:
    return (turn.t("safety.check_button"), triage_buttons.start())


def check_and_menu(turn: Turn) -> InlineKeyboardMarkup:
    return keyboard([[check_button(turn), turn.menu_button()]])


CRISIS_ADVICE = "safety.advice.crisis"  # thoughts of suicide or self-harm


def crisis_only(hits) -> bool:
    """Whether every hit is about thoughts of self-harm: then the crisis reply stands alone
    and the words are no answer to whatever step was waiting (a time, a city, an activity)."""
    return bool(hits) and all(hit.advice == CRISIS_ADVICE for hit in hits)


async def screen(turn: Turn) -> list:
    """Answer red-flag words in the typed message; the hits (empty if none: falsy)."""
    hits = turn.svc.content.red_flags.match(typed_text(turn.update), turn.lang)
    if not hits:
        return []
    log.info("red-flag screen matched: %s", ",".join(hit.group for hit in hits))
    emergency = turn.emergency()
    reasons = "\n".join(turn.t(hit.reason) for hit in hits)
    # dict.fromkeys: each piece of advice once, in order, however many groups share it
    advice = "\n\n".join(dict.fromkeys(turn.t(hit.advice, emergency=emergency) for hit in hits))
    await turn.send(turn.t("safety.alert", reasons=reasons, advice=advice), check_and_menu(turn))
    groups = frozenset(hit.group for hit in hits)
    for hook in turn.svc.registry.on_warning_words:  # e.g. the plan waits until they are seen
        await hook(turn, groups)
    return hits
