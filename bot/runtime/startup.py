"""Start-up of `backcare run`: Telegram must accept the token before the bot serves.

python-telegram-bot's run_polling and run_webhook check the token themselves
(getMe), but a refusal there ends in a traceback that quotes the token and leaves
the HTTP sessions open ("Unclosed client session" at exit). So the application is
initialized first, on the event loop those will then use: each way this can fail
becomes one line and an exit status, and what was opened is closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.config import DEFAULT_API_BASE_URL, Settings

if TYPE_CHECKING:  # telegram is imported only by the commands that need it
    from telegram.ext import Application

SETTING = 2  # a setting needs fixing: restarting will not help
TRANSIENT = 1  # the network or Telegram: a restart later may well work
INTERRUPTED = 128 + signal.SIGINT  # Ctrl-C, as shells report it (SIGTERM: 143)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StartupError(Exception):
    """Start-up failed; str() is one line for stderr, `status` the exit status."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def connect(app: Application, settings: Settings) -> asyncio.AbstractEventLoop:
    """Initialize `app` (getMe checks the token) on a new event loop, made the current one.

    Raises StartupError after closing the HTTP sessions and the loop. Ctrl-C and
    SIGTERM stop it at once (run_polling and run_webhook handle them afterwards).
    """
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    task = loop.create_task(_initialize(app))
    stopped_by: list[int] = []

    def stop(signum: int) -> None:
        stopped_by.append(signum)
        task.cancel()

    # Through the loop, so the signal wakes it whichever thread the OS delivers it to.
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop, signum)
    try:
        loop.run_until_complete(task)
    except BaseException as exc:
        with contextlib.suppress(BaseException):
            loop.run_until_complete(app.bot.shutdown())
        _close(loop)
        if stopped_by:
            raise StartupError("stopped during start-up", 128 + stopped_by[0]) from None
        raise explain(exc, settings) from None
    for signum in STOP_SIGNALS:
        loop.remove_signal_handler(signum)
    return loop


def _close(loop: asyncio.AbstractEventLoop) -> None:
    for signum in STOP_SIGNALS:
        loop.remove_signal_handler(signum)
    asyncio.set_event_loop(None)
    loop.close()


async def _initialize(app: Application) -> None:
    # Asked once: a retried getMe would only log retries before the same answer,
    # and the service manager starts the bot again anyway (exit status 1). A server
    # that is not the Bot API answers in HTML, which python-telegram-bot logs with a
    # traceback before raising; the one line after says what to check.
    with _no_retries(app.bot.request), _quiet(logging.getLogger("telegram.request")):
        await app.initialize()


@contextlib.contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    saved = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(saved)


@contextlib.contextmanager
def _no_retries(request: object) -> Iterator[None]:
    saved = getattr(request, "backoff", None)
    if saved is not None:
        request.backoff = ()  # type: ignore[attr-defined]
    try:
        yield
    finally:
        if saved is not None:
            request.backoff = saved  # type: ignore[attr-defined]


def explain(exc: BaseException, settings: Settings) -> BaseException:
    """A StartupError saying what went wrong in one line, or `exc` itself if it is a bug."""
    from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut

    where = urlsplit(settings.api_base_url).netloc or settings.api_base_url
    if isinstance(exc, InvalidToken):  # Telegram answered 401 or 404 to getMe
        also = "" if settings.api_base_url == DEFAULT_API_BASE_URL else " and TELEGRAM_API_BASE_URL"
        return StartupError(f"Telegram refused the token: check TELEGRAM_BOT_TOKEN{also}", SETTING)
    if isinstance(exc, TimedOut):
        return StartupError(
            f"the Telegram Bot API at {where} did not answer in time: check the network",
            TRANSIENT,
        )
    if isinstance(exc, NetworkError):
        return StartupError(
            f"cannot reach the Telegram Bot API at {where} ({exc.message}): "
            "check the network and TELEGRAM_API_BASE_URL",
            TRANSIENT,
        )
    if isinstance(exc, TelegramError):
        return StartupError(f"the Telegram Bot API at {where} answered: {exc.message}", TRANSIENT)
    if isinstance(exc, KeyboardInterrupt):
        return StartupError("stopped during start-up", INTERRUPTED)
    return exc
