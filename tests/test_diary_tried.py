"""What I tried, its "did it help?" from the tick, and What seems to help, through the stand-in."""

from datetime import timedelta

from bot.chat import callbacks
from bot.reminders.delivery import tick
from storage import diary, privacy, treatments
from tests.helpers import db_of


def tried(harness, user_id=1001):
    return treatments.all_for(db_of(harness), user_id)


async def test_heat_in_two_taps_then_did_it_help_an_hour_later(harness, alex, caplog):
    await alex.send("/tried")
    assert "no dosing advice" in alex.last_text()
    await alex.press("Heat")
    assert "Noted:" in alex.last_text() and "Heat" in alex.last_text()
    (heat,) = tried(harness)
    assert heat.kind == "heat" and heat.tried_at == harness.clock()
    assert heat.follow_up_at is None
    await alex.press("Ask me in 1 h")
    assert "I'll ask you at 10:00" in alex.last_text()  # 09:00 UTC now, no zone set
    assert (await tick(harness.app, harness.clock() + timedelta(minutes=59))).claimed == 0
    assert "Did it help?" not in alex.last_text()
    later = harness.clock.advance(hours=1)
    await tick(harness.app, later)
    assert "Did it help?" in alex.last_text() and "Heat, at 09:00" in alex.last_text()
    assert alex.buttons() == ["Better", "Same", "Worse"]
    await tick(harness.app, later + timedelta(minutes=5))  # sent once, however many ticks
    assert len([t for t in alex.texts() if "Did it help?" in t]) == 1
    await alex.press("Better")
    assert "Glad it helped" in alex.last_text()
    assert tried(harness)[0].outcome == "better"
    await alex.press("What seems to help")
    assert "What you said an hour or two after trying it:" in alex.last_text()
    assert "🔥 Heat: better 1, same 0, worse 0" in alex.last_text()


async def test_a_painkiller_by_name_typed_and_never_logged(harness, alex, caplog):
    caplog.set_level("DEBUG")
    await alex.send("/tried")
    await alex.press("Painkiller")
    assert "Which painkiller?" in alex.last_text() and "no dose" in alex.last_text()
    await alex.send("x" * 61)
    assert "1 to 60 characters" in alex.last_text()
    await alex.send("  Co-codamol   extra  ")
    (pill,) = tried(harness)
    assert pill.kind == "painkiller" and pill.name == "Co-codamol extra"
    assert "Painkiller (Co-codamol extra)" in alex.last_text()
    ours = [r.getMessage() for r in caplog.records if r.name.startswith(("bot", "storage"))]
    assert ours and not any("codamol" in line for line in ours)
    await alex.press("Menu")
    await alex.send("/tried")
    await alex.press("Painkiller")
    await alex.press("Ibuprofen")
    await alex.send("/tried")
    await alex.press("Something else")
    await alex.send("<b>Yoga</b>")
    names = [(t.kind, t.name) for t in tried(harness)]
    assert names[1:] == [("painkiller", "Ibuprofen"), ("own", "<b>Yoga</b>")]
    assert "Noted: <b>Yoga</b>" in alex.last_text()  # shown as typed, not as formatting


async def test_a_replayed_or_forged_press_stores_nothing_more(harness, alex):
    await alex.send("/tried")
    walk = next(b["callback_data"] for r in alex.last_message().buttons for b in r
                if "walk" in b["text"])  # fmt: skip
    await alex.press_data(walk)
    await alex.press_data(walk)
    assert len(tried(harness)) == 1
    (mine,) = tried(harness)
    kim = harness.user(1002, first_name="Kim")
    await kim.send("/start")
    await kim.press("Yes, keep my notes")
    await kim.press_data(callbacks.encode("d", "fu", mine.id, 1))
    await kim.press_data(callbacks.encode("d", "help", mine.id, "worse"))
    assert kim.last_callback_answer()["text"] == "This button has expired."
    assert tried(harness)[0].follow_up_at is None and tried(harness)[0].outcome is None
    await alex.press_data(callbacks.encode("d", "fu", mine.id, 5))  # not a choice offered
    assert tried(harness)[0].follow_up_at is None


async def test_the_follow_up_survives_a_restart(harness, alex, clock):
    await alex.send("/tried")
    await alex.press("Rest")
    await alex.press("Ask me in 2 h")
    await harness.restart()  # nothing about it was waiting in memory
    await tick(harness.app, clock.advance(hours=2))
    assert "Did it help?" in alex.last_text() and "Rest" in alex.last_text()


async def test_what_seems_to_help_compares_days_and_says_not_a_cause(harness, alex):
    db, now = db_of(harness), harness.clock()
    await alex.send("/diary")
    await alex.press("What seems to help")
    assert "Nothing to compare yet" in alex.last_text()
    for day in range(1, 22):
        at = now - timedelta(days=day)
        walked = day <= 9
        diary.add_entry(db, 1001, recorded_at=at, pain=3 if walked else 5, places=[],
                        tags=["slept_badly"] if day in (1, 12) else [], note=None,
                        source="log", now=at)  # fmt: skip
        if walked:
            treatments.add(db, 1001, kind="walk", name=None, tried_at=at, zone="UTC",
                           dedup_key=f"w{day}", now=at)  # fmt: skip
    await alex.send("/diary")
    await alex.press("What seems to help")
    text = alex.last_text()
    assert "A walk: on the 9 days with it, your pain averaged 2.0 lower" in text
    assert "than on the 12 days without" in text
    assert "Not enough days yet for: Slept badly" in text
    assert "a pattern, not a cause" in text


async def test_treatments_are_in_mydata_and_erased_by_forget(harness, alex):
    await alex.send("/tried")
    await alex.press("Massage")
    db = db_of(harness)
    (row,) = privacy.export(db, 1001, harness.clock())["tables"]["treatments"]
    assert row["kind"] == "massage"
    assert privacy.erase(db, 1001)["treatments"] == 1
    assert tried(harness) == []


async def test_in_spanish(harness):
    lucia = harness.user(3007, language_code="es")
    await lucia.send("/start")
    await lucia.press("Sí, guarda mis notas")
    await lucia.send("/tried")
    assert "no doy consejos de dosis" in lucia.last_text()
    await lucia.press("Calor")
    assert "Anotado:" in lucia.last_text()
    await lucia.press("Pregúntame en 1 h")
    await tick(harness.app, harness.clock.advance(hours=1))
    assert "¿Te ayudó?" in lucia.last_text() and lucia.buttons() == ["Mejor", "Igual", "Peor"]
    await lucia.press("Peor")
    assert "Siento que esté peor" in lucia.last_text()
    await lucia.send("/diary")
    await lucia.press("Lo que parece ayudarte")
    assert "Lo que dijiste una o dos horas después de probarlo:" in lucia.last_text()
    assert "Calor: mejor 0, igual 0, peor 1" in lucia.last_text()
    assert "un patrón, no una causa" in lucia.last_text()


async def test_nothing_is_kept_or_asked_once_consent_is_withdrawn(harness, alex):
    from storage import users

    await alex.send("/tried")
    await alex.press("Heat")
    await alex.press("Ask me in 1 h")
    users.set_consent(db_of(harness), 1001, None)
    await tick(harness.app, harness.clock.advance(hours=1))
    assert "Did it help?" not in alex.last_text()  # not sent without consent
    (heat,) = tried(harness)
    await alex.press_data(callbacks.encode("d", "help", heat.id, "better"))
    assert "need your permission" in alex.last_text()
    assert tried(harness)[0].outcome is None


async def test_a_failing_tick_hook_stops_nothing_else(harness, alex):
    async def broken(app, now):
        raise RuntimeError("boom")

    harness.app.bot_data["services"].registry.on_tick.insert(0, broken)
    await alex.send("/tried")
    await alex.press("A walk")
    await alex.press("Ask me in 2 h")
    await tick(harness.app, harness.clock.advance(hours=2))
    assert "Did it help?" in alex.last_text()


async def test_the_repeating_tick_sends_the_follow_up_on_its_own_clock(harness, alex):
    """The job calls tick(app) with no time: the follow-up hook reads the bot's clock."""
    await alex.send("/tried")
    await alex.press("Heat")
    await alex.press("Ask me in 1 h")
    harness.clock.advance(hours=1)
    await tick(harness.app)
    assert "Did it help?" in alex.last_text()
