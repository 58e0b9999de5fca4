"""The show process and the commands that read or drive the show: ``studio run``, ``check``,
``asrun export``, ``prompter``, ``serve``, ``rehearse``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable

from studio.commands.common import (
    operator_on_screen,
    operator_signed_in,
    read_config,
    read_rundown,
    write_export,
)
from studio.errors import UsageError
from studio.i18n import Msg
from studio.language import diagnostics_language


def services_for(
    args: argparse.Namespace,
    rundown_path: Path,
    shape,  # studio.show.services.Shape
    *,
    acting: Callable[[argparse.Namespace, Any, Any], str] | None = None,
):  # -> (Config, ShowServices)
    """The config and this process's show, with the parts its ``shape`` names (studio/show/services.py).

    ``acting(args, config, store_db)`` names who the controller acts as (the passphrase
    proves it, see studio/desk/operators.py) before the controller writes anything.
    """
    from studio.paths import store_file
    from studio.show.services import build

    config = read_config(args)
    rundown = read_rundown(rundown_path)
    sign_in = (lambda db: acting(args, config, db)) if acting else None
    return config, build(shape, config, rundown, store_file(args.store, config.store.path), sign_in=sign_in)


def reader_for(args: argparse.Namespace, rundown_path: Path):  # -> (Config, ShowReader)
    """The config and a reader of the show (studio/show/view.py): it takes no lock and writes nothing."""
    from studio.paths import store_file
    from studio.show.services import reader

    config = read_config(args)
    return config, reader(config, read_rundown(rundown_path), store_file(args.store, config.store.path))


def run(args: argparse.Namespace) -> int:
    from studio.show.services import CONSOLE, REHEARSAL

    shape = REHEARSAL if args.rehearsal else CONSOLE
    config, services = services_for(args, args.rundown, shape, acting=operator_on_screen)
    from studio.tui.app import StudioApp  # textual is imported only for the console

    app = StudioApp(services, config, rundown_path=args.rundown)
    with services.running():
        app.run()
    return 0


def check(args: argparse.Namespace) -> int:
    from studio.rundown.plan_report import report

    print(report(read_rundown(args.rundown), diagnostics_language(args)), end="")
    return 0


def asrun_export(args: argparse.Namespace) -> int:
    from studio.asrun import export

    config, show = reader_for(args, args.rundown)
    played = show.asrun()
    text = export(played, show.store.events(show.show_id), config.station.zone, args.format)
    what = Msg("cli.export.asrun", count=len(played))
    return write_export(args.out, text, what, diagnostics_language(args))


def prompter(args: argparse.Namespace) -> int:
    config, show = reader_for(args, args.rundown)
    from studio.web.commands import prompter_command

    return prompter_command(args, config, show)


def serve(args: argparse.Namespace) -> int:
    # Writes the store; the show process switches. The renderer is here: a graphic taken through the API
    # is rendered (through the fact gate) and recorded by this process, and the show process shows it.
    # The person who starts it signs in: every call through the API is logged as them (studio/web/api.py).
    from studio.show.services import API

    config, services = services_for(args, args.rundown, API, acting=operator_signed_in)
    from studio.web.commands import serve_command

    return serve_command(args, config, services.controller)


def rehearse(args: argparse.Namespace) -> int:
    """``studio rehearse``: the day on a simulated clock, in a store of its own (studio/rehearsal/run.py)."""
    from datetime import time

    from studio.rehearsal.run import Settings, rehearse as play

    if not args.speed > 0:
        raise UsageError(Msg("rehearse.error.speed", given=f"{args.speed:g}"))
    try:
        start = None if args.start is None else time.fromisoformat(args.start)
    except ValueError:
        raise UsageError(Msg("rehearse.error.bad_start", given=args.start)) from None
    config = read_config(args)
    settings = Settings(
        rundown_path=args.rundown, speed=args.speed, start=start, auto=args.auto, obs=not args.no_obs,
        store=args.rehearsal_store or args.store,  # named on the command line; $STUDIO_STORE is the show's own
        seed=args.seed, language=diagnostics_language(args),
    )
    play(settings, config, read_rundown(args.rundown))
    return 0
