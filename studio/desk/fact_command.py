"""``studio fact ...``: every desk action as a command, for scripts and the rehearsal's simulated desk.

Each action goes through the same store calls as the desk screen, so the
same rules (studio/desk/rules.py), the same audit and the same refusals
apply. Ids are read as ``F105`` or ``105`` (studio/desk/ids.py) and shown as
``F105``. Listings print as a table or, with ``--format json``, as JSON on
standard output; what a change did goes to standard error, and a new id to
standard output, so scripts can chain commands. A refusal is raised as a
``StudioError`` (``FactUsage``, the rules' ``RuleError``, the store's
``DeskError`` or ``ConflictError``), which studio/cli.py says in the caller's
language. The arguments are studio/fact_cli.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Callable
from zoneinfo import ZoneInfo

from studio.desk import rules
from studio.desk.arithmetic import notes
from studio.desk.gazetteer import Gazetteer
from studio.desk.ids import conflict_label, fact_label, parse_conflict_id, parse_fact_id, report_label
from studio.desk.model import Claim, Draft, Fact, Outcome, ReportKind, ReportRef, SourceKind, figure
from studio.desk.provenance import conflict_record
from studio.errors import Kind, StudioError
from studio.i18n import Msg
from studio.machine import utc_now
from studio.regions import regions
from studio.store.desk import NATIONAL, DeskStore

VERDICTS = {"verify": rules.Verify, "false": rules.MarkFalse, "unproven": rules.MarkUnproven}


class FactUsage(StudioError):
    """A ``studio fact`` command given wrongly; the message is a Msg."""

    kind = Kind.BAD_INPUT


# --- the command ---------------------------------------------------------------------


def fact_command(
    args: argparse.Namespace,
    desk: DeskStore,
    *,
    operator: Callable[[], str],
    zone: ZoneInfo,
    language: str,
    clock: Callable[[], datetime] = utc_now,
) -> int:
    """Run one ``studio fact`` action; raises a StudioError when it is refused.
    ``operator()`` says who acts, for the actions that change something."""
    act = args.fact_command
    if act == "list":
        kind = None if args.kind is None else _choice(ReportKind, args.kind, "--kind")
        listed = desk.listing(args.status, region=args.region, kind=kind)
        if args.format == "json":
            _print_json([_record(item.fact, item.status, zone) for item in listed])
        else:
            _print_table([_row(item.fact, item.status, zone, language) for item in listed], language)
        return 0
    if act == "split":
        group = desk.split(args.group, args.reports, by=operator(), at=clock(), why=args.reason)
        print(report_label(group))
        _said(Msg("fact.cli.split", reports=", ".join(report_label(r) for r in args.reports), group=report_label(group)), language)
        return 0
    if act == "create":
        return _create(args, desk, operator(), zone, language, clock())
    if act == "release":
        return _release(args, desk, operator(), zone, language, clock())
    if act in ("conflicts", "settle", "confirm"):
        return _conflicts(args, desk, operator, language, clock)
    fact = _fact(desk, args.id)
    if act == "show":
        if args.format == "json":
            _print_json(_record(fact, desk.listing_status(fact), zone) | {"history": _history(desk, fact)})
        else:
            print(_show(desk, fact, zone, language))
        return 0
    by, at = operator(), clock()
    if act == "source":
        return _source(args, desk, fact, zone, language, by, at)
    after = desk.change(fact.id, fact.version, _action(args, desk, fact, zone), by=by, at=at)
    _said(Msg("fact.cli.done", fact=fact_label(after.id), status=Msg(f"desk.status.{after.status.value}"),
              version=after.version), language)
    return 0


def _action(args: argparse.Namespace, desk: DeskStore, fact: Fact, zone: ZoneInfo) -> rules.Action:
    act = args.fact_command
    if act == "review":
        return rules.StartReview()
    if act in VERDICTS:
        if act == "false":
            return rules.MarkFalse(args.reason, Claim(args.correction_kk, args.correction_ru))
        return VERDICTS[act](args.reason)
    if act == "retract":
        return rules.Retract(Claim(args.correction_kk, args.correction_ru), args.reason)
    if act == "link":
        return rules.LinkReports(tuple(ReportRef(i, "") for i in args.reports))  # the store reads the reports
    if act == "unlink":
        return rules.UnlinkReports(tuple(args.reports), args.reason)
    changes = _changes(args, zone)
    if not changes:
        raise FactUsage(Msg("fact.cli.edit_nothing"))
    return rules.Edit(changes, args.reason)


def _changes(args: argparse.Namespace, zone: ZoneInfo) -> dict[str, Any]:
    """The content options given, as rules.Edit changes."""
    changes: dict[str, Any] = {}
    if args.claim_kk is not None or args.claim_ru is not None:
        changes["claim"] = {"kk": args.claim_kk or "", "ru": args.claim_ru or ""}
    if args.kind is not None:
        changes["kind"] = _choice(ReportKind, args.kind, "--kind")
    if args.region is not None:
        changes["region"] = _region(args.region)
    if args.station is not None:
        changes["station"] = args.station
    if args.as_of is not None:
        changes["as_of"] = _time(args.as_of, zone, "--as-of")
    if args.value is not None:
        changes["value"] = _figure(args.value)
    return changes


def _create(args: argparse.Namespace, desk: DeskStore, by: str, zone: ZoneInfo, language: str, at: datetime) -> int:
    content = rules.check_content({"claim": {"kk": "", "ru": ""}, "kind": args.kind} | _changes(args, zone))
    draft = Draft(**{name: content[name] for name in ("kind", "claim", "region", "station", "value", "as_of")})
    if args.from_group is not None:
        fact = desk.create_from_group(draft, args.from_group, by=by, at=at, source_ids=args.source, why=args.why)
    else:
        fact = desk.create_fact(draft, by=by, at=at, source_ids=args.source, why=args.why)
    print(fact_label(fact.id))
    _said(Msg("fact.cli.created", fact=fact_label(fact.id), reports=len(fact.reports)), language)
    return 0


def _source(args, desk: DeskStore, fact: Fact, zone: ZoneInfo, language: str, by: str, at: datetime) -> int:
    published = None if args.published is None else _time(args.published, zone, "--published")
    kind = None if args.type is None else _choice(SourceKind, args.type, "--type")
    with desk.write():
        source = desk.add_source(kind, args.url or args.reference, by=by, at=at, origin=args.origin or "",
                                 published_at=published, quotes=args.quotes)
        after = desk.attach_source(fact.id, fact.version, source.id, by=by, at=at)
    print(source.id)
    _said(Msg("fact.cli.source", source=source.id, kind=Msg(f"desk.source_kind.{source.kind.value}"),
              fact=fact_label(after.id), status=Msg(f"desk.status.{after.status.value}")), language)
    return 0


def _release(args: argparse.Namespace, desk: DeskStore, by: str, zone: ZoneInfo, language: str, at: datetime) -> int:
    as_of = _time(args.as_of, zone, "--as-of")
    found = desk.release(as_of, args.source)
    done = desk.verify_release([(f.id, f.version) for f in found], args.source, by=by, at=at, why=args.reason)
    _said(Msg("fact.cli.released", count=len(done), facts=", ".join(fact_label(f.id) for f in done)), language)
    return 0


def _conflicts(
    args: argparse.Namespace, desk: DeskStore, operator: Callable[[], str], language: str,
    clock: Callable[[], datetime],
) -> int:
    """``conflicts``: the open conflicts (``--all``: every one) as the provenance export records them, in JSON;
    ``settle``: propose how one is settled; ``confirm``: confirm another's proposal (four eyes)."""
    act = args.fact_command
    if act == "conflicts":
        _print_json([conflict_record(c, desk.conflict_log(c.id)) for c in desk.conflicts(open_only=not args.all)])
        return 0
    conflict_id = parse_conflict_id(args.conflict)
    if act == "settle":
        stands = None if args.unproven else _fact(desk, args.stands).id
        outcome = Outcome.UNPROVEN if args.unproven else Outcome.CHOSEN
        desk.propose_settlement(conflict_id, outcome, stands, why=args.reason, by=operator(), at=clock())
        _said(Msg("fact.cli.proposed", conflict=conflict_label(conflict_id)), language)
        return 0
    desk.confirm_settlement(conflict_id, by=operator(), at=clock())
    _said(Msg("fact.cli.settled", conflict=conflict_label(conflict_id)), language)
    return 0


def _choice(kind: type[StrEnum], text: str, option: str) -> Any:
    try:
        return kind(text.strip())
    except ValueError:
        raise FactUsage(Msg("fact.cli.bad_choice", option=option, given=repr(text),
                            choices=", ".join(member.value for member in kind))) from None


def _figure(text: str) -> Decimal | None:
    """``--value`` as the desk's form takes it (70,98 or 70.98); refused in the caller's language."""
    try:
        return figure(text)
    except ValueError:
        raise FactUsage(Msg("desk.form.bad_value", text=text.strip())) from None


_NAMES = Gazetteer(national=True)


def _region(text: str) -> str | None:
    """A region id or any name of studio/gazetteer.toml, or None for the whole country; refused in the
    caller's language when the gazetteer cannot place it with certainty."""
    found = _NAMES.match(text).region
    if found is None:
        raise FactUsage(Msg("desk.error.region", given=repr(text), national=NATIONAL))
    return None if found == NATIONAL else found


def _fact(desk: DeskStore, text: str) -> Fact:
    fact_id = parse_fact_id(text)
    fact = desk.get(fact_id)
    if fact is None:
        raise FactUsage(Msg("fact.cli.no_fact", fact=fact_label(fact_id)))
    return fact


def _time(text: str, zone: ZoneInfo, option: str) -> datetime:
    """An instant given as ISO 8601; without an offset, local time of the station."""
    try:
        instant = datetime.fromisoformat(text.strip())
    except ValueError:
        raise FactUsage(Msg("fact.cli.bad_time", option=option, given=repr(text))) from None
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=zone)


def _said(message: Msg, language: str) -> None:
    print(message.render(language), file=sys.stderr)


# --- output ---------------------------------------------------------------------------------


def _record(fact: Fact, status: str, zone: ZoneInfo) -> dict[str, Any]:
    """A fact as JSON: the audit's snapshot with its id as shown and its listed status."""
    snapshot = fact.snapshot()
    return snapshot | {
        "id": fact_label(fact.id),
        "number": fact.id,
        "status": status,
        "as_of_local": None if fact.as_of is None else fact.as_of.astimezone(zone).isoformat(),
        "sources": [
            {"id": s.id, "kind": s.kind.value, "reference": s.reference, "origin": s.origin,
             "published_at": None if s.published_at is None else s.published_at.isoformat(),
             "quotes": None if s.quotes is None else s.quotes.id}
            for s in fact.sources
        ],
        "reports": [{"id": r.id, "observer": r.observer} for r in fact.reports],
    }


def _history(desk: DeskStore, fact: Fact) -> list[dict[str, Any]]:
    return [
        {"version": e.version, "at": e.at.isoformat(), "who": e.who, "action": e.action, "why": e.why}
        for e in desk.audit(fact.id)
    ]


def _row(fact: Fact, status: str, zone: ZoneInfo, language: str) -> list[str]:
    region = Msg("desk.national").render(language) if fact.region is None else regions()[fact.region].name(language)
    return [
        fact_label(fact.id),
        Msg(f"desk.status.{status}").render(language),
        Msg(f"desk.kind.{fact.kind.value}").render(language),
        region + ("" if fact.station is None else f" #{fact.station}"),
        "" if fact.as_of is None else f"{fact.as_of.astimezone(zone):%Y-%m-%d %H:%M}",
        "" if fact.value is None else str(fact.value),
        fact.claim.text(language),
    ]


def _print_table(rows: list[list[str]], language: str) -> None:
    header = [Msg(f"fact.cli.column.{name}").render(language)
              for name in ("id", "status", "kind", "region", "as_of", "value", "claim")]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header) - 1)]
    for row in (header, *rows):
        print("  ".join([cell.ljust(width) for cell, width in zip(row, widths)] + [row[-1]]).rstrip())


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _show(desk: DeskStore, fact: Fact, zone: ZoneInfo, language: str) -> str:
    row = _row(fact, desk.listing_status(fact), zone, language)
    lines = [" · ".join(cell for cell in row[:-1] if cell), f"  kk: {fact.claim.kk}", f"  ru: {fact.claim.ru}"]
    lines += [f"  {note.render(language)}" for note in notes(fact)]  # a bound is no figure; a check that failed
    if fact.correction.kk or fact.correction.ru:
        lines.append(Msg("desk.fact.correction", text=" / ".join(filter(None, (fact.correction.kk, fact.correction.ru)))).render(language))
    lines.append(Msg("desk.sources", count=len(fact.sources)).render(language))
    for s in fact.sources:
        quoted = "" if s.quotes is None else f" → #{s.quotes.id} ({s.quotes.origin})"
        lines.append(f"  #{s.id} {Msg(f'desk.source_kind.{s.kind.value}').render(language)} · {s.origin} · "
                     f"{s.reference}{quoted}")
    lines.append(Msg("desk.reports", count=len(fact.reports)).render(language))
    lines += [f"  R{r.id} {r.observer}" for r in fact.reports]
    lines.append(Msg("desk.history").render(language))
    lines += [
        f"  v{e.version} {e.at.astimezone(zone):%H:%M:%S} {e.who}: "
        f"{Msg(f'desk.action.{e.action}').render(language)} · {e.why}"
        for e in desk.audit(fact.id)
    ]
    return "\n".join(lines)
