"""The words of a triage step and of a result, built from locale strings (no telegram here)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.triage import EMERGENCY, SELF_CARE, Graph, Result, Session

Translate = Callable[..., str]


def question(t: Translate, graph: Graph, session: Session) -> str:
    node = graph.current(session)
    assert node is not None, "a finished check has no question"
    number, total = graph.progress(session)
    return f"<i>{t('triage.progress', number=number, total=total)}</i>\n\n{t(node.text)}"


def _reasons(t: Translate, keys: tuple[str, ...]) -> str:
    return "; ".join(t(key) for key in keys)


def result(
    t: Translate, graph: Graph, outcome: Result, *, stored: bool, emergency: str | None = None
) -> str:
    """The whole result message: tier first, always in the same words, then the rest.

    `emergency` is the person's "call 999 now" (bot/emergency.py); without it the
    common numbers are listed.
    """
    emergency = emergency or t("emergency.call_common")
    parts = [t(f"triage.tier.{outcome.tier}")]
    if outcome.tier_reasons and outcome.tier != SELF_CARE:
        parts.append(t("triage.result.because", reasons=_reasons(t, outcome.tier_reasons)))
    sentence_start = emergency[:1].upper() + emergency[1:]
    parts.append(t(f"triage.result.{outcome.tier}_do", emergency=sentence_start))
    if outcome.tier != EMERGENCY:
        lines = [t("triage.result.explanations")]
        for number, explanation in enumerate(outcome.explanations, 1):
            name = t(graph.conditions[explanation.condition].name)
            why = t("triage.result.why", reasons=_reasons(t, explanation.reasons))
            lines.append(f"{number}. <b>{name}</b>\n<i>{why}</i>")
        parts.append("\n".join(lines))
        helps = [t("triage.result.helps_title")]
        if outcome.explanations:
            helps.append(t(graph.conditions[outcome.explanations[0].condition].tip))
        helps.append(t("triage.result.helps"))
        parts.append("\n".join(helps))
        checked = t("triage.result.checked", emergency=emergency)
        parts.append(f"{t('triage.result.checked_title')}\n{checked}")
    parts.append(t(outcome.disclaimer))
    parts.append(t("triage.result.stored" if stored else "triage.result.not_stored"))
    return "\n\n".join(parts)


def local_stamp(moment: datetime, zone: str | None) -> str:
    """A saved time in the person's own zone (UTC if they have not set one)."""
    try:
        tz = ZoneInfo(zone) if zone else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")
