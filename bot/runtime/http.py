"""Bot API requests over aiohttp instead of python-telegram-bot's default httpx client.

Same contract as `telegram.request.HTTPXRequest` (status code and body back,
TimedOut / NetworkError on failure), for a fraction of the CPU per request:
measured against the stand-in, httpx spends about 1.7 ms of CPU on each
sendMessage and gets slower as more requests wait for its pool, aiohttp about
0.3 ms. That is the difference between a reminder fan-out stuck near 150
messages/s and one that can use Telegram's paid 1,000 messages/s.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)

_DEFAULT = type(BaseRequest.DEFAULT_NONE)  # "not passed": use the value set at creation


def _given(value, default):
    return default if isinstance(value, _DEFAULT) else value


class AiohttpRequest(BaseRequest):
    __slots__ = ("_connect", "_pool", "_pool_size", "_read", "_session")

    def __init__(
        self,
        connection_pool_size: int = 256,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ):
        # aiohttp has no write timeout: a stalled upload ends when the read timeout
        # after it runs out. Accepted so callers can configure this like HTTPXRequest.
        del write_timeout
        self._pool_size = connection_pool_size
        self._read = read_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:
        """As python-telegram-bot's, without logging the answer it cannot read: an answer
        can quote what a person typed."""
        try:
            return json.loads(payload.decode("utf-8", "replace"))
        except ValueError as exc:
            # The error raised says it; at start-up it becomes the one line that says what
            # to check, so it is logged here only for debugging.
            log.debug("the Bot API answered %d bytes that are not JSON", len(payload))
            raise TelegramError("Invalid server response") from exc

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout=BaseRequest.DEFAULT_NONE,
        write_timeout=BaseRequest.DEFAULT_NONE,
        connect_timeout=BaseRequest.DEFAULT_NONE,
        pool_timeout=BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        read = _given(read_timeout, self._read)
        connect = _given(connect_timeout, self._connect)
        pool = _given(pool_timeout, self._pool)
        # aiohttp's `connect` covers waiting for a pooled connection plus connecting;
        # it has no write timeout, so an upload is bounded by the read timeout after it.
        waiting = None if connect is None or pool is None else connect + pool
        timeout = aiohttp.ClientTimeout(
            total=None, connect=waiting, sock_connect=connect, sock_read=read
        )
        body, headers = _body(request_data)
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            # The class name only: some aiohttp messages repeat the URL, which holds the token.
            raise NetworkError(f"aiohttp.{type(err).__name__}") from err


_JSON = {"Content-Type": "application/json"}
_ENCODER = json.JSONEncoder(separators=(",", ":"))  # json.dumps builds one per call


def _body(request_data: RequestData | None) -> tuple[aiohttp.FormData | bytes | None, dict | None]:
    if request_data is None:
        return None, None
    if not request_data.contains_files:
        # One JSON document, keyboards and all, which the Bot API takes as well as a form:
        # a form percent-encodes every byte in Python, and python-telegram-bot's own
        # json_payload dumps each keyboard to a string before dumping the whole again
        # (benchmarks/throughput.py). Its docs suggest encoding `parameters` directly.
        return _ENCODER.encode(request_data.parameters).encode(), _JSON
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form, None
