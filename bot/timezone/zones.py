"""Which country an IANA time zone belongs to, from the zone tables shipped with tzdata.

Offline and exact enough for one purpose: naming the right emergency number.
Aliases ("US/Eastern", "Asia/Calcutta") are followed through tzdata's link list.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

SYSTEM_ZONEINFO = Path("/usr/share/zoneinfo")

# Old aliases that tzdata now links to a zone in another country (the clocks
# agree, the countries do not). Checked before the link list.
MOVED_ALIASES = {"Iceland": "IS"}


def _zoneinfo_file(name: str) -> str | None:
    """The text of one of tzdata's tables: the pip package first, then the system copy."""
    try:
        return resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        pass
    path = SYSTEM_ZONEINFO / name
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _rows(name: str) -> Iterator[list[str]]:
    for line in (_zoneinfo_file(name) or "").splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")


@functools.cache
def zone_countries() -> dict[str, str]:
    """Zone name -> ISO 3166 country code. zone.tab names one country per zone;
    zone1970.tab (several countries per zone, the first is where the zone is) fills gaps."""
    table: dict[str, str] = {}
    for fields in _rows("zone1970.tab"):
        if len(fields) >= 3:
            table[fields[2]] = fields[0].split(",")[0]
    for fields in _rows("zone.tab"):
        if len(fields) >= 3:
            table[fields[2]] = fields[0]
    return table


@functools.cache
def zone_links() -> dict[str, str]:
    """Alias -> the zone it links to, from tzdata.zi's `L target alias` lines."""
    links: dict[str, str] = {}
    for line in (_zoneinfo_file("tzdata.zi") or "").splitlines():
        if line.startswith("L "):
            parts = line.split()
            if len(parts) == 3:
                links[parts[2]] = parts[1]
    return links


@functools.cache
def country_names() -> dict[str, str]:
    """ISO 3166 code -> English short name, from iso3166.tab."""
    return {fields[0]: fields[1] for fields in _rows("iso3166.tab") if len(fields) >= 2}


def country_for_zone(zone: str | None) -> str | None:
    """The two-letter country of an IANA zone name, or None (UTC, Etc/*, unknown, None)."""
    if not zone:
        return None
    countries = zone_countries()
    if zone in countries:
        return countries[zone]
    if zone in MOVED_ALIASES:
        return MOVED_ALIASES[zone]
    links = zone_links()
    seen = {zone}
    while zone in links and links[zone] not in seen:
        zone = links[zone]
        seen.add(zone)
        if zone in countries:
            return countries[zone]
    return None
