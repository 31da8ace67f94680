"""Finding a zone from what people type or where they are, offline."""

import pytest

from bot.timezone.places import REGIONS, match, zone_at
from storage.recurrence import is_zone


@pytest.mark.parametrize(
    ("typed", "zone"),
    [("Berlin", "Europe/Berlin"), ("Europe/Berlin", "Europe/Berlin"),
     ("new york", "America/New_York"), ("NEW_YORK", "America/New_York"),
     ("america/new york", "America/New_York"), ("São Paulo", "America/Sao_Paulo"),
     ("Berlin, Germany", "Europe/Berlin"), ("munich", "Europe/Berlin"),
     ("Londn", "Europe/London"), ("india", "Asia/Kolkata"), ("Kiev", "Europe/Kyiv"),
     ("istanbul", "Europe/Istanbul"), ("san francisco", "America/Los_Angeles"),
     ("buenos aires", "America/Argentina/Buenos_Aires"), ("utc", "UTC")],
)  # fmt: skip
def test_typed_places_are_matched_forgivingly(typed, zone):
    assert match(typed)[0] == zone


@pytest.mark.parametrize("typed", ["", "xyzzy qwerty", "a" * 200, "💥", "<b>berlin</b>x"])
def test_nonsense_matches_nothing(typed):
    assert match(typed) == [] or all(is_zone(z) for z in match(typed))
    assert match("xyzzy qwerty") == []


def test_every_region_button_is_a_real_zone():
    assert all(is_zone(zone) for zones in REGIONS.values() for zone in zones)


def test_locations_map_to_zones_offline():
    assert zone_at(52.52, 13.40) == "Europe/Berlin"
    assert zone_at(40.71, -74.0) == "America/New_York"
    assert zone_at(0.0, -30.0) is None  # open Atlantic: ask for a city instead
    assert zone_at(200.0, 0.0) is None


@pytest.mark.parametrize(
    "name", ["localtime", "Factory", "posixrules", "right/UTC", "posix/Europe/Berlin"]
)
def test_names_in_the_zone_directory_that_are_not_places_are_refused(name):
    assert not is_zone(name)
    assert match(name) == []
