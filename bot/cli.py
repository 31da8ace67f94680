"""The `backcare` command: run, chat, content check."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys

from bot.config import ConfigError, load_settings
from bot.logs import setup_logging
from bot.problems import ContentError
from storage.db import StorageError

log = logging.getLogger("bot")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="backcare", description="BackCare Telegram bot")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="serve Telegram by long polling (needs TELEGRAM_BOT_TOKEN)")
    chat = sub.add_parser("chat", help="chat with the bot in this terminal (no token needed)")
    chat.add_argument("--language", default=None, help="your language code, e.g. en or es")
    content = sub.add_parser("content", help="work with content/")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    check = content_sub.add_parser("check", help="validate content/, print every problem")
    check.add_argument("--dir", default=None, help="content directory (default: the shipped one)")
    words = content_sub.add_parser("words", help="print the word count of every page and routine")
    words.add_argument("--language", default="en", help="language code (default: en)")
    args = parser.parse_args(argv)

    try:
        if args.command == "run":
            return _run()
        if args.command == "chat":
            return _chat(args.language)
        if args.command == "content" and args.content_command == "words":
            return _content_words(args.language)
        if args.command == "content":
            return _content_check(args.dir)
    except ConfigError as exc:
        print(f"backcare: {exc}", file=sys.stderr)
        return 2
    except StorageError as exc:
        print(f"backcare: BACKCARE_DB: {exc}", file=sys.stderr)
        return 2
    except ContentError as exc:
        print(f"backcare: content is invalid ({len(exc.problems)} problems):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    return 2


def _run() -> int:
    from telegram import Update

    from bot.app import build_application

    settings = load_settings(require_token=True)
    setup_logging(settings.log_level, settings.token)
    app = build_application(settings)
    log.info("starting long polling against %s", settings.api_base_url.split("//")[-1][:40])
    # run_polling stops cleanly on SIGINT/SIGTERM: in-flight updates finish,
    # then post_shutdown closes the database.
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    return 0


def _chat(language: str | None) -> int:
    from bot import content as content_module
    from bot.sim.terminal import chat

    settings = load_settings(require_token=False)
    level = settings.log_level if "BACKCARE_LOG_LEVEL" in os.environ else "WARNING"
    setup_logging(level, settings.token)
    content_module.load()  # fail early, before the terminal fills with output
    return asyncio.run(chat(settings.db_path, language or _terminal_language()))


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
    from bot.library.words import word_counts

    content = content_module.load()
    if language not in content.strings.languages:
        print(f"backcare: no locale {language!r}", file=sys.stderr)
        return 2
    counts = word_counts(content.library, content.strings, language)
    print(f"{'kind':<8} {'id':<20} {'screens':>7} {'words':>6}  title")
    for count in counts:
        print(f"{count.kind:<8} {count.id:<20} {count.screens:>7} {count.words:>6}  {count.title}")
    for kind in ("page", "routine"):
        chosen = [c for c in counts if c.kind == kind]
        print(f"{len(chosen)} {kind}s, {sum(c.words for c in chosen)} words")
    return 0
