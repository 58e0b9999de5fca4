"""The arguments of ``studio fact ...``: every desk action as a command (run by studio/desk/fact_command.py).

Kept apart from the command itself so that building studio's parser does not
import the desk. Ids are read as ``F105`` or ``105``, reports as ``R12`` or ``12``.
"""

from __future__ import annotations

import argparse
from typing import Any, Callable

from studio.i18n import Msg
from studio.regions import NATIONAL

# --- arguments ---------------------------------------------------------------------

REASON_HELP = Msg("cli.help.fact.reason")


def add_parser(commands: Any, handler: Callable[[argparse.Namespace], int]) -> None:
    """``studio fact`` and its subcommands, on the top-level parser's subparsers."""
    fact = commands.add_parser("fact", help=Msg("cli.help.fact.about"))
    actions = fact.add_subparsers(dest="fact_command", required=True, metavar="ACTION")

    def action(name: str, *, acts: bool = True, fact_id: bool = True) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=Msg(f"cli.help.fact.{name}.about"))
        if fact_id:
            parser.add_argument("id", metavar="ID", help=Msg("cli.help.fact.id"))
        if acts:
            parser.add_argument("--operator", help=Msg("cli.help.fact.operator"))
        return parser

    listing = action("list", acts=False, fact_id=False)
    listing.add_argument("--status", help=Msg("cli.help.fact.list.status"))
    listing.add_argument("--region", help=Msg("cli.help.fact.list.region", national=NATIONAL))
    listing.add_argument("--kind", help=Msg("cli.help.fact.kind"))
    listing.add_argument("--format", choices=("table", "json"), default="table")
    show = action("show", acts=False)
    show.add_argument("--format", choices=("table", "json"), default="table")

    create = action("create", fact_id=False)
    _content(create, required=True)
    create.add_argument("--from-group", type=int, metavar="G", help=Msg("cli.help.fact.create.from_group"))
    create.add_argument(
        "--source", type=int, action="append", default=[], metavar="S", help=Msg("cli.help.fact.create.source")
    )
    create.add_argument("--why", default="created", help=Msg("cli.help.fact.create.why"))
    edit = action("edit")
    _content(edit, required=False)
    edit.add_argument("--reason", required=True, help=REASON_HELP)

    source = action("source")
    where = source.add_mutually_exclusive_group(required=True)
    where.add_argument("--url")
    where.add_argument("--reference", help=Msg("cli.help.fact.source.reference"))
    source.add_argument("--type", help=Msg("cli.help.fact.source.type"))
    source.add_argument("--origin", help=Msg("cli.help.fact.source.origin"))
    source.add_argument("--published", metavar="TIME", help=Msg("cli.help.fact.source.published"))
    source.add_argument("--quotes", type=int, metavar="S", help=Msg("cli.help.fact.source.quotes"))

    for name in ("link", "unlink"):
        linking = action(name)
        linking.add_argument("reports", nargs="+", type=_report_id, metavar="REPORT")
        if name == "unlink":
            linking.add_argument("--reason", required=True, help=REASON_HELP)
    split = action("split", fact_id=False)
    split.add_argument("group", type=_report_id, metavar="G")
    split.add_argument("reports", nargs="+", type=_report_id, metavar="REPORT")
    split.add_argument("--reason", required=True, help=REASON_HELP)

    action("review")
    for name in ("verify", "false", "unproven"):
        verdict = action(name)
        verdict.add_argument("--reason", required=True, help=REASON_HELP)
        if name == "false":
            verdict.add_argument("--correction-kk", default="", help=Msg("cli.help.fact.false.correction_kk"))
            verdict.add_argument("--correction-ru", default="", help=Msg("cli.help.fact.false.correction_ru"))
    retract = action("retract")
    retract.add_argument("--reason", required=True, help=REASON_HELP)
    retract.add_argument("--correction-kk", required=True, help=Msg("cli.help.fact.retract.correction_kk"))
    retract.add_argument("--correction-ru", required=True, help=Msg("cli.help.fact.retract.correction_ru"))
    release = action("release", fact_id=False)
    release.add_argument("--as-of", required=True, metavar="TIME", help=Msg("cli.help.fact.release.as_of"))
    release.add_argument("--source", required=True, type=int, metavar="S", help=Msg("cli.help.fact.release.source"))
    release.add_argument("--reason", required=True, help=REASON_HELP)

    conflicts = action("conflicts", acts=False, fact_id=False)
    conflicts.add_argument("--all", action="store_true", help=Msg("cli.help.fact.conflicts.all"))
    settle = action("settle", fact_id=False)
    settle.add_argument("conflict", metavar="CONFLICT", help=Msg("cli.help.fact.conflict_id"))
    stands = settle.add_mutually_exclusive_group(required=True)
    stands.add_argument("--stands", metavar="ID", help=Msg("cli.help.fact.settle.stands"))
    stands.add_argument("--unproven", action="store_true", help=Msg("cli.help.fact.settle.unproven"))
    settle.add_argument("--reason", required=True, help=REASON_HELP)
    confirm = action("confirm", fact_id=False)
    confirm.add_argument("conflict", metavar="CONFLICT", help=Msg("cli.help.fact.conflict_id"))
    fact.set_defaults(handler=handler)


def _content(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--claim-kk", default=None, help=Msg("cli.help.fact.claim_kk"))
    parser.add_argument("--claim-ru", default=None, help=Msg("cli.help.fact.claim_ru"))
    parser.add_argument("--kind", required=required, help=Msg("cli.help.fact.kind"))
    parser.add_argument("--region", help=Msg("cli.help.fact.region", national=NATIONAL))
    parser.add_argument("--station", type=int, help=Msg("cli.help.fact.station"))
    parser.add_argument("--as-of", metavar="TIME", help=Msg("cli.help.fact.as_of"))
    parser.add_argument("--value", help=Msg("cli.help.fact.value"))


def _report_id(text: str) -> int:
    """A report or group id as shown (R12) or plain (12)."""
    number = text.strip().removeprefix("R").removeprefix("r")
    if not (number.isascii() and number.isdecimal()) or int(number) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a report id; write it like R12 or 12")
    return int(number)
