"""``studio``'s arguments: the parser of every command, each naming its function (studio/commands/*.py).

Help texts stay English: they are the reference the README quotes; errors in
the arguments are said in the reader's language (studio/arguments.py).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable

from studio.arguments import parser_in
from studio.commands import common, desk as desk_commands, devices, show, up as up_commands
from studio.i18n import FALLBACK, LANGUAGES

DEFAULT_RUNDOWN = Path("rundowns/referendum-day.toml")
SIGN_IN_HELP = "who acts (default: [station] operator), proven by the passphrase in $STUDIO_OPERATOR_KEY or asked for"


def parser(language: str = FALLBACK) -> argparse.ArgumentParser:
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
    run.set_defaults(handler=show.run)

    obs = commands.add_parser("obs", help="prepare and check OBS Studio for a rundown")
    obs_commands = obs.add_subparsers(dest="obs_command", required=True, metavar="ACTION")
    obs_setup = obs_commands.add_parser("setup", help="create in OBS what a rundown needs (safe to run again)")
    obs_setup.add_argument("rundown", type=Path)
    slate = obs_setup.add_mutually_exclusive_group()
    slate.add_argument("--slate", type=Path, metavar="PNG", help="picture for the fallback slate")
    slate.add_argument("--text-slate", action="store_true", help="no picture: OBS text on a colour")
    obs_setup.set_defaults(handler=devices.obs_setup)
    obs_check = obs_commands.add_parser("check", help="OBS versions, and what a rundown needs that OBS lacks")
    obs_check.add_argument("rundown", type=Path, nargs="?")
    obs_check.set_defaults(handler=devices.obs_check)

    check = commands.add_parser("check", help="validate a rundown and print its timed plan")
    check.add_argument("rundown", type=Path)
    check.set_defaults(handler=show.check)

    asrun = commands.add_parser("asrun", help="the as-run log")
    asrun_commands = asrun.add_subparsers(dest="asrun_command", required=True, metavar="ACTION")
    export = asrun_commands.add_parser("export", help="export what was played and every graphic aired")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--out", type=Path, help="write here instead of standard output")
    export.add_argument("--rundown", type=Path, default=DEFAULT_RUNDOWN, help="the show's rundown file")
    export.set_defaults(handler=show.asrun_export)

    prompter = commands.add_parser("prompter", help="the presenter's prompter: cue, next item, countdown")
    prompter.add_argument("rundown", nargs="?", type=Path, default=DEFAULT_RUNDOWN)
    prompter.add_argument("--web", action="store_true", help="serve it to a browser (tablet, prompter monitor)")
    prompter.add_argument("--host", help="with --web: address to listen on (default: [prompter] host, 127.0.0.1)")
    prompter.add_argument("--port", type=int, help="with --web: port (default: [prompter] port, 8766)")
    prompter.set_defaults(handler=show.prompter)

    serve = commands.add_parser("serve", help="the HTTP control API (bearer token from $STUDIO_API_TOKEN)")
    serve.add_argument("rundown", nargs="?", type=Path, default=DEFAULT_RUNDOWN)
    serve.add_argument("--host", help="address to listen on (default: [api] host, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: [api] port, 8765)")
    serve.add_argument("--operator", help=SIGN_IN_HELP + "; every call through the API is logged as them")
    serve.set_defaults(handler=show.serve)

    up = commands.add_parser(
        "up", help="the day's headless services in one supervised process: intake, control API, browser prompter"
    )
    up.add_argument("rundown", nargs="?", type=Path, default=DEFAULT_RUNDOWN)
    up.add_argument(
        "--service", action="append", metavar="NAME",
        help="run only this service (intake, api, prompter; again for more; default: [up] services, else all)",
    )
    up.add_argument("--operator", help=SIGN_IN_HELP + "; the control API acts as them")
    up.set_defaults(handler=up_commands.up)

    importing = commands.add_parser("import", help="import observer reports from a form's or chat bot's export")
    importing.add_argument("file", type=Path, help="the export: .csv, .json or .jsonl")
    importing.add_argument("--mapping", type=Path, help="TOML mapping of its columns (default: studio/desk/mapping.toml)")
    importing.add_argument("--rejects", type=Path, help="where rejected rows are written (default: FILE.rejects.csv)")
    importing.add_argument("--operator", help="who imports (default: [station] operator, else the login name)")
    importing.set_defaults(handler=desk_commands.import_reports)

    turnout = commands.add_parser("import-turnout", help="import the commission's turnout figures (arrive in review)")
    turnout.add_argument("file", type=Path, help="a CSV shaped like data/referendum-2026/referendum-2026-turnout.csv")
    turnout.add_argument("--operator", help=SIGN_IN_HELP + "; a second person verifies the figures")
    turnout.add_argument("--rejects", type=Path, help="where rejected rows are written (default: FILE.rejects.csv)")
    turnout.set_defaults(handler=desk_commands.import_turnout)

    demo = commands.add_parser(
        "demo-data", help="load the sample day into the store: figures in review, reports, a fake, a correction"
    )
    demo.add_argument("--data", type=Path, help="the sample data folder (default: data/referendum-2026)")
    demo.add_argument("--if-empty", action="store_true", help="only into a store with no report and no fact yet")
    demo.set_defaults(handler=desk_commands.demo_data)

    desk = commands.add_parser("desk", help="the verification desk: queue, verdicts (four eyes), audit")
    desk.add_argument("--operator", help=SIGN_IN_HELP)
    desk.set_defaults(handler=desk_commands.desk_screens)

    intake = commands.add_parser("intake", help="the observers' report intake: POST /reports with a per-observer token")
    intake.add_argument("--host", help="address to listen on (default: [intake] host, 127.0.0.1)")
    intake.add_argument("--port", type=int, help="port (default: [intake] port, 8767)")
    intake.set_defaults(handler=desk_commands.intake)

    _issuing(
        commands, "observers", desk_commands.observers, "the intake's per-observer tokens",
        "issue a token for NAME (printed once; only its hash is kept)", "revoke NAME's token",
        "every token issued, working or revoked",
    )
    _issuing(
        commands, "operators", desk_commands.operators, "the people who sign in (passphrases; four eyes means two people)",
        "a passphrase for NAME (printed once; only a slow hash is kept)", "revoke NAME's passphrase",
        "every operator added, working or revoked",
    )

    provenance = commands.add_parser("provenance", help="what aired, on whose word, checked by whom")
    provenance_commands = provenance.add_subparsers(dest="provenance_command", required=True, metavar="ACTION")
    provenance_export = provenance_commands.add_parser("export", help="facts with sources, verifier, history, times on air")
    provenance_export.add_argument("--format", choices=("csv", "json"), default="csv")
    provenance_export.add_argument("--out", type=Path, help="write here instead of standard output")
    provenance_export.add_argument("--all", action="store_true", help="every fact, aired or not, with its history")
    provenance_export.set_defaults(handler=desk_commands.provenance)

    render = commands.add_parser("render", help="render one graphic to a PNG (facts: verified only)")
    render.add_argument("template", help="template name in overlays/ (e.g. lower-third) or a .toml path")
    render.add_argument("--data", type=Path, help="TOML or JSON file with the template's fields")
    render.add_argument("--fact", metavar="ID", help="a fact at the desk, as F105 or 105 (fact-card, debunk-card)")
    render.add_argument("--out", type=Path, help="PNG to write (default: NAME-HASH.png in the graphics folder, see locate)")
    render.add_argument("--rundown", type=Path, default=DEFAULT_RUNDOWN, help="the show whose day a turnout board reads")
    render.add_argument("--size", metavar="WxH", help="OBS's canvas to draw for, e.g. 1280x720 (default: the template's)")
    render.set_defaults(handler=desk_commands.render)

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
    youtube.set_defaults(handler=devices.youtube)

    from studio.fact_cli import add_parser as add_fact_parser

    add_fact_parser(commands, desk_commands.fact)

    locate = commands.add_parser("locate", help="print where the config, the store and the rendered graphics are")
    locate.set_defaults(handler=common.locate)
    return parser


def _issuing(commands: Any, name: str, handler: Callable[..., int], what: str, add: str, revoke: str, listing: str) -> None:
    """``studio NAME add NAME | revoke NAME | list``: credentials issued to names (observers, operators)."""
    parser = commands.add_parser(name, help=what)
    actions = parser.add_subparsers(dest=f"{name}_command", required=True, metavar="ACTION")
    for action, text in (("add", add), ("revoke", revoke)):
        actions.add_parser(action, help=text).add_argument("name", metavar="NAME")
    actions.add_parser("list", help=listing)
    parser.set_defaults(handler=handler)
