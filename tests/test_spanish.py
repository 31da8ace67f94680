"""A person whose Telegram speaks Spanish gets Spanish from the first message."""

from storage import users
from tests.helpers import db_of


async def test_onboarding_in_spanish(harness):
    lucia = harness.user(3001, first_name="Lucía", language_code="es-MX")
    await lucia.send("/start")
    text = "\n".join(lucia.texts())
    assert "Hola, soy BackCare" in text
    assert "No soy médico" in text
    assert "llama ahora a tu número de emergencias" in text
    assert lucia.buttons() == ["Sí, guarda mis notas", "No, no guardes nada"]
    assert users.get(db_of(harness), 3001).language == "es"
    await lucia.press("Sí, guarda mis notas")
    assert "Gracias" in "\n".join(lucia.texts())
    assert "¿Qué te gustaría hacer?" in lucia.last_text()
    assert {"Ajustes", "Privacidad y tus datos", "Cómo usar BackCare"} <= set(lucia.buttons())
    await lucia.send("hola")
    assert "no te entendí" in lucia.last_text()
    await lucia.send("/cancel")
    assert "No hay nada que detener" in lucia.last_text()


async def test_spanish_emergency_number_follows_the_time_zone(harness):
    lucia = harness.user(3002, language_code="es")
    await lucia.send("/start")
    users.set_time_zone(db_of(harness), 3002, "Europe/Madrid")
    await lucia.send("/help")
    assert "llama ahora al 112" in lucia.last_text()
    users.set_time_zone(db_of(harness), 3002, "America/Argentina/Cordoba")
    await lucia.send("/help")
    assert "llama ahora al 107 o al 911" in lucia.last_text()


async def test_the_stored_language_wins_over_telegrams(harness):
    lucia = harness.user(3003, language_code="es")
    await lucia.send("/start")
    await lucia.press("No, no guardes nada")
    await lucia.send("/settings")
    await lucia.press("Idioma: Español")
    await lucia.press("English")
    await lucia.send("/menu")
    assert "What would you like to do?" in lucia.last_text()


async def test_command_list_is_registered_per_language(harness):
    commands = harness.server.commands
    english = {c["command"]: c["description"] for c in commands[("default", "en")]}
    spanish = {c["command"]: c["description"] for c in commands[("default", "es")]}
    assert english.keys() == spanish.keys() >= {"settings", "privacy", "mydata", "forget"}
    assert spanish["forget"] == "Borrar todo lo que guardo sobre ti"
    assert commands[("default", "")] == commands[("default", "en")]


async def test_groups_are_told_in_spanish(harness):
    group = harness.user(3004, language_code="es", chat_id=-500, chat_type="group")
    await group.send("hola")
    assert "Solo funciono en chats privados" in group.last_text()


async def test_errors_are_reported_in_the_chosen_language(harness):
    from telegram.ext import CommandHandler

    async def broken(update, context):
        raise RuntimeError("boom")

    harness.app.handlers[0].insert(0, CommandHandler("broken", broken))
    sam = harness.user(3005, language_code="en")
    await sam.send("/start")
    users.set_language(db_of(harness), 3005, "es")
    await sam.send("/broken")
    assert "algo falló de mi lado" in sam.last_text()


async def test_a_diary_entry_in_spanish(harness):
    from storage import diary

    lucia = harness.user(3006, language_code="es-ES")
    await lucia.send("/start")
    await lucia.press("Sí, guarda mis notas")
    await lucia.press("Anotar dolor")
    # The first entry asks the zone, suggesting one from Telegram's language, confirmed.
    assert "Una pregunta antes de tu primera entrada" in lucia.last_text()
    await lucia.press("Europe/Madrid (sugerida)")
    assert "Europe/Madrid" in lucia.last_text()
    await lucia.press("Sí")
    assert "¿Cuánto te duele la espalda?" in lucia.last_text()
    await lucia.press("5")
    await lucia.press("Añadir detalles")
    assert "¿Dónde te duele?" in lucia.last_text()
    await lucia.press("Zona lumbar")
    await lucia.press("Siguiente")
    await lucia.press("Dormí mal")
    await lucia.press("Siguiente")
    await lucia.send("Me duele al agacharme")
    await lucia.press("Ayer")
    await lucia.press("Mañana")
    review = lucia.last_text()
    assert "Revisa y guarda" in review and "Cuándo: dom, 1 mar 2026, 8:00" in review
    await lucia.press("Guardar")
    saved = lucia.last_text()
    assert "Guardado." in saved
    assert "Dolor: 5/10" in saved and "Etiquetas: Dormí mal" in saved
    (entry,) = diary.all_entries(db_of(harness), 3006)
    assert entry.pain == 5 and entry.tags == ("slept_badly",)
    assert entry.note == "Me duele al agacharme"


SELF_CARE_ES = [
    "Ninguna de estas",  # pecho, barriga, cabeza, fiebre, orina
    "No",  # orina, heces, adormecimiento
    "No",  # las dos piernas
    "De golpe, al levantar o girarme",
    "Ninguna de estas",  # señales de alarma
    "De 20 a 34",
    "No",  # embarazo, huesos frágiles
    "Solo la parte baja de la espalda",
    "Menos de 2 semanas",
    "Moverme, agacharme o levantar peso",
    "Ninguna de estas",  # trabajo
]


async def tap(user, label):
    for row in user.last_message().buttons:
        for button in row:
            if button["text"] == label:
                return await user.press_data(button["callback_data"])
    raise AssertionError(f"no button {label!r}; buttons: {user.buttons()}")


async def test_a_check_in_spanish_ends_in_a_spanish_result(harness):
    from storage import triage as results

    lucia = harness.user(3007, language_code="es")
    await lucia.send("/start")
    await lucia.press("Sí, guarda mis notas")
    await lucia.press("Revisar mi espalda")
    assert lucia.last_text().startswith("Pregunta 1 de unas")
    assert "dolor de pecho" not in lucia.last_text() and "pecho" in lucia.last_text()
    for label in SELF_CARE_ES:
        await tap(lucia, label)
    text = lucia.last_text()
    assert text.startswith("🟢 Por ahora basta con cuidarte en casa")
    assert "1. Distensión muscular" in text and "empezó de golpe al levantar algo" in text
    assert "Qué ayuda ahora" in text and "pregunta en la farmacia o a tu médico" in text
    assert "Esto no es un diagnóstico" in text and "Guardado en tu /history" in text
    assert "Llama ahora a tu número de emergencias" in text  # no zone yet
    assert "Leer: Distensión muscular" in lucia.buttons()
    [saved] = results.history(db_of(harness), 3007)
    assert (saved.tier, saved.conditions[0]) == ("self_care", "strain")
    await lucia.send("/history")
    assert "cuidarse en casa" in lucia.last_text()
    assert harness.server.rejections == []


async def test_an_emergency_result_names_the_number_for_the_zone(harness):
    lucia = harness.user(3008, language_code="es")
    await lucia.send("/start")
    await lucia.press("Sí, guarda mis notas")
    users.set_time_zone(db_of(harness), 3008, "America/Mexico_City")
    await lucia.send("/check")
    await tap(lucia, "Ninguna de estas")
    await tap(lucia, "Sí")
    text = lucia.last_text()
    assert text.startswith("🚨 Emergencia: pide ayuda ya")
    assert "Llama ahora al 911 o ve directamente a las urgencias" in text
    assert "112" not in text


async def test_privacy_mydata_and_forget_in_spanish(harness):
    import json

    from storage import privacy

    lucia = harness.user(3009, language_code="es")
    await lucia.send("/start")
    await lucia.press("Sí, guarda mis notas")
    await lucia.send("/privacy")
    assert "Qué no guardo nunca" in lucia.last_text()
    assert lucia.buttons() == ["Descargar mis datos", "Borrar todo", "Ajustes", "Menú"]
    await lucia.press("Descargar mis datos")
    [document] = lucia.files("document")
    assert json.loads(document.file_bytes)["user"]["language"] == "es"
    assert "Entradas del diario: 0" in lucia.last_text()
    await lucia.send("/forget")
    assert "¿Borrar todo?" in lucia.last_text()
    await lucia.press("Sí, borrar todo")
    assert "Esto no se puede deshacer" in lucia.last_text()
    await lucia.press("Borrarlo todo ahora")
    assert "borré todo lo que guardaba sobre ti" in lucia.last_text()
    assert all(rows == [] for rows in privacy.rows_about(db_of(harness), 3009).values())


async def test_the_diary_writes_decimals_the_spanish_way(harness):
    from datetime import timedelta

    from storage import diary

    lucia = harness.user(3010, language_code="es")
    await lucia.send("/start")
    await lucia.press("Sí, guarda mis notas")
    now = harness.clock()
    for hours, pain in [(30, 6), (20, 7)]:
        when = now - timedelta(hours=hours)
        diary.add_entry(
            db_of(harness), 3010, recorded_at=when, pain=pain, places=[], tags=[], note=None,
            source="log", now=now,
        )  # fmt: skip
    await lucia.send("/diary")
    text = "\n".join(lucia.texts())
    assert "6,5" in text and "6.5" not in text
