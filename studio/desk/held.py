"""Resolving the "needs a region" queue: a person names the unit of a spelling the gazetteer could not place.

Rows come to the queue from the report import, the intake and the turnout
import (studio/store/held.py keeps them). ``resolve`` takes one spelling key
and a unit, in one transaction:

1. checks the alias (``Gazetteer.refusal``): a spelling that already means
   another unit is refused with the reason, and so is the whole country for a
   report; a bare Almaty is never learned (it names both units), but its held
   rows are still resolved;
2. learns the spelling as an alias (who, when: the signed-in operator), so the
   imports, the intake and the desk place it from then on;
3. finishes every held row of that spelling through its own path: a report
   joins the desk (grouped like any other, its import or idempotency key
   recorded, so a later import of the same row adds nothing), a turnout row is
   imported by ``import_turnout`` itself (created, or corroborating an equal
   figure, or beside a different one as a disagreement);
4. records on each held row the unit, who, when and what it became.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from studio.desk import turnout
from studio.desk.gazetteer import Gazetteer
from studio.desk.grouping import GroupingOptions
from studio.desk.ids import fact_label, report_label
from studio.desk.importer import content_of
from studio.desk.official_mapping import TurnoutMapping
from studio.desk.outcome import digest, quarantine_rows, Rejected
from studio.desk.published import Unreadable
from studio.errors import Kind, StudioError
from studio.i18n import Msg
from studio.regions import NATIONAL
from studio.store.desk import DeskStore
from studio.store.held import Held


class HeldRefused(StudioError):
    """The desk cannot resolve a spelling so: the message says why."""

    kind = Kind.BAD_INPUT


@dataclass(frozen=True, slots=True)
class Resolved:
    rows: int  # held rows finished
    learned: bool  # the spelling is now an alias of the unit
    note: Msg | None = None  # why it was not learned, when it was not (a bare Almaty)
    outcomes: tuple[str, ...] = ()  # what each row became ("report R12", "fact F3", ...)


def resolve(
    store: DeskStore, spelling_key: str, region: str, *, by: str, at: datetime,
    grouping: GroupingOptions = GroupingOptions(),
) -> Resolved:
    """Name ``region`` as the unit of every open held row of ``spelling_key``; HeldRefused when it cannot be."""
    with store.write():
        rows = store.held(spelling_key=spelling_key)
        if not rows:  # another desk resolved it meanwhile
            return Resolved(0, False)
        if region == NATIONAL and any(row.path != "turnout" for row in rows):
            raise HeldRefused(Msg("held.refused.national", value=repr(rows[0].spelling)))
        refusal = store.gazetteer(national=True).refusal(rows[0].spelling, region)
        if refusal is not None and refusal.key != "gazetteer.refused.either":
            raise HeldRefused(refusal)
        learned = refusal is None and store.add_alias(spelling_key, region, rows[0].spelling, by=by, at=at)
        placing = Gazetteer({**store.aliases(), spelling_key: region}, national=True)
        outcomes = []
        for row in rows:
            outcome = _finish(store, row, region, placing, by=by, at=at, grouping=grouping)
            store.settle(row.id, region, outcome, by=by, at=at)
            outcomes.append(outcome)
    return Resolved(len(rows), learned, refusal, tuple(outcomes))


def _finish(
    store: DeskStore, row: Held, region: str, placing: Gazetteer, *, by: str, at: datetime, grouping: GroupingOptions,
) -> str:
    if row.path == "turnout":
        return _finish_turnout(store, row, placing, by=by, at=at)
    if row.path == "intake":
        record = [*row.row["row"][:3], region, *row.row["row"][4:]]
        keys = [(row.key, row.row["fingerprint"])] if row.row["idempotent"] else []
    else:
        record = [*row.row[:3], region, *row.row[4:]]
        content = digest(content_of(record))
        # The row's key as it was held, and as an import of the same row with its region known computes it.
        keys = [(row.key, content)] + ([("row:" + content, content)] if row.key.startswith("row:") else [])
    batch = store.begin_batch("reports", row.origin if row.path == "reports" else "intake: POST /reports", by=by,
                              at=at)
    report = store.add_reports([tuple(record)], batch=batch, grouping=grouping).ids[0]
    known = store.known_keys([key for key, _ in keys])
    store.add_keys([(key, "report", report, fingerprint) for key, fingerprint in keys if key not in known])
    return f"report {report_label(report)}"


def _finish_turnout(store: DeskStore, row: Held, placing: Gazetteer, *, by: str, at: datetime) -> str:
    """The held row imported by the turnout importer itself, at its own line of its own file, read by the
    mapping it came through (bare hours, decimal commas and bounds read as they were then)."""
    values = tuple(row.row["values"])
    mapping = TurnoutMapping.model_validate(row.row["mapping"])
    day = date.fromisoformat(row.row["day"]) if row.row["day"] else None
    try:
        key = turnout._parse(values, mapping, day, placing)[0]
    except (turnout._Bad, Unreadable) as bad:  # a row held for its region may be wrong otherwise too: quarantined
        batch = store.begin_batch("turnout", row.origin, by=by, at=at)
        store.add_quarantine(quarantine_rows(Path(row.origin), [Rejected(row.line, bad.reason, bad.hint, row.raw)]),
                             batch=batch)
        return f"rejected: {bad.reason}"
    text = io.StringIO()
    writer = csv.writer(text, delimiter=mapping.delimiter, lineterminator="\n")
    writer.writerow([getattr(mapping.columns, name) for name in turnout.FIELDS])
    text.write("\n" * (row.line - 2))  # blank lines: the row keeps its line number in the fact's provenance
    writer.writerow(["" if value is None else value for value in values])
    turnout.import_turnout(store, Path(row.origin), operator=by, mapping=mapping, day=day, now=lambda: at,
                           gazetteer=placing, rows_text=text.getvalue())
    found = store.known_keys([key]).get(key)
    return f"fact {fact_label(found[1])}" if found else "duplicate"
