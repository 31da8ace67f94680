"""build_application(): wiring only. Behaviour lives in the feature packages (bot/features.py)."""

from __future__ import annotations

import logging
import time

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ContextTypes, Defaults

from bot import content as content_module
from bot.account.admin import report_error
from bot.chat.commands import register_commands
from bot.chat.overflow import slow_down
from bot.chat.registry import KEY, Clock, Services, services, system_clock
from bot.chat.turn import language_of
from bot.config import Settings
from bot.content import Content
from bot.features import register_all
from bot.logs import hide_update_data
from bot.runtime.polling import PollingRequest
from bot.runtime.processor import PerUserUpdateProcessor
from bot.runtime.ratelimit import PacedRateLimiter
from bot.runtime.request import UNREAD, RetryingRequest
from bot.runtime.webhook_server import HardenedUpdater
from storage import conversations
from storage.db import checkpoint, open_db

log = logging.getLogger(__name__)
API_TIMEOUT = 5.0  # seconds to wait for the Bot API before a call is tried again


def build_application(
    settings: Settings,
    *,
    content: Content | None = None,
    clock: Clock = system_clock,
    db=None,
    api_timeout: float = API_TIMEOUT,
    rate_limit: bool = True,
) -> Application:
    """The bot, ready to initialize; nothing touches the network until it starts."""
    if settings.token is None:
        raise ValueError("build_application needs a token")
    content = content or content_module.load()
    processor = PerUserUpdateProcessor()
    db = db if db is not None else open_db(settings.db_path)
    builder = (
        Application.builder()
        .token(settings.token)
        .base_url(settings.api_base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        # 5xx answers, timeouts and dropped connections are retried too (bot/runtime/request.py).
        .request(_request(256, api_timeout, unread=UNREAD))
        # Updates it cannot read are skipped, not fetched again forever (bot/runtime/polling.py).
        .get_updates_request(_polling_request(api_timeout))
        .concurrent_updates(processor)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if rate_limit:  # Telegram's limits; only drills about something else switch it off
        builder.rate_limiter(
            PacedRateLimiter()
        )  # no bursts, no 429 storms: bot/runtime/ratelimit.py
    app = builder.build()
    hide_update_data()  # python-telegram-bot would log an unreadable update in full
    processor.on_overflow = lambda update: app.create_task(slow_down(app, update), update=update)
    # The same Updater, serving webhooks with limits python-telegram-bot's lacks.
    app.updater = HardenedUpdater(app.bot, app.update_queue)
    app.bot_data[KEY] = Services(db=db, content=content, settings=settings, clock=clock)
    register_all(app)
    app.add_error_handler(on_error)
    return app


def _request(
    pool_size: int, timeout: float, unread: frozenset[str] = frozenset()
) -> RetryingRequest:
    return RetryingRequest(
        connection_pool_size=pool_size,
        unread=unread,
        read_timeout=timeout,
        write_timeout=timeout,
        connect_timeout=timeout,
    )


def _polling_request(timeout: float) -> PollingRequest:
    return PollingRequest(
        connection_pool_size=1,
        read_timeout=timeout,
        write_timeout=timeout,
        connect_timeout=timeout,
    )


async def _post_init(app: Application) -> None:
    await register_commands(app)
    if app.job_queue is not None:
        app.job_queue.run_repeating(purge_stale_conversations, interval=3600, first=60)


async def purge_stale_conversations(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Abandoned drafts (which may hold a typed note) do not outlive their day."""
    svc = services(context)
    dropped = conversations.purge_stale(svc.db, svc.now())
    if dropped:
        log.info("dropped %d abandoned conversations", dropped)
    # Finishes an erase whose WAL could not be truncated at once (a backup was reading).
    if not checkpoint(svc.db):
        log.warning("could not truncate the WAL: another connection is reading")


async def _post_shutdown(app: Application) -> None:
    services(app).db.close()
    log.info("database closed")


_last_error_reply: dict[int, float] = {}


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure (update id and traceback, never message text) and reassure the person."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error(
        "update %s failed: %s", update_id, type(context.error).__name__, exc_info=context.error
    )
    await report_error(update, context)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    chat = update.effective_chat
    if chat.type != "private":
        return
    # One apology per chat every few seconds, so a failing loop cannot spam anyone.
    now = time.monotonic()
    if now - _last_error_reply.get(chat.id, -1e9) < 5:
        return
    if len(_last_error_reply) > 10_000:
        _last_error_reply.clear()
    _last_error_reply[chat.id] = now
    svc = services(context)
    lang = language_of(svc, update.effective_user)
    try:
        await context.bot.send_message(chat.id, svc.content.strings.t(lang, "common.error"))
    except Exception as exc:  # the chat may be unreachable; never fail in the error handler
        log.warning("could not report the error to the chat: %s", type(exc).__name__)
