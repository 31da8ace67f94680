"""Logging that never shows the bot token or what people typed."""

from __future__ import annotations

import logging
import sys


class RedactToken(logging.Filter):
    """Last line of defence: scrub the token from any record that still carries it."""

    def __init__(self, token: str | None):
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg = message.replace(self.token, "<token>")
                record.args = None
            # Exception texts (an HTTP error quoting the URL) are formatted later,
            # from exc_info; format them now so the scrubbed text is what prints.
            if record.exc_info and not record.exc_text:
                record.exc_text = _FORMATTER.formatException(record.exc_info)
            if record.exc_text and self.token in record.exc_text:
                record.exc_text = record.exc_text.replace(self.token, "<token>")
            if record.stack_info and self.token in record.stack_info:
                record.stack_info = record.stack_info.replace(self.token, "<token>")
        return True


_FORMATTER = logging.Formatter()


class HideUpdateData(logging.Filter):
    """python-telegram-bot logs an update it cannot read in full, at CRITICAL, what the
    person typed included (on a webhook, every time Telegram tries it again). Polling
    skips such updates before that (bot/runtime/polling.py); this keeps the webhook's out too."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "Received data was" in record.msg:
            error = record.exc_info[1] if record.exc_info else None
            record.msg = "an update could not be read (%s); its content is not logged"
            record.args = (type(error).__name__ if error is not None else "unknown",)
            record.exc_info = None  # the exception's text may quote the update
            record.exc_text = None
        return True


# Where python-telegram-bot logs the updates it could not read.
UPDATE_LOGGERS = ("telegram.Bot", "telegram.ext.ExtBot", "telegram.ext.Updater")


def hide_update_data() -> None:
    for name in UPDATE_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, HideUpdateData) for f in logger.filters):
            logger.addFilter(HideUpdateData())


def setup_logging(level: str, token: str | None, stream=None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs request URLs, which contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # At DEBUG, python-telegram-bot logs request parameters and received updates,
    # i.e. what people typed (diary notes). Our own DEBUG logs never carry them.
    logging.getLogger("telegram").setLevel(max(logging.INFO, logging.getLevelName(level)))
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    hide_update_data()
