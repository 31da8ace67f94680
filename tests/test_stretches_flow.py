"""/stretches through the stand-in: every routine from its overview to Done."""

from bot.chat import callbacks
from storage import conversations, diary


def _svc(harness):
    return harness.app.bot_data["services"]


def _routine_label(routine):
    return f"{routine.text('en').title} ({routine.minutes} min)"


async def test_every_routine_can_be_done_start_to_finish(harness, alex):
    library = _svc(harness).content.library
    await alex.send("/stretches")
    assert "Stretches and exercises" in alex.last_text()
    labels = [_routine_label(r) for r in library.routines.values()]
    assert alex.buttons() == [*labels, "Menu"]
    for routine, label in zip(library.routines.values(), labels, strict=True):
        await alex.press(label)
        overview = alex.last_text()
        exercises = library.routine_exercises(routine)
        assert overview.startswith(routine.text("en").title)
        for exercise in exercises:
            assert exercise.text("en").title in overview
        await alex.press("Start routine")
        for number, exercise in enumerate(exercises, start=1):
            screen = alex.last_text()
            assert screen.startswith(exercise.text("en").title)
            assert f"exercise {number} of {len(exercises)}" in screen
            assert "1. " in screen and "You should feel:" in screen and "Stop if:" in screen
            assert "Sources:" in screen
            if number < len(exercises):
                await alex.press("Next »")
        assert "✓ Done" in alex.buttons()
        await alex.press("✓ Done")
        assert "Well done!" in alex.last_text()
        assert conversations.get(_svc(harness).db, 1001, harness.clock()) is None
        await alex.press("Another routine")
    assert harness.server.rejections == []


async def test_back_goes_to_the_previous_exercise_and_stop_ends_the_walk(harness, alex):
    await alex.send("/stretches")
    await alex.press("3-minute desk break")
    await alex.press("Start routine")
    first = alex.last_text()
    assert alex.buttons() == ["Next »", "Stop"]
    await alex.press("Next »")
    assert alex.buttons() == ["« Back", "Next »", "Stop"]
    await alex.press("« Back")
    assert alex.last_text() == first
    await alex.press("Stop")
    assert alex.last_text().startswith("3-minute desk break")
    assert "Start routine" in " ".join(alex.buttons())
    assert conversations.get(_svc(harness).db, 1001, harness.clock()) is None
    assert harness.server.rejections == []


async def test_an_old_next_button_is_expired_and_shows_where_you_are(harness, alex):
    await alex.send("/stretches")
    await alex.press("5-minute morning routine")
    await alex.press("Start routine")
    walk = alex.last_message()
    old_next = next(b["callback_data"] for row in walk.buttons for b in row if "Next" in b["text"])
    await alex.press("Next »")
    await alex.press("Next »")
    state = conversations.get(_svc(harness).db, 1001, harness.clock())
    assert state.data["index"] == 2
    await alex.press_data(old_next, walk)
    assert alex.last_callback_answer()["text"] == "This button has expired."
    assert alex.last_text().startswith("Knee to chest")  # exercise 3, sent again
    after = conversations.get(_svc(harness).db, 1001, harness.clock())
    assert (after.data, after.seq) == (state.data, state.seq)
    assert harness.server.rejections == []


async def test_done_cannot_be_pressed_early_or_twice(harness, alex):
    await alex.send("/stretches")
    await alex.press("3-minute desk break")
    await alex.press("Start routine")
    seq = conversations.get(_svc(harness).db, 1001, harness.clock()).seq
    await alex.press_data(callbacks.encode("x", "done", "desk_break", seq=seq))
    assert alex.last_callback_answer()["text"] == "This button has expired."
    assert conversations.get(_svc(harness).db, 1001, harness.clock()).data["index"] == 0
    for _ in range(3):
        await alex.press("Next »")
    message = alex.last_message()
    done = next(b["callback_data"] for row in message.buttons for b in row if "Done" in b["text"])
    await alex.press_data(done, message)
    assert "Well done!" in alex.last_text()
    await alex.press_data(done, message)
    assert alex.last_callback_answer()["text"] == "This button has expired."
    assert len(diary.all_entries(_svc(harness).db, 1001)) == 1
    assert harness.server.rejections == []


async def test_done_is_noted_in_the_diary_once(harness, alex, clock):
    await alex.send("/stretches")
    await alex.press("3-minute desk break")
    await alex.press("Start routine")
    for _ in range(3):
        await alex.press("Next »")
    await alex.press("✓ Done")
    assert "noted it in your diary" in alex.last_text()
    [entry] = diary.all_entries(_svc(harness).db, 1001)
    assert (entry.source, entry.pain, entry.tags, entry.routine) == (
        "stretches",
        None,
        ("did_stretches",),
        "desk_break",
    )
    assert entry.recorded_at == clock()
    # doing it again is a second record
    await alex.press("Do it again")
    for _ in range(3):
        await alex.press("Next »")
    await alex.press("✓ Done")
    assert len(diary.all_entries(_svc(harness).db, 1001)) == 2
    await alex.press("Log how my back feels")
    await alex.press("Not now")  # the first log asks for the time zone once
    assert "0" in alex.buttons() and "10" in alex.buttons()  # the diary asks for pain
    assert harness.server.rejections == []


async def test_without_consent_nothing_is_noted(harness):
    kim = harness.user(2002)
    await kim.send("/start")
    await kim.press("No, don't keep anything")
    await kim.press("Stretches and exercises")
    await kim.press("3-minute desk break")
    await kim.press("Start routine")
    for _ in range(3):
        await kim.press("Next »")
    await kim.press("✓ Done")
    assert "Well done!" in kim.last_text() and "diary" not in kim.last_text()
    assert "Log how my back feels" not in kim.buttons()
    assert diary.all_entries(_svc(harness).db, 2002) == []
    assert harness.server.rejections == []


async def test_someone_elses_walk_cannot_be_moved(harness, alex):
    await alex.send("/stretches")
    await alex.press("Core stability routine")
    await alex.press("Start routine")
    seq = conversations.get(_svc(harness).db, 1001, harness.clock()).seq
    sam = harness.user(2001)
    await sam.send("/stretches")
    await sam.press_data(callbacks.encode("x", "step", "core_stability", 1, seq=seq))
    assert sam.last_callback_answer()["text"] == "This button has expired."
    assert conversations.get(_svc(harness).db, 1001, harness.clock()).data["index"] == 0
    assert harness.server.rejections == []


async def test_links_from_elsewhere_and_the_menu(harness, alex):
    before = len(alex.bot_messages())
    await alex.press_data(callbacks.encode("x", "routine", "forward_bending"))
    assert len(alex.bot_messages()) == before + 1
    assert alex.last_text().startswith("Forward-bending routine")
    assert "osteoporosis" in alex.last_text()  # its cautions are on the overview
    await alex.press_data(callbacks.encode("x", "list"))
    assert len(alex.bot_messages()) == before + 2
    await alex.send("/menu")
    await alex.press("Stretches and exercises")
    assert "Pick one" in alex.last_text()
    for data in (
        callbacks.encode("x", "routine", "nosuchroutine"),
        callbacks.encode("x", "step", "morning", 0),
        callbacks.encode("x", "step", "morning", 42, seq=1),
        callbacks.encode("x", "dance"),
    ):
        await alex.press_data(data)
        assert alex.last_callback_answer()["text"] == "This button has expired."
    assert harness.server.rejections == []


async def test_cancel_stops_a_routine(harness, alex):
    await alex.send("/stretches")
    await alex.press("Gentle routine for a fresh strain")
    await alex.press("Start routine")
    await alex.send("/cancel")
    assert "Stopped" in alex.last_text()
    assert conversations.get(_svc(harness).db, 1001, harness.clock()) is None
