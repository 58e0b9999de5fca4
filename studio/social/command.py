"""``studio social publish --telegram [--out DIR] [--hour HH] [--watch]`` (wired in studio/commands/desk.py),
and ``--was-sent CARD MESSAGE`` / ``--not-sent CARD`` for a step a round could not confirm.

A round opens the channel (the bot's token from the environment, as ``studio bot`` reads it), runs the
publisher over every show's folder of the hour, and says one line per card that something happened to;
an error that stops the round is one line too. ``--watch`` runs a round every ``WATCH_SECONDS`` until
Ctrl+C, following the clock's hour unless ``--hour`` is given; an error waits for the next round.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from studio.errors import StudioError, UsageError, report
from studio.graphics.gate import FactSource
from studio.i18n import Msg
from studio.machine import utc_now
from studio.social.publish import Channel, ChannelError, Outcome, Publisher, problems, settle
from studio.social.sidecar import hour_folders
from studio.store.desk import DeskStore

WATCH_SECONDS = 5.0
"""Between two rounds of ``--watch``: a retraction reaches the channel within this and one round's time."""

OpenChannel = Callable[[], AbstractAsyncContextManager[Channel]]


async def one_round(
    open_channel: OpenChannel, desk: DeskStore, facts: FactSource, out: Path, *, zone: tzinfo, hour: int | None,
    now: Callable[[], datetime] = utc_now,
) -> list[Outcome]:
    """One round over the hour's folders; a ChannelError that stops it is the last outcome (card "")."""
    local = now().astimezone(zone)
    folders = hour_folders(out, local.date().isoformat(), local.hour if hour is None else hour)
    outcomes: list[Outcome] = []
    if not folders:
        return outcomes
    try:
        async with open_channel() as channel:
            publisher = Publisher(desk.db, facts, channel, now)
            for folder, key in folders:
                outcomes += await publisher.round(folder, key)
                if publisher.stopped:
                    break  # the channel itself failed: the next show's folder would meet it too
    except ChannelError as error:
        outcomes.append(Outcome("", error.message, problem=True))
    return outcomes


def publish_command(args: Any, config: Any, desk: DeskStore, *, language: str) -> int:
    from studio.desk.views import GraphicsFacts
    from studio.paths import social_dir
    from studio.telegram.channel import TelegramChannel  # python-telegram-bot: only for this command
    from studio.telegram.command import bot_token

    try:
        if not args.telegram:
            raise UsageError(Msg("social.error.no_network"))
        if not config.bot.channel:
            raise UsageError(Msg("social.error.no_channel"))
        if args.was_sent or args.not_sent:
            print(_settled(args, config.bot.channel, desk).render(language))
            return 0
        token = bot_token(config)
    except StudioError as error:
        return report(error, language, sys.stderr)
    out = args.out or social_dir()
    zone = config.station.zone
    facts = GraphicsFacts(desk, utc_now().astimezone(zone).date(), zone)

    def open_channel() -> TelegramChannel:
        return TelegramChannel(token, config.bot.channel, api_url=config.bot.api_url, file_url=config.bot.file_url)

    async def rounds() -> int:
        stop = asyncio.Event()
        if args.watch:
            loop = asyncio.get_running_loop()
            for number in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(number, stop.set)
            print(Msg("social.publish.watching", out=str(out)).render(language), file=sys.stderr)
        while True:
            try:
                outcomes = await one_round(open_channel, desk, facts, out, zone=zone, hour=args.hour)
            except StudioError as error:  # the store cannot be written (a full disk...): said, tried next round
                outcomes = [Outcome("", error.message, problem=True)]
            _say(outcomes, language, out, args.hour, zone, quiet=args.watch)
            if not args.watch:
                return 1 if problems(outcomes) else 0
            try:
                await asyncio.wait_for(stop.wait(), WATCH_SECONDS)
                return 0
            except TimeoutError:
                continue

    return asyncio.run(rounds())


def _settled(args: Any, chat: str, desk: DeskStore) -> Msg:
    """What a person saw in the channel, recorded: no request goes to Telegram."""
    if args.not_sent:
        return settle(desk.db, chat, args.not_sent, None, utc_now())
    card, message = args.was_sent
    if not message.isdigit():
        raise UsageError(Msg("social.settle.bad_message", message=repr(message)))
    return settle(desk.db, chat, card, int(message), utc_now())


def _say(outcomes: list[Outcome], language: str, out: Path, hour: int | None, zone: tzinfo, *, quiet: bool) -> None:
    for outcome in outcomes:
        text = outcome.said.render(language)
        stream = sys.stderr if outcome.problem else sys.stdout
        print(f"studio: {outcome.card}: {text}" if outcome.card else f"studio: error: {text}", file=stream, flush=True)
    if not outcomes and not quiet:
        shown = f"{utc_now().astimezone(zone).hour if hour is None else hour:02d}:00"
        print(Msg("social.publish.nothing", hour=shown, out=str(out)).render(language), file=sys.stderr)
