"""getUpdates answers python-telegram-bot can always read, however odd one update is.

python-telegram-bot reads a getUpdates answer as a whole: one update it cannot parse
(a field from a newer Bot API, a shape it does not expect) fails the batch, is logged in
full at CRITICAL (what the person typed included), and the same offset is fetched again,
forever: nobody is answered any more. Here each update is read on its own first; one that
fails is replaced by its bare update_id, which the bot sees as an update with nothing in
it (the Guard ignores it), so polling moves past it.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import Update

from bot.runtime.request import RetryingRequest

log = logging.getLogger(__name__)
_KIND = re.compile(r"^[a-z_]{1,40}$")  # a Bot API field name, never anything typed


def readable(update: Any) -> dict[str, Any] | None:
    """The update as it came if python-telegram-bot can read it, else its bare id (None
    without a usable id). Logs only the id, the kind and the exception's class, once."""
    update_id = update.get("update_id") if isinstance(update, dict) else None
    try:
        Update.de_json(update, None)
    except Exception as exc:
        kinds = [key for key in update if key != "update_id"] if isinstance(update, dict) else []
        kind = kinds[0] if kinds and _KIND.match(str(kinds[0])) else "unknown"
        if isinstance(update_id, int) and not isinstance(update_id, bool):
            log.warning(
                "update %d (%s) could not be read (%s); skipped",
                update_id,
                kind,
                type(exc).__name__,
            )
            return {"update_id": update_id}
        log.warning(
            "an update without an id (%s) could not be read (%s); skipped", kind, type(exc).__name__
        )
        return None
    return update


class PollingRequest(RetryingRequest):
    """The request getUpdates goes through.

    Reading every update twice (here, then in python-telegram-bot) would cost about
    140 us each, so a batch is checked only when python-telegram-bot failed to read it:
    it then asks for the same offset again, which it does after no other kind of answer.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._asked: Any = None  # the offset of the call being answered
        self._handed_over: tuple[Any] | None = None  # the offset of the last non-empty answer

    async def do_request(self, url: str, method: str, request_data=None, **kwargs: Any):
        self._asked = request_data.parameters.get("offset") if request_data else None
        return await super().do_request(url, method, request_data, **kwargs)

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:
        data = super().parse_json_payload(payload)
        result = data.get("result") if isinstance(data, dict) and data.get("ok") else None
        if not isinstance(result, list):
            return data
        if self._handed_over == (self._asked,):  # the same offset again: it was not read
            data["result"] = result = [u for u in map(readable, result) if u is not None]
        self._handed_over = (self._asked,) if result else None
        return data
