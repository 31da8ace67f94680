"""Everything under content/, loaded and validated once at start-up.

Each capability adds its loader here; a loader returns its data and the
problems it found, so `backcare content check` can print all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.i18n import Strings, load_strings
from bot.library.check import check_rendering
from bot.library.load import load_library
from bot.library.models import Library
from bot.paths import content_dir
from bot.problems import ContentError, Problem
from bot.programme.load import Programme, load_programme
from bot.safety.hazards import HazardLog, load_hazards
from bot.safety.red_flags import RedFlags, load_red_flags
from bot.timezone.emergency import EmergencyNumbers, emergency_line, load_emergency
from bot.triage.engine import Graph
from bot.triage.graph import load_graph


@dataclass(frozen=True)
class Content:
    root: Path
    strings: Strings
    emergency: EmergencyNumbers = field(default_factory=EmergencyNumbers)
    library: Library = field(default_factory=Library)
    triage: Graph | None = None
    red_flags: RedFlags = field(default_factory=RedFlags)
    hazards: HazardLog | None = None
    programme: Programme = field(default_factory=Programme)

    def emergency_line(self, lang: str, time_zone: str | None) -> str:
        """ "call 999 now" for the zone's country, or the common numbers (timezone/emergency.py)."""
        return emergency_line(self, lang, time_zone)


def check(root: Path | None = None) -> tuple[Content | None, list[Problem]]:
    """Load and validate; returns the content (None if unusable) and every problem."""
    root = root or content_dir()
    problems: list[Problem] = []
    if not root.is_dir():
        return None, [Problem(str(root), "", "content directory not found")]
    strings, found = load_strings(root / "locales")
    problems += found
    emergency, found = load_emergency(root)
    problems += found
    library, found = load_library(root, strings.languages)
    problems += found
    problems += check_rendering(library, strings)
    triage, found = load_graph(root, strings)
    problems += found
    red_flags, found = load_red_flags(root, strings)
    problems += found
    hazards, found = load_hazards(root, triage)
    problems += found
    programme, found = load_programme(root, strings, library)
    problems += found
    content = Content(
        root=root,
        strings=strings,
        emergency=emergency,
        library=library,
        triage=triage,
        red_flags=red_flags,
        hazards=hazards,
        programme=programme,
    )
    return content, problems


def load(root: Path | None = None) -> Content:
    """Load content or raise ContentError listing every problem."""
    content, problems = check(root)
    if problems or content is None:
        raise ContentError(problems)
    return content
