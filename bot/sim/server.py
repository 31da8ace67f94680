"""The Bot API stand-in: a real aiohttp server on 127.0.0.1 speaking the Bot API.

It answers the methods python-telegram-bot uses, keeps every chat's messages,
and enforces the rules of real Telegram that catch bugs (text and caption
limits, HTML that Telegram would refuse, callback data size, edits that change
nothing or target unknown messages, chats the bot may not write to). Tests and
`backcare chat` drive it through `SimUser` (bot/sim/client.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.chat.telegram_html import HtmlError, to_plain, utf16_length
from bot.sim.faults import FaultPlan
from bot.sim.webhook import SECRET_PATTERN, WebhookSender, WebhookState

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200
CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
# Calls that show a person something: the reply to their last update (answerCallbackQuery
# only stops the spinner).
REPLY_METHODS = frozenset(
    {
        "sendmessage",
        "editmessagetext",
        "editmessagereplymarkup",
        "editmessagecaption",
        "sendphoto",
        "senddocument",
    }
)
BOT_ID = 7_000_000_001
BOT_USERNAME = "backcare_test_bot"
# Orders every change to any message (sent, edited, deleted), so a local chat can show
# them in the order they happened.
_CHANGES = itertools.count(1)


def next_change() -> int:
    return next(_CHANGES)


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


def bad_request(text: str) -> ApiError:
    return ApiError(400, f"Bad Request: {text}")


@dataclass
class SimMessage:
    """A message in a chat, as the stand-in remembers it."""

    chat_id: int
    message_id: int
    from_bot: bool
    date: int
    text: str | None = None  # raw text or caption as sent (HTML when parse_mode=HTML)
    plain: str | None = None  # what a person sees
    parse_mode: str | None = None
    caption: str | None = None
    reply_markup: dict | None = None
    kind: str = "text"  # text, photo, document, sticker, location, ...
    file_name: str | None = None
    file_bytes: bytes | None = None
    mime_type: str | None = None
    edits: int = 0
    deleted: bool = False
    extra: dict = field(default_factory=dict)
    changed: int = field(default_factory=next_change)

    @property
    def buttons(self) -> list[list[dict]]:
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            return self.reply_markup["inline_keyboard"]
        return []

    def button_labels(self) -> list[str]:
        return [button["text"] for row in self.buttons for button in row]


@dataclass
class SimChat:
    id: int
    type: str  # private, group, supergroup, channel
    title: str | None = None
    first_name: str | None = None
    started: bool = False  # a private chat exists once the user wrote to the bot
    blocked: bool = False
    messages: list[SimMessage] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    reply_keyboard: dict | None = None

    def as_json(self) -> dict:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.title:
            data["title"] = self.title
        if self.first_name:
            data["first_name"] = self.first_name
        return data


@dataclass
class CallRecord:
    method: str
    chat_id: int | None
    ok: bool
    error: str | None
    at: float  # time.monotonic()


class BotApiServer:
    """A Bot API server for one bot token, on a free port of 127.0.0.1."""

    def __init__(
        self,
        token: str = "123456:TEST-token-for-the-local-stand-in",
        *,
        send_rate_limit: float | None = None,
        max_poll_wait: float = 2.0,
    ):
        self.token = token
        # Telegram may answer a long poll early; doing so keeps a stopping bot's
        # shutdown short when it runs in another process.
        self.max_poll_wait = max_poll_wait
        self.send_rate_limit = send_rate_limit  # messages per second overall, None = unlimited
        self.chats: dict[int, SimChat] = {}
        self.updates: deque[dict] = deque()
        self.next_update_id = 1
        self.update_available_at: dict[int, float] = {}
        # update id -> when each reply to it arrived (time.monotonic()); a reply is a
        # REPLY_METHODS call to the chat whose newest update that is
        self.reply_at: dict[int, list[float]] = {}
        self._newest_update: dict[int, int] = {}  # chat id -> its newest update id
        self._reply_waiters: dict[int, tuple[Callable[[], bool], asyncio.Future[float]]] = {}
        self.callback_answers: dict[str, dict | None] = {}
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.chat_commands: dict[int, list[dict]] = {}  # scope "chat": one person's menu
        self.calls: list[CallRecord] = []
        self.rejections: list[CallRecord] = []
        self.webhook = WebhookState()
        self.before_request: Callable[[str], ApiError | None] | None = None
        self.faults: FaultPlan | None = None  # see bot/sim/faults.py
        # Awaited after a call is carried out and before it is answered.
        self.after_call: Callable[[str], Awaitable[None]] | None = None
        # chat id -> calls for that chat are carried out but answered only once it is set,
        # so a test can hold one person's handling still while others go on.
        self.holds: dict[int, asyncio.Event] = {}
        self.polls = 0
        self._message_ids: dict[int, itertools.count] = {}
        self._callback_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._changed = asyncio.Condition()
        self._send_times: deque[float] = deque()
        self._runner: web.AppRunner | None = None
        self._sender = WebhookSender(self.updates, self.webhook)
        self.port: int | None = None

    # ------------------------------------------------------------------ lifecycle
    async def start(self, port: int = 0) -> str:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._sender.start()
        return self.base_url

    async def stop(self) -> None:
        await self._sender.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """What to give python-telegram-bot as base_url (the token is appended)."""
        return f"http://127.0.0.1:{self.port}/bot"

    # ------------------------------------------------------------------ test side
    def chat(self, chat_id: int) -> SimChat:
        return self.chats[chat_id]

    def ensure_chat(self, chat_id: int, type_: str, **names: str | None) -> SimChat:
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = SimChat(id=chat_id, type=type_, **names)
            self.chats[chat_id] = chat
            self._message_ids[chat_id] = itertools.count(1)
        return chat

    def new_message_id(self, chat_id: int) -> int:
        return next(self._message_ids[chat_id])

    def restore(self, chat: SimChat, messages: list[SimMessage]) -> None:
        """Put back a chat's earlier messages (a local chat started again); new
        messages are numbered after them, as Telegram keeps a chat's history."""
        chat.messages = list(messages)
        newest = max((m.message_id for m in messages), default=0)
        self._message_ids[chat.id] = itertools.count(newest + 1)

    def push_update(self, payload: dict) -> int:
        """Queue an update (without update_id) for getUpdates or the webhook; returns its id."""
        update_id = self.next_update_id
        self.next_update_id += 1
        self.updates.append({"update_id": update_id, **payload})
        self.update_available_at[update_id] = time.monotonic()
        chat_id = _update_chat(payload)
        if chat_id is not None:
            self._newest_update[chat_id] = update_id
        self._new_update.set()
        self._sender.wakeup.set()
        return update_id

    async def wait_reply(
        self, update_id: int, until: Callable[[], bool] | None = None, timeout: float = 30.0
    ) -> float:
        """Wait for a reply to this update after which `until()` holds (any reply if None);
        returns when that reply arrived (time.monotonic()).

        Cheaper than `wait_for` with many people waiting at once: only replies to this
        update re-check the condition.
        """
        replies = self.reply_at.get(update_id)
        if replies and (until is None or until()):
            return replies[-1]
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._reply_waiters[update_id] = (until or _always, future)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._reply_waiters.pop(update_id, None)

    def _note_reply(self, method: str, chat_id: int | None) -> None:
        if method.lower() not in REPLY_METHODS or chat_id is None:
            return
        update_id = self._newest_update.get(chat_id)
        if update_id is None:
            return
        now = time.monotonic()
        self.reply_at.setdefault(update_id, []).append(now)
        waiter = self._reply_waiters.get(update_id)
        if waiter is not None and not waiter[1].done() and waiter[0]():
            waiter[1].set_result(now)

    @property
    def webhook_url(self) -> str | None:
        return self.webhook.url

    def wake_pollers(self) -> None:
        """End pending long polls now (so a stopping bot does not wait out the timeout)."""
        self._new_update.set()

    def new_callback_id(self) -> str:
        query_id = str(next(self._callback_ids))
        self.callback_answers[query_id] = None
        return query_id

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until `predicate()` is true, re-checked whenever the bot calls the API."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    # ------------------------------------------------------------------ HTTP
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _json({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        try:
            params = await self._params(request)
        except ConnectionError:  # the bot died while sending (the crash drill does that)
            return web.Response(status=400)
        chat_id = _maybe_int(params.get("chat_id"))
        fault = self.faults.pick(method, chat_id) if self.faults is not None else None
        if fault is not None and fault.kind == "drop" and not fault.applied:
            return _drop(request)
        try:
            if fault is not None and fault.kind in ("429", "500", "502"):
                raise _injected(fault.kind, self.faults)
            if self.before_request is not None:
                failure = self.before_request(method)
                if failure is not None:
                    raise failure
            handler = getattr(self, f"api_{method.lower()}", None)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            if method.lower() == "getupdates":
                result = await handler(params)
            else:
                result = handler(params)
        except ApiError as exc:
            record = CallRecord(method, chat_id, False, exc.description, time.monotonic())
            self.calls.append(record)
            # Rejections are the bot's mistakes; injected failures are not.
            injected = fault is not None and fault.kind in ("429", "500", "502")
            if exc.code != 429 and not injected:
                self.rejections.append(record)
            body: dict[str, Any] = {
                "ok": False,
                "error_code": exc.code,
                "description": exc.description,
            }
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
            await self._notify()
            return _json(body, exc.code)
        if method.lower() != "getupdates":
            self.calls.append(CallRecord(method, chat_id, True, None, time.monotonic()))
            self._note_reply(method, chat_id)
            await self._notify()
            if self.after_call is not None:  # e.g. the crash drill kills the bot right here
                await self.after_call(method)
            hold = self.holds.get(chat_id) if chat_id is not None else None
            if hold is not None:
                await hold.wait()
        if fault is not None and fault.kind == "slow":
            await asyncio.sleep(self.faults.slow_seconds)  # type: ignore[union-attr]
        elif fault is not None and fault.kind == "drop":
            return _drop(request)
        return _json({"ok": True, "result": result})

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            params.update({k: v for k, v in body.items()})
            return params
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if part.filename is not None:
                    params[part.name] = {
                        "filename": part.filename,
                        "content": bytes(await part.read()),
                        "mime": part.headers.get("Content-Type"),
                    }
                else:
                    params[part.name] = await part.text()
            return params
        if request.can_read_body:
            form = await request.post()
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
        return params

    async def _file(self, request: web.Request) -> web.Response:
        return web.Response(status=404)

    # ------------------------------------------------------------------ rules
    def _private_target(self, params: dict) -> SimChat:
        chat_id = _maybe_int(params.get("chat_id"))
        if chat_id is None:
            raise bad_request("chat_id is empty")
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if chat.type == "private":
            if chat.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if not chat.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return chat

    def _check_rate(self) -> None:
        if self.send_rate_limit is None:
            return
        now = time.monotonic()
        while self._send_times and self._send_times[0] <= now - 1.0:
            self._send_times.popleft()
        if len(self._send_times) >= self.send_rate_limit:
            raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        self._send_times.append(now)

    def _formatted(self, raw: str | None, parse_mode: str | None, limit: int, what: str) -> str:
        raw = raw or ""
        if parse_mode and parse_mode.upper() == "HTML":
            try:
                plain = to_plain(raw)
            except HtmlError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
        elif parse_mode:
            raise bad_request(f"unsupported parse_mode {parse_mode!r} in the stand-in")
        else:
            plain = raw
        if utf16_length(plain) > limit:
            raise bad_request(f"{what} is too long")
        return plain

    def _markup(self, params: dict) -> dict | None:
        raw = params.get("reply_markup")
        if raw is None or raw == "":
            return None
        try:
            markup = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            raise bad_request("can't parse reply keyboard markup JSON object") from None
        if not isinstance(markup, dict):
            raise bad_request("reply markup must be an object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list):
                raise bad_request("inline keyboard must be an array of arrays")
            if len(rows) > 100 or sum(len(r) for r in rows) > 100:
                raise bad_request("too many inline keyboard buttons")
            for row in rows:
                for button in row:
                    if not str(button.get("text", "")).strip():
                        raise bad_request("text buttons are unallowed in the inline keyboard")
                    if "callback_data" in button:
                        size = len(button["callback_data"].encode("utf-8"))
                        if not 1 <= size <= MAX_CALLBACK_DATA:
                            raise bad_request("BUTTON_DATA_INVALID")
                    elif not any(
                        k in button for k in ("url", "switch_inline_query", "web_app", "copy_text")
                    ):
                        raise bad_request('can\'t find field "callback_data"')
        return markup

    def _stored(self, params: dict) -> SimMessage:
        chat_id = _maybe_int(params.get("chat_id"))
        message_id = _maybe_int(params.get("message_id"))
        if chat_id is None or message_id is None:
            raise bad_request("message identifier is not specified")
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        for message in chat.messages:
            if message.message_id == message_id and not message.deleted:
                return message
        raise bad_request("message to edit not found")

    def _add(self, chat: SimChat, message: SimMessage) -> SimMessage:
        chat.messages.append(message)
        if message.reply_markup and "keyboard" in message.reply_markup:
            chat.reply_keyboard = message.reply_markup
        elif message.reply_markup and message.reply_markup.get("remove_keyboard"):
            chat.reply_keyboard = None
        return message

    def message_json(self, message: SimMessage) -> dict:
        chat = self.chats[message.chat_id]
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": chat.as_json(),
        }
        if message.from_bot:
            data["from"] = self.bot_user()
        if message.kind == "text":
            data["text"] = message.plain or ""
        elif message.kind == "photo":
            size = len(message.file_bytes or b"")
            data["photo"] = [
                {
                    "file_id": f"photo-{message.chat_id}-{message.message_id}",
                    "file_unique_id": f"p{message.message_id}",
                    "width": 1280,
                    "height": 720,
                    "file_size": size,
                }
            ]
        elif message.kind == "document":
            data["document"] = {
                "file_id": f"doc-{message.chat_id}-{message.message_id}",
                "file_unique_id": f"d{message.message_id}",
                "file_name": message.file_name,
                "mime_type": message.mime_type,
                "file_size": len(message.file_bytes or b""),
            }
        if message.caption is not None:
            data["caption"] = message.caption
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            data["reply_markup"] = message.reply_markup
        if message.edits:
            data["edit_date"] = message.date
        data.update(message.extra)
        return data

    def bot_user(self) -> dict:
        return {"id": BOT_ID, "is_bot": True, "first_name": "BackCare", "username": BOT_USERNAME}

    # ------------------------------------------------------------------ methods
    def api_getme(self, params: dict) -> dict:
        return {
            **self.bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def api_setwebhook(self, params: dict) -> bool:
        url = str(params.get("url") or "")
        if url and not re.match(r"^https?://[^/\s]+", url):
            raise bad_request("bad webhook: an HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not SECRET_PATTERN.match(str(secret)):
            raise bad_request("bad webhook: secret token contains unallowed characters")
        max_connections = _maybe_int(params.get("max_connections")) or 40
        if not 1 <= max_connections <= 100:
            raise bad_request("bad webhook: max_connections must be 1-100")
        self._drop_pending(params)
        self.webhook.url = url or None
        self.webhook.secret = str(secret) if secret is not None else None
        self.webhook.max_connections = max_connections
        self.webhook.allowed_updates = _json_param(params, "allowed_updates")
        self._sender.wakeup.set()
        self.wake_pollers()  # a long poll in progress ends, as on Telegram
        return True

    def api_deletewebhook(self, params: dict) -> bool:
        self._drop_pending(params)
        self.webhook.url = None
        self.webhook.secret = None
        return True

    def _drop_pending(self, params: dict) -> None:
        if _flag(params, "drop_pending_updates"):
            self.updates.clear()

    def api_close(self, params: dict) -> bool:
        return True

    def api_logout(self, params: dict) -> bool:
        return True

    def api_getwebhookinfo(self, params: dict) -> dict:
        info: dict[str, Any] = {
            "url": self.webhook.url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }
        if self.webhook.url:
            info["max_connections"] = self.webhook.max_connections
            if self.webhook.allowed_updates is not None:
                info["allowed_updates"] = self.webhook.allowed_updates
        if self.webhook.last_error_date is not None:
            info["last_error_date"] = self.webhook.last_error_date
            info["last_error_message"] = self.webhook.last_error_message
        return info

    def api_setmycommands(self, params: dict) -> bool:
        commands = _json_param(params, "commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("commands must be a list of at most 100")
        for command in commands:
            name = str(command.get("command", ""))
            if (
                not (1 <= len(name) <= 32)
                or not name.replace("_", "").isalnum()
                or name.lower() != name
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("command description must be 1-256 characters")
        scope = _json_param(params, "scope") or {"type": "default"}
        if scope.get("type") == "chat":
            chat_id = _maybe_int(scope.get("chat_id"))
            if chat_id not in self.chats:
                raise bad_request("chat not found")
            self.chat_commands[chat_id] = commands
            return True
        self.commands[(scope.get("type", "default"), params.get("language_code", ""))] = commands
        return True

    def api_deletemycommands(self, params: dict) -> bool:
        scope = _json_param(params, "scope") or {"type": "default"}
        if scope.get("type") == "chat":
            self.chat_commands.pop(_maybe_int(scope.get("chat_id")), None)
        else:
            self.commands.pop((scope.get("type", "default"), params.get("language_code", "")), None)
        return True

    def api_getmycommands(self, params: dict) -> list:
        scope = _json_param(params, "scope") or {"type": "default"}
        return self.commands.get(
            (scope.get("type", "default"), params.get("language_code", "")), []
        )

    async def api_getupdates(self, params: dict) -> list[dict]:
        self.polls += 1  # a bot in another process is up once it polls
        await self._notify()
        offset = _maybe_int(params.get("offset")) or 0
        timeout = min(float(params.get("timeout") or 0), self.max_poll_wait)
        limit = _maybe_int(params.get("limit")) or 100
        if self.webhook.url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        while self.updates and self.updates[0]["update_id"] < offset:
            self.updates.popleft()
        if not self.updates and timeout > 0:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        return list(itertools.islice(self.updates, 0, max(1, min(limit, 100))))

    def api_sendmessage(self, params: dict) -> dict:
        chat = self._private_target(params)
        self._check_rate()
        parse_mode = params.get("parse_mode")
        text = params.get("text")
        if not text or not str(text).strip():
            raise bad_request("message text is empty")
        plain = self._formatted(text, parse_mode, MAX_TEXT, "message")
        if not plain.strip():
            raise bad_request("message text is empty")
        message = SimMessage(
            chat_id=chat.id,
            message_id=self.new_message_id(chat.id),
            from_bot=True,
            date=int(time.time()),
            text=text,
            plain=plain,
            parse_mode=parse_mode,
            reply_markup=self._markup(params),
        )
        return self.message_json(self._add(chat, message))

    def api_editmessagetext(self, params: dict) -> dict:
        message = self._stored(params)
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        text = params.get("text")
        if not text:
            raise bad_request("message text is empty")
        parse_mode = params.get("parse_mode")
        plain = self._formatted(text, parse_mode, MAX_TEXT, "message")
        markup = self._markup(params)
        if plain == message.plain and text == message.text and markup == message.reply_markup:
            raise bad_request(
                "message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and "
                "reply markup of the message"
            )
        message.text, message.plain, message.parse_mode = text, plain, parse_mode
        message.reply_markup = markup
        message.edits += 1
        message.changed = next_change()
        return self.message_json(message)

    def api_editmessagereplymarkup(self, params: dict) -> dict:
        message = self._stored(params)
        markup = self._markup(params)
        if markup == message.reply_markup:
            raise bad_request(
                "message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and "
                "reply markup of the message"
            )
        message.reply_markup = markup
        message.edits += 1
        message.changed = next_change()
        return self.message_json(message)

    def api_editmessagecaption(self, params: dict) -> dict:
        message = self._stored(params)
        caption = params.get("caption") or ""
        plain = self._formatted(caption, params.get("parse_mode"), MAX_CAPTION, "caption")
        markup = self._markup(params)
        if plain == message.caption and markup == message.reply_markup:
            raise bad_request("message is not modified")
        message.caption, message.reply_markup = plain, markup
        message.text, message.parse_mode = caption, params.get("parse_mode")
        message.edits += 1
        message.changed = next_change()
        return self.message_json(message)

    def api_deletemessage(self, params: dict) -> bool:
        try:
            message = self._stored(params)
        except ApiError:
            raise bad_request("message to delete not found") from None
        message.deleted = True
        message.changed = next_change()
        return True

    def api_answercallbackquery(self, params: dict) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self.callback_answers or self.callback_answers[query_id] is not None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text") or ""
        if len(text) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        self.callback_answers[query_id] = {
            "text": text,
            "show_alert": _flag(params, "show_alert"),
        }
        return True

    def api_sendchataction(self, params: dict) -> bool:
        chat = self._private_target(params)
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        chat.actions.append(action)
        return True

    def _send_file(self, params: dict, field_name: str, kind: str) -> dict:
        chat = self._private_target(params)
        self._check_rate()
        upload = params.get(field_name)
        if isinstance(upload, str) and upload.startswith("attach://"):
            upload = params.get(upload[len("attach://") :])
        if not isinstance(upload, dict) or not upload.get("content"):
            raise bad_request(f"there is no {kind} in the request")
        caption = params.get("caption")
        plain = (
            self._formatted(caption, params.get("parse_mode"), MAX_CAPTION, "caption")
            if caption
            else None
        )
        message = SimMessage(
            chat_id=chat.id,
            message_id=self.new_message_id(chat.id),
            from_bot=True,
            date=int(time.time()),
            kind=kind,
            caption=plain,
            text=caption,  # the caption as sent, for a page that shows its formatting
            parse_mode=params.get("parse_mode"),
            reply_markup=self._markup(params),
            file_name=upload["filename"],
            file_bytes=upload["content"],
            mime_type=upload.get("mime"),
        )
        return self.message_json(self._add(chat, message))

    def api_sendphoto(self, params: dict) -> dict:
        return self._send_file(params, "photo", "photo")

    def api_senddocument(self, params: dict) -> dict:
        return self._send_file(params, "document", "document")


def _maybe_int(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


def _always() -> bool:
    return True


def _update_chat(payload: dict) -> int | None:
    """The chat an update comes from (a message's, or a pressed button's message's)."""
    for key in ("message", "edited_message", "channel_post"):
        if key in payload:
            return payload[key]["chat"]["id"]
    message = payload.get("callback_query", {}).get("message")
    return message["chat"]["id"] if message else None


def _flag(params: dict, name: str) -> bool:
    """A boolean parameter: JSON true in a JSON body, "true" in a form or query string."""
    return str(params.get(name, "")).lower() in ("true", "1")


def _json_param(params: dict, name: str) -> Any:
    raw = params.get(name)
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON") from None
    return raw


def _injected(kind: str, plan: FaultPlan | None) -> ApiError:
    if kind == "429":
        after = plan.retry_after if plan is not None else 1
        return ApiError(429, f"Too Many Requests: retry after {after}", retry_after=after)
    if kind == "502":
        return ApiError(502, "Bad Gateway")
    return ApiError(500, "Internal Server Error")


def _drop(request: web.Request) -> web.Response:
    """Close the connection without an answer (the response written after it goes nowhere)."""
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=204)


def _json(body: dict, status: int = 200) -> web.Response:
    return web.Response(
        text=json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )
