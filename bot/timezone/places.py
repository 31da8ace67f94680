"""Finding a person's IANA time zone from a typed place name, offline.

The table is every zone name this machine knows ("Europe/Berlin" and its
city, "berlin") plus common cities and countries that are not zone names
("munich", "boston", "india"). Matching is forgiving about case, accents,
spaces, underscores and small typos.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

from storage.recurrence import is_copy_tree, is_zone

# Buttons by region: the zones most people need; anyone else types a city.
REGIONS: dict[str, tuple[str, ...]] = {
    "europe": (
        "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Madrid", "Europe/Paris",
        "Europe/Amsterdam", "Europe/Berlin", "Europe/Rome", "Europe/Stockholm", "Europe/Warsaw",
        "Europe/Athens", "Europe/Helsinki", "Europe/Kyiv", "Europe/Istanbul", "Europe/Moscow",
    ),
    "americas": (
        "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
        "America/Los_Angeles", "America/Anchorage", "America/Toronto", "America/Vancouver",
        "America/Mexico_City", "America/Bogota", "America/Lima", "America/Santiago",
        "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "America/Halifax",
    ),
    "asia": (
        "Asia/Jerusalem", "Asia/Riyadh", "Asia/Dubai", "Asia/Tehran", "Asia/Karachi",
        "Asia/Kolkata", "Asia/Dhaka", "Asia/Bangkok", "Asia/Jakarta", "Asia/Singapore",
        "Asia/Hong_Kong", "Asia/Shanghai", "Asia/Manila", "Asia/Seoul", "Asia/Tokyo",
    ),
    "africa": (
        "Africa/Casablanca", "Africa/Lagos", "Africa/Accra", "Africa/Cairo",
        "Africa/Johannesburg", "Africa/Nairobi",
    ),
    "pacific": (
        "Australia/Perth", "Australia/Darwin", "Australia/Adelaide", "Australia/Brisbane",
        "Australia/Sydney", "Australia/Melbourne", "Pacific/Auckland", "Pacific/Honolulu",
    ),
}  # fmt: skip

# Places people type that are not part of a zone name.
EXTRA_PLACES: dict[str, str] = {
    # Europe
    "uk": "Europe/London", "united kingdom": "Europe/London", "england": "Europe/London",
    "britain": "Europe/London", "great britain": "Europe/London", "scotland": "Europe/London",
    "wales": "Europe/London", "manchester": "Europe/London", "birmingham": "Europe/London",
    "glasgow": "Europe/London", "edinburgh": "Europe/London", "liverpool": "Europe/London",
    "leeds": "Europe/London", "bristol": "Europe/London", "cardiff": "Europe/London",
    "ireland": "Europe/Dublin", "cork": "Europe/Dublin", "portugal": "Europe/Lisbon",
    "porto": "Europe/Lisbon", "spain": "Europe/Madrid", "barcelona": "Europe/Madrid",
    "valencia": "Europe/Madrid", "seville": "Europe/Madrid", "france": "Europe/Paris",
    "lyon": "Europe/Paris", "marseille": "Europe/Paris", "toulouse": "Europe/Paris",
    "nice": "Europe/Paris", "germany": "Europe/Berlin", "deutschland": "Europe/Berlin",
    "munich": "Europe/Berlin", "munchen": "Europe/Berlin", "hamburg": "Europe/Berlin",
    "frankfurt": "Europe/Berlin", "cologne": "Europe/Berlin", "koln": "Europe/Berlin",
    "stuttgart": "Europe/Berlin", "dusseldorf": "Europe/Berlin", "leipzig": "Europe/Berlin",
    "dresden": "Europe/Berlin", "hannover": "Europe/Berlin", "bremen": "Europe/Berlin",
    "netherlands": "Europe/Amsterdam", "holland": "Europe/Amsterdam",
    "rotterdam": "Europe/Amsterdam", "the hague": "Europe/Amsterdam",
    "utrecht": "Europe/Amsterdam", "belgium": "Europe/Brussels", "antwerp": "Europe/Brussels",
    "switzerland": "Europe/Zurich", "geneva": "Europe/Zurich", "bern": "Europe/Zurich",
    "basel": "Europe/Zurich", "austria": "Europe/Vienna", "salzburg": "Europe/Vienna",
    "italy": "Europe/Rome", "milan": "Europe/Rome", "naples": "Europe/Rome",
    "turin": "Europe/Rome", "florence": "Europe/Rome", "venice": "Europe/Rome",
    "denmark": "Europe/Copenhagen", "norway": "Europe/Oslo", "sweden": "Europe/Stockholm",
    "gothenburg": "Europe/Stockholm", "finland": "Europe/Helsinki", "poland": "Europe/Warsaw",
    "krakow": "Europe/Warsaw", "czechia": "Europe/Prague", "czech republic": "Europe/Prague",
    "hungary": "Europe/Budapest", "romania": "Europe/Bucharest", "greece": "Europe/Athens",
    "ukraine": "Europe/Kyiv", "kiev": "Europe/Kyiv", "odessa": "Europe/Kyiv",
    "turkey": "Europe/Istanbul", "ankara": "Europe/Istanbul", "russia": "Europe/Moscow",
    "st petersburg": "Europe/Moscow", "saint petersburg": "Europe/Moscow",
    # Americas
    "usa": "America/New_York", "united states": "America/New_York", "nyc": "America/New_York",
    "boston": "America/New_York", "washington": "America/New_York",
    "philadelphia": "America/New_York", "atlanta": "America/New_York",
    "miami": "America/New_York", "pittsburgh": "America/New_York",
    "charlotte": "America/New_York", "orlando": "America/New_York",
    "baltimore": "America/New_York", "eastern": "America/New_York",
    "houston": "America/Chicago", "dallas": "America/Chicago", "austin": "America/Chicago",
    "san antonio": "America/Chicago", "minneapolis": "America/Chicago",
    "new orleans": "America/Chicago", "nashville": "America/Chicago",
    "st louis": "America/Chicago", "kansas city": "America/Chicago",
    "central": "America/Chicago", "salt lake city": "America/Denver",
    "albuquerque": "America/Denver", "mountain": "America/Denver",
    "tucson": "America/Phoenix", "arizona": "America/Phoenix",
    "los angeles": "America/Los_Angeles", "la": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles", "san diego": "America/Los_Angeles",
    "seattle": "America/Los_Angeles", "portland": "America/Los_Angeles",
    "las vegas": "America/Los_Angeles", "san jose": "America/Los_Angeles",
    "sacramento": "America/Los_Angeles", "pacific": "America/Los_Angeles",
    "california": "America/Los_Angeles", "hawaii": "Pacific/Honolulu",
    "alaska": "America/Anchorage", "canada": "America/Toronto", "ottawa": "America/Toronto",
    "montreal": "America/Toronto", "quebec": "America/Toronto", "calgary": "America/Edmonton",
    "mexico": "America/Mexico_City", "guadalajara": "America/Mexico_City",
    "colombia": "America/Bogota", "medellin": "America/Bogota", "peru": "America/Lima",
    "chile": "America/Santiago", "brazil": "America/Sao_Paulo",
    "rio de janeiro": "America/Sao_Paulo", "rio": "America/Sao_Paulo",
    "brasilia": "America/Sao_Paulo", "argentina": "America/Argentina/Buenos_Aires",
    # Asia and the Middle East
    "israel": "Asia/Jerusalem", "tel aviv": "Asia/Jerusalem",
    "saudi arabia": "Asia/Riyadh", "jeddah": "Asia/Riyadh", "uae": "Asia/Dubai",
    "abu dhabi": "Asia/Dubai", "iran": "Asia/Tehran", "pakistan": "Asia/Karachi",
    "lahore": "Asia/Karachi", "islamabad": "Asia/Karachi", "india": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata", "bombay": "Asia/Kolkata", "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata", "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata",
    "chennai": "Asia/Kolkata", "hyderabad": "Asia/Kolkata", "calcutta": "Asia/Kolkata",
    "pune": "Asia/Kolkata", "bangladesh": "Asia/Dhaka", "thailand": "Asia/Bangkok",
    "vietnam": "Asia/Ho_Chi_Minh", "hanoi": "Asia/Ho_Chi_Minh",
    "saigon": "Asia/Ho_Chi_Minh", "indonesia": "Asia/Jakarta", "bali": "Asia/Makassar",
    "malaysia": "Asia/Kuala_Lumpur", "philippines": "Asia/Manila",
    "china": "Asia/Shanghai", "beijing": "Asia/Shanghai", "shenzhen": "Asia/Shanghai",
    "guangzhou": "Asia/Shanghai", "taiwan": "Asia/Taipei", "korea": "Asia/Seoul",
    "south korea": "Asia/Seoul", "busan": "Asia/Seoul", "japan": "Asia/Tokyo",
    "osaka": "Asia/Tokyo", "kyoto": "Asia/Tokyo", "yokohama": "Asia/Tokyo",
    # Africa
    "morocco": "Africa/Casablanca", "nigeria": "Africa/Lagos", "abuja": "Africa/Lagos",
    "ghana": "Africa/Accra", "egypt": "Africa/Cairo", "south africa": "Africa/Johannesburg",
    "cape town": "Africa/Johannesburg", "durban": "Africa/Johannesburg",
    "pretoria": "Africa/Johannesburg", "kenya": "Africa/Nairobi",
    "ethiopia": "Africa/Addis_Ababa",
    # Oceania
    "australia": "Australia/Sydney", "canberra": "Australia/Sydney",
    "gold coast": "Australia/Brisbane", "new zealand": "Pacific/Auckland",
    "wellington": "Pacific/Auckland", "christchurch": "Pacific/Auckland",
    # plain UTC
    "gmt": "UTC", "utc": "UTC", "zulu": "UTC",
    # Spanish names (accents are ignored when matching)
    "españa": "Europe/Madrid", "sevilla": "Europe/Madrid", "zaragoza": "Europe/Madrid",
    "málaga": "Europe/Madrid", "bilbao": "Europe/Madrid", "mallorca": "Europe/Madrid",
    "canarias": "Atlantic/Canary", "islas canarias": "Atlantic/Canary",
    "tenerife": "Atlantic/Canary", "las palmas": "Atlantic/Canary",
    "gran canaria": "Atlantic/Canary", "londres": "Europe/London",
    "reino unido": "Europe/London", "inglaterra": "Europe/London",
    "escocia": "Europe/London", "irlanda": "Europe/Dublin", "lisboa": "Europe/Lisbon",
    "francia": "Europe/Paris", "alemania": "Europe/Berlin", "múnich": "Europe/Berlin",
    "italia": "Europe/Rome", "roma": "Europe/Rome", "milán": "Europe/Rome",
    "suiza": "Europe/Zurich", "ginebra": "Europe/Zurich", "bélgica": "Europe/Brussels",
    "bruselas": "Europe/Brussels", "países bajos": "Europe/Amsterdam",
    "holanda": "Europe/Amsterdam", "suecia": "Europe/Stockholm",
    "noruega": "Europe/Oslo", "dinamarca": "Europe/Copenhagen",
    "finlandia": "Europe/Helsinki", "polonia": "Europe/Warsaw", "varsovia": "Europe/Warsaw",
    "grecia": "Europe/Athens", "atenas": "Europe/Athens", "turquía": "Europe/Istanbul",
    "estambul": "Europe/Istanbul", "rusia": "Europe/Moscow", "moscú": "Europe/Moscow",
    "ucrania": "Europe/Kyiv", "estados unidos": "America/New_York",
    "ee uu": "America/New_York", "eeuu": "America/New_York",
    "nueva york": "America/New_York", "filadelfia": "America/New_York",
    "florida": "America/New_York", "texas": "America/Chicago",
    "nueva orleans": "America/Chicago", "canadá": "America/Toronto",
    "méxico": "America/Mexico_City", "ciudad de méxico": "America/Mexico_City",
    "cdmx": "America/Mexico_City", "monterrey": "America/Monterrey",
    "cancún": "America/Cancun", "tijuana": "America/Tijuana",
    "guatemala": "America/Guatemala", "honduras": "America/Tegucigalpa",
    "nicaragua": "America/Managua", "panamá": "America/Panama", "cuba": "America/Havana",
    "la habana": "America/Havana", "república dominicana": "America/Santo_Domingo",
    "venezuela": "America/Caracas", "cali": "America/Bogota",
    "barranquilla": "America/Bogota", "bogotá": "America/Bogota",
    "ecuador": "America/Guayaquil", "quito": "America/Guayaquil", "perú": "America/Lima",
    "bolivia": "America/La_Paz", "paraguay": "America/Asuncion",
    "asunción": "America/Asuncion", "uruguay": "America/Montevideo",
    "santiago de chile": "America/Santiago", "rosario": "America/Argentina/Cordoba",
    "brasil": "America/Sao_Paulo", "río de janeiro": "America/Sao_Paulo",
    "japón": "Asia/Tokyo", "tokio": "Asia/Tokyo", "pekín": "Asia/Shanghai",
    "corea del sur": "Asia/Seoul", "filipinas": "Asia/Manila",
    "tailandia": "Asia/Bangkok", "arabia saudita": "Asia/Riyadh",
    "emiratos árabes unidos": "Asia/Dubai", "emiratos": "Asia/Dubai",
    "marruecos": "Africa/Casablanca", "egipto": "Africa/Cairo", "el cairo": "Africa/Cairo",
    "sudáfrica": "Africa/Johannesburg", "nueva zelanda": "Pacific/Auckland",
}  # fmt: skip

_CANONICAL = {"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe",
              "Indian", "Pacific", "UTC"}  # fmt: skip
_MAX_INPUT = 60
_FUZZY_CUTOFF = 0.85


# Telegram's language_code -> the zone most of its speakers there use: only a suggestion,
# shown beside the regions and confirmed with the local time before it is kept. A bare
# "en" says nothing about where someone is, so it suggests nothing.
SUGGESTED: dict[str, str] = {
    "es": "Europe/Madrid", "es-es": "Europe/Madrid", "es-mx": "America/Mexico_City",
    "es-ar": "America/Argentina/Buenos_Aires", "es-co": "America/Bogota",
    "es-cl": "America/Santiago", "es-pe": "America/Lima", "es-ve": "America/Caracas",
    "es-us": "America/New_York", "es-419": "America/Mexico_City",
    "en-gb": "Europe/London", "en-ie": "Europe/Dublin", "en-us": "America/New_York",
    "en-ca": "America/Toronto", "en-au": "Australia/Sydney", "en-nz": "Pacific/Auckland",
    "en-in": "Asia/Kolkata", "en-za": "Africa/Johannesburg", "en-ng": "Africa/Lagos",
    "en-sg": "Asia/Singapore", "pt": "Europe/Lisbon", "pt-br": "America/Sao_Paulo",
    "fr": "Europe/Paris", "de": "Europe/Berlin", "it": "Europe/Rome", "nl": "Europe/Amsterdam",
    "pl": "Europe/Warsaw", "uk": "Europe/Kyiv", "tr": "Europe/Istanbul", "ja": "Asia/Tokyo",
    "ko": "Asia/Seoul", "id": "Asia/Jakarta", "he": "Asia/Jerusalem",
}  # fmt: skip


def suggest(language_code: str | None) -> str | None:
    """The zone to offer first for a Telegram language_code ("es-MX"), or None."""
    if not language_code:
        return None
    # Exact codes only: "es-BO" falling back to "es" (Madrid) would point the wrong way.
    zone = SUGGESTED.get(language_code.strip().lower().replace("_", "-"))
    return zone if zone and is_zone(zone) else None


def normalise(text: str) -> str:
    """Lower case, no accents, words separated by single spaces ("São_Paulo" -> "sao paulo")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = re.sub(r"[_\-.,'’()]+", " ", plain.lower())
    return re.sub(r"\s+", " ", plain).strip()


def city_name(zone: str) -> str:
    """What a button shows for a zone: its last part ("America/New_York" -> "New York")."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


@lru_cache(maxsize=1)
def place_table() -> dict[str, str]:
    """normalised place or zone name -> IANA zone, built once."""
    from zoneinfo import available_timezones

    table: dict[str, str] = {}
    zones = sorted(z for z in available_timezones() if "/" in z or z == "UTC")
    # The region buttons' zones first, then canonical regions, so "istanbul" means
    # Europe/Istanbul and "london" Europe/London, not a legacy alias.
    featured = {zone for zones_ in REGIONS.values() for zone in zones_}
    zones.sort(key=lambda z: (z not in featured, z.split("/")[0] not in _CANONICAL))
    for zone in zones:
        table.setdefault(normalise(zone.replace("/", " ")), zone)
        table.setdefault(normalise(zone), zone)
        table.setdefault(normalise(city_name(zone)), zone)
    for place, zone in EXTRA_PLACES.items():
        if is_zone(zone):
            table[normalise(place)] = zone
    return table


def match(text: str, limit: int = 4) -> list[str]:
    """Zones matching a typed place, best first: [] if nothing is close enough.

    One result means a confident match; several mean "did you mean ...?".
    """
    if not text or len(text) > _MAX_INPUT:
        return []
    table = place_table()
    raw = text.strip()
    if is_zone(raw):
        return [raw]
    if is_copy_tree(raw):  # "right/UTC" is not UTC: its clock counts leap seconds
        return []
    key = normalise(raw)
    if not key:
        return []
    if key in table:
        return [table[key]]
    # "Berlin, Germany", "Paris France", "europe/berlin" typed with odd spacing
    for part in [p for p in re.split(r"[,/]", raw) if p.strip()]:
        if normalise(part) in table:
            return [table[normalise(part)]]
    words = key.split()
    for size in range(len(words) - 1, 0, -1):
        for i in range(len(words) - size + 1):
            piece = " ".join(words[i : i + size])
            if piece in table and len(piece) > 2:
                return [table[piece]]
    # The start of a name ("buenos", "sao"), then small typos ("londn").
    starts = sorted(name for name in table if len(key) >= 3 and name.startswith(key))
    close = difflib.get_close_matches(key, list(table), n=limit * 3, cutoff=_FUZZY_CUTOFF)
    found: list[str] = []
    for name in starts or close:
        if table[name] not in found:
            found.append(table[name])
    return found[:limit]


@lru_cache(maxsize=1)
def _finder():
    # Imported on first use: the polygon data is only needed when someone shares a location.
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA zone at a point (offline), or None for open sea or nonsense coordinates."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    zone = _finder().timezone_at(lng=longitude, lat=latitude)
    # Open sea gives "Etc/GMT+2"-style zones; better to ask for the nearest city.
    if not zone or zone.startswith("Etc/") or not is_zone(zone):
        return None
    return zone
