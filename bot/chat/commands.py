"""The command menu Telegram shows beside the text box, per language and per person."""

from __future__ import annotations

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.ext import Application

from bot.chat.registry import Services, services


def command_list(svc: Services, lang: str) -> list[BotCommand]:
    strings = svc.content.strings
    return [BotCommand(c.name, strings.t(lang, c.description_key)) for c in svc.registry.commands]


async def register_commands(app: Application) -> None:
    """setMyCommands for every language, English also as the default."""
    svc = services(app)
    for lang in svc.content.strings.languages:
        commands = command_list(svc, lang)
        await app.bot.set_my_commands(commands, language_code=lang)
        if lang == "en":
            await app.bot.set_my_commands(commands)


async def register_chat_commands(bot: Bot, svc: Services, chat_id: int, lang: str) -> None:
    """The command menu in the language a person chose, whatever their phone is set to."""
    await bot.set_my_commands(command_list(svc, lang), scope=BotCommandScopeChat(chat_id))
