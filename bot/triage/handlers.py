"""/check ("Check my back") and /history: the triage conversation, one message edited in place.

The answers so far live in the conversation row (flow "t"), written at every
step; each button carries that step's seq, so a restart loses nothing and an
old, replayed or forged button is answered with "this button has expired".
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.chat import callbacks
from bot.chat.registry import Command, MenuEntry, services
from bot.chat.turn import Button, Turn, begin, expired, keyboard, press
from bot.diary import buttons as diary_buttons
from bot.library import buttons as library_buttons
from bot.library.stretches import suitable_routines
from bot.programme import buttons as programme_buttons
from bot.reminders import buttons as reminder_buttons
from bot.triage import buttons as triage_buttons
from bot.triage import text as triage_text
from bot.triage.buttons import FLOW
from bot.triage.engine import EMERGENCY, SEEN_FIRST, URGENT, Graph, InvalidAnswer, Result, Session
from storage import triage as results
from storage.conversations import Conversation

log = logging.getLogger(__name__)

PRIVATE = filters.ChatType.PRIVATE
START_DATA = triage_buttons.start()
WARNING_SIGNS = "red_flags"  # the library page offered with urgent and emergency results


def graph_of(turn: Turn) -> Graph:
    graph = turn.svc.content.triage
    assert graph is not None, "content.load() refuses content without a valid triage graph"
    return graph


# --- showing a step ------------------------------------------------------------
def step_markup(turn: Turn, graph: Graph, session: Session, seq: int):
    node = graph.current(session)
    assert node is not None
    rows: list[list[Button]] = [
        [(turn.t(option.label), triage_buttons.answer(node.id, option.id, seq))]
        for option in node.options.values()
    ]
    controls: list[Button] = []
    if session.answers:
        controls.append((turn.t("triage.back"), triage_buttons.control("back", seq)))
    if len(session.answers) > 1:  # on question 2, Start over would only repeat Back
        controls.append((turn.t("triage.start_over"), triage_buttons.control("over", seq)))
    controls.append((turn.t("triage.stop"), triage_buttons.control("stop", seq)))
    rows.append(controls)
    return keyboard(rows)


def save_step(turn: Turn, session: Session) -> Conversation:
    return turn.put(FLOW, session.node or "", {"answers": [list(p) for p in session.answers]})


async def show_step(
    turn: Turn,
    graph: Graph,
    session: Session,
    *,
    new_message: bool = False,
    note: str = "",
    stored: Conversation | None = None,
) -> None:
    """Store the step (committed), then draw it with buttons carrying its seq.

    `stored` re-draws a step already stored, keeping its seq, so the message it came
    from stays usable too and a re-show never expires what the person sees.
    """
    conversation = stored or save_step(turn, session)
    text = triage_text.question(turn.t, graph, session)
    if note:
        text = f"{note}\n\n{text}"
    markup = step_markup(turn, graph, session, conversation.seq)
    await turn.reply(text, markup, new_message=new_message)


def restore(graph: Graph, conversation: Conversation) -> Session | None:
    """The stored session, or None if it no longer fits the graph (content changed)."""
    try:
        return graph.restore(conversation.data.get("answers", []))
    except (InvalidAnswer, KeyError, TypeError):
        return None


# --- finishing ------------------------------------------------------------------
def result_markup(turn: Turn, graph: Graph, outcome: Result):
    """Buttons under a result. Urgent and emergency results offer no condition pages
    and no stretches (both hold self-care advice); an urgent one offers the warning
    signs, an emergency one nothing that could delay the call."""
    features = turn.svc.registry.features
    library = turn.svc.content.library
    rows: list[list[Button]] = []
    seen_first = outcome.tier in SEEN_FIRST
    if "library" in features and not seen_first:
        for explanation in outcome.explanations:
            name = turn.t(graph.conditions[explanation.condition].name)
            data = library_buttons.page(explanation.condition)
            rows.append([(turn.t("triage.result.read", name=name), data)])
    signs = library.page(WARNING_SIGNS, turn.lang) if outcome.tier == URGENT else None
    if "library" in features and signs is not None:
        title = signs.title
        data = library_buttons.page(WARNING_SIGNS)
        rows.append([(turn.t("triage.result.read", name=title), data)])
    if outcome.exercise_ok and "stretches" in features:
        conditions = [e.condition for e in outcome.explanations]
        for routine in suitable_routines(library, conditions, outcome.tags)[:1]:
            title = routine.text(turn.lang).title
            data = library_buttons.routine(routine.id)
            rows.append([(turn.t("triage.result.stretches", routine=title), data)])
    if outcome.exercise_ok and "programme" in features and turn.user.consented:
        rows.append([(turn.t("triage.result.plan"), programme_buttons.start())])
    if outcome.tier != EMERGENCY and turn.user.consented:
        if "diary" in features:
            rows.append([(turn.t("triage.result.log"), diary_buttons.new())])
        if "checkin" in features:
            rows.append([(turn.t("triage.result.checkin"), reminder_buttons.checkin_setup())])
    rows.append([(turn.t("triage.check_again"), triage_buttons.again()), turn.menu_button()])
    return keyboard(rows)


async def finish(turn: Turn, graph: Graph, session: Session) -> None:
    outcome = graph.result(session)
    with turn.db.atomic():  # saved and the step closed together: a replayed press finds no step
        saved = results.save_result(
            turn.db, turn.user_id, outcome, graph_version=graph.version, now=turn.now()
        )
        turn.clear()
    log.info(
        "triage finished: user %s, tier %s, %d answers, saved %s",
        turn.user_id,
        outcome.tier,
        len(outcome.answers),
        saved is not None,
    )
    text = triage_text.result(
        turn.t, graph, outcome, stored=saved is not None, emergency=turn.emergency()
    )
    await turn.show(text, result_markup(turn, graph, outcome))
    if saved is not None:
        for hook in turn.svc.registry.on_check_result:  # e.g. a running plan goes on hold
            await hook(turn, outcome)


# --- handlers -------------------------------------------------------------------
async def check_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    graph = graph_of(turn)
    await show_step(turn, graph, graph.begin(), new_message=True)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    graph = graph_of(turn)
    try:
        pressed = press(turn)
    except callbacks.Expired:
        return await expired(turn)
    if pressed.seq is None:  # entry points: menu, "Check again", history
        await turn.answer()
        if pressed.action == "start":
            return await show_step(turn, graph, graph.begin())
        if pressed.action == "again":
            return await show_step(turn, graph, graph.begin(), new_message=True)
        if pressed.action == "history":
            return await send_history(turn)
        if pressed.action == "past":
            return await show_past(turn, graph, pressed.int_arg(0))
        return await expired(turn)
    conversation = turn.pressed_step(pressed.seq, FLOW)
    if conversation is None:
        return await expired(turn)
    session = restore(graph, conversation)
    if session is None:
        await turn.answer()
        return await show_step(turn, graph, graph.begin(), note=turn.t("triage.restarted"))
    try:
        if pressed.action == "a":
            session = graph.answer(session, pressed.arg(0), pressed.arg(1))
        elif pressed.action == "back":
            session = graph.back(session)
        elif pressed.action == "over":
            session = graph.begin()
        elif pressed.action == "stop":
            await turn.answer()
            turn.clear()
            return await turn.show(turn.t("triage.stopped"), keyboard([[turn.menu_button()]]))
        else:
            return await expired(turn)
    except (InvalidAnswer, callbacks.Expired):
        return await expired(turn)
    await turn.answer()
    if session.finished:
        return await finish(turn, graph, session)
    await show_step(turn, graph, session)


async def resume(turn: Turn, conversation: Conversation) -> None:
    """After an expired button or typed text: the current question again, as a new message."""
    graph = graph_of(turn)
    session = restore(graph, conversation)
    if session is None or session.finished:
        await show_step(turn, graph, graph.begin(), new_message=True)
    else:
        await show_step(turn, graph, session, new_message=True, stored=conversation)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Typing during a check: point at the buttons and show the question again."""
    turn = await begin(update, context)
    conversation = turn.conversation()
    await turn.send(turn.t("triage.tap_a_button"))
    if conversation is not None:
        await resume(turn, conversation)


async def history_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    await send_history(turn, new_message=True)


async def send_history(turn: Turn, *, new_message: bool = False) -> None:
    """The last ten saved checks, each a button that shows its whole result again."""
    buttons_below = [[(turn.t("triage.menu"), START_DATA)], [turn.menu_button()]]
    if not turn.user.consented:
        rows = [*turn.consent_rows(), [turn.menu_button()]]
        text = turn.t("triage.history.needs_consent")
        return await turn.reply(text, keyboard(rows), new_message=new_message)
    saved = results.history(turn.db, turn.user_id)
    if not saved:
        text = turn.t("triage.history.empty")
        return await turn.reply(text, keyboard(buttons_below), new_message=new_message)
    graph = graph_of(turn)
    lines = [turn.t("triage.history.title")]
    rows: list[list[Button]] = []
    for number, item in enumerate(saved, start=1):
        date = triage_text.local_stamp(item.created_at, turn.user.time_zone)
        line = _summary(turn, graph, item, date)
        lines.append(f"{number}. {line}")
        label = turn.t("triage.history.open", number=number, date=date)
        rows.append([(label, triage_buttons.past(item.id))])
    lines.append(turn.t("triage.history.tap"))
    text = "\n".join(lines)
    await turn.reply(text, keyboard(rows + buttons_below), new_message=new_message)


def _summary(turn: Turn, graph: Graph, item: results.SavedResult, date: str) -> str:
    top = ""
    if item.conditions and item.conditions[0] in graph.conditions:
        name = turn.t(graph.conditions[item.conditions[0]].name)
        top = turn.t("triage.history.top", name=name)
    tier = turn.t(f"triage.history.tier.{item.tier}")
    return turn.t("triage.history.line", date=date, tier=tier, top=top)


async def show_past(turn: Turn, graph: Graph, result_id: int) -> None:
    """One saved check's whole result again (only the person's own)."""
    found = results.one(turn.db, turn.user_id, result_id) if turn.user.consented else None
    if found is None:
        return await expired(turn)
    item, answers = found
    date = triage_text.local_stamp(item.created_at, turn.user.time_zone)
    heading = f"<b>{turn.t('triage.history.of', date=date)}</b>"
    rows = [
        [(turn.t("common.back"), triage_buttons.history())],
        [(turn.t("triage.check_again"), triage_buttons.again()), turn.menu_button()],
    ]
    try:
        session = graph.restore(answers)
        outcome = graph.result(session) if session.finished else None
    except (InvalidAnswer, ValueError):
        outcome = None
    if outcome is None or outcome.tier != item.tier:  # the questions changed since
        summary = _summary(turn, graph, item, date)
        text = f"{heading}\n\n{turn.t('triage.history.changed', summary=summary)}"
        return await turn.show(text, keyboard(rows))
    body = triage_text.result(turn.t, graph, outcome, stored=True, emergency=turn.emergency())
    await turn.show(f"{heading}\n\n{body}", keyboard(rows))


def register(app: Application) -> None:
    registry = services(app).registry
    registry.features.add("triage")
    app.add_handler(CommandHandler("check", check_command, filters=PRIVATE))
    app.add_handler(CommandHandler("history", history_command, filters=PRIVATE))
    registry.buttons[FLOW] = on_button
    registry.resumers[FLOW] = resume
    registry.text_inputs[FLOW] = on_text
    registry.add_menu(MenuEntry(100, "triage.menu", START_DATA))
    registry.add_menu(MenuEntry(110, "triage.history.menu", triage_buttons.history(), True))
    registry.add_command(Command(100, "check", "commands.check"))
    registry.add_command(Command(110, "history", "commands.history"))
