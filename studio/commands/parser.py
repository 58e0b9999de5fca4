"""``studio``'s arguments: the parser of every command, each naming its function (studio/commands/*.py).

Every help text is a catalogue message: ``cli.help.COMMAND.about`` for a
command, ``cli.help.COMMAND.DEST`` for one of its arguments, ``cli.help.DEST``
when several commands share it. The help and the errors are said in the
reader's language (studio/arguments.py).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable

from studio.arguments import parser_in
from studio.commands import common, desk as desk_commands, devices, show, up as up_commands
from studio.commands.common import DEFAULT_RUNDOWN
from studio.i18n import FALLBACK, LANGUAGES, Msg
from studio.social.arguments import add_parser as add_social_parser, hour

SIGN_IN_HELP = Msg("cli.help.operator")


def parser(language: str = FALLBACK) -> argparse.ArgumentParser:
    parser = parser_in(language)(prog="studio", description=Msg("cli.help.about"))
    parser.add_argument("--config", type=Path, help=Msg("cli.help.config"))
    parser.add_argument("--store", help=Msg("cli.help.store"))  # a path or a URL: a Path would fold its //
    parser.add_argument(
        "--lang", choices=LANGUAGES, help=Msg("cli.help.lang")
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help=Msg("cli.help.run.about"))
    run.add_argument("rundown", nargs="?", type=Path, default=DEFAULT_RUNDOWN)
    run.add_argument("--rehearsal", action="store_true", help=Msg("cli.help.run.rehearsal"))
    day = run.add_mutually_exclusive_group()  # a plan of another day: asked on the console unless one is given
    day.add_argument("--on-today", action="store_true", help=Msg("cli.help.run.on_today"))
    day.add_argument("--as-planned", action="store_true", help=Msg("cli.help.run.as_planned"))
    run.add_argument("--start", type=start_time, metavar="HH:MM|plan", help=Msg("cli.help.run.start"))
    run.add_argument("--operator", help=SIGN_IN_HELP)
    run.set_defaults(handler=show.run)

    rehearse = commands.add_parser("rehearse", help=Msg("cli.help.rehearse.about"))
    rehearse.add_argument("rundown", nargs="?", type=Path, default=DEFAULT_RUNDOWN)
    rehearse.add_argument("--speed", type=float, help=Msg("cli.help.rehearse.speed"))  # None: 1, or a resumed one's
    rehearse.add_argument("--start", metavar="HH:MM", help=Msg("cli.help.rehearse.start"))
    taking = rehearse.add_mutually_exclusive_group()
    taking.add_argument("--auto", dest="auto", action="store_true", default=True, help=Msg("cli.help.rehearse.auto"))
    taking.add_argument("--manual", dest="auto", action="store_false", help=Msg("cli.help.rehearse.manual"))
    rehearse.add_argument("--no-obs", action="store_true", help=Msg("cli.help.rehearse.no_obs"))
    rehearse.add_argument("--youtube", choices=("unlisted",), help=Msg("cli.help.rehearse.youtube"))
    rehearse.add_argument("--store", dest="rehearsal_store", type=Path, metavar="PATH",
                          help=Msg("cli.help.rehearse.store"))
    rehearse.add_argument("--seed", type=int, help=Msg("cli.help.rehearse.seed"))  # None: 1, or a resumed one's
    rehearse.add_argument("--resume", action="store_true", help=Msg("cli.help.rehearse.resume"))
    rehearse.set_defaults(handler=show.rehearse)

    obs = commands.add_parser("obs", help=Msg("cli.help.obs.about"))
    obs_commands = obs.add_subparsers(dest="obs_command", required=True, metavar="ACTION")
    obs_setup = obs_commands.add_parser("setup", help=Msg("cli.help.obs.setup.about"))
    obs_setup.add_argument("rundown", type=Path)
    slate = obs_setup.add_mutually_exclusive_group()
    slate.add_argument("--slate", type=Path, metavar="PNG", help=Msg("cli.help.obs.setup.slate"))
    slate.add_argument("--text-slate", action="store_true", help=Msg("cli.help.obs.setup.text_slate"))
    obs_setup.set_defaults(handler=devices.obs_setup)
    obs_check = obs_commands.add_parser("check", help=Msg("cli.help.obs.check.about"))
    obs_check.add_argument("rundown", type=Path, nargs="?")
    obs_check.set_defaults(handler=devices.obs_check)

    preflight = commands.add_parser("preflight", help=Msg("cli.help.preflight.about"))
    preflight.add_argument("rundown", nargs="?", type=Path, default=DEFAULT_RUNDOWN)
    preflight.set_defaults(handler=devices.preflight)

    check = commands.add_parser("check", help=Msg("cli.help.check.about"))
    check.add_argument("rundown", nargs="?", type=Path, default=DEFAULT_RUNDOWN)
    check.set_defaults(handler=show.check)

    asrun = commands.add_parser("asrun", help=Msg("cli.help.asrun.about"))
    asrun_commands = asrun.add_subparsers(dest="asrun_command", required=True, metavar="ACTION")
    export = asrun_commands.add_parser("export", help=Msg("cli.help.asrun.export.about"))
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--out", type=Path, help=Msg("cli.help.out"))
    export.add_argument("--rundown", type=Path, default=DEFAULT_RUNDOWN, help=Msg("cli.help.asrun.export.rundown"))
    export.set_defaults(handler=show.asrun_export)

    prompter = commands.add_parser("prompter", help=Msg("cli.help.prompter.about"))
    prompter.add_argument("rundown", nargs="?", type=Path, default=DEFAULT_RUNDOWN)
    prompter.add_argument("--web", action="store_true", help=Msg("cli.help.prompter.web"))
    prompter.add_argument("--host", help=Msg("cli.help.prompter.host"))
    prompter.add_argument("--port", type=int, help=Msg("cli.help.prompter.port"))
    prompter.set_defaults(handler=show.prompter)

    serve = commands.add_parser("serve", help=Msg("cli.help.serve.about"))
    serve.add_argument("rundown", nargs="?", type=Path, default=DEFAULT_RUNDOWN)
    serve.add_argument("--host", help=Msg("cli.help.serve.host"))
    serve.add_argument("--port", type=int, help=Msg("cli.help.serve.port"))
    serve.add_argument("--operator", help=Msg("cli.help.serve.operator"))
    serve.set_defaults(handler=show.serve)

    up = commands.add_parser("up", help=Msg("cli.help.up.about"))
    up.add_argument("rundown", nargs="?", type=Path, default=DEFAULT_RUNDOWN)
    up.add_argument("--service", action="append", metavar="NAME", help=Msg("cli.help.up.service"))
    up.add_argument("--operator", help=Msg("cli.help.up.operator"))
    up.set_defaults(handler=up_commands.up)

    importing = commands.add_parser("import", help=Msg("cli.help.import.about"))
    importing.add_argument("file", type=Path, help=Msg("cli.help.import.file"))
    importing.add_argument("--mapping", type=Path, help=Msg("cli.help.import.mapping"))
    importing.add_argument("--rejects", type=Path, help=Msg("cli.help.rejects"))
    importing.add_argument("--operator", help=Msg("cli.help.import.operator"))
    importing.set_defaults(handler=desk_commands.import_reports)

    turnout = commands.add_parser("import-turnout", help=Msg("cli.help.import_turnout.about"))
    turnout.add_argument("file", type=Path, help=Msg("cli.help.import_turnout.file"))
    turnout.add_argument("--mapping", type=Path, help=Msg("cli.help.import_turnout.mapping"))
    turnout.add_argument("--date", metavar="YYYY-MM-DD", help=Msg("cli.help.import_turnout.date"))
    turnout.add_argument("--rundown", type=Path, help=Msg("cli.help.import_turnout.rundown"))
    turnout.add_argument("--operator", help=Msg("cli.help.import_turnout.operator"))
    turnout.add_argument("--rejects", type=Path, help=Msg("cli.help.rejects"))
    turnout.set_defaults(handler=desk_commands.import_turnout)

    results = commands.add_parser("import-results", help=Msg("cli.help.import_results.about"))
    results.add_argument("file", type=Path, help=Msg("cli.help.import_results.file"))
    results.add_argument("--mapping", type=Path, help=Msg("cli.help.import_results.mapping"))
    results.add_argument("--operator", help=Msg("cli.help.import_turnout.operator"))
    results.add_argument("--rejects", type=Path, help=Msg("cli.help.rejects"))
    results.set_defaults(handler=desk_commands.import_results)

    demo = commands.add_parser(
        "demo-data", help=Msg("cli.help.demo_data.about")
    )
    demo.add_argument("--data", type=Path, help=Msg("cli.help.demo_data.data"))
    demo.add_argument("--if-empty", action="store_true", help=Msg("cli.help.demo_data.if_empty"))
    demo.add_argument("--on-today", action="store_true", help=Msg("cli.help.demo_data.on_today"))
    demo.set_defaults(handler=desk_commands.demo_data)

    desk = commands.add_parser("desk", help=Msg("cli.help.desk.about"))
    desk.add_argument("--operator", help=SIGN_IN_HELP)
    desk.set_defaults(handler=desk_commands.desk_screens)

    intake = commands.add_parser("intake", help=Msg("cli.help.intake.about"))
    intake.add_argument("--host", help=Msg("cli.help.intake.host"))
    intake.add_argument("--port", type=int, help=Msg("cli.help.intake.port"))
    intake.set_defaults(handler=desk_commands.intake)

    bot = commands.add_parser("bot", help=Msg("cli.help.bot.about"))
    bot.set_defaults(handler=desk_commands.bot)

    # issue 21 part 3: `studio social` renders an hour's cards, `studio social publish` posts them
    social = add_social_parser(commands)
    social_actions = social.add_subparsers(dest="social_command", required=False, metavar="ACTION")
    publish = social_actions.add_parser("publish", help=Msg("cli.help.social.publish.about"))
    publish.add_argument("--telegram", action="store_true", help=Msg("cli.help.social.publish.telegram"))
    publish.add_argument("--out", type=Path, help=Msg("cli.help.social.publish.out"))
    publish.add_argument("--hour", type=hour, metavar="HH", help=Msg("cli.help.social.publish.hour"))
    publish.add_argument("--watch", action="store_true", help=Msg("cli.help.social.publish.watch"))
    settled = publish.add_mutually_exclusive_group()
    settled.add_argument("--was-sent", nargs=2, metavar=("CARD", "MESSAGE"), help=Msg("cli.help.social.publish.was_sent"))
    settled.add_argument("--not-sent", metavar="CARD", help=Msg("cli.help.social.publish.not_sent"))
    publish.set_defaults(handler=desk_commands.social_publish, rundown=None)  # publishing reads the folder, not a rundown

    observer_actions = _issuing(commands, "observers", desk_commands.observers)
    # the phone form's link (issue 20 part 2): printed by add, issued anew by link, as a QR code with --qr
    observer_actions.choices["add"].add_argument("--qr", action="store_true", help=Msg("cli.help.observers.qr"))
    link = observer_actions.add_parser("link", help=Msg("cli.help.observers.link.about"))
    link.add_argument("name", metavar="NAME")
    link.add_argument("--qr", action="store_true", help=Msg("cli.help.observers.qr"))
    _issuing(commands, "operators", desk_commands.operators)

    provenance = commands.add_parser("provenance", help=Msg("cli.help.provenance.about"))
    provenance_commands = provenance.add_subparsers(dest="provenance_command", required=True, metavar="ACTION")
    provenance_export = provenance_commands.add_parser("export", help=Msg("cli.help.provenance.export.about"))
    provenance_export.add_argument("--format", choices=("csv", "json"), default="csv")
    provenance_export.add_argument("--out", type=Path, help=Msg("cli.help.out"))
    provenance_export.add_argument("--all", action="store_true", help=Msg("cli.help.provenance.export.all"))
    provenance_export.set_defaults(handler=desk_commands.provenance)

    render = commands.add_parser("render", help=Msg("cli.help.render.about"))
    render.add_argument("template", help=Msg("cli.help.render.template"))
    render.add_argument("--data", type=Path, help=Msg("cli.help.render.data"))
    render.add_argument("--fact", metavar="ID", help=Msg("cli.help.render.fact"))
    render.add_argument("--out", type=Path, help=Msg("cli.help.render.out"))
    render.add_argument("--rundown", type=Path, default=DEFAULT_RUNDOWN, help=Msg("cli.help.render.rundown"))
    render.add_argument("--size", metavar="WxH", help=Msg("cli.help.render.size"))
    render.add_argument("--frames", type=Path, metavar="DIR", help=Msg("cli.help.render.frames"))
    render.add_argument("--video", action="store_true", help=Msg("cli.help.render.video"))
    render.set_defaults(handler=desk_commands.render)

    youtube = commands.add_parser("youtube", help=Msg("cli.help.youtube.about"))
    youtube_commands = youtube.add_subparsers(dest="youtube_command", required=True, metavar="ACTION")
    auth = youtube_commands.add_parser("auth", help=Msg("cli.help.youtube.auth.about"))
    auth.add_argument("--no-browser", action="store_true", help=Msg("cli.help.youtube.auth.no_browser"))
    auth.add_argument("--port", type=int, default=0, help=Msg("cli.help.youtube.auth.port"))
    for name in ("schedule", "golive", "end", "status", "chapters"):
        action = youtube_commands.add_parser(name, help=Msg(f"cli.help.youtube.{name}.about"))
        action.add_argument("rundown", nargs="?", type=Path, default=DEFAULT_RUNDOWN)
        if name in ("golive", "end"):
            action.add_argument("--yes", action="store_true", help=Msg("cli.help.youtube.yes"))
    youtube_commands.choices["schedule"].add_argument(
        "--new", action="store_true", help=Msg("cli.help.youtube.schedule.new")
    )
    youtube_commands.choices["chapters"].add_argument(
        "--dry-run", action="store_true", help=Msg("cli.help.youtube.chapters.dry_run")
    )
    youtube.set_defaults(handler=devices.youtube)

    from studio.fact_cli import add_parser as add_fact_parser

    add_fact_parser(commands, desk_commands.fact)

    from studio.commands.store import add_parser as add_store_parser

    add_store_parser(commands)

    locate = commands.add_parser("locate", help=Msg("cli.help.locate.about"))
    locate.set_defaults(handler=common.locate)
    return parser


def start_time(text: str):  # -> time | "plan"; argparse names a refused value "invalid value"
    from studio.rundown.today import parse_start

    return parse_start(text)


def _issuing(commands: Any, name: str, handler: Callable[..., int]) -> Any:
    """``studio NAME add NAME | revoke NAME | list``: credentials issued to names (observers, operators);
    their help is ``cli.help.NAME.about`` and ``cli.help.NAME.ACTION.about``. Returns the actions, for more."""
    parser = commands.add_parser(name, help=Msg(f"cli.help.{name}.about"))
    actions = parser.add_subparsers(dest=f"{name}_command", required=True, metavar="ACTION")
    for action in ("add", "revoke", "list"):
        added = actions.add_parser(action, help=Msg(f"cli.help.{name}.{action}.about"))
        if action != "list":
            added.add_argument("name", metavar="NAME")
    parser.set_defaults(handler=handler)
    return actions
