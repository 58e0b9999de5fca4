"""The arguments of ``studio fact ...``: every desk action as a command (run by studio/desk/fact_command.py).

Kept apart from the command itself so that building studio's parser does not
import the desk. Ids are read as ``F105`` or ``105``, reports as ``R12`` or ``12``.
"""

from __future__ import annotations

import argparse
from typing import Any, Callable

from studio.regions import NATIONAL

# --- arguments ---------------------------------------------------------------------


def add_parser(commands: Any, handler: Callable[[argparse.Namespace], int]) -> None:
    """``studio fact`` and its subcommands, on the top-level parser's subparsers."""
    fact = commands.add_parser("fact", help="the desk's actions as commands: list, create, source, verdicts, release")
    actions = fact.add_subparsers(dest="fact_command", required=True, metavar="ACTION")

    def action(name: str, text: str, *, acts: bool = True, fact_id: bool = True) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=text)
        if fact_id:
            parser.add_argument("id", metavar="ID", help="the fact, as F105 or 105")
        if acts:
            parser.add_argument("--operator", help="who acts (four eyes: not the fact's author for a verdict)")
        return parser

    listing = action("list", "facts, filtered; statuses include conflict", acts=False, fact_id=False)
    listing.add_argument("--status", help="new, in_review, verified, false, unproven, retracted or conflict")
    listing.add_argument("--region", help=f"a region id of studio/regions.toml, or {NATIONAL}")
    listing.add_argument("--kind", help="turnout, violation, incident, queue or other")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    show = action("show", "one fact with its sources, reports and history", acts=False)
    show.add_argument("--format", choices=("table", "json"), default="table")

    create = action("create", "a new fact (new; `review` takes it into review)", fact_id=False)
    _content(create, required=True)
    create.add_argument("--from-group", type=int, metavar="G", help="link every report of group G as evidence")
    create.add_argument("--source", type=int, action="append", default=[], metavar="S", help="attach source S")
    create.add_argument("--why", default="created", help="the audit's note")
    edit = action("edit", "change what a fact says; a decided fact goes back to review")
    _content(edit, required=False)
    edit.add_argument("--reason", required=True)

    source = action("source", "add a source and attach it to the fact")
    where = source.add_mutually_exclusive_group(required=True)
    where.add_argument("--url")
    where.add_argument("--reference", help="a document or report number, when there is no URL")
    source.add_argument("--type", help="official (the commission's own), authority (another official body), "
                        "observer, media or social; default: from the URL (studio/desk/sources.toml)")
    source.add_argument("--origin", help="who stands behind it (default: the URL's site)")
    source.add_argument("--published", metavar="TIME", help="when it was published, e.g. 2026-03-15T10:05")
    source.add_argument("--quotes", type=int, metavar="S", help="a reprint: the source it quotes")

    for name, text in (("link", "link reports to the fact as evidence"), ("unlink", "unlink reports")):
        linking = action(name, text)
        linking.add_argument("reports", nargs="+", type=_report_id, metavar="REPORT")
        if name == "unlink":
            linking.add_argument("--reason", required=True)
    split = action("split", "split wrongly grouped reports out of group G into a group of their own", fact_id=False)
    split.add_argument("group", type=_report_id, metavar="G")
    split.add_argument("reports", nargs="+", type=_report_id, metavar="REPORT")
    split.add_argument("--reason", required=True)

    action("review", "take a new fact into review")
    for name, text in (("verify", "verified"), ("false", "found false"), ("unproven", "unproven")):
        verdict = action(name, f"the verdict: {text} (four eyes)")
        verdict.add_argument("--reason", required=True)
        if name == "false":
            verdict.add_argument("--correction-kk", default="", help="what is true, in Kazakh (debunk card)")
            verdict.add_argument("--correction-ru", default="", help="what is true, in Russian (debunk card)")
    retract = action("retract", "withdraw a verified fact, with the correction that goes on air")
    retract.add_argument("--reason", required=True)
    retract.add_argument("--correction-kk", required=True)
    retract.add_argument("--correction-ru", required=True)
    release = action("release", "verify an official release (the figures of one source at one time) as one act",
                     fact_id=False)
    release.add_argument("--as-of", required=True, metavar="TIME", help="the release's instant, e.g. 2026-03-15T10:00")
    release.add_argument("--source", required=True, type=int, metavar="S", help="the release's source")
    release.add_argument("--reason", required=True)
    fact.set_defaults(handler=handler)


def _content(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--claim-kk", default=None, help="the claim in Kazakh")
    parser.add_argument("--claim-ru", default=None, help="the claim in Russian")
    parser.add_argument("--kind", required=required, help="turnout, violation, incident, queue or other")
    parser.add_argument("--region", help=f"a region id of studio/regions.toml, or {NATIONAL} (the default)")
    parser.add_argument("--station", type=int, help="the polling station's number")
    parser.add_argument("--as-of", metavar="TIME", help="the instant a figure is about, e.g. 2026-03-15T18:00")
    parser.add_argument("--value", help="the figure exactly as published, e.g. 70.98")


def _report_id(text: str) -> int:
    """A report or group id as shown (R12) or plain (12)."""
    number = text.strip().removeprefix("R").removeprefix("r")
    if not (number.isascii() and number.isdecimal()) or int(number) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a report id; write it like R12 or 12")
    return int(number)
