"""Check-ins, stretch reminders and the time zone question in Spanish, through the stand-in."""

from datetime import UTC, datetime

import pytest

from bot.reminders.delivery import tick
from bot.timezone.places import match
from storage import diary, users
from tests.helpers import db_of


@pytest.fixture
async def lucia(harness):
    person = harness.user(5001, first_name="Lucía", language_code="es-MX")
    await person.send("/start")
    await person.press("Sí, guarda mis notas")
    return person


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("España", "Europe/Madrid"),
        ("Nueva York", "America/New_York"),
        ("Ciudad de México", "America/Mexico_City"),
        ("EE.UU.", "America/New_York"),
        ("Londres", "Europe/London"),
        ("Bogotá", "America/Bogota"),
        ("Tenerife", "Atlantic/Canary"),
        ("Sevilla, España", "Europe/Madrid"),
    ],
)
def test_places_typed_in_spanish_are_found(typed, zone):
    assert match(typed) == [zone]


async def test_a_daily_check_in_in_spanish_lands_in_the_diary(harness, lucia, clock):
    # Monday 2 March 2026, 09:00 UTC = 03:00 in Mexico City.
    await lucia.press("Control diario")
    assert "¿En qué zona horaria estás?" in lucia.last_text()
    await lucia.send("Ciudad de México")
    assert "Ahora mismo son las <b>03:00</b> del lunes" not in lucia.last_text()  # plain text
    assert "son las 03:00 del lunes en America/Mexico_City" in lucia.last_text()
    await lucia.press("Sí, es correcta")
    assert "¿A qué hora?" in lucia.last_text()
    await lucia.press("08:00")
    assert "todos los días a las 08:00" in lucia.last_text()
    assert "Próximo: lun 08:00" in lucia.last_text()

    clock.set(datetime(2026, 3, 2, 14, 0, 20, tzinfo=UTC))  # 08:00:20 in Mexico City
    assert (await tick(harness.app)).sent == 1
    assert "¿Cómo está tu espalda hoy?" in lucia.last_text()
    assert "Aplazar 1 h" in lucia.buttons() and "Hoy no" in lucia.buttons()
    await lucia.press("3")
    assert "Anotado en tu diario: 3/10 hoy" in lucia.last_text()
    [entry] = diary.all_entries(db_of(harness), 5001)
    assert (entry.pain, entry.source) == (3, "checkin")

    await lucia.send("/help")
    assert "llama ahora al 911" in lucia.last_text()  # the zone now names the number
    assert harness.server.rejections == []


async def test_a_stretch_reminder_in_spanish(harness, lucia, clock):
    users.set_time_zone(db_of(harness), 5001, "Europe/Madrid")
    await lucia.send("/reminders")
    assert "Todavía no tienes ninguno" in lucia.last_text()
    await lucia.press("Añadir un recordatorio")
    assert "¿Qué estiramientos quieres que te recuerde?" in lucia.last_text()
    await lucia.press("Pausa de 3 minutos en el escritorio")
    await lucia.press("Una vez al día")
    await lucia.press("11:00")
    assert "¿Qué días?" in lucia.last_text()
    await lucia.press("Todos los días")
    await lucia.press("Guardar")
    assert "Próximo recordatorio: lun 11:00" in lucia.last_text()

    clock.set(datetime(2026, 3, 2, 10, 0, 10, tzinfo=UTC))  # 11:00:10 in Madrid
    assert (await tick(harness.app)).sent == 1
    assert "Hora de estirarse: Pausa de 3 minutos en el escritorio" in lucia.last_text()
    assert {"Empezar", "Hecho ✓", "Aplazar 15 min"} <= set(lucia.buttons())
    await lucia.press("Hecho ✓")
    assert "¡Muy bien! Lo anoté en tu diario." in lucia.last_text()
    assert harness.server.rejections == []


async def test_settings_changes_the_time_zone_and_comes_back(harness, lucia):
    await lucia.send("/settings")
    assert "Zona horaria: sin definir" in lucia.last_text()
    assert {"Control diario", "Recordatorios de estiramientos"} <= set(lucia.buttons())
    await lucia.press("Zona horaria: sin definir")
    assert "¿En qué zona horaria estás?" in lucia.last_text()
    await lucia.send("Londres")
    await lucia.press("Sí, es correcta")
    assert any("Tu zona horaria es Europe/London" in t for t in lucia.texts()[-2:])
    assert "Zona horaria: Europe/London" in lucia.last_text()  # settings again
    assert "Zona horaria: Europe/London" in lucia.buttons()
    assert users.get(db_of(harness), 5001).time_zone == "Europe/London"
    assert harness.server.rejections == []
