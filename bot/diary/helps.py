"""/diary's "What seems to help": the comparisons of bot/diary/insights.py in words that
never claim a cause."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from bot.chat.callbacks import Press
from bot.chat.turn import Turn, keyboard
from bot.diary import queries as diary_service
from bot.diary.insights import Insight, factor_name, insight_line
from bot.diary.text import button, dates

SHOWN = 12  # comparisons at most, and as many "not enough yet" names (a message is 4096)
Translate = Callable[..., str]


def helps_text(
    t: Translate,
    insights: Sequence[Insight],
    days: int,
    answers: Mapping[str, Counter[str]] | None = None,
    number: Callable[[float], str] = lambda x: f"{x:.1f}",
) -> str:
    """`number` writes a figure in the person's language (DateWords.number: 6,5 in Spanish)."""
    lines = [t("diary.helps.title", days=days)]
    if not insights and not answers:
        lines.append(t("diary.helps.nothing"))
        return "\n".join(lines)
    compared = [i for i in insights if i.enough][:SHOWN]
    waiting = [i for i in insights if not i.enough]
    if compared:
        lines.append(t("diary.helps.intro"))
        lines += [f"• {insight_line(t, i, number)}" for i in compared]
    if waiting:
        names = ", ".join(factor_name(t, i.key) for i in waiting[:SHOWN])
        if len(waiting) > SHOWN:
            names += " " + t("diary.helps.and_more", count=len(waiting) - SHOWN)
        lines.append("")
        lines.append(t("diary.helps.not_enough", names=names))
    if answers:
        lines.append("")
        lines.append(t("diary.helps.answers_title"))
        for key, said in sorted(answers.items(), key=lambda kv: -kv[1].total())[:SHOWN]:
            counts = {o: said.get(o, 0) for o in ("better", "same", "worse")}
            lines.append("• " + t("diary.helps.answers", name=factor_name(t, key), **counts))
    lines.append("")
    lines.append(t("diary.helps.caution"))
    return "\n".join(lines)


async def on_helps(turn: Turn, press: Press) -> None:
    found = diary_service.helps(turn.db, turn.user_id, turn.user.time_zone, turn.now())
    words = dates(turn)
    text = helps_text(turn.t, found.insights, diary_service.HELPS_DAYS, found.answers, words.number)
    markup = keyboard(
        [
            [button(turn, "tried", "tried"), button(turn, "log", "new")],
            [button(turn, "diary", "view", 30), turn.menu_button()],
        ]
    )
    await turn.reply(text, markup)


ACTIONS = {"helps": on_helps}
