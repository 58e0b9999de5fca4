"""The as-run log for export: every segment played and every graphic aired, in the order they began.

One record a segment (when it played, how long, taken by whom) and one a
graphic that went on air (when it went on and off, why it came off, and its
provenance: template, file, fact ids, verifier, sources, as-of times). The
graphics come from the store's event log: ``graphic_on`` opens one;
``graphic_off`` of its template closes it, with the reason (take, clear,
panic, undo, end, withdrawn); a ``graphic_on`` of the same template while
it is on air replaces it (reason "replaced"); ``graphic_pulled``, logged
when the desk withdrew a fact on air, adds the gate's refusal as the note.
A graphic still on air has no off time. Times on air are what viewers could
see (``visible``): the slate going up over a dead feed ends them (reason
"slate"), and a retake, or the feed coming back, starts new ones.

Both formats have the same records in the same order (by start; a
segment before the graphics that went up with its take), each with a
``type``: ``segment`` or ``graphic``.

- JSON: a list of objects; a graphic's ``facts`` is a list of objects (id,
  status, verifier, sources, as_of, value) and its ``data`` an object.
- CSV: one header, the columns of ``FIELDS``; a column that does not apply
  to the row's type is empty; ``rehearsal`` is ``true`` or ``false``.

Every record says whether a rehearsal played it (``rehearsal``: `studio
rehearse`, never on air; migration 10 of studio/store/db.py marks the rows). Several facts: ``fact_ids``, ``verifier``,
  ``sources`` and ``as_of`` list distinct values in fact order, separated
  by "; "; ``data`` is the graphic's data as compact JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from studio.store import AsRunRow
from studio.store.show import COVER_ENDS, SLATE_OFF, SLATE_ON, EventRow

SEGMENT_FIELDS = (
    "segment_id",
    "kind",
    "region",
    "title_kk",
    "title_ru",
    "start_utc",
    "start_local",
    "end_utc",
    "end_local",
    "planned_s",
    "duration_s",
    "deviation_s",
    "taken_by",
    "origin",
    "note",
    "rehearsal",
)
GRAPHIC_FIELDS = ("template", "file", "off_reason", "fact_ids", "verifier", "sources", "as_of", "data")
FIELDS = ("type", *SEGMENT_FIELDS, *GRAPHIC_FIELDS)
SEPARATOR = "; "


@dataclass(slots=True)
class AiredGraphic:
    """One graphic's time on air, built from the event log."""

    template: str
    file: str
    segment_id: str | None
    on: datetime
    taken_by: str
    origin: str
    data: dict[str, Any]
    facts: list[dict[str, Any]]
    off: datetime | None = None
    off_reason: str = ""
    note: str = ""  # why it was pulled for a withdrawn fact, or that it replaces one that was
    rehearsal: bool = False  # taken in a rehearsal


ON, OFF = "graphic_on", "graphic_off"


def visible(events: Iterable[EventRow]) -> Iterator[EventRow]:
    """The events with the graphics' times on air cut to what viewers could see (the slate hides them).

    A ``slate_on`` ends every graphic up (a ``graphic_off``, reason "slate"); a ``graphic_on`` or
    ``graphic_off`` under the slate is held back; a ``slate_off`` (the segment's picture is back) puts
    every graphic still up on air again, as a new ``graphic_on`` at that instant (detail ``after_slate``).
    A take, an undo or the end lifts the cover with its segment. Every other event passes unchanged.
    """
    up: dict[str, EventRow] = {}  # template -> the graphic_on of the graphic the store has up
    covered = False
    for event in events:
        template = event.detail.get("template")
        if event.action in (SLATE_ON, SLATE_OFF):
            if covered != (event.action == SLATE_ON):
                covered = not covered
                yield from (_hidden(event, shown) if covered else _shown_again(event, shown) for shown in up.values())
            continue
        if event.action in COVER_ENDS:
            covered = False
        elif event.action == ON:
            up[template] = event
        elif event.action == OFF:
            up.pop(template, None)
        if not (covered and event.action in (ON, OFF)):
            yield event


def _hidden(slate: EventRow, shown: EventRow) -> EventRow:
    detail = {"template": shown.detail.get("template"), "file": shown.detail.get("file", ""), "reason": "slate"}
    return replace(slate, action=OFF, segment_id=shown.segment_id, detail=detail)


def _shown_again(slate: EventRow, shown: EventRow) -> EventRow:
    detail = {key: value for key, value in shown.detail.items() if key != "replaces_pulled"} | {"after_slate": True}
    return replace(shown, id=slate.id, at=slate.at, detail=detail)


def aired(events: Iterable[EventRow]) -> list[AiredGraphic]:
    """Every graphic that went on air, in the order it went on (see the module's docstring)."""
    found: list[AiredGraphic] = []
    on_air: dict[str, AiredGraphic] = {}
    for event in visible(events):
        template = event.detail.get("template")
        if event.action == ON:
            if template in on_air:
                _close(on_air.pop(template), event.at, "replaced")
            graphic = AiredGraphic(
                template=template, file=event.detail.get("file", ""), segment_id=event.segment_id, on=event.at,
                taken_by=event.who, origin=event.origin, data=dict(event.detail.get("data", {})),
                facts=list(event.detail.get("facts", ())),
                note=_note(event.detail), rehearsal=event.rehearsal,
            )
            found.append(graphic)
            on_air[template] = graphic
        elif event.action == OFF and template in on_air:
            _close(on_air.pop(template), event.at, event.detail.get("reason", ""))
        elif event.action == "graphic_pulled":
            # logged just after the graphic_off that took it off: the latest graphic of that template
            pulled = next((g for g in reversed(found) if g.template == template), None)
            if pulled is not None:
                pulled.note = " ".join(str(event.detail.get("reason", "")).split())
    return found


def _note(detail: dict[str, Any]) -> str:
    if "replaces_pulled" in detail:
        return "replaces a graphic pulled for a withdrawn fact"
    return "back on air: the segment's picture returned after the slate" if detail.get("after_slate") else ""


def _close(graphic: AiredGraphic, at: datetime, reason: str) -> None:
    graphic.off, graphic.off_reason = at, reason


def _times(start: datetime, end: datetime | None, zone: ZoneInfo) -> dict[str, object]:
    return {
        "start_utc": start.isoformat(),
        "start_local": start.astimezone(zone).isoformat(),
        "end_utc": end.isoformat() if end else "",
        "end_local": end.astimezone(zone).isoformat() if end else "",
        "duration_s": round((end - start).total_seconds(), 3) if end else "",
    }


def _segment(row: AsRunRow, zone: ZoneInfo) -> dict[str, object]:
    deviation = row.deviation
    return {
        "type": "segment",
        "segment_id": row.segment_id,
        "kind": row.kind,
        "region": row.region or "",
        "title_kk": row.title_kk,
        "title_ru": row.title_ru,
        **_times(row.started_at, row.ended_at, zone),
        "planned_s": int(row.planned.total_seconds()),
        "deviation_s": round(deviation.total_seconds(), 3) if deviation is not None else "",
        "taken_by": row.taken_by,
        "origin": row.origin,
        "note": row.note,
        "rehearsal": row.rehearsal,
    }


def _graphic(graphic: AiredGraphic, zone: ZoneInfo) -> dict[str, object]:
    return {
        "type": "graphic",
        "segment_id": graphic.segment_id or "",
        **_times(graphic.on, graphic.off, zone),
        "taken_by": graphic.taken_by,
        "origin": graphic.origin,
        "note": graphic.note,
        "rehearsal": graphic.rehearsal,
        "template": graphic.template,
        "file": graphic.file,
        "off_reason": graphic.off_reason,
        "fact_ids": [fact.get("id") for fact in graphic.facts],
        "facts": graphic.facts,
        "data": graphic.data,
    }


def records(rows: Iterable[AsRunRow], events: Iterable[EventRow], zone: ZoneInfo) -> list[dict[str, object]]:
    """Segments and graphics, one record each, by start (the on-air segment and graphics have no end yet)."""
    found = [(row.started_at, 0, _segment(row, zone)) for row in rows]
    found += [(graphic.on, 1, _graphic(graphic, zone)) for graphic in aired(events)]
    found.sort(key=lambda item: item[:2])  # stable: graphics in the order they went on
    return [record for _, _, record in found]


def _listed(values: Iterable[Any]) -> str:
    return SEPARATOR.join(dict.fromkeys(str(value) for value in values if value not in (None, "")))


def _csv_row(record: dict[str, Any]) -> dict[str, object]:
    record = record | {"rehearsal": "true" if record["rehearsal"] else "false"}
    if record["type"] != "graphic":
        return record
    facts = record["facts"]
    return {key: value for key, value in record.items() if key != "facts"} | {
        "fact_ids": _listed(record["fact_ids"]),
        "verifier": _listed(fact.get("verifier") for fact in facts),
        "sources": _listed(source for fact in facts for source in fact.get("sources") or ()),
        "as_of": _listed(fact.get("as_of") for fact in facts),
        "data": json.dumps(record["data"], ensure_ascii=False, sort_keys=True, separators=(",", ":")),
    }


def export(rows: Iterable[AsRunRow], events: Iterable[EventRow], zone: ZoneInfo, fmt: str) -> str:
    found = records(rows, events, zone)
    if fmt == "json":
        return json.dumps(found, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_csv_row(record) for record in found)
    return buffer.getvalue()
