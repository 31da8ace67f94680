"""The webhook's HTTP server: refuses strangers before reading a byte of their body.

python-telegram-bot's own webhook server reads the whole body (up to tornado's
100 MB default) before it looks at the secret, keeps idle connections for an
hour, and when file descriptors run out its accept loop logs a traceback on
every turn of the event loop. This one, on the same tornado:

- checks path, method, content type, the secret header and Content-Length as
  soon as the headers are in, and closes the connection on a refusal;
- caps the body at MAX_BODY, counted as it streams in (chunked bodies too);
- closes connections whose headers or body are too slow, or that sit idle;
- when accept() fails (no file descriptors left), pauses accepting briefly and
  logs one line per LOG_EVERY seconds with a count, instead of a flood; tornado's
  own per-connection lines are held to the same pace.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import tornado.web
from telegram import Update
from telegram.ext import ExtBot, Updater
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop

from bot.runtime.polling import readable

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's largest update is a message of 4,096 characters (or a caption) with
# its entities and a replied-to message inside; even with every character
# JSON-escaped that stays under 200 KB. 1 MiB leaves room without letting anyone
# make the bot hold large bodies in memory.
MAX_BODY = 1024 * 1024
# Telegram's servers send a whole update at once; a reverse proxy buffers it.
# Ten seconds is generous for either, and bounds how long a slow or idle
# connection can hold a file descriptor.
HEADER_TIMEOUT = 10.0  # the request line and headers, and idle keep-alive
BODY_TIMEOUT = 10.0
LOG_EVERY = 60.0  # seconds between two lines about failing accept()
ACCEPT_PAUSE = 0.5  # seconds without accepting after accept() failed
ACCEPT_BATCH = 128  # connections taken per wake-up, so others get a turn


@dataclass(frozen=True)
class Limits:
    max_body: int = MAX_BODY
    header_timeout: float = HEADER_TIMEOUT
    body_timeout: float = BODY_TIMEOUT
    log_every: float = LOG_EVERY
    accept_pause: float = ACCEPT_PAUSE


class ThrottledLog:
    """At most one line per `every` seconds; the next says how many were held back."""

    def __init__(
        self, logger: logging.Logger, every: float, clock: Callable[[], float] = time.monotonic
    ):
        self.logger, self.every, self.clock = logger, every, clock
        self.held_back = 0
        self._last: float | None = None

    def error(self, message: str, *args: object) -> None:
        now = self.clock()
        if self._last is not None and now - self._last < self.every:
            self.held_back += 1
            return
        if self.held_back:
            message += " (%d more since the last such line)"
            args = (*args, self.held_back)
        self.logger.error(message, *args)
        self._last, self.held_back = now, 0


class QuietRepeats(logging.Filter):
    """One record per message per `every` seconds; the next says how many were dropped.

    On tornado's own logger, whose per-connection lines ("Timeout reading body",
    "Malformed HTTP message") anyone can provoke by the thousand.
    """

    MAX_KINDS = 64  # messages tracked; formatted ones vary, so the table is bounded

    def __init__(self, every: float, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.every, self.clock = every, clock
        self._seen: dict[str, tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        now, kind = self.clock(), str(record.msg)
        last, dropped = self._seen.get(kind, (None, 0))
        if last is not None and now - last < self.every:
            self._seen[kind] = (last, dropped + 1)
            return False
        if dropped and isinstance(record.args, tuple):
            record.msg = f"{kind} (%d more since the last such line)"
            record.args = (*record.args, dropped)
        if len(self._seen) >= self.MAX_KINDS and kind not in self._seen:
            self._seen.clear()
        self._seen[kind] = (now, 0)
        return True


def quiet_tornado(every: float) -> None:
    """Install QuietRepeats on tornado's connection logger, once."""
    logger = logging.getLogger("tornado.general")
    if not any(isinstance(f, QuietRepeats) for f in logger.filters):
        logger.addFilter(QuietRepeats(every))


@dataclass(frozen=True)
class Hook:
    """What a request must match, and where accepted updates go."""

    path: str  # "/telegram", or "/" for a URL without a path; no trailing slash
    secret: str
    bot: Any  # the Bot, for Update.de_json
    queue: asyncio.Queue
    limits: Limits

    def refusal(self, request: tornado.httputil.HTTPServerRequest) -> int | None:
        """The status that refuses this request from its headers alone, or None."""
        if (request.path.rstrip("/") or "/") != self.path:
            return 404
        if request.method != "POST":
            return 405
        given = request.headers.get(SECRET_HEADER, "")
        if not secrets.compare_digest(given.encode("utf-8", "replace"), self.secret.encode()):
            return 403
        kind = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            return 415
        length = request.headers.get("Content-Length")
        if length is not None and (not length.isdigit() or int(length) > self.limits.max_body):
            return 413
        return None


@tornado.web.stream_request_body
class UpdateHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")

    def initialize(self, hook: Hook) -> None:
        self.hook = hook
        self.body = bytearray()

    async def prepare(self) -> None:
        status = self.hook.refusal(self.request)
        if status is not None:
            await self.refuse(status)
            # Still inside headers_received: taking the stream away means tornado
            # never starts reading the body, and has nothing to log about it.
            self.request.connection.detach().close()  # type: ignore[union-attr]

    async def refuse(self, status: int) -> None:
        self.set_status(status)
        self.set_header("Connection", "close")
        await self.finish()

    async def data_received(self, chunk: bytes) -> None:
        if self._finished:
            return
        self.body += chunk
        if len(self.body) > self.hook.limits.max_body:  # chunked, or longer than declared
            self.body.clear()
            await self.refuse(413)
            self.request.connection.close()  # type: ignore[union-attr]

    async def post(self) -> None:
        try:
            data = json.loads(self.body)
        except ValueError:  # not JSON: the body is never logged
            data = None
        update = None
        # The same reading as polling's: one odd update logs its id and kind once, no text.
        if isinstance(data, dict) and readable(data) == data:
            try:
                update = Update.de_json(data, self.hook.bot)
            except Exception:  # read above; the bot's own objects refused it after all
                update = None
        if update is None:
            self.set_status(400)
            return
        if isinstance(self.hook.bot, ExtBot):
            self.hook.bot.insert_callback_data(update)
        await self.hook.queue.put(update)

    def set_default_headers(self) -> None:
        self.set_header("Content-Type", 'application/json; charset="utf-8"')

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.finish()  # no traceback or request details in the answer

    def log_exception(self, typ, value, tb) -> None:  # type: ignore[override]
        # A closed connection mid-body is normal; never log the request itself.
        log.debug("webhook request failed: %s", typ.__name__ if typ else None)


class _Application(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """No access log: the bot logs updates its own way."""


class HookServer(HTTPServer):
    """tornado's HTTPServer with the limits above and an accept loop that backs off."""

    def initialize(self, hook: Hook, **kwargs: Any) -> None:  # type: ignore[override]
        limits = hook.limits
        app = _Application([(r"/.*", UpdateHandler, {"hook": hook})])
        super().initialize(
            app,
            # tornado's own cap is only a backstop: the handler answers 413 first.
            max_body_size=2 * limits.max_body,
            idle_connection_timeout=limits.header_timeout,
            body_timeout=limits.body_timeout,
            **kwargs,
        )
        self.limits = limits
        self.accept_errors = ThrottledLog(log, limits.log_every)
        quiet_tornado(limits.log_every)

    def add_sockets(self, sockets: Iterable[socket.socket]) -> None:
        for sock in sockets:
            self._sockets[sock.fileno()] = sock
            self._handlers[sock.fileno()] = self._accept_from(sock)

    def _accept_from(self, sock: socket.socket) -> Callable[[], None]:
        """Like tornado.netutil.add_accept_handler, but survives accept() failing."""
        loop = IOLoop.current()
        removed = False

        def on_readable(fd: object, events: int) -> None:
            for _ in range(ACCEPT_BATCH):
                if removed:
                    return
                try:
                    connection, address = sock.accept()
                except BlockingIOError:
                    return
                except ConnectionAbortedError:
                    continue
                except OSError as exc:  # EMFILE, ENFILE, ENOBUFS: the socket stays readable
                    self.accept_errors.error(
                        "webhook cannot accept connections: %s", exc.strerror or exc
                    )
                    loop.remove_handler(sock)
                    loop.call_later(self.limits.accept_pause, resume)
                    return
                self._handle_connection(connection, address)

        def resume() -> None:
            if not removed:
                loop.add_handler(sock, on_readable, IOLoop.READ)

        def remove() -> None:
            nonlocal removed
            removed = True
            loop.remove_handler(sock)

        loop.add_handler(sock, on_readable, IOLoop.READ)
        return remove


class _Running:
    """What Updater.stop() shuts down: the server and its open connections."""

    def __init__(self, server: HookServer):
        self.server = server

    async def shutdown(self) -> None:
        self.server.stop()
        await self.server.close_all_connections()


class HardenedUpdater(Updater):
    """python-telegram-bot's Updater, serving its webhook with HookServer.

    Only the server differs: start_webhook(), run_webhook() and stop() behave as
    documented (set the webhook with Telegram, then serve until stopped).
    """

    __slots__ = ("limits",)

    def __init__(self, bot: Any, update_queue: asyncio.Queue, limits: Limits | None = None):
        super().__init__(bot=bot, update_queue=update_queue)
        self.limits = limits or Limits()

    async def _start_webhook(  # type: ignore[override]
        self,
        listen: str,
        port: int,
        url_path: str,
        bootstrap_retries: int,
        allowed_updates: Any,
        cert: Any = None,
        key: Any = None,
        drop_pending_updates: bool | None = None,
        webhook_url: str | None = None,
        ready: asyncio.Event | None = None,
        ip_address: str | None = None,
        max_connections: int = 40,
        secret_token: str | None = None,
        unix: Any = None,
    ) -> None:
        if cert or key or unix:
            raise ValueError("TLS and unix sockets are left to a reverse proxy in front")
        if not secret_token:
            raise ValueError("the webhook needs a secret token")
        path = "/" + url_path.strip("/")
        hook = Hook(path, secret_token, self.bot, self.update_queue, self.limits)
        server = HookServer(hook)
        # Listening before Telegram is told the URL, so its first POST finds us.
        server.listen(port, address=listen)
        try:
            await self._bootstrap(
                max_retries=bootstrap_retries,
                drop_pending_updates=drop_pending_updates,
                webhook_url=webhook_url or f"http://{listen}:{port}{path}",
                allowed_updates=allowed_updates,
                ip_address=ip_address,
                max_connections=max_connections,
                secret_token=secret_token,
            )
        except BaseException:
            server.stop()
            raise
        self._httpd = _Running(server)  # type: ignore[assignment]
        if ready is not None:
            ready.set()
