"""``studio provenance export``: what aired, on whose word, checked by whom, and when it was on air.

One record per fact: its content, sources, linked reports, creator and
verifier, its history from the audit log (every change with the status after
it), its times on air from the show's event log, and every conflict between
figures it was in: both (all) values with their sources as they came in, who
opened it and when, and how it was settled (who proposed what and why, who
confirmed it and when), or that it is still open.

Which facts: by default every fact that could have aired, that is every fact
that was ever verified (only a verified fact may go on air), every fact the
event log shows on air, and every figure that was in a conflict; ``--all``:
every fact. A fact's time on air
comes from ``graphic_on`` / ``graphic_off`` events (any show) whose detail
names it (``fact_id``, ``fact``, ``fact_ids`` or ``facts``: an id, a list
of ids or of objects with an ``id``; at the top or one level down, as
studio/onair.py's ``provenance`` writes it). A ``graphic_off`` that names facts ends theirs; one that
names only a ``template`` ends the graphics of that template; one that names
neither ends every graphic of its show. Still on air: ``off`` is null. With
no such events, the on-air lists are empty. Times are UTC ISO 8601. They are
what viewers could see: a graphic under the fallback slate is not on air
(studio/asrun.py ``visible``, as in the as-run export). A time on air that a
rehearsal played (`studio rehearse`) says so: ``rehearsal`` is true in JSON,
and the CSV's ``on_air`` entry ends with ``(rehearsal)``. ``social_posts``: where
a card stating the fact was published (studio/store/social.py) and corrected.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from studio.asrun import OFF, ON, visible
from studio.desk.model import Fact, FigureConflict, Status
from studio.desk.ids import FactIdError, conflict_label, fact_label, parse_fact_id
from studio.store.desk import DeskStore, utc_text
from studio.store.show import ShowStore
from studio.store.social import published

_FACT_KEYS = ("fact_id", "fact", "fact_ids", "facts")
CSV_COLUMNS = (
    "fact_id", "fact", "status", "kind", "claim_kk", "claim_ru", "region", "station", "value", "as_of",
    "created_by", "created_at", "verified_by", "verified_at", "correction_kk", "correction_ru",
    "sources", "reports", "status_history", "on_air", "conflicts", "social_posts",
)


@dataclass(frozen=True, slots=True)
class OnAir:
    show_id: str
    on: datetime
    off: datetime | None
    by: str
    template: str | None
    rehearsal: bool = False  # a rehearsal put it up (studio rehearse): never on air


def fact_ids(detail: Any) -> set[int]:
    """The fact ids an event's detail names (see the module's docstring)."""
    found: set[int] = set()
    if not isinstance(detail, dict):
        return found
    for key in _FACT_KEYS:
        value = detail.get(key)
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, dict):  # {"id": 3, "status": ...}: a fact as a graphic's sidecar records it
                item = item.get("id")
            if isinstance(item, int) and not isinstance(item, bool):
                found.add(item)
            elif isinstance(item, str):
                try:
                    found.add(parse_fact_id(item.strip().lstrip("#")))  # "#105", "F105", "105"
                except FactIdError:
                    pass  # not a fact id: the detail names something else
    for value in detail.values():
        if isinstance(value, dict):
            found |= {i for key in _FACT_KEYS if key in value for i in fact_ids({key: value[key]})}
    return found


def on_air_times(desk: DeskStore) -> dict[int, list[OnAir]]:
    """Fact id -> its times on air, from every show's graphic events, oldest first."""
    shows = [
        row[0]
        for row in desk.db.execute(
            "SELECT DISTINCT show_id FROM event WHERE action IN (?, ?) ORDER BY show_id", (ON, OFF)
        )
    ]
    reader = ShowStore(desk.db)
    times: dict[int, list[OnAir]] = {}
    for show_id in shows:
        open_: dict[int, OnAir] = {}

        def close(ending: Iterable[int], at: datetime) -> None:
            for fact_id in list(ending):
                shown = open_.pop(fact_id)
                times.setdefault(fact_id, []).append(
                    OnAir(shown.show_id, shown.on, at, shown.by, shown.template, shown.rehearsal)
                )

        for event in visible(reader.events(show_id)):
            if event.action not in (ON, OFF):
                continue
            named = fact_ids(event.detail)
            template = event.detail.get("template") if isinstance(event.detail, dict) else None
            if event.action == ON:
                # One graphic per template is on air: a new one replaces the last without a graphic_off.
                close([i for i, shown in open_.items() if template and shown.template == template and i not in named],
                      event.at)
                for fact_id in sorted(named):
                    if fact_id not in open_:
                        open_[fact_id] = OnAir(show_id, event.at, None, event.who, template, event.rehearsal)
                continue
            if named:
                close([i for i in named if i in open_], event.at)
            elif template is not None:
                close([i for i, shown in open_.items() if shown.template == template], event.at)
            else:
                close(open_, event.at)
        for fact_id, shown in open_.items():
            times.setdefault(fact_id, []).append(shown)
    for entries in times.values():
        entries.sort(key=lambda e: (e.on, e.show_id))
    return times


def records(desk: DeskStore, *, every_fact: bool = False) -> list[dict[str, Any]]:
    """The export's records, by fact id."""
    times = on_air_times(desk)
    conflicts: dict[int, list[dict[str, Any]]] = {}
    for conflict in desk.conflicts():
        record = conflict_record(conflict, desk.conflict_log(conflict.id))
        for fact_id in conflict.fact_ids:
            conflicts.setdefault(fact_id, []).append(record)
    posts = social_posts(desk)
    found = []
    for fact in desk.facts():
        history = [
            {
                "version": entry.version,
                "at": _iso(entry.at),
                "who": entry.who,
                "action": entry.action,
                "why": entry.why,
                "status": entry.after.get("status"),
            }
            for entry in desk.audit(fact.id)
        ]
        ever_verified = any(h["status"] == Status.VERIFIED.value for h in history)
        if not (every_fact or ever_verified or fact.id in times or fact.id in conflicts):
            continue
        found.append(_record(fact, history, times.get(fact.id, []))
                     | {"conflicts": conflicts.get(fact.id, []), "social_posts": posts.get(fact.id, [])})
    return found


def social_posts(desk: DeskStore) -> dict[int, list[dict[str, Any]]]:
    """Fact id -> the social posts that stated it (studio social publish): the card's post, the edit that
    carried a correction and the correction post, each with its message id and the fact's version."""
    found: dict[int, list[dict[str, Any]]] = {}
    for post in published(desk.db):
        for fact_id, version in post.facts:
            found.setdefault(fact_id, []).append({
                "network": "telegram", "chat": post.chat, "card": f"{post.folder}/{post.card}", "step": post.step,
                "message_id": post.message_id, "at": _iso(post.at), "version": version,
            })
    return found


def conflict_record(conflict: FigureConflict, log: list[dict[str, Any]]) -> dict[str, Any]:
    """A conflict as the export shows it: what the figures are of, each figure with its sources as it came
    in, who opened it, the settlement proposed and who confirmed it (null while open), every step."""
    kind, region, station, as_of, line = conflict.measure
    proposal = conflict.proposal
    return {
        "conflict": conflict_label(conflict.id),
        "measure": {"kind": kind, "region": region, "station": station, "as_of": _iso(as_of), "line": line},
        "opened_at": _iso(conflict.opened_at),
        "opened_by": conflict.opened_by,
        "open": conflict.open,
        "figures": [
            {
                "fact_id": figure.fact_id, "fact": fact_label(figure.fact_id), "value": str(figure.value),
                "status": figure.status.value, "came_in": _iso(figure.joined_at),
                "sources": [{"kind": s.kind.value, "origin": s.origin, "reference": s.reference,
                             "published_at": _iso(s.published_at)} for s in figure.sources],
                "reports": [{"id": r.id, "observer": r.observer} for r in figure.reports],
            }
            for figure in conflict.figures
        ],
        "settlement": None if proposal is None else {
            "outcome": proposal.outcome.value,
            "stands": None if proposal.chosen is None else fact_label(proposal.chosen),
            "why": proposal.why,
            "proposed_by": proposal.by,
            "proposed_at": _iso(proposal.at),
            "confirmed_by": conflict.confirmed_by,
            "confirmed_at": _iso(conflict.confirmed_at),
        },
        "log": log,
    }


def _conflict_line(record: dict[str, Any]) -> str:
    """A conflict in a CSV cell: «C1 F1 20.68 (nur.kz) vs F2 20.86 (tengrinews.kz): F1 stands, why; proposed by a
    at t, confirmed by b at t», or «... : open»."""
    figures = " vs ".join(
        f"{f['fact']} {f['value']} ({', '.join(s['origin'] for s in f['sources']) or 'no source'})"
        for f in record["figures"]
    )
    settled = record["settlement"]
    if settled is None or settled["confirmed_by"] is None:
        return f"{record['conflict']} {figures}: open"
    what = f"{settled['stands']} stands" if settled["stands"] else "all unproven"
    return (f"{record['conflict']} {figures}: {what}, {settled['why']}; proposed by {settled['proposed_by']} at "
            f"{settled['proposed_at']}, confirmed by {settled['confirmed_by']} at {settled['confirmed_at']}")


def _record(fact: Fact, history: list[dict[str, Any]], shown: Iterable[OnAir]) -> dict[str, Any]:
    statuses = []
    for entry in history:
        if not statuses or statuses[-1]["status"] != entry["status"]:
            statuses.append({k: entry[k] for k in ("at", "who", "status", "why")})
    return {
        "fact_id": fact.id,
        "fact": fact_label(fact.id),
        "status": fact.status.value,
        "kind": fact.kind.value,
        "claim": {"kk": fact.claim.kk, "ru": fact.claim.ru},
        "region": fact.region,
        "station": fact.station,
        "value": None if fact.value is None else str(fact.value),
        "as_of": _iso(fact.as_of),
        "created_by": fact.created_by,
        "created_at": _iso(fact.created_at),
        "editors": list(fact.editors),
        "verified_by": fact.verified_by,
        "verified_at": _iso(fact.verified_at),
        "correction": {"kk": fact.correction.kk, "ru": fact.correction.ru},
        "sources": [
            {"id": s.id, "kind": s.kind.value, "reference": s.reference, "origin": s.origin, "note": s.note}
            for s in fact.sources
        ],
        "reports": [{"id": r.id, "observer": r.observer} for r in fact.reports],
        "status_history": statuses,
        "history": history,
        "on_air": [
            {"show_id": e.show_id, "on": _iso(e.on), "off": _iso(e.off), "by": e.by, "template": e.template,
             "rehearsal": e.rehearsal}
            for e in shown
        ],
    }


def _iso(instant: datetime | None) -> str | None:
    return None if instant is None else utc_text(instant)


def export(desk: DeskStore, fmt: str, *, every_fact: bool = False) -> str:
    """The export as text: ``json`` (a list of records) or ``csv`` (one row per fact)."""
    return render(records(desk, every_fact=every_fact), fmt)


def render(found: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(found, ensure_ascii=False, indent=2) + "\n"
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r}: csv or json")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in found:
        writer.writerow(
            (
                r["fact_id"], r["fact"], r["status"], r["kind"], r["claim"]["kk"], r["claim"]["ru"], r["region"] or "",
                r["station"] or "", r["value"] or "", r["as_of"] or "", r["created_by"], r["created_at"],
                r["verified_by"] or "", r["verified_at"] or "", r["correction"]["kk"], r["correction"]["ru"],
                " | ".join(f"{s['kind']} {s['origin']} {s['reference']}" for s in r["sources"]),
                " | ".join(f"#{p['id']} {p['observer']}" for p in r["reports"]),
                " | ".join(f"{h['at']} {h['status']} by {h['who']}" for h in r["status_history"]),
                " | ".join(f"{e['show_id']} {e['on']} - {e['off'] or 'on air'}{' (rehearsal)' if e['rehearsal'] else ''}"
                           for e in r["on_air"]),
                " | ".join(_conflict_line(c) for c in r["conflicts"]),
                " | ".join(f"{p['network']} {p['chat']} {p['step']} {p['message_id']} {p['at']} {p['card']}"
                           for p in r["social_posts"]),
            )
        )
    return buffer.getvalue()
