"""The emergency number named for a person's time zone, offline."""

import pytest

from bot import content as content_module
from bot.timezone.emergency import emergency_line, load_emergency
from bot.timezone.zones import country_for_zone
from storage import users

CONTENT = content_module.load()

ZONES = [
    ("Europe/London", "GB", ("999", "112")),
    ("Europe/Madrid", "ES", ("112",)),
    ("Atlantic/Canary", "ES", ("112",)),
    ("Europe/Berlin", "DE", ("112",)),
    ("Europe/Copenhagen", "DK", ("112",)),  # a link to Berlin in tzdata, still Denmark
    ("Europe/Dublin", "IE", ("112", "999")),
    ("Europe/Oslo", "NO", ("113",)),
    ("America/New_York", "US", ("911",)),
    ("America/Toronto", "CA", ("911",)),
    ("America/Mexico_City", "MX", ("911",)),
    ("America/Argentina/Buenos_Aires", "AR", ("107", "911")),
    ("America/Bogota", "CO", ("123",)),
    ("America/Lima", "PE", ("106", "116")),
    ("America/La_Paz", "BO", ("165", "110")),
    ("America/Havana", "CU", ("104",)),
    ("America/Guatemala", "GT", ("122", "123")),
    ("America/Managua", "NI", ("128", "118")),
    ("America/Asuncion", "PY", ("141", "911")),
    ("America/El_Salvador", "SV", ("132", "911")),
    ("Asia/Jakarta", "ID", ("119", "112")),
    ("Asia/Karachi", "PK", ("1122", "115")),
    ("Asia/Tehran", "IR", ("115",)),
    ("Asia/Baghdad", "IQ", ("911",)),
    ("Africa/Algiers", "DZ", ("14", "1021")),
    ("Africa/Kinshasa", "CD", ("112",)),
    ("Australia/Sydney", "AU", ("000",)),
    ("Pacific/Auckland", "NZ", ("111",)),
    ("Asia/Tokyo", "JP", ("119",)),
    ("Asia/Kolkata", "IN", ("112", "108")),
    # old aliases, followed through tzdata's links
    ("US/Eastern", "US", ("911",)),
    ("Asia/Calcutta", "IN", ("112", "108")),
    ("GB", "GB", ("999", "112")),
    ("Iceland", "IS", ("112",)),  # tzdata links it to Abidjan; the country is Iceland
]


@pytest.mark.parametrize(("zone", "country", "numbers"), ZONES)
def test_zone_gives_country_and_number(zone, country, numbers):
    assert country_for_zone(zone) == country
    assert CONTENT.emergency.for_zone(zone) == numbers


@pytest.mark.parametrize("zone", [None, "", "UTC", "Etc/GMT+3", "Mars/Olympus", "Antarctica/Troll"])
def test_unknown_zone_or_country_has_no_number(zone):
    assert CONTENT.emergency.for_zone(zone) == ()


def test_line_names_the_number_or_lists_the_common_ones():
    assert emergency_line(CONTENT, "en", "Australia/Perth") == "call 000 now"
    assert emergency_line(CONTENT, "en", "Europe/London") == "call 999 or 112 now"
    common = emergency_line(CONTENT, "en", None)
    for number in ("112", "999", "911", "000"):
        assert number in common


def test_broken_data_files_are_reported(tmp_path):
    (tmp_path / "emergency.yaml").write_text(
        "countries:\n  XX: '112'\n  NO: '113'\n  AU: 000\n  GB: ['999', '112', '911']\n"
        "  FR: '1-1-2'\n  DE: '112'\n"
    )
    numbers, problems = load_emergency(tmp_path)
    where = {p.where for p in problems}
    assert where == {
        "countries.XX",
        "countries.False",
        "countries.AU",
        "countries.GB",
        "countries.FR",
    }
    assert numbers.for_country("DE") == ("112",)
    _, problems = load_emergency(tmp_path / "nowhere")
    assert [p.message for p in problems] == ["missing"]


async def test_help_names_the_number_for_the_persons_zone(harness, alex):
    await alex.send("/help")
    assert "911 in the US" in alex.last_text()  # no zone yet: the common numbers
    users.set_time_zone(harness.app.bot_data["services"].db, alex.user_id, "Europe/London")
    await alex.send("/help")
    assert "call 999 or 112 now" in alex.last_text()
    assert "911" not in alex.last_text()


async def test_an_emergency_check_names_the_number_for_the_zone(harness, alex):
    users.set_time_zone(harness.app.bot_data["services"].db, alex.user_id, "Europe/London")
    await alex.send("/check")
    await alex.press("None of these")
    await alex.press("Yes")
    text = alex.last_text()
    assert "Call 999 or 112 now, or go straight to the nearest emergency department" in text
    assert "911" not in text


# Every Spanish-speaking country, and the 30 most populous countries.
_SPANISH_SPEAKING = "AR BO CL CO CR CU DO EC SV GQ GT HN MX NI PA PY PE PR ES UY VE US"
_MOST_POPULOUS = (
    "CN IN US ID PK NG BR BD RU ET MX JP EG PH CD VN IR TR DE TH GB TZ FR ZA IT KE MM CO KR "
    "UG SD ES DZ IQ AR"
)
REQUIRED = sorted(set(_SPANISH_SPEAKING.split()) | set(_MOST_POPULOUS.split()))
# No number could be confirmed yet: these fall back to the common numbers.
UNCONFIRMED = {"GQ"}


@pytest.mark.parametrize("country", REQUIRED)
def test_every_spanish_speaking_and_populous_country_has_a_number(country):
    numbers = CONTENT.emergency.for_country(country)
    if country in UNCONFIRMED:
        assert numbers == ()
    else:
        assert 1 <= len(numbers) <= 2, country


def test_an_ambulance_number_comes_before_the_police_one():
    # where the ambulance has its own line, that is the one named first
    for country, first in {
        "AR": "107",
        "BR": "192",
        "CL": "131",
        "CN": "120",
        "JP": "119",
        "KR": "119",
        "PE": "106",
        "SV": "132",
        "PY": "141",
        "BO": "165",
        "NI": "128",
        "CU": "104",
    }.items():
        assert CONTENT.emergency.for_country(country)[0] == first, country
