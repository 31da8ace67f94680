"""The `backcare` command: run, chat, content check, backup, stats."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
import traceback

from bot import ops
from bot.config import ConfigError, load_settings, redact
from bot.logs import setup_logging
from bot.problems import ContentError
from bot.runtime.startup import INTERRUPTED, StartupError
from storage.db import StorageError

log = logging.getLogger("bot")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="backcare", description="BackCare Telegram bot")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "run", help="serve Telegram by long polling, or by webhook with --webhook-url"
    )
    run.add_argument("--webhook-url", help="serve by webhook: the https URL Telegram posts to")
    run.add_argument("--listen", help="webhook: address to listen on (default 127.0.0.1)")
    run.add_argument("--port", type=int, help="webhook: port to listen on (default 8080)")
    run.add_argument(
        "--secret-token", help="webhook: secret Telegram must send (default: random per start)"
    )
    chat = sub.add_parser("chat", help="chat with the bot in this terminal (no token needed)")
    chat.add_argument("--language", default=None, help="your language code, e.g. en or es")
    chat.add_argument("--web", action="store_true", help="chat in a browser page instead")
    chat.add_argument("--port", type=int, default=0, help="--web: port (default: a free one)")
    content = sub.add_parser("content", help="work with content/")
    content_sub = content.add_subparsers(dest="content_command")
    check = content_sub.add_parser("check", help="validate content/, print every problem")
    check.add_argument("--dir", default=None, help="content directory (default: the shipped one)")
    words = content_sub.add_parser("words", help="word counts of every page, routine and lesson")
    words.add_argument("--language", default="en", help="language code (default: en)")
    backup = sub.add_parser("backup", help="copy the database safely, even while the bot runs")
    backup.add_argument("path", help="file to write, or a directory for a time-stamped file")
    sub.add_parser("stats", help="print how many people use the bot and what is stored")
    args = parser.parse_args(argv)

    try:
        if args.command == "run":
            return _run(args)
        if args.command == "chat":
            return _chat(args.language, web=args.web, port=args.port)
        if args.command == "content" and args.content_command == "words":
            return _content_words(args.language)
        if args.command == "content" and args.content_command == "check":
            return _content_check(args.dir)
        if args.command == "content":  # alone: what it can do
            content.print_help()
            return 0
        if args.command == "backup":
            return ops.backup_command(load_settings(writable_db=False), args.path)
        if args.command == "stats":
            return ops.stats_command(load_settings(writable_db=False))
    except ConfigError as exc:
        return _fail(str(exc), 2)
    except StorageError as exc:
        return _fail(f"BACKCARE_DB: {exc}", 2)
    except ContentError as exc:
        first = exc.problems[0] if exc.problems else "no content found"
        more = len(exc.problems) - 1
        also = f" and {more} more" if more > 0 else ""
        return _fail(f"content is invalid: {first}{also} (backcare content check lists them)", 2)
    except StartupError as exc:
        return _fail(str(exc), exc.status)
    except KeyboardInterrupt:
        return _fail("stopped", INTERRUPTED)
    except Exception:  # a bug: keep the traceback for the report, but never the token
        print(_scrub(traceback.format_exc()), file=sys.stderr, end="")
        return _fail("stopped on an unexpected error (the traceback above is for a bug report)", 1)
    return 2


def _fail(message: str, status: int) -> int:
    """One line on stderr; a token pasted into a setting is never echoed."""
    print(f"backcare: {_scrub(message)}", file=sys.stderr)
    return status


def _scrub(text: str) -> str:
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if len(token) >= 8:
        text = text.replace(token, "<token>")
    return redact(text)


def _run(args: argparse.Namespace) -> int:
    # Settings first: a missing or bad one is said at once, before the bot's second of imports.
    settings = load_settings(require_token=True)
    hook = _webhook(args)

    from telegram.error import TelegramError

    from bot.app import build_application
    from bot.chat.registry import services
    from bot.runtime import startup
    from bot.runtime.memory import tune_gc

    setup_logging(settings.log_level, settings.token)
    app = build_application(settings)
    try:
        startup.connect(app, settings)  # Telegram must accept the token first
    except BaseException:
        services(app).db.close()
        raise
    tune_gc()
    try:
        _serve(app, settings, hook)
    except OSError as exc:  # the webhook's port: taken, or not ours to use
        where = f"{hook.listen}:{hook.port}" if hook else "the network"
        raise StartupError(f"cannot listen on {where}: {exc.strerror or exc}", 1) from None
    except TelegramError as exc:  # after start-up: the bot has shut down already
        raise startup.explain(exc, settings) from None
    return 0


def _serve(app, settings, hook) -> None:
    from telegram import Update

    if hook is not None:
        log.info("serving a webhook on %s:%s/%s", hook.listen, hook.port, hook.url_path)
        # Telegram is told the URL and secret at start-up (setWebhook); requests
        # without the secret header are refused with 403.
        app.run_webhook(
            listen=hook.listen,
            port=hook.port,
            url_path=hook.url_path,
            webhook_url=hook.url,
            secret_token=hook.secret_token,
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
        )
        return
    log.info("starting long polling against %s", settings.api_base_url.split("//")[-1][:40])
    # run_polling stops cleanly on SIGINT/SIGTERM: in-flight updates finish,
    # then post_shutdown closes the database.
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)


def _webhook(args: argparse.Namespace):
    from bot.runtime.webhook import DEFAULT_LISTEN, DEFAULT_PORT, webhook_options

    if args.webhook_url is None:
        if args.listen or args.port or args.secret_token:
            raise ConfigError("--listen, --port and --secret-token need --webhook-url")
        return None
    return webhook_options(
        args.webhook_url,
        listen=args.listen or DEFAULT_LISTEN,
        port=args.port if args.port is not None else DEFAULT_PORT,
        secret=args.secret_token,
    )


def _chat(language: str | None, *, web: bool = False, port: int = 0) -> int:
    from bot import content as content_module
    from bot.sim import web as web_chat
    from bot.sim.terminal import chat

    settings = load_settings(require_token=False)
    level = settings.log_level if "BACKCARE_LOG_LEVEL" in os.environ else "WARNING"
    setup_logging(level, settings.token)
    content_module.load()  # fail early, before the terminal fills with output
    language = language or _terminal_language()
    if web:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(web_chat.serve(settings.db_path, language, port))
        return 0
    return asyncio.run(chat(settings.db_path, language))


def _terminal_language() -> str:
    lang = os.environ.get("LC_ALL") or os.environ.get("LANG") or "en"
    return lang.split(".")[0].split("_")[0] or "en"


def _content_check(directory: str | None) -> int:
    from pathlib import Path

    from bot import content as content_module

    _, problems = content_module.check(Path(directory) if directory else None)
    if problems:
        for problem in sorted(problems):
            print(problem)
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print("content OK")
    return 0


def _content_words(language: str) -> int:
    from bot import content as content_module
    from bot.library.words import Count, word_counts
    from bot.programme.load import word_count

    content = content_module.load()
    if language not in content.strings.languages:
        print(f"backcare: no locale {language!r}", file=sys.stderr)
        return 2
    counts = word_counts(content.library, content.strings, language)
    for lesson in content.programme.lessons:  # the plan's lessons: one screen each
        text = lesson.text(language)
        counts.append(Count("lesson", lesson.id, text.title, 1, word_count(text.body)))
    print(f"{'kind':<8} {'id':<20} {'screens':>7} {'words':>6}  title")
    for count in counts:
        print(f"{count.kind:<8} {count.id:<20} {count.screens:>7} {count.words:>6}  {count.title}")
    for kind in ("page", "routine", "lesson"):
        chosen = [c for c in counts if c.kind == kind]
        print(f"{len(chosen)} {kind}s, {sum(c.words for c in chosen)} words")
    return 0
