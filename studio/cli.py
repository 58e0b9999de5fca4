"""The one entry point: ``studio [--config PATH] [--store PATH] COMMAND``.

Expected failures (a broken file, an unopenable store) print what is wrong
and what to do, and exit 2; never a traceback.

Errors are printed in the station's language (``diagnostics_language``):
``--lang``, else ``$STUDIO_LANG``, else the config's ``[station] language``,
read leniently so that a config with errors in it still names its language;
English when the config cannot be read at all or names no valid language.
The ``error:`` and ``hint:`` markers stay English for editors and scripts.
``--lang`` (or ``$STUDIO_LANG``) is also the language of every screen the
command opens: the console, the desk, the prompter.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from studio.diagnostics import DiagnosticsError
from studio.errors import StudioError, UsageError, report
from studio.arguments import language_asked, parser_in
from studio.i18n import FALLBACK, LANGUAGES, Msg
from studio.language import asked_language, diagnostics_language

DEFAULT_RUNDOWN = Path("rundowns/referendum-day.toml")
SIGN_IN_HELP = "who acts (default: [station] operator), proven by the passphrase in $STUDIO_OPERATOR_KEY or asked for"


class Quit(Exception):
    """The person left before the program started (at the sign-in screen): nothing to report."""


def _parser(language: str = FALLBACK) -> argparse.ArgumentParser:
    parser = parser_in(language)(prog="studio", description="Referendum-day production system.")
    parser.add_argument("--config", type=Path, help="config file (default: $STUDIO_CONFIG, ./config.toml)")
    parser.add_argument("--store", type=Path, help="SQLite store (default: $STUDIO_STORE, config, user data dir)")
    parser.add_argument(
        "--lang", choices=LANGUAGES, help="language of messages and screens (default: $STUDIO_LANG, [station] language)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="start the producer console")
    run.add_argument("rundown", nargs="?", type=Path, default=DEFAULT_RUNDOWN)
    run.add_argument("--rehearsal", action="store_true", help="no OBS: run the rundown on its own")
    run.add_argument("--operator", help=SIGN_IN_HELP)
    run.set_defaults(handler=_run)

    obs = commands.add_parser("obs", help="prepare and check OBS Studio for a rundown")
    obs_commands = obs.add_subparsers(dest="obs_command", required=True, metavar="ACTION")
    obs_setup = obs_commands.add_parser("setup", help="create in OBS what a rundown needs (safe to run again)")
    obs_setup.add_argument("rundown", type=Path)
    slate = obs_setup.add_mutually_exclusive_group()
    slate.add_argument("--slate", type=Path, metavar="PNG", help="picture for the fallback slate")
    slate.add_argument("--text-slate", action="store_true", help="no picture: OBS text on a colour")
    obs_setup.set_defaults(handler=_obs_setup)
    obs_check = obs_commands.add_parser("check", help="OBS versions, and what a rundown needs that OBS lacks")
    obs_check.add_argument("rundown", type=Path, nargs="?")
    obs_check.set_defaults(handler=_obs_check)

    check = commands.add_parser("check", help="validate a rundown and print its timed plan")
    check.add_argument("rundown", type=Path)
    check.set_defaults(handler=_check)

    asrun = commands.add_parser("asrun", help="the as-run log")
    asrun_commands = asrun.add_subparsers(dest="asrun_command", required=True, metavar="ACTION")
    export = asrun_commands.add_parser("export", help="export what was played and every graphic aired")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--out", type=Path, help="write here instead of standard output")
    export.add_argument("--rundown", type=Path, default=DEFAULT_RUNDOWN, help="the show's rundown file")
    export.set_defaults(handler=_asrun_export)

    prompter = commands.add_parser("prompter", help="the presenter's prompter: cue, next item, countdown")
    prompter.add_argument("rundown", nargs="?", type=Path, default=DEFAULT_RUNDOWN)
    prompter.add_argument("--web", action="store_true", help="serve it to a browser (tablet, prompter monitor)")
    prompter.add_argument("--host", help="with --web: address to listen on (default: [prompter] host, 127.0.0.1)")
    prompter.add_argument("--port", type=int, help="with --web: port (default: [prompter] port, 8766)")
    prompter.set_defaults(handler=_prompter)

    serve = commands.add_parser("serve", help="the HTTP control API (bearer token from $STUDIO_API_TOKEN)")
    serve.add_argument("rundown", nargs="?", type=Path, default=DEFAULT_RUNDOWN)
    serve.add_argument("--host", help="address to listen on (default: [api] host, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: [api] port, 8765)")
    serve.add_argument("--operator", help=SIGN_IN_HELP + "; every call through the API is logged as them")
    serve.set_defaults(handler=_serve)

    importing = commands.add_parser("import", help="import observer reports from a form's or chat bot's export")
    importing.add_argument("file", type=Path, help="the export: .csv, .json or .jsonl")
    importing.add_argument("--mapping", type=Path, help="TOML mapping of its columns (default: studio/desk/mapping.toml)")
    importing.add_argument("--rejects", type=Path, help="where rejected rows are written (default: FILE.rejects.csv)")
    importing.add_argument("--operator", help="who imports (default: [station] operator, else the login name)")
    importing.set_defaults(handler=_import)

    turnout = commands.add_parser("import-turnout", help="import the commission's turnout figures (arrive in review)")
    turnout.add_argument("file", type=Path, help="a CSV shaped like data/referendum-2026/referendum-2026-turnout.csv")
    turnout.add_argument("--operator", help=SIGN_IN_HELP + "; a second person verifies the figures")
    turnout.add_argument("--rejects", type=Path, help="where rejected rows are written (default: FILE.rejects.csv)")
    turnout.set_defaults(handler=_import_turnout)

    demo = commands.add_parser(
        "demo-data", help="load the sample day into the store: figures in review, reports, a fake, a correction"
    )
    demo.add_argument("--data", type=Path, help="the sample data folder (default: data/referendum-2026)")
    demo.add_argument("--if-empty", action="store_true", help="only into a store with no report and no fact yet")
    demo.set_defaults(handler=_demo_data)

    desk = commands.add_parser("desk", help="the verification desk: queue, verdicts (four eyes), audit")
    desk.add_argument("--operator", help=SIGN_IN_HELP)
    desk.set_defaults(handler=_desk_ui)

    intake = commands.add_parser("intake", help="the observers' report intake: POST /reports with a per-observer token")
    intake.add_argument("--host", help="address to listen on (default: [intake] host, 127.0.0.1)")
    intake.add_argument("--port", type=int, help="port (default: [intake] port, 8767)")
    intake.set_defaults(handler=_intake)

    _issuing(
        commands, "observers", _observers, "the intake's per-observer tokens",
        "issue a token for NAME (printed once; only its hash is kept)", "revoke NAME's token",
        "every token issued, working or revoked",
    )
    _issuing(
        commands, "operators", _operators, "the people who sign in (passphrases; four eyes means two people)",
        "a passphrase for NAME (printed once; only a slow hash is kept)", "revoke NAME's passphrase",
        "every operator added, working or revoked",
    )

    provenance = commands.add_parser("provenance", help="what aired, on whose word, checked by whom")
    provenance_commands = provenance.add_subparsers(dest="provenance_command", required=True, metavar="ACTION")
    provenance_export = provenance_commands.add_parser("export", help="facts with sources, verifier, history, times on air")
    provenance_export.add_argument("--format", choices=("csv", "json"), default="csv")
    provenance_export.add_argument("--out", type=Path, help="write here instead of standard output")
    provenance_export.add_argument("--all", action="store_true", help="every fact, aired or not, with its history")
    provenance_export.set_defaults(handler=_provenance)

    render = commands.add_parser("render", help="render one graphic to a PNG (facts: verified only)")
    render.add_argument("template", help="template name in overlays/ (e.g. lower-third) or a .toml path")
    render.add_argument("--data", type=Path, help="TOML or JSON file with the template's fields")
    render.add_argument("--fact", metavar="ID", help="a fact at the desk, as F105 or 105 (fact-card, debunk-card)")
    render.add_argument("--out", type=Path, help="PNG to write (default: NAME-HASH.png in the graphics folder, see locate)")
    render.add_argument("--rundown", type=Path, default=DEFAULT_RUNDOWN, help="the show whose day a turnout board reads")
    render.add_argument("--size", metavar="WxH", help="OBS's canvas to draw for, e.g. 1280x720 (default: the template's)")
    render.set_defaults(handler=_render)

    youtube = commands.add_parser("youtube", help="YouTube Live: sign in, schedule, go live, end, chapters")
    youtube_commands = youtube.add_subparsers(dest="youtube_command", required=True, metavar="ACTION")
    auth = youtube_commands.add_parser("auth", help="sign in with the channel's Google account (once)")
    auth.add_argument("--no-browser", action="store_true", help="print the address instead of opening a browser")
    auth.add_argument("--port", type=int, default=0, help="local port for Google's redirect (default: any free)")
    for name, text in (
        ("schedule", "create the show's broadcast and stream once, bind them (reused afterwards)"),
        ("golive", "OBS streams, YouTube receives, testing; then live after you confirm"),
        ("end", "complete the broadcast, then stop OBS streaming"),
        ("status", "broadcast, stream health and today's quota"),
        ("chapters", "write chapters from the as-run log into the video description"),
    ):
        action = youtube_commands.add_parser(name, help=text)
        action.add_argument("rundown", nargs="?", type=Path, default=DEFAULT_RUNDOWN)
        if name in ("golive", "end"):
            action.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    youtube_commands.choices["schedule"].add_argument(
        "--new", action="store_true", help="a new broadcast even if the show has one (the old one is forgotten)"
    )
    youtube_commands.choices["chapters"].add_argument(
        "--dry-run", action="store_true", help="print the description, do not write it"
    )
    youtube.set_defaults(handler=_youtube)

    from studio.fact_cli import add_parser as add_fact_parser

    add_fact_parser(commands, _fact)

    locate = commands.add_parser("locate", help="print where the config, the store and the rendered graphics are")
    locate.set_defaults(handler=_locate)
    return parser


def _issuing(commands: Any, name: str, handler: Callable[..., int], what: str, add: str, revoke: str, listing: str) -> None:
    """``studio NAME add NAME | revoke NAME | list``: credentials issued to names (observers, operators)."""
    parser = commands.add_parser(name, help=what)
    actions = parser.add_subparsers(dest=f"{name}_command", required=True, metavar="ACTION")
    for action, text in (("add", add), ("revoke", revoke)):
        actions.add_parser(action, help=text).add_argument("name", metavar="NAME")
    actions.add_parser("list", help=listing)
    parser.set_defaults(handler=handler)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _parser(diagnostics_language(language_asked(argv))).parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except DiagnosticsError as error:
        print(error.render(diagnostics_language(args)), file=sys.stderr)
        return 2
    except StudioError as error:
        return report(error, diagnostics_language(args), sys.stderr)
    except Quit:
        return 0
    except KeyboardInterrupt:
        return 130


def _config(args: argparse.Namespace):  # -> Config, imported lazily to keep `studio check` light
    from studio.config import load_config
    from studio.paths import config_file

    config = load_config(config_file(args.config))
    if (asked := asked_language(args)) is None:
        return config
    # The reader's language for this run: messages and every screen the command opens.
    return config.model_copy(update={"station": config.station.model_copy(update={"language": asked})})


def _open_store(args: argparse.Namespace, config):  # -> ShowStore
    from studio.paths import store_file
    from studio.store import open_store

    return open_store(store_file(args.store, config.store.path))


def _load(path: Path):
    from studio.rundown.load import load_rundown

    if not path.exists():
        raise UsageError(Msg("cli.error.no_rundown", path=str(path)))
    return load_rundown(path)


def _controller(
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
    from studio.show import Controller

    config = _config(args)
    rundown = _load(rundown_path)
    store = _open_store(args, config)
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
        graphics=_graphics(args, config, rundown, canvas) if graphics else None,
        turnout_hours=config.station.turnout_hours,
    )
    return config, controller


def _reader(args: argparse.Namespace, rundown_path: Path):
    """The config and a reader of the show (studio/show/view.py): it takes no lock and writes nothing to the show."""
    from studio.show import ShowReader

    config = _config(args)
    rundown = _load(rundown_path)
    return config, ShowReader(_open_store(args, config), rundown, turnout_hours=config.station.turnout_hours)


def _graphics(args: argparse.Namespace, config, rundown, canvas=None):  # -> RendererGraphics
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


def _operator(args: argparse.Namespace, config, db) -> str:
    """Who a command line acts as: ``--operator`` proven by $STUDIO_OPERATOR_KEY or a passphrase typed now."""
    from studio.desk.operators import operator_from_cli

    return operator_from_cli(args, db, config, language=diagnostics_language(args))


def _on_screen(args: argparse.Namespace, config, db) -> str:
    """Who a terminal program acts as: $STUDIO_OPERATOR_KEY, else its sign-in screen."""
    from studio.tui.signin import signed_in  # textual: only for the terminal programs

    who = signed_in(config, db, args.operator)
    if who is None:
        raise Quit()
    return who


def _run(args: argparse.Namespace) -> int:
    config, controller = _controller(
        args, args.rundown, "console", obs=not args.rehearsal, graphics=True, acting=_on_screen
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


def _obs_setup(args: argparse.Namespace) -> int:
    from studio.obs.cli import obs_setup_command  # obsws-python is imported only for OBS commands

    return obs_setup_command(args, _config(args), language=diagnostics_language(args))


def _obs_check(args: argparse.Namespace) -> int:
    from studio.obs.cli import obs_check_command

    return obs_check_command(args, _config(args), language=diagnostics_language(args))


def _check(args: argparse.Namespace) -> int:
    from studio.rundown.plan_report import report

    print(report(_load(args.rundown), diagnostics_language(args)), end="")
    return 0


def _asrun_export(args: argparse.Namespace) -> int:
    from studio.asrun import export

    config, show = _reader(args, args.rundown)
    played = show.asrun()
    text = export(played, show.store.events(show.show_id), config.station.zone, args.format)
    return _write_export(args.out, text, f"the as-run log of {len(played)} segments and their graphics")


def _write_export(out: Path | None, text: str, what: str) -> int:
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


def _prompter(args: argparse.Namespace) -> int:
    config, show = _reader(args, args.rundown)
    from studio.web.commands import prompter_command

    return prompter_command(args, config, show)


def _serve(args: argparse.Namespace) -> int:
    # Writes the store; the show process switches. The renderer is here: a graphic taken through the API
    # is rendered (through the fact gate) and recorded by this process, and the show process shows it.
    # The person who starts it signs in: every call through the API is logged as them (studio/web/api.py).
    config, controller = _controller(args, args.rundown, "api", graphics=True, acting=_operator)
    from studio.web.commands import serve_command

    return serve_command(args, config, controller)


def _youtube(args: argparse.Namespace) -> int:
    from studio.obs.errors import ObsError
    from studio.youtube.cli import auth_command, youtube_command  # google's client only for these commands

    try:
        if args.youtube_command == "auth":
            return auth_command(args, _config(args))
        config = _config(args)
        rundown = _load(args.rundown)

        def connect_obs():  # -> ObsAdapter: only the stream output is used, never the programme
            from studio.obs import ObsAdapter
            from studio.obs.cli import settings_from

            adapter = ObsAdapter(settings_from(config.obs))
            adapter.connect()
            return adapter

        return youtube_command(args, config, _open_store(args, config), rundown, connect_obs=connect_obs)
    except ObsError as error:
        raise UsageError(error.message) from None  # redacted in every language


def _desk(args: argparse.Namespace):  # -> (Config, DeskStore)
    from studio.paths import store_file
    from studio.store.desk import open_desk

    config = _config(args)
    return config, open_desk(store_file(args.store, config.store.path), config.desk.evidence_policy())


def _import(args: argparse.Namespace) -> int:
    from studio.machine import default_operator
    from studio.desk.importer import run

    config, desk = _desk(args)
    operator = args.operator or config.station.operator or default_operator()
    return run(
        desk, args.file, operator=operator, mapping=args.mapping, rejects=args.rejects,
        language=diagnostics_language(args),
    )


def _import_turnout(args: argparse.Namespace) -> int:
    from studio.desk.importer import run

    config, desk = _desk(args)
    return run(
        desk, args.file, operator=_operator(args, config, desk.db), turnout=True, rejects=args.rejects, language=diagnostics_language(args)
    )


def _demo_data(args: argparse.Namespace) -> int:
    from studio.desk.demo import demo_command

    _, desk = _desk(args)
    return demo_command(desk, args.data, if_empty=args.if_empty, language=diagnostics_language(args))


def _desk_ui(args: argparse.Namespace) -> int:
    config, desk = _desk(args)
    from studio.tui.desk.command import desk_command  # textual is imported only for the screens

    return desk_command(config, desk, _on_screen(args, config, desk.db))


def _intake(args: argparse.Namespace) -> int:
    from studio.web.intake import intake_command

    config, desk = _desk(args)
    return intake_command(args, config, desk)


def _observers(args: argparse.Namespace) -> int:
    from studio.desk.observers import observers_command

    config, desk = _desk(args)
    return observers_command(args, config, desk, language=diagnostics_language(args))


def _operators(args: argparse.Namespace) -> int:
    from studio.desk.operators import operators_command

    config, desk = _desk(args)
    return operators_command(args, config, desk.db, language=diagnostics_language(args))


def _provenance(args: argparse.Namespace) -> int:
    from studio.desk.provenance import records, render

    _, desk = _desk(args)
    found = records(desk, every_fact=args.all)
    return _write_export(args.out, render(found, args.format), f"{len(found)} facts")


def _fact(args: argparse.Namespace) -> int:
    from studio.desk.fact_command import fact_command

    config, desk = _desk(args)
    try:
        return fact_command(
            args, desk, operator=lambda: _operator(args, config, desk.db), zone=config.station.zone,
            language=diagnostics_language(args),
        )
    finally:
        desk.close()


def _render(args: argparse.Namespace) -> int:
    from studio.canvas import parse_size
    from studio.desk.ids import parse_fact_id
    from studio.desk.views import GraphicsFacts
    from studio.graphics.cli import render_command
    from studio.paths import graphics_dir

    config, desk = _desk(args)
    day = _load(args.rundown).show.date
    facts = GraphicsFacts(desk, day, config.station.zone)
    fact = None if args.fact is None else str(parse_fact_id(args.fact))  # F105 or 105, as the desk shows it
    try:
        size = None if args.size is None else parse_size(args.size)
    except ValueError as error:
        raise UsageError(error.args[0]) from None
    return render_command(
        args.template, args.data, fact, args.out, facts, graphics=graphics_dir(config.graphics.out),
        zone=config.station.zone, language=diagnostics_language(args), canvas=size,
    )


def _locate(args: argparse.Namespace) -> int:
    from studio.paths import config_file, graphics_dir, store_file

    config = _config(args)
    print(f"config:   {config_file(args.config) or '(none: defaults)'}")
    print(f"store:    {store_file(args.store, config.store.path)}")
    print(f"graphics: {graphics_dir(config.graphics.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
