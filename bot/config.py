"""Settings from the environment and an optional .env file in the working directory."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,}$")
_TOKEN_ANYWHERE = re.compile(r"\d{1,20}:[A-Za-z0-9_-]{20,}")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
BACKUP_KEEP_DAYS = 14  # /privacy tells people this figure, so it is a setting, not a guess


class ConfigError(Exception):
    """A setting is missing or invalid; the message is one line for stderr."""


@dataclass(frozen=True)
class Settings:
    token: str | None
    api_base_url: str
    db_path: str
    tick_seconds: float
    admin_ids: frozenset[int]
    log_level: str
    backup_keep_days: int = BACKUP_KEEP_DAYS

    def __repr__(self) -> str:  # never print the token by accident
        return (
            f"Settings(api_base_url={self.api_base_url!r}, db_path={self.db_path!r}, "
            f"tick_seconds={self.tick_seconds}, admin_ids={sorted(self.admin_ids)}, "
            f"log_level={self.log_level!r}, backup_keep_days={self.backup_keep_days})"
        )

    @property
    def log_level_number(self) -> int:
        return logging.getLevelName(self.log_level)


def redact(text: str) -> str:
    """`text` with anything shaped like a bot token replaced: for lines printed on errors."""
    return _TOKEN_ANYWHERE.sub("<token>", text)


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; blank lines and # comments skipped; optional quotes stripped."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{path}: line {number} is not KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    require_token: bool = False,
    writable_db: bool = True,
    dotenv: Path | None = Path(".env"),
) -> Settings:
    """Build Settings; the process environment wins over .env.

    `writable_db=False` is for commands that only read the database (backup, stats):
    its directory may then be read-only, as in the nightly backup unit.
    """
    env: dict[str, str] = {}
    if dotenv is not None:
        env.update(read_dotenv(dotenv))
    env.update(os.environ if environ is None else environ)

    token = env.get("TELEGRAM_BOT_TOKEN", "").strip() or None
    if require_token and token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set (get one from @BotFather)")
    if token is not None and not TOKEN_PATTERN.match(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters)")

    base_url = env.get("TELEGRAM_API_BASE_URL", "").strip() or DEFAULT_API_BASE_URL
    if not re.match(r"^https?://[^\s/]+", base_url):
        raise ConfigError(f"TELEGRAM_API_BASE_URL must be an http(s) URL, got {base_url!r}")
    # The token is appended (…/bot123:ABC/getMe) unless the URL says where, as {token}.
    if not base_url.endswith("/bot") and "{token}" not in base_url:
        raise ConfigError(
            "TELEGRAM_API_BASE_URL must end in /bot (the token is appended to it), "
            f"like {DEFAULT_API_BASE_URL}; got {base_url!r}"
        )

    db_path = env.get("BACKCARE_DB", "").strip() or "./backcare.db"
    _check_db_path(db_path, writable=writable_db)

    raw_tick = env.get("BACKCARE_TICK_SECONDS", "").strip() or "30"
    try:
        tick = float(raw_tick)
    except ValueError:
        tick = 0.0
    if not 0 < tick <= 3600:
        raise ConfigError(
            f"BACKCARE_TICK_SECONDS must be a number of seconds (0-3600], got {raw_tick!r}"
        )

    admin_ids: set[int] = set()
    for part in env.get("BACKCARE_ADMIN_IDS", "").split(","):
        part = part.strip()
        if not part:
            continue
        if not re.fullmatch(r"\d{1,20}", part):
            raise ConfigError(f"BACKCARE_ADMIN_IDS must be comma-separated user ids, got {part!r}")
        admin_ids.add(int(part))

    level = (env.get("BACKCARE_LOG_LEVEL", "").strip() or "INFO").upper()
    if level not in LOG_LEVELS:
        raise ConfigError(
            f"BACKCARE_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}"
        )

    raw_keep = env.get("BACKCARE_BACKUP_KEEP_DAYS", "").strip() or str(BACKUP_KEEP_DAYS)
    if not re.fullmatch(r"\d{1,4}", raw_keep) or not 1 <= int(raw_keep) <= 3650:
        raise ConfigError(
            f"BACKCARE_BACKUP_KEEP_DAYS must be a whole number of days (1-3650), got {raw_keep!r}"
        )

    return Settings(
        token=token,
        api_base_url=base_url,
        db_path=db_path,
        tick_seconds=tick,
        admin_ids=frozenset(admin_ids),
        log_level=level,
        backup_keep_days=int(raw_keep),
    )


def _check_db_path(db_path: str, *, writable: bool) -> None:
    if db_path == ":memory:":
        return
    path = Path(db_path)
    if path.is_dir():
        raise ConfigError(f"BACKCARE_DB points to a directory: {db_path}")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ConfigError(f"BACKCARE_DB: directory {parent} does not exist")
    if writable and not os.access(parent, os.W_OK):
        raise ConfigError(f"BACKCARE_DB: directory {parent} is not writable")
