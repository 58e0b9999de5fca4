"""``studio bot``: run the observers' Telegram bot until interrupted (wired in studio/commands/desk.py)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from typing import Any

from studio.errors import StudioError, UsageError, report
from studio.i18n import Msg
from studio.store.desk import DeskStore
from studio.store.location import shown


def bot_token(config: Any) -> str:
    """The token from the environment variable ``[bot] token_env`` names; UsageError (naming the variable,
    never a value) when it is unset."""
    name = config.bot.token_env
    token = os.environ.get(name, "").strip()
    if not token:
        raise UsageError(Msg("bot.error.no_token", env=name))
    return token


def bot_command(config: Any, desk: DeskStore, *, language: str) -> int:
    from studio.telegram.bot import BotSettings, TelegramBot  # python-telegram-bot: only for this command

    try:
        bot = TelegramBot(desk, bot_token(config), BotSettings.of(config.bot), zone=config.station.zone)
    except StudioError as error:
        return report(error, language, sys.stderr)
    print(Msg("bot.running", store=shown(desk.location)).render(language), file=sys.stderr)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, stop.set)
        await bot.run(stop)

    try:
        asyncio.run(main())
    except StudioError as error:
        return report(error, language, sys.stderr)
    return 0
