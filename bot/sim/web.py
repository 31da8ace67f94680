"""`backcare chat --web`: the same local chat as a page in a browser.

The real bot runs against the stand-in, as in the terminal; a small aiohttp server on
127.0.0.1 shows the chat (Telegram's formatting, inline buttons, the keyboard under the
text box, photos, documents) and sends each change to the page as it happens, by
Server-Sent Events. Only this machine can reach it, and only pages it served itself
may press or send (the Host and Origin of every request are checked).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.sim import history
from bot.sim.client import SimUser
from bot.sim.harness import Harness
from bot.sim.server import SimMessage
from bot.sim.terminal import USER_ID
from bot.sim.web_html import render

KEEP_ALIVE = 15.0  # seconds between comments that keep an idle event stream open
PAGE = files("bot.sim").joinpath("web_page.html")


def message_view(message: SimMessage) -> dict[str, Any]:
    """What the page needs to draw one message; every text already escaped."""
    if message.from_bot:
        body = render(message.text, message.parse_mode)
    elif message.kind == "location":
        body = "📍 location"
    else:
        body = html.escape(message.text or message.plain or f"[{message.kind}]", quote=False)
    view: dict[str, Any] = {
        "id": message.message_id,
        "from_bot": message.from_bot,
        "kind": message.kind,
        "deleted": message.deleted,
        "edited": message.edits > 0,
        "html": body,
        "buttons": [
            [{"text": button["text"], "url": _safe_url(button.get("url"))} for button in row]
            for row in message.buttons
        ],
    }
    if message.kind in ("photo", "document"):
        view["file"] = f"/files/{message.message_id}"
        view["file_name"] = Path(message.file_name or "file").name
    return view


def _safe_url(url: str | None) -> str | None:
    return url if url and url.startswith(("https://", "http://")) else None


def keyboard_view(keyboard: dict | None) -> list[dict[str, Any]]:
    rows = (keyboard or {}).get("keyboard", [])
    buttons = [b if isinstance(b, dict) else {"text": b} for row in rows for b in row]
    return [{"text": b["text"], "location": bool(b.get("request_location"))} for b in buttons]


class WebChat:
    def __init__(self, harness: Harness, user: SimUser, saved: Path):
        self.harness = harness
        self.user = user
        self.saved = saved
        self.port: int | None = None

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._same_origin])
        app.router.add_get("/", self.index)
        app.router.add_get("/events", self.events)
        app.router.add_get("/files/{message_id}", self.file)
        app.router.add_post("/send", self.send)
        app.router.add_post("/press", self.press)
        app.router.add_post("/location", self.location)
        return app

    @web.middleware
    async def _same_origin(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Refuse other sites' pages and other host names (DNS rebinding)."""
        hosts = {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}
        origin = request.headers.get("Origin")
        if request.host not in hosts or (
            origin is not None and origin.split("//")[-1] not in hosts
        ):
            raise web.HTTPForbidden(text="only this machine's own page may use the chat")
        return await handler(request)

    async def index(self, request: web.Request) -> web.Response:
        return web.Response(text=PAGE.read_text(encoding="utf-8"), content_type="text/html")

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Every message (then every change) and the keyboard, as they happen."""
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        await response.prepare(request)
        chat, server = self.user.chat, self.harness.server
        sent: dict[int, int] = {}
        keyboard_sent: object = object()

        def pending() -> bool:
            changed = any(sent.get(m.message_id) != m.changed for m in chat.messages)
            return changed or chat.reply_keyboard is not keyboard_sent

        with contextlib.suppress(ConnectionError, asyncio.CancelledError):
            while True:
                for message in sorted(chat.messages, key=lambda m: m.changed):
                    if sent.get(message.message_id) != message.changed:
                        sent[message.message_id] = message.changed
                        await _event(response, "message", message_view(message))
                if chat.reply_keyboard is not keyboard_sent:
                    keyboard_sent = chat.reply_keyboard
                    await _event(response, "keyboard", keyboard_view(chat.reply_keyboard))
                history.save(self.saved, chat)
                try:
                    await server.wait_for(pending, KEEP_ALIVE)
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
        return response

    async def send(self, request: web.Request) -> web.Response:
        text = str((await _json(request)).get("text", "")).strip()
        if text:
            await self.user.send(text[:4096])
        return web.json_response({"ok": True})

    async def press(self, request: web.Request) -> web.Response:
        body = await _json(request)
        message = self._message(body.get("message_id"))
        try:
            button = message.buttons[int(body["row"])][int(body["column"])]
        except (KeyError, IndexError, TypeError, ValueError):
            raise web.HTTPBadRequest(text="no such button") from None
        if "callback_data" in button:
            await self.user.press_data(button["callback_data"], message)
        return web.json_response({"ok": True})

    async def location(self, request: web.Request) -> web.Response:
        body = await _json(request)
        try:
            latitude, longitude = float(body["latitude"]), float(body["longitude"])
        except (KeyError, TypeError, ValueError):
            raise web.HTTPBadRequest(text="a latitude and a longitude, please") from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise web.HTTPBadRequest(text="that is not a place on Earth")
        await self.user.send_location(latitude, longitude)
        return web.json_response({"ok": True})

    async def file(self, request: web.Request) -> web.Response:
        message = self._message(request.match_info["message_id"])
        if message.file_bytes is None:
            raise web.HTTPNotFound(text="this file was sent before the chat was started again")
        name = Path(message.file_name or "file").name
        disposition = "inline" if message.kind == "photo" else "attachment"
        return web.Response(
            body=message.file_bytes,
            content_type=message.mime_type or "application/octet-stream",
            headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
        )

    def _message(self, message_id: object) -> SimMessage:
        for message in self.user.bot_messages():
            if str(message.message_id) == str(message_id):
                return message
        raise web.HTTPNotFound(text="no such message")


async def _json(request: web.Request) -> dict:
    if request.content_type != "application/json":  # a form from another site cannot be JSON
        raise web.HTTPUnsupportedMediaType(text="send JSON")
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="send JSON") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="send a JSON object")
    return body


async def _event(response: web.StreamResponse, kind: str, data: object) -> None:
    payload = json.dumps(data, ensure_ascii=False)
    await response.write(f"event: {kind}\ndata: {payload}\n\n".encode())


async def serve(db_path: str, language: str | None, port: int = 0) -> int:
    """Serve the chat until Ctrl-C; prints the address to open."""
    saved = history.path_for(db_path)
    async with Harness(db_path) as harness:
        user = harness.user(USER_ID, first_name="You", language_code=language)
        await history.resume_or_start(harness, user, saved)
        chat = WebChat(harness, user, saved)
        runner = web.AppRunner(chat.app(), access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", port)
        await site.start()
        chat.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        print(f"BackCare chat: open http://127.0.0.1:{chat.port}/ in your browser", flush=True)
        print("Ctrl-C stops it.", flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            history.save(saved, user.chat)
            await runner.cleanup()
    return 0
