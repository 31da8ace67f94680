"""Run the Bot API stand-in on its own, to point a real `backcare run` at it.

    python -m bot.sim [--port 8081] [--faults 0.1] [--seed 1]

Prints the two settings the bot needs, then serves until Ctrl-C. Type a line
to send it as person 1001 (a number presses that button); the bot's replies
are printed as they arrive.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys

from bot.sim.client import SimUser
from bot.sim.faults import FaultPlan
from bot.sim.server import BotApiServer


async def serve(port: int, faults: float, seed: int) -> None:
    server = BotApiServer()
    await server.start(port)
    if faults:
        server.faults = FaultPlan(seed=seed, rate=faults)
    print(f"TELEGRAM_API_BASE_URL={server.base_url}")
    print(f"TELEGRAM_BOT_TOKEN={server.token}", flush=True)
    user = SimUser(server, 1001)
    loop = asyncio.get_running_loop()
    shown = 0
    try:
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:  # no terminal (or end of input): just keep serving
                await asyncio.Event().wait()
            text = line.rstrip("\n")
            labels = user.buttons()
            if text.isdigit() and 1 <= int(text) <= len(labels):
                await user.press(labels[int(text) - 1])
            elif text:
                await user.send(text)
            await asyncio.sleep(1.0)
            for message in user.bot_messages()[shown:]:
                print(f"bot: {message.plain or message.caption or '[' + message.kind + ']'}")
                for number, label in enumerate(message.button_labels(), start=1):
                    print(f"  {number}. {label}")
            shown = len(user.bot_messages())
            sys.stdout.flush()
    finally:
        await server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.sim", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--faults", type=float, default=0.0, help="share of calls to fail")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port, args.faults, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
