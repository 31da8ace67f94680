"""/stretches: pick a routine, read what it involves, then walk through it one exercise
per screen. The walk is a conversation (flow `x`), so an old Next or a replayed Done
is recognised as expired; Done is noted once.

`x:list` and `x:routine:<id>` (used by other capabilities) open in a new message;
`routines` and `overview` are the library's own buttons and edit in place.
"""

from __future__ import annotations

import secrets

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.chat import callbacks
from bot.chat.registry import Command, MenuEntry, services
from bot.chat.turn import Button, Turn, begin, expired, keyboard, press
from bot.diary import buttons as diary_buttons
from bot.library.buttons import STRETCHES as FLOW
from bot.library.models import Routine
from bot.library.stretches import exercise_screen, routine_overview
from storage import diary
from storage.conversations import Conversation

STEP = "walk"
PRIVATE = filters.ChatType.PRIVATE


def _routine(turn: Turn, routine_id: str) -> Routine:
    routine = turn.svc.content.library.routines.get(routine_id)
    if routine is None:
        raise callbacks.Expired("unknown routine")
    return routine


def list_markup(turn: Turn):
    rows: list[list[Button]] = []
    for routine in turn.svc.content.library.routines.values():
        label = turn.t(
            "stretches.routine_button", title=routine.text(turn.lang).title, minutes=routine.minutes
        )
        rows.append([(label, callbacks.encode(FLOW, "overview", routine.id))])
    rows.append([turn.menu_button()])
    return keyboard(rows)


def overview_markup(turn: Turn, routine: Routine):
    return keyboard(
        [
            [(turn.t("stretches.start"), callbacks.encode(FLOW, "start", routine.id))],
            [
                (turn.t("stretches.all_routines"), callbacks.encode(FLOW, "routines")),
                turn.menu_button(),
            ],
        ]
    )


def walk_markup(turn: Turn, routine: Routine, index: int, seq: int):
    def step(to: int) -> str:
        return callbacks.encode(FLOW, "step", routine.id, to, seq=seq)

    nav: list[Button] = []
    if index > 0:
        nav.append((turn.t("stretches.back"), step(index - 1)))
    if index + 1 < len(routine.exercises):
        nav.append((turn.t("stretches.next"), step(index + 1)))
    else:
        nav.append((turn.t("stretches.done"), callbacks.encode(FLOW, "done", routine.id, seq=seq)))
    stop = (turn.t("stretches.stop_routine"), callbacks.encode(FLOW, "stop", routine.id, seq=seq))
    return keyboard([nav, [stop]])


def _walk_screen(turn: Turn, routine: Routine, index: int) -> str:
    return exercise_screen(turn.svc.content.library, routine, index, turn.lang, turn.t)


def caution(turn: Turn) -> str:
    """Why new exercise should wait for this person, as a line above the routines, or ""."""
    for hook in turn.svc.registry.exercise_cautions:
        key = hook(turn.svc, turn.user_id, turn.now())
        if key:
            return turn.t(key, emergency=turn.emergency()) + "\n\n"
    return ""


async def stretches_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    await turn.send(caution(turn) + turn.t("stretches.list_title"), list_markup(turn))


def _current_walk(turn: Turn, seq: int | None, routine: Routine) -> Conversation:
    """The walk this button belongs to; anything older or forged is expired."""
    conversation = turn.pressed_step(seq, FLOW, STEP)
    if conversation is None or conversation.data.get("routine") != routine.id:
        raise callbacks.Expired("not the walk in progress")
    return conversation


ACTIONS = ("list", "routines", "routine", "overview", "start", "step", "done", "stop")


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    turn = await begin(update, context)
    try:
        pressed = press(turn)
        if pressed.action not in ACTIONS:
            raise callbacks.Expired("unknown action")
        if pressed.action in ("list", "routines"):
            return await _show_list(turn, new_message=pressed.action == "list")
        routine = _routine(turn, pressed.arg(0))
        if pressed.action in ("routine", "overview"):
            return await _show_overview(turn, routine, new_message=pressed.action == "routine")
        if pressed.action == "start":
            return await _show_step(turn, routine, 0, run=secrets.token_hex(6))
        walk = _current_walk(turn, pressed.seq, routine)
        if pressed.action == "step":
            index = pressed.int_arg(1)
            if index >= len(routine.exercises):
                raise callbacks.Expired("no such exercise")
            return await _show_step(turn, routine, index, run=walk.data["run"])
        if pressed.action == "stop":
            turn.clear()
            return await _show_overview(turn, routine, new_message=False)
        if walk.data.get("index") != len(routine.exercises) - 1:
            raise callbacks.Expired("done before the last exercise")
        return await _finish(turn, routine, walk)
    except callbacks.Expired:
        return await expired(turn)


async def _show_list(turn: Turn, *, new_message: bool) -> None:
    await turn.answer()
    text, markup = caution(turn) + turn.t("stretches.list_title"), list_markup(turn)
    await turn.reply(text, markup, new_message=new_message)


async def _show_overview(turn: Turn, routine: Routine, *, new_message: bool) -> None:
    await turn.answer()
    text = caution(turn) + routine_overview(turn.svc.content.library, routine, turn.lang, turn.t)
    markup = overview_markup(turn, routine)
    await turn.reply(text, markup, new_message=new_message)


async def _show_step(turn: Turn, routine: Routine, index: int, *, run: str) -> None:
    """Store where the person is (a fresh seq), then show that exercise."""
    await turn.answer()
    conversation = turn.put(FLOW, STEP, {"routine": routine.id, "index": index, "run": run})
    markup = walk_markup(turn, routine, index, conversation.seq)
    await turn.show(_walk_screen(turn, routine, index), markup)


async def _finish(turn: Turn, routine: Routine, walk: Conversation) -> None:
    """Note the routine in the diary (with consent; once per walk, even if Done is replayed)."""
    await turn.answer()
    saved = turn.user.consented
    if saved:
        diary.add_entry(
            turn.db,
            turn.user_id,
            recorded_at=turn.now(),
            pain=None,
            places=[],
            tags=["did_stretches"],
            note=None,
            source="stretches",
            routine=routine.id,
            dedup_key=f"stretches:{turn.user_id}:{walk.data['run']}",
            now=turn.now(),
        )
    turn.clear()
    title = routine.text(turn.lang).title
    said = turn.t("stretches.done_saved" if saved else "stretches.done_not_saved", title=title)
    rows: list[list[Button]] = [
        [(turn.t("stretches.again"), callbacks.encode(FLOW, "start", routine.id))],
        [(turn.t("stretches.another"), callbacks.encode(FLOW, "routines")), turn.menu_button()],
    ]
    if saved and "diary" in turn.svc.registry.features:
        rows.insert(0, [(turn.t("stretches.log_pain"), diary_buttons.new())])
    await turn.show(f"{said}\n\n{turn.t('stretches.done_tip')}", keyboard(rows))


async def resume(turn: Turn, conversation: Conversation) -> None:
    """Show the exercise the person is on again (after an expired button)."""
    library = turn.svc.content.library
    routine = library.routines.get(conversation.data.get("routine", ""))
    index = conversation.data.get("index", 0)
    if routine is None or not isinstance(index, int) or not 0 <= index < len(routine.exercises):
        turn.clear()
        await turn.send(turn.t("stretches.list_title"), list_markup(turn))
        return
    await turn.send(
        _walk_screen(turn, routine, index), walk_markup(turn, routine, index, conversation.seq)
    )


def register(app: Application) -> None:
    registry = services(app).registry
    registry.features.add("stretches")
    registry.resumers[FLOW] = resume
    app.add_handler(CommandHandler("stretches", stretches_command, filters=PRIVATE))
    registry.buttons[FLOW] = on_button
    registry.add_menu(MenuEntry(400, "stretches.menu", callbacks.encode(FLOW, "routines")))
    registry.add_command(Command(400, "stretches", "stretches.command"))
