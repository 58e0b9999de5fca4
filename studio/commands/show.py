"""The show process and the commands that read or drive the show: ``studio run``, ``check``,
``asrun export``, ``prompter``, ``serve``, ``rehearse``."""

from __future__ import annotations

import argparse
import gc
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from studio.commands.common import (
    Quit,
    operator_on_screen,
    operator_signed_in,
    read_config,
    read_rundown,
    store_path,
    write_export,
)
from studio.errors import UsageError
from studio.i18n import Msg
from studio.language import diagnostics_language
from studio.machine import utc_now
from studio.show.watch import SWITCH_INTERVAL


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
    # The console's start makes ~90k objects that live all day (modules, the plan, the screens); the collector would
    # walk them over and over before the first frame (~30 ms of it, bench/startup.py). StudioApp.on_ready turns it on.
    gc.disable()
    sys.setswitchinterval(SWITCH_INTERVAL)  # the show's I/O threads get the GIL back soon while the screen draws
    try:
        services, app = console(args)
        with services.running():
            app.run()
    finally:
        gc.enable()
    return 0


def console(args: argparse.Namespace, clock: Callable[[], datetime] = utc_now):  # -> (ShowServices, StudioApp)
    """The producer console as ``studio run`` starts it, on ``clock`` (tests give a still one).

    A plan of another day is first put on a clock: today's (a rehearsal, in its own store) or its
    own, as the flags say or else as the person answers (studio/show/on_today.py).
    """
    from studio.show.on_today import replan
    from studio.show.services import CONSOLE, REHEARSAL, build

    config = read_config(args)
    clock = _rehearsals_clock(args, config, wall=clock) or clock
    show = _on_whose_clock(args, config, read_rundown(args.rundown), clock)
    config = config.model_copy(
        update={"station": config.station.model_copy(update={"turnout_hours": list(show.turnout_hours)})}
    )
    shape = REHEARSAL if args.rehearsal else CONSOLE
    services = build(
        shape, config, show.rundown, show.store, sign_in=lambda db: operator_on_screen(args, config, db), clock=clock
    )
    replan(services.controller, show)
    from studio.tui.app import StudioApp  # textual is imported only for the console

    return services, StudioApp(services, config, rundown_path=args.rundown)


def _rehearsals_clock(args: argparse.Namespace, config, wall: Callable[[], datetime]) -> Callable[[], datetime] | None:
    """The store named is one `studio rehearse --manual` plays: the trainee's console lives on its day."""
    from studio.paths import store_file
    from studio.rehearsal.clock import following
    from studio.store import open_store

    path = store_file(args.store, config.store.path)
    # the rehearsal prints its console command with --store, always a SQLite file of its own
    if args.store is None or not isinstance(path, Path) or not path.exists():
        return None
    store = open_store(path)
    try:
        mark = store.rehearsal_mark()
    finally:
        store.close()
    return None if mark is None else following(mark, wall)


def _on_whose_clock(args: argparse.Namespace, config, rundown, clock: Callable[[], datetime]):  # -> on_today.Run
    """The plan as the console runs it: a plan of another day rehearsed on today's clock or run as planned."""
    from studio.show.on_today import AS_PLANNED, Asked, question, settle

    if args.as_planned and args.start is not None:
        raise UsageError(Msg("on_today.error.start_as_planned"))
    now = clock()
    known = question(rundown, store_path(args, config, rehearsal_on=now), now)
    if args.on_today or args.start is not None:
        asked: Asked | None = Asked(on_today=True, start=args.start)
    elif args.as_planned:
        asked = AS_PLANNED
    elif known.todays:
        asked = None
    else:
        from studio.tui.on_today import asked_on_console  # textual: only when there is a question

        asked = asked_on_console(config, known)
        if asked is None:
            raise Quit()
    return settle(rundown, asked, known, config.station.turnout_hours, store_path(args, config), clock())


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

    if args.speed is not None and not args.speed > 0:
        raise UsageError(Msg("rehearse.error.speed", given=f"{args.speed:g}"))
    if args.youtube and args.no_obs:  # YouTube gets OBS's stream
        raise UsageError(Msg("rehearse.error.youtube_no_obs"))
    try:
        start = None if args.start is None else time.fromisoformat(args.start)
    except ValueError:
        raise UsageError(Msg("rehearse.error.bad_start", given=args.start)) from None
    config = read_config(args)
    given = frozenset(name for name in ("speed", "seed", "start") if getattr(args, name) is not None)
    settings = Settings(
        rundown_path=args.rundown, speed=1.0 if args.speed is None else args.speed, start=start, auto=args.auto,
        obs=not args.no_obs,
        store=args.rehearsal_store or _rehearsal_file(args.store),  # $STUDIO_STORE is the show's own
        seed=1 if args.seed is None else args.seed, language=diagnostics_language(args),
        youtube=args.youtube is not None, resume=args.resume, given=given,
    )
    play(settings, config, read_rundown(args.rundown))
    return 0


def _rehearsal_file(given: str | None) -> Path | None:
    """The rehearsal's store named by --store: a SQLite file of its own (its lock, its report and recording
    beside it); a PostgreSQL URL is refused, as a rehearsal must never write a shared show's database."""
    from studio.store.location import is_url, shown

    if given is not None and is_url(given):
        raise UsageError(Msg("rehearse.error.store_url", url=shown(given)))
    return None if given is None else Path(given).expanduser()
