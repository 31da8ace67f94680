"""Every button press, routed to its flow's handler by the flow in its callback data.

One handler, checked first, in place of a CallbackQueryHandler per flow: a press
then costs one pattern check and a dictionary lookup instead of a pass over every
command and flow handler before its own (benchmarks/throughput.py).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.chat import callbacks
from bot.chat.registry import services
from bot.chat.turn import begin, expired

PATTERN = rf"^{callbacks.VERSION}:"


async def route(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    data = update.callback_query.data if update.callback_query else None
    flow = data.split(":", 2)[1] if data else ""
    handler = services(context).registry.buttons.get(flow, stray_button)
    await handler(update, context)


def register(app: Application) -> None:
    """Before the capabilities register (they fill registry.buttons), so it comes first."""
    app.add_handler(CallbackQueryHandler(route, pattern=PATTERN))


async def stray_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press no feature claims: "this button has expired" and the current step."""
    turn = await begin(update, context)
    await expired(turn)
