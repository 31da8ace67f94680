"""`backcare chat`'s rules, through the real bot: what a number presses, what is sent as
text, live messages, and starting again where the person was."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.reminders.delivery import tick
from bot.sim import history
from bot.sim.harness import Harness
from bot.sim.terminal import USER_ID, ChatView, open_chat
from storage import conversations, schedules
from tests.helpers import db_of


class Screen:
    """What the terminal printed."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def __call__(self, text: str) -> None:
        self.parts.append(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def since(self, mark: int) -> str:
        return "".join(self.parts[mark:])


def view_for(harness, tmp_path, user) -> tuple[ChatView, Screen]:
    screen = Screen()
    view = ChatView(harness, user, screen, files_dir=tmp_path / "files")
    view.refresh()
    return view, screen


async def set_up_checkin_by_typing(view: ChatView) -> None:
    await view.submit("/checkin")
    await view.submit("berlin")
    await view.submit("1")  # Yes, that's right
    assert "At what time?" in view.user.last_text()
    await view.submit("8")


def checkin_times(harness) -> list[str]:
    found = schedules.checkin_for(db_of(harness), USER_ID)
    return [found.at.strftime("%H:%M")] if found and found.at else []


async def test_a_bare_number_typed_for_the_checkin_time_is_that_time(harness, alex, tmp_path):
    view, _ = view_for(harness, tmp_path, alex)
    await set_up_checkin_by_typing(view)
    assert "every day at 08:00" in alex.last_text()  # not button 8 (14:00)
    assert checkin_times(harness) == ["08:00"]


async def test_a_number_typed_while_a_checkin_arrived_presses_nothing(
    harness, alex, clock, tmp_path
):
    view, screen = view_for(harness, tmp_path, alex)
    await set_up_checkin_by_typing(view)
    status = view.target()
    assert status is not None and "Change time" in status.button_labels()
    # The person starts typing "3" for the status screen; the check-in arrives meanwhile.
    clock.set(datetime(2026, 3, 3, 7, 0, 20, tzinfo=UTC))  # 08:00 in Berlin
    assert (await tick(harness.app)).sent == 1
    mark = len(screen.parts)
    await view.submit("3", typed_for=status.message_id)
    assert "How is your back today?" in screen.since(mark)  # shown, not answered
    assert "A new message came while you typed" in screen.since(mark)
    assert db_of(harness)["diary_entries"].count == 0
    # Typed again, now that it is on screen, 3 is a pain score of 3 (buttons start at 0).
    await view.submit("3", typed_for=view.target().message_id)
    assert [r["pain"] for r in db_of(harness).query("select pain from diary_entries")] == [3]


async def test_a_number_never_presses_a_button_not_on_the_last_message(harness, alex, tmp_path):
    view, screen = view_for(harness, tmp_path, alex)
    await view.submit("/privacy")  # a message with no buttons of its own
    if view.target() is None:
        before = len(alex.chat.messages)
        await view.submit("1")
        assert "The last message has no buttons" in screen.text
        assert len(alex.chat.messages) == before  # nothing was sent
    await view.submit("/menu")
    menu = view.target()
    assert menu is not None
    await view.submit("99")
    assert "has no button 99" in screen.text


async def test_older_buttons_are_pressed_by_their_prefix(harness, alex, clock, tmp_path):
    view, _ = view_for(harness, tmp_path, alex)
    await set_up_checkin_by_typing(view)
    status_tag = view.tag(view.target())
    clock.set(datetime(2026, 3, 3, 7, 0, 20, tzinfo=UTC))
    await tick(harness.app)
    view.refresh()
    assert "How is your back today?" in view.last_shown.plain
    await view.submit(f"{status_tag}.2")  # Turn off, on the older status message
    assert [s.active for s in schedules.for_user(db_of(harness), USER_ID)] == [False]


async def test_a_prefixed_button_is_pressed_even_while_the_bot_waits_for_text(
    harness, alex, tmp_path
):
    view, _ = view_for(harness, tmp_path, alex)
    await view.submit("/checkin")
    assert harness.awaits_text(USER_ID)  # the time zone: a city may be typed
    await view.submit(f"{view.tag(view.target())}.1")  # Europe
    assert "Berlin" in " ".join(alex.buttons())


async def test_messages_appear_without_anything_typed(harness, alex, clock, tmp_path):
    view, screen = view_for(harness, tmp_path, alex)
    await set_up_checkin_by_typing(view)
    shown = asyncio.Event()
    view.on_change = shown.set
    watcher = asyncio.create_task(view.watch())
    try:
        shown.clear()
        clock.set(datetime(2026, 3, 3, 7, 0, 20, tzinfo=UTC))
        await tick(harness.app)
        await asyncio.wait_for(shown.wait(), 5)
        assert "How is your back today?" in screen.text
    finally:
        watcher.cancel()


async def test_an_empty_enter_shows_the_last_message_again(harness, alex, tmp_path):
    view, screen = view_for(harness, tmp_path, alex)
    await view.submit("/menu")
    mark = len(screen.parts)
    await view.submit("")
    assert "(again) What would you like to do?" in screen.since(mark)


async def test_starting_again_resumes_the_check_without_a_start(db_path, clock, tmp_path):
    saved = history.path_for(str(db_path))
    async with Harness(db_path, clock=clock) as first:
        view = await open_chat(first, Screen(), "en", saved)
        await view.submit("1")  # keep my notes
        await view.submit("/check")
        await view.submit(str(view.target().button_labels().index("None of these") + 1))
        question = view.user.last_text()
        history.save(saved, view.user.chat)
    async with Harness(db_path, clock=clock) as second:
        screen = Screen()
        view = await open_chat(second, screen, "en", saved)
        texts = [m.text for m in view.user.chat.messages if not m.from_bot]
        assert "/start" not in texts[-1:]  # nothing was sent on the way in
        assert question.splitlines()[0] in screen.text  # the step they were on
        step = conversations.get(db_of(second), USER_ID, clock())
        assert step is not None and step.flow == "t"
        await view.submit("1")  # its buttons still work
        assert view.user.last_text() != question
        assert "expired" not in view.user.last_text()
