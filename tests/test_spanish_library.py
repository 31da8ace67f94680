"""Condition pages and stretch routines in Spanish, every screen, through the stand-in."""

import pytest

from storage import diary


@pytest.fixture
async def lucia(harness):
    person = harness.user(4001, first_name="Lucía", language_code="es")
    await person.send("/start")
    await person.press("Sí, guarda mis notas")
    return person


def library_of(harness):
    return harness.app.bot_data["services"].content.library


async def test_every_page_is_read_in_spanish(harness, lucia):
    library = library_of(harness)
    await lucia.press("Aprender sobre el dolor de espalda")
    assert "Elige un tema" in lucia.last_text()
    titles = [library.page(p, "es").title for p in library.page_ids()]
    assert "Dolor lumbar inespecífico" in titles and "Señales de alarma" in titles
    assert lucia.buttons() == [*titles, "Menú"]
    for page_id, title in zip(library.page_ids(), titles, strict=True):
        assert title != library.page(page_id, "en").title
        await lucia.press(title)
        seen = [lucia.last_text()]
        while "Más »" in lucia.buttons():
            await lucia.press("Más »")
            seen.append(lucia.last_text())
        assert seen[0].startswith(title)
        assert "Fuentes:" in seen[-1]
        for routine_id in library.page(page_id, "es").stretches:
            assert library.routines[routine_id].text("es").title in lucia.buttons()
        await lucia.press("Todos los temas" if len(seen) > 1 else "« Atrás")
    assert harness.server.rejections == []


async def test_every_routine_is_done_in_spanish(harness, lucia):
    library = library_of(harness)
    await lucia.send("/stretches")
    assert "Estiramientos y ejercicios" in lucia.last_text()
    for routine in library.routines.values():
        await lucia.press(f"{routine.text('es').title} ({routine.minutes} min)")
        exercises = library.routine_exercises(routine)
        await lucia.press("Empezar la rutina")
        for number, exercise in enumerate(exercises, start=1):
            screen = lucia.last_text()
            assert screen.startswith(exercise.text("es").title)
            assert f"ejercicio {number} de {len(exercises)}" in screen
            assert "Deberías sentir:" in screen and "Para si:" in screen
            if number < len(exercises):
                await lucia.press("Siguiente »")
        await lucia.press("✓ Hecho")
        assert "¡Muy bien!" in lucia.last_text() and "Lo anoté en tu diario" in lucia.last_text()
        await lucia.press("Otra rutina")
    stretches_done = diary.all_entries(harness.app.bot_data["services"].db, 4001)
    assert len(stretches_done) == len(library.routines)
    assert harness.server.rejections == []
