"""The words of a triage step and of a result, built from locale strings (no telegram here)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.triage.engine import EMERGENCY, SEEN_FIRST, SELF_CARE, URGENT, Graph, Result, Session

PREGNANCY = "pregnancy"  # the caution tag that brings the pregnancy warning signs

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

    Urgent and emergency results say what to do and why, and nothing that could
    read as "wait and see": no self-care tips, no waiting period, no stretches.
    `emergency` is the person's "call 999 now" (bot/timezone/emergency.py); without it the
    common numbers are listed.
    """
    emergency = emergency or t("emergency.call_common")
    sentence_start = emergency[:1].upper() + emergency[1:]
    parts = [t(f"triage.tier.{outcome.tier}")]
    if outcome.tier_reasons and outcome.tier != SELF_CARE:
        parts.append(t("triage.result.because", reasons=_reasons(t, outcome.tier_reasons)))
    action = outcome.action or f"triage.result.{outcome.tier}_do"
    parts.append(t(action, emergency=sentence_start))
    parts.extend(t(key, emergency=emergency) for key in outcome.advice)
    seen_first = outcome.tier in SEEN_FIRST
    if seen_first or outcome.no_exercise:
        parts.append(t("triage.result.no_exercise"))
    # A sign with its own kind of help (a maternity unit, say) is not the back's.
    if outcome.explanations and not outcome.action:
        title = "triage.result.rule_out" if seen_first else "triage.result.explanations"
        lines = [t(title)]
        for number, explanation in enumerate(outcome.explanations, 1):
            name = t(graph.conditions[explanation.condition].name)
            why = t("triage.result.why", reasons=_reasons(t, explanation.reasons))
            lines.append(f"{number}. <b>{name}</b>\n<i>{why}</i>")
        parts.append("\n".join(lines))
    if not seen_first:
        helps = [t("triage.result.helps_title")]
        if outcome.explanations and not outcome.no_exercise:  # tips hold exercises
            helps.append(t(graph.conditions[outcome.explanations[0].condition].tip))
        helps.append(t("triage.result.helps"))
        parts.append("\n".join(helps))
    parts.append(safety_net(t, outcome, emergency, sentence_start))
    parts.append(t(outcome.disclaimer))
    parts.append(t("triage.result.stored" if stored else "triage.result.not_stored"))
    return "\n\n".join(parts)


def safety_net(t: Translate, outcome: Result, emergency: str, sentence_start: str) -> str:
    """Which changes mean "call now", which mean "today", and "check again": every result."""
    if outcome.tier == EMERGENCY:
        lines = [t("triage.safety.while_waiting", emergency=emergency)]
    else:
        lines = [t("triage.safety.now", emergency=sentence_start)]
        if outcome.tier != URGENT:
            lines.append(t("triage.safety.today"))
        if PREGNANCY in outcome.tags:
            lines.append(t("triage.safety.pregnancy"))
        if outcome.tier == SELF_CARE:
            lines.append(t("triage.safety.wait"))
        lines.append(t("triage.safety.again"))
    return "\n".join([t("triage.safety.title"), *lines])


def local_stamp(moment: datetime, zone: str | None) -> str:
    """A saved time in the person's own zone (UTC if they have not set one)."""
    try:
        tz = ZoneInfo(zone) if zone else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")
