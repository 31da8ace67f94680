"""Options for `backcare run --webhook-url`, checked before anything starts."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.config import ConfigError

# Telegram's rule for secret_token: 1-256 of A-Z a-z 0-9 _ -
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
DEFAULT_LISTEN = "127.0.0.1"
DEFAULT_PORT = 8080


@dataclass(frozen=True)
class WebhookOptions:
    url: str  # what Telegram POSTs to (usually https://your.domain/path)
    listen: str
    port: int
    url_path: str  # where the local server answers: the path of `url`
    secret_token: str

    def __repr__(self) -> str:  # the secret stays out of logs and tracebacks
        return f"WebhookOptions(url={self.url!r}, listen={self.listen!r}, port={self.port})"


def webhook_options(
    url: str, listen: str = DEFAULT_LISTEN, port: int = DEFAULT_PORT, secret: str | None = None
) -> WebhookOptions:
    """Validate the command line; without a secret a fresh random one is used for this run."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(f"--webhook-url must be an https:// URL, got {url!r}")
    if parts.query or parts.fragment:
        raise ConfigError("--webhook-url must not have a query or fragment")
    if not 1 <= port <= 65535:
        raise ConfigError(f"--port must be 1-65535, got {port}")
    if secret is None:
        secret = secrets.token_urlsafe(32)
    elif not SECRET_PATTERN.match(secret):
        raise ConfigError("--secret-token must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    return WebhookOptions(
        url=url, listen=listen, port=port, url_path=parts.path.strip("/"), secret_token=secret
    )
