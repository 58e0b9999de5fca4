"""The show process and the commands that read or drive the show: ``studio run``, ``check``,
``asrun export``, ``prompter``, ``serve``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable

from studio.commands.common import (
    open_show_store,
    operator_on_screen,
    operator_signed_in,
    read_config,
    read_rundown,
    write_export,
)
from studio.language import diagnostics_language


def controller_for(
    args: argparse.Namespace,
    rundown_path: Path,
    origin: str,
    *,
    obs: bool = False,
    graphics: bool = False,
    acting: Callable[[argparse.Namespace, Any, Any], str] | None = None,
):
    """The config and the controller; the show process also gets the OBS switcher and graphics.

    ``acting(args, config, store_db)`` names who the controller acts as (the passphrase
    proves it, see studio/desk/operators.py) before the controller writes anything.
    """
    from studio.control import Controller

    config = read_config(args)
    rundown = read_rundown(rundown_path)
    store = open_show_store(args, config)
    operator = acting(args, config, store.db) if acting else config.station.operator or None
    switcher = None
    if obs:
        from studio.obs import ObsAdapter
        from studio.obs.cli import settings_from
        from studio.obs.switcher import ObsSwitcher

        switcher = ObsSwitcher(ObsAdapter(settings_from(config.obs)), rundown.segments)
    # Graphics are drawn for OBS's canvas as the switcher last read it (1920x1080 until OBS answers).
    canvas = (lambda: switcher.canvas) if switcher is not None else None
    controller = Controller(
        store,
        rundown,
        operator=operator,
        origin=origin,
        switcher=switcher,
        graphics=show_graphics(args, config, rundown, canvas) if graphics else None,
        turnout_hours=config.station.turnout_hours,
    )
    return config, controller


def show_graphics(args: argparse.Namespace, config, rundown, canvas=None):  # -> RendererGraphics
    """Graphics for the show process: the desk's verified facts through the gate, rendered off the UI's start,
    for ``canvas()`` (OBS's size) with the station's location bug."""
    from studio.onair import BugStyle, RendererGraphics
    from studio.paths import graphics_dir, store_file

    def renderer():  # -> Renderer, built on its own thread (Pillow and the templates take ~0.35 s)
        from studio.desk.views import GraphicsFacts
        from studio.graphics import Renderer, overlays_dir
        from studio.store.desk import open_desk

        facts = GraphicsFacts(open_desk(store_file(args.store, config.store.path)), rundown.show.date, rundown.show.zone)
        return Renderer(overlays_dir(), graphics_dir(config.graphics.out), facts, zone=rundown.show.zone)

    bug = BugStyle(live_word=config.graphics.live_word, clock=config.graphics.bug_clock)
    return RendererGraphics(factory=renderer, canvas=canvas, bug=bug)


def run(args: argparse.Namespace) -> int:
    config, controller = controller_for(
        args, args.rundown, "console", obs=not args.rehearsal, graphics=True, acting=operator_on_screen
    )
    from studio.tui.app import StudioApp  # textual is imported only for the console

    switcher = controller.switcher
    if switcher is None:
        StudioApp(controller, config, rundown_path=args.rundown).run()
        return 0
    from studio.paths import store_file
    from studio.tui.health import obs_publisher
    from studio.tui.widgets.youtube.watch import show_watch

    store_path = store_file(args.store, config.store.path)
    # What the show process sees of OBS goes to the store for the control API (GET /state).
    health = obs_publisher(store_path)
    # YouTube: the panel signs in (token from `studio youtube auth`) after the first paint, and watches.
    youtube = show_watch(config, store_path, controller.rundown, switcher, controller.clock, controller.operator)
    app = StudioApp(controller, config, rundown_path=args.rundown, obs=switcher, health=health, youtube=youtube)
    # The show process owns OBS: it connects (retrying until OBS is there) and
    # puts back on air what the store says is on air.
    switcher.start()
    try:
        controller.resume_air()
        app.run()
    finally:
        switcher.stop()
        health.close()
    return 0


def check(args: argparse.Namespace) -> int:
    from studio.rundown.plan_report import report

    print(report(read_rundown(args.rundown), diagnostics_language(args)), end="")
    return 0


def asrun_export(args: argparse.Namespace) -> int:
    from studio.asrun import export

    config, controller = controller_for(args, args.rundown, "cli")
    played = controller.asrun()
    text = export(played, controller.store.events(controller.show_id), config.station.zone, args.format)
    return write_export(args.out, text, f"the as-run log of {len(played)} segments and their graphics")


def prompter(args: argparse.Namespace) -> int:
    config, controller = controller_for(args, args.rundown, "prompter")  # no switcher: it only reads
    from studio.web.commands import prompter_command

    return prompter_command(args, config, controller)


def serve(args: argparse.Namespace) -> int:
    # Writes the store; the show process switches. The renderer is here: a graphic taken through the API
    # is rendered (through the fact gate) and recorded by this process, and the show process shows it.
    # The person who starts it signs in: every call through the API is logged as them (studio/web/api.py).
    config, controller = controller_for(args, args.rundown, "api", graphics=True, acting=operator_signed_in)
    from studio.web.commands import serve_command

    return serve_command(args, config, controller)
