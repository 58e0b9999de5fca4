"""What several commands share: the config in the reader's language, the stores, the rundown, who acts,
and where an export goes."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from studio.errors import UsageError
from studio.i18n import Msg
from studio.language import asked_language, diagnostics_language
from studio.machine import utc_now


class Quit(Exception):
    """The person left before the program started (at the sign-in screen): nothing to report."""


def read_config(args: argparse.Namespace):  # -> Config, imported lazily to keep `studio check` light
    from studio.config import load_config
    from studio.paths import config_file

    config = load_config(config_file(args.config))
    if (asked := asked_language(args)) is None:
        return config
    # The reader's language for this run: messages and every screen the command opens.
    return config.model_copy(update={"station": config.station.model_copy(update={"language": asked})})


def open_show_store(args: argparse.Namespace, config):  # -> ShowStore
    from studio.paths import store_file
    from studio.store import open_store

    return open_store(store_file(args.store, config.store.path))


def read_rundown(path: Path):
    from studio.rundown.load import load_rundown

    if not path.exists():
        raise UsageError(Msg("cli.error.no_rundown", path=str(path)))
    return load_rundown(path)


def open_desk_store(args: argparse.Namespace, *, rehearsal: bool = False):  # -> (Config, DeskStore)
    """The desk on the show's store, or with ``rehearsal`` on today's rehearsal store."""
    from studio.store.desk import open_desk

    config = read_config(args)
    path = store_path(args, config, rehearsal_on=utc_now() if rehearsal else None)
    return config, open_desk(path, config.desk.evidence_policy())


def store_path(args: argparse.Namespace, config, *, rehearsal_on: datetime | None = None) -> Path:
    """The show's store (--store, $STUDIO_STORE, config); with ``rehearsal_on``, the store beside it where
    the rehearsal on that day's clock (the station's day) keeps its show (studio/show/on_today.py)."""
    from studio.paths import rehearsal_store_file, store_file

    path = store_file(args.store, config.store.path)
    if rehearsal_on is None:
        return path
    return rehearsal_store_file(path, rehearsal_on.astimezone(config.station.zone).date())


def operator_signed_in(args: argparse.Namespace, config, db) -> str:
    """Who a command line acts as: ``--operator`` proven by $STUDIO_OPERATOR_KEY or a passphrase typed now."""
    from studio.desk.operators import operator_from_cli

    return operator_from_cli(args, db, config, language=diagnostics_language(args))


def operator_on_screen(args: argparse.Namespace, config, db) -> str:
    """Who a terminal program acts as: $STUDIO_OPERATOR_KEY, else its sign-in screen."""
    from studio.tui.signin import signed_in  # textual: only for the terminal programs

    who = signed_in(config, db, args.operator)
    if who is None:
        raise Quit()
    return who


def write_export(out: Path | None, text: str, what: str) -> int:
    """An export on standard output, or written to ``out`` (and said so on standard error)."""
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        out.write_text(text, "utf-8")
    except OSError as error:
        raise UsageError(Msg("cli.error.cannot_write", path=str(out), reason=str(error.strerror))) from None
    print(f"wrote {what} to {out}", file=sys.stderr)
    return 0


def locate(args: argparse.Namespace) -> int:
    from studio.paths import config_file, graphics_dir

    config = read_config(args)
    print(f"config:    {config_file(args.config) or '(none: defaults)'}")
    print(f"store:     {store_path(args, config)}")
    print(f"rehearsal: {store_path(args, config, rehearsal_on=utc_now())}")
    print(f"graphics:  {graphics_dir(config.graphics.out)}")
    return 0
