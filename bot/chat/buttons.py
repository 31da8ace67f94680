"""The menu's buttons: every screen can offer Menu, and /start's menu offers Help."""

from __future__ import annotations

from bot.chat.callbacks import Flow

MENU = Flow("m", "menu")


def menu() -> str:
    return MENU.button("open")


def help() -> str:
    return MENU.button("help")
