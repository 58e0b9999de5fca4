"""The arguments of ``studio social`` (run by studio/social/run.py). Kept apart from the command so that
building studio's parser imports neither the desk nor the renderer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from studio.commands.common import DEFAULT_RUNDOWN
from studio.i18n import Msg


def hour(text: str) -> int:
    """``--hour`` of ``studio social`` and ``studio social publish``: a local hour of the show day, 0 to 23
    ("9", "09"); argparse refuses any other value in its own (translated) words, the same for both."""
    if text.strip().isdigit() and 0 <= int(text) <= 23:
        return int(text)
    raise ValueError(text)


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """``studio social`` on the top-level parser's subparsers; returned so ``publish`` can join it."""
    social = commands.add_parser("social", help=Msg("cli.help.social.about"))
    # An option, not a positional: a positional would take ``publish`` for a rundown file.
    social.add_argument("--rundown", type=Path, default=DEFAULT_RUNDOWN, help=Msg("cli.help.social.rundown"))
    social.add_argument("--out", type=Path, metavar="DIR", help=Msg("cli.help.social.out"))
    social.add_argument("--hour", type=hour, metavar="HH", help=Msg("cli.help.social.hour"))
    social.add_argument("--watch", action="store_true", help=Msg("cli.help.social.watch"))
    social.set_defaults(handler=social_cards)
    return social


def social_cards(args: argparse.Namespace) -> int:
    from studio.commands.common import open_desk_store, read_rundown
    from studio.language import diagnostics_language
    from studio.paths import social_dir
    from studio.social.run import SocialRun, social_command

    read_rundown(args.rundown)  # a missing or broken rundown is said before the store is opened
    _, desk = open_desk_store(args)
    try:
        run = SocialRun(args.rundown, desk, args.out or social_dir(), args.hour, diagnostics_language(args),
                        sys.stdout, sys.stderr)
        return social_command(run, watch=args.watch)
    finally:
        desk.close()
