"""The emergency number to name, from the person's time zone, offline.

    emergency_line(content, lang, time_zone)  -> "call 999 now" / "llama ahora al 112"

The zone gives the country (bot/timezone/zones.py), content/emergency.yaml gives that
country's number for an ambulance. With no zone, or a country not in the file,
the line lists the common numbers instead. Use it wherever the bot tells someone
to call for help (triage emergency results, /start, /help).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from bot.problems import Problem, yaml_problem
from bot.timezone.zones import country_for_zone, country_names
from bot.yamlfile import read_yaml

if TYPE_CHECKING:
    from bot.content import Content

FILE = "emergency.yaml"
_NUMBER = re.compile(r"^[0-9]{2,6}$")


@dataclass(frozen=True)
class EmergencyNumbers:
    # country code -> numbers, the one to name first (one or two)
    by_country: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def for_country(self, country: str | None) -> tuple[str, ...]:
        return self.by_country.get(country or "", ())

    def for_zone(self, time_zone: str | None) -> tuple[str, ...]:
        """The numbers for the zone's country; empty when unknown."""
        return self.for_country(country_for_zone(time_zone))


def load_emergency(root: Path) -> tuple[EmergencyNumbers, list[Problem]]:
    """Read content/emergency.yaml: `countries: {CC: "112" | ["999", "112"]}`."""
    path = root / FILE
    problems: list[Problem] = []
    try:
        tree = read_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return EmergencyNumbers(), [Problem(FILE, "", "missing")]
    except yaml.YAMLError as exc:
        return EmergencyNumbers(), [yaml_problem(FILE, exc)]
    if not isinstance(tree, dict) or set(tree) != {"countries"}:
        return EmergencyNumbers(), [Problem(FILE, "", "must hold exactly one key: countries")]
    countries = tree["countries"]
    if not isinstance(countries, dict) or not countries:
        return EmergencyNumbers(), [Problem(FILE, "countries", "must map country codes")]
    known = country_names()
    table: dict[str, tuple[str, ...]] = {}
    for code, value in countries.items():
        where = f"countries.{code}"
        if isinstance(code, bool):
            problems.append(
                Problem(FILE, where, "quote this country code (bare NO reads as false)")
            )
            continue
        if not isinstance(code, str) or code not in known:
            problems.append(Problem(FILE, where, "not an ISO 3166 two-letter country code"))
            continue
        numbers = [value] if isinstance(value, str | int) else value
        if (
            not isinstance(numbers, list)
            or not 1 <= len(numbers) <= 2
            or not all(isinstance(n, str) and _NUMBER.match(n) for n in numbers)
        ):
            problems.append(
                Problem(FILE, where, 'must be a quoted number ("112") or a list of two')
            )
            continue
        table[code] = tuple(numbers)
    return EmergencyNumbers(table), problems


def emergency_line(content: Content, lang: str, time_zone: str | None) -> str:
    """ "call 999 now" in the person's language, or the common numbers when the country is unknown.

    A phrase meant to sit inside a sentence; locale strings place it with {emergency}.
    """
    strings = content.strings
    numbers = content.emergency.for_zone(time_zone)
    if not numbers:
        return strings.t(lang, "emergency.call_common")
    if len(numbers) == 1:
        number = numbers[0]
    else:
        number = strings.t(lang, "emergency.either", first=numbers[0], second=numbers[1])
    return strings.t(lang, "emergency.call_number", number=number)
