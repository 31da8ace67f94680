"""/learn through the stand-in: every page, every screen, and the buttons between them."""

from bot.chat import callbacks
from bot.library.html import visible_text
from bot.library.render import page_screens


def _library(harness):
    return harness.app.bot_data["services"].content.library


def _expected_screens(harness, page_id):
    svc = harness.app.bot_data["services"]
    library = svc.content.library
    page = library.page(page_id, "en")

    def t(key, **params):
        return svc.content.strings.t("en", key, **params)

    return [visible_text(s.text) for s in page_screens(library, page, t)]


async def test_every_page_and_every_screen_can_be_read(harness, alex):
    library = _library(harness)
    await alex.send("/learn")
    assert "Learn about back pain" in alex.last_text()
    titles = [library.page(p, "en").title for p in library.page_ids()]
    assert alex.buttons() == [*titles, "Menu"]
    list_message = alex.last_message()
    for page_id, title in zip(library.page_ids(), titles, strict=True):
        expected = _expected_screens(harness, page_id)
        await alex.press(title)
        seen = [alex.last_text()]
        while "More »" in alex.buttons():
            await alex.press("More »")
            seen.append(alex.last_text())
        assert seen == expected, page_id
        # the last screen lists the sources, and the page's routines as buttons
        assert "Sources:" in seen[-1]
        for routine_id in library.page(page_id, "en").stretches:
            assert library.routines[routine_id].text("en").title in alex.buttons()
        await alex.press("All topics" if len(seen) > 1 else "« Back")
        assert alex.last_message() is list_message  # browsing edits one message in place
        assert alex.buttons() == [*titles, "Menu"]
    assert harness.server.rejections == []


async def test_more_and_back_step_through_a_page(harness, alex):
    await alex.send("/learn")
    await alex.press("Lumbar spinal stenosis")
    first = alex.last_text()
    assert first.startswith("Lumbar spinal stenosis (1/")
    assert "What it is" in first
    assert alex.buttons()[:2] == ["« Back", "More »"]
    await alex.press("More »")
    assert "(2/" in alex.last_text()
    await alex.press("« Back")
    assert alex.last_text() == first
    await alex.press("« Back")
    assert "Pick a topic" in alex.last_text()
    assert harness.server.rejections == []


async def test_menu_entry_opens_the_library(harness, alex):
    await alex.send("/menu")
    await alex.press("Learn about back pain")
    assert "Pick a topic" in alex.last_text()
    await alex.press("Menu")
    assert "What would you like to do?" in alex.last_text()
    assert harness.server.rejections == []


async def test_warning_signs_and_stretches_are_linked_from_a_page(harness, alex):
    await alex.send("/learn")
    await alex.press("Sciatica")
    while "⚠️ Warning signs" not in alex.buttons():
        await alex.press("More »")
    assert "When to get checked" in alex.last_text()
    await alex.press("⚠️ Warning signs")
    assert alex.last_text().startswith("Warning signs")
    assert "cauda equina" in "\n".join(_expected_screens(harness, "red_flags"))
    await alex.press("« Back")
    await alex.press("Sciatica")
    while "More »" in alex.buttons():
        await alex.press("More »")
    await alex.press("Gentle routine for sciatica")
    assert "Start routine" in " ".join(alex.buttons())
    assert "Buttock stretch" in alex.last_text()
    assert harness.server.rejections == []


async def test_links_from_elsewhere_open_a_new_message(harness, alex):
    before = len(alex.bot_messages())
    await alex.press_data(callbacks.encode("l", "page", "osteoarthritis"))
    assert len(alex.bot_messages()) == before + 1
    assert alex.last_text().startswith("Spinal osteoarthritis")
    await alex.press_data(callbacks.encode("l", "list"))
    assert len(alex.bot_messages()) == before + 2
    assert "Pick a topic" in alex.last_text()
    assert harness.server.rejections == []


async def test_the_library_works_without_consent(harness):
    kim = harness.user(2002)
    await kim.send("/start")
    await kim.press("No, don't keep anything")
    await kim.press("Learn about back pain")
    await kim.press("Muscle strain")
    assert kim.last_text().startswith("Muscle strain")
    assert harness.server.rejections == []


async def test_unknown_pages_and_screens_are_expired(harness, alex):
    await alex.send("/learn")
    message = alex.last_message()
    for data in (
        callbacks.encode("l", "screen", "nosuchpage", 0),
        callbacks.encode("l", "screen", "stenosis", 99),
        callbacks.encode("l", "screen", "stenosis"),
        callbacks.encode("l", "explode"),
        "1:l:-:screen:stenosis:-1",
    ):
        await alex.press_data(data, message)
        assert alex.last_callback_answer()["text"] == "This button has expired."
    assert "Pick a topic" in message.plain  # the list was left alone
    assert harness.server.rejections == []
