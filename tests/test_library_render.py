"""Rendering and paging: screens of whole paragraphs, within the limit, in Telegram HTML."""

import pytest

from bot import content
from bot.library.html import html_problems, visible_length, visible_text
from bot.library.models import Dose, Page, Section
from bot.library.render import SCREEN_LIMIT, Unit, pack, page_screens, page_units
from bot.library.stretches import dose_text, exercise_screen, routine_overview


@pytest.fixture(scope="module")
def loaded():
    return content.load()


@pytest.fixture(scope="module")
def t(loaded):
    def translate(key, **params):
        return loaded.strings.t("en", key, **params)

    return translate


def _page(paragraphs: int, words: int, stretches=()) -> Page:
    text = " ".join(["word"] * words)
    sections = (
        Section("what_it_is", tuple(f"{i} {text}" for i in range(paragraphs))),
        Section("what_helps", ("Keep <b>moving</b>.",)),
    )
    return Page(
        id="sample",
        lang="en",
        kind="guide",
        order=1,
        title="Sample & test",
        summary="A page for tests.",
        stretches=tuple(stretches),
        cautions=(),
        sources=("nice_ng59",),
        sections=sections,
    )


def test_pack_fills_screens_with_whole_units():
    units = [Unit("a" * 400, "s") for _ in range(5)]
    groups = pack(units, 1000)
    assert [len(g) for g in groups] == [2, 2, 1]  # 400 + 2 + 400 fits, a third does not
    assert [u for g in groups for u in g] == units


def test_pack_never_leaves_the_sources_alone_on_the_last_screen():
    units = [Unit("a" * 700, "s"), Unit("b" * 200, "stretches"), Unit("c" * 150, "sources")]
    groups = pack(units, 1000)
    assert [[u.section for u in g] for g in groups] == [["s"], ["stretches", "sources"]]


def test_pack_puts_an_oversized_unit_on_its_own_screen():
    units = [Unit("short", "s"), Unit("x" * 2000, "s"), Unit("short", "s")]
    assert [len(g) for g in pack(units, 1000)] == [1, 1, 1]


def test_pack_counts_visible_characters_not_markup():
    units = [Unit("<b>" + "a" * 450 + "</b>", "s"), Unit("<i>" + "b" * 450 + "</i>", "s")]
    assert len(pack(units, 905)) == 1


def test_a_long_page_splits_at_paragraph_boundaries(loaded, t):
    page = _page(paragraphs=8, words=40, stretches=("morning",))
    screens = page_screens(loaded.library, page, t)
    assert len(screens) > 1
    body = []
    for number, screen in enumerate(screens, start=1):
        assert visible_length(screen.text) <= SCREEN_LIMIT
        assert html_problems(screen.text) == []
        assert screen.text.startswith(f"<b>Sample &amp; test</b> ({number}/{len(screens)})\n\n")
        body += screen.text.split("\n\n")[1:]
    # every paragraph arrives whole and in order; the heading stays with the first one
    assert body == [u.text for u in page_units(loaded.library, page, t)]
    assert body[1].startswith("<b>What it is</b>\n0 word")
    last = screens[-1]
    assert {"stretches", "sources"} <= last.sections
    assert "• 5-minute morning routine" in last.text
    assert last.text.endswith(
        "<i>Sources: NICE guideline NG59, Low back pain and sciatica in over 16s</i>"
    )


def test_a_short_page_is_one_screen_without_a_counter(loaded, t):
    screens = page_screens(loaded.library, _page(paragraphs=1, words=10), t)
    assert len(screens) == 1
    assert screens[0].text.startswith("<b>Sample &amp; test</b>\n\n<i>A page for tests.</i>")
    assert "Suitable stretches" not in screens[0].text


def test_every_shipped_screen_fits_and_parses(loaded, t):
    library = loaded.library
    for page_id in library.page_ids():
        screens = page_screens(library, library.page(page_id, "en"), t)
        for screen in screens:
            assert visible_length(screen.text) <= SCREEN_LIMIT, page_id
            assert html_problems(screen.text) == [], page_id
        assert "Sources:" in screens[-1].text
    for routine in library.routines.values():
        texts = [routine_overview(library, routine, "en", t)]
        texts += [
            exercise_screen(library, routine, i, "en", t) for i in range(len(routine.exercises))
        ]
        for text in texts:
            assert visible_length(text) <= SCREEN_LIMIT, routine.id
            assert html_problems(text) == [], routine.id


def test_an_exercise_screen_has_numbered_steps_dose_feel_stop_and_cautions(loaded, t):
    library = loaded.library
    routine = library.routines["forward_bending"]
    text = visible_text(exercise_screen(library, routine, 0, "en", t))
    lines = text.splitlines()
    assert lines[0] == "Both knees to chest"
    assert lines[1] == "Forward-bending routine · exercise 1 of 4"
    assert [line[:3] for line in lines[3:7]] == ["1. ", "2. ", "3. ", "4. "]
    assert "How much: hold for 20 seconds, 3 times" in text
    assert "You should feel: " in text and "Stop if: " in text
    assert "Skip this one with: osteoporosis (thin, fragile bones); pregnancy." in text
    assert lines[-1].startswith("Sources: NHS inform, Exercises for back problems")


def test_a_routine_overview_lists_exercises_cautions_and_safety(loaded, t):
    library = loaded.library
    text = visible_text(routine_overview(library, library.routines["morning"], "en", t))
    assert "About 5 minutes, 4 exercises:" in text
    assert "1. Pelvic tilt: hold for 5 seconds, 10 times" in text
    assert (
        "Skip this routine with: back pain that began less than two weeks ago; "
        "osteoporosis (thin, fragile bones); pregnancy." in text
    )
    assert "Stop if pain spreads down a leg" in text


@pytest.mark.parametrize(
    ("dose", "expected"),
    [
        (Dose(hold_seconds=20, times=3), "hold for 20 seconds, 3 times"),
        (
            Dose(hold_seconds=20, times=3, each_side=True),
            "hold for 20 seconds, 3 times on each side",
        ),
        (Dose(times=10), "10 times"),
        (Dose(times=5, each_side=True), "5 times on each side"),
        (Dose(minutes=5), "about 5 minutes"),
    ],
)
def test_dose_text(t, dose, expected):
    assert dose_text(dose, t) == expected


@pytest.mark.parametrize("bad", [{"hold_seconds": 5, "minutes": 2}, {"minutes": 2, "times": 3}, {}])
def test_a_dose_must_say_one_thing(bad):
    with pytest.raises(ValueError):
        Dose(**bad)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("<b>open", "end tag"),
        ("a & b", 'Unescaped "&"'),
        ("<p>para</p>", 'Unsupported start tag "p"'),
        ('<span class="tg-spoiler">x</span>', "<span> is not allowed"),
        ('<a href="http://x.org">x</a>', 'href="https://..."'),
        ('<b class="x">x</b>', "takes no attributes"),
        ("<b><i>x</b></i>", "Unmatched end tag"),
    ],
)
def test_html_problems(text, fragment):
    problems = html_problems(text)
    assert problems and fragment in problems[0]


def test_good_html_has_no_problems():
    assert html_problems('<b>a</b> <i>b</i> &amp; <a href="https://nice.org.uk">c</a>') == []


def test_a_paragraph_ending_in_a_colon_stays_with_what_it_introduces(loaded, t):
    page = _page(paragraphs=0, words=0)
    lead = "x " * 554 + "Some things make it more likely:"  # fits alone, not with the list
    sections = (Section("what_it_is", (lead, "• one\n• two", "After.")),)
    page = Page(**{**page.__dict__, "sections": sections})
    screens = page_screens(loaded.library, page, t)
    together = next(s.text for s in screens if "more likely:" in s.text)
    assert "more likely:\n\n• one\n• two" in together
