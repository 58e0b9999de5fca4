"""What an observer sends to ``studio intake``: the body of ``POST /reports``, and its way into the store.

``ReportBody`` describes the body; the intake's ``/openapi.json`` is generated
from it (studio/web/openapi.py), and the same model checks every body, so the
document cannot drift from what is accepted. ``check_report`` then holds the
values to the import's own rules (``importer.FieldRules``: region spellings,
kind words, station numbers), so a file and an HTTP send obey one set of
rules. A refused body names every problem at once, each said as a field of
the report ("text: the report's text is empty"), in any language (``Msg``).

``write_sends`` is the store path of accepted sends: one transaction, the
idempotency keys scoped to the observer, and the answer of each send. The
HTTP edge (studio/web/intake.py) and the demo data (studio/desk/demo.py) both
go through it. Pure: no network, no aiohttp.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Callable, NamedTuple, Sequence

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from studio.desk.grouping import GroupingOptions
from studio.desk.gazetteer import Match
from studio.desk.importer import FIELDS, MAX_STATION, BadValue, FieldRules, _row_parser, content_of
from studio.desk.mapping import Mapping
from studio.desk.outcome import digest
from studio.errors import Kind, StudioError
from studio.i18n import Joined, Msg
from studio.store.desk import DeskStore, utc_text
from studio.store.held import Held, NewHeld
from studio.store.observers import token_owners_later

CHANNEL = "http"
"""The channel of a report whose body names none."""
BATCH_FILE = "intake: POST /reports"
"""The import_batch file of reports sent over HTTP (one batch per committed group)."""
MAX_TEXT = 4000  # a Telegram message holds 4096 characters
MAX_ATTACHMENTS = 20
MAX_NAME = 100  # a region's or kind's spelling
MAX_STATION_TEXT = 32
MAX_CHANNEL = 32
MAX_PATH = 300


class ReportBody(BaseModel):
    """One observer report. The observer is never in the body: it is the owner of the bearer token."""

    model_config = ConfigDict(strict=True, extra="forbid")

    region: str = Field(
        min_length=1,
        max_length=MAX_NAME,
        description=(
            "Where it happened: a region id of studio/regions.toml (`astana`, `almaty` for the city, "
            "`almaty-region` for the region around it, ...) or any name of the unit in studio/gazetteer.toml "
            "(Kazakh, Russian, Kazakh Latin or Arabic script, English; «город Астана», «Алматы облысы», "
            "`Kyzylorda`). A bare «Алматы» / `Almaty` could be the city or the region: send `almaty` or «Алматы "
            "қаласы» for the city. A region the intake cannot place with certainty is not refused: the report is "
            "held for the desk (202, `ReportHeld`) until a person names its unit."
        ),
        examples=["almaty", "Қостанай облысы", "Карагандинская область", "город Астана"],
    )
    kind: str = Field(
        min_length=1,
        max_length=MAX_NAME,
        description=(
            "What it is: `turnout`, `violation`, `incident`, `queue`, `protocol` (a station's result protocol) "
            "or `other`, or the word in Kazakh or Russian (`бұзушылық`, `нарушение`, `кезек`, `очередь`, ...)."
        ),
        examples=["violation", "очередь"],
    )
    text: str = Field(
        min_length=1,
        max_length=MAX_TEXT,
        description="What the observer saw, in their own words (Kazakh, Russian or any language).",
        examples=["Учаскеде жәшік пломбаланбаған, комиссия төрағасына ескерту жасадық."],
    )
    station: Annotated[int, Field(ge=1, le=MAX_STATION)] | Annotated[str, Field(min_length=1, max_length=MAX_STATION_TEXT)] | None = (
        Field(
            default=None,
            description="The polling station's number (`154`, or as written: `№154`, `УИК 154`); null or absent: "
            "not about one station.",
            examples=[154, "№154"],
        )
    )
    attachments: list[Annotated[str, Field(min_length=1, max_length=MAX_PATH)]] | None = Field(
        default=None,
        max_length=MAX_ATTACHMENTS,
        description="Names or paths of photos and videos sent alongside (the files themselves travel another way).",
        examples=[["IMG_2041.jpg"]],
    )
    channel: str | None = Field(
        default=None,
        max_length=MAX_CHANNEL,
        description=f"How it was sent, e.g. `app` or `telegram-bot`; default `{CHANNEL}`.",
        examples=["telegram-bot"],
    )


class ReportAccepted(BaseModel):
    """The answer to an accepted report: the same for the first send and every replay of its key."""

    model_config = ConfigDict(extra="forbid")

    id: int = Field(description="The report's id at the desk.")
    group: int = Field(description="The id of the report's group (its own id when it leads a new group).")
    observer: str = Field(description="The owner of the token: who the desk will credit.")
    received_at: str = Field(description="When the intake received it, UTC, ISO 8601.")


class ReportHeld(BaseModel):
    """The answer to a report whose region the intake could not place with certainty: it is in the store, held
    in the desk's "needs a region" queue until a person names its unit; then it joins the desk like any report.
    The same for the first send and every replay of its key while it is held (once resolved, a replay answers 201)."""

    model_config = ConfigDict(extra="forbid")

    held: int = Field(description="The held row's id in the desk's \"needs a region\" queue.")
    observer: str = Field(description="The owner of the token: who the desk will credit.")
    received_at: str = Field(description="When the intake received it, UTC, ISO 8601.")
    region: str = Field(description="The region as sent.")
    why: str = Field(
        description="Why it is held: `either` (a bare Almaty), `designation` (a city where the unit is a region, or "
        "the reverse), `district`, `national` (the whole country), `unknown`."
    )
    suggestions: list[str] = Field(description="Region ids the desk is offered, closest first (never assigned).")


ALLOWED = tuple(ReportBody.model_fields)


PROBLEM_CODES = ("empty", "unknown", "bad_type", "not_a_field", "observer_in_body", "bad_station")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a body: the field it is about, a stable code, and what to do."""

    field: str
    code: str  # one of PROBLEM_CODES
    message: Msg  # "<field>: ...", in any language


class ReportRefused(StudioError):
    """A body the intake cannot take; ``problems`` lists every reason, in the body's field order."""

    kind = Kind.BAD_INPUT

    def __init__(self, problems: Sequence[Problem]) -> None:
        problems_said = Joined(p.message for p in problems)
        super().__init__(Msg("intake.error.refused", problems=problems_said), code="invalid_report")
        self.problems = tuple(problems)


_RULES = FieldRules(Mapping(channel=CHANNEL))
_PARSE = _row_parser(_RULES.mapping)
_LOOKUPS = {"region": _RULES.region, "kind": _RULES.kind}
_REQUIRED = ("region", "kind", "text")  # missing or blank: one problem, "empty"
_LIMITS = {
    "text": MAX_TEXT, "spelling": MAX_NAME, "station": MAX_STATION_TEXT, "attachments": MAX_ATTACHMENTS,
    "path": MAX_PATH, "channel": MAX_CHANNEL, "max_station": MAX_STATION,
}


def check_report(body: dict[str, Any], observer: str, received: datetime) -> tuple[tuple[Any, ...], Match | None]:
    """The row for DeskStore.add_reports and, when its region is to be held for the desk, the gazetteer's
    Match (the row's region is then the spelling as sent); or ReportRefused with every problem of ``body``."""
    found: dict[str, Problem] = {}
    try:
        ReportBody.model_validate(body)
    except ValidationError as error:
        for detail in error.errors():
            name = str(detail["loc"][0])[:64] if detail["loc"] else ""
            found.setdefault(name, _shape_problem(name, detail["type"]))
    for name in (n for n in _REQUIRED if n not in found):  # present and text: the model took them
        value = body[name].strip()
        if not value or (name == "region" and _RULES.gazetteer.match(value).why == "empty"):  # only invisible ones
            found[name] = _problem(name, "empty", "intake.problem.empty." + name)
        elif name in _LOOKUPS:
            try:
                _LOOKUPS[name](value)
            except BadValue as bad:
                found[name] = _unknown(name, value, bad)
    station = body.get("station")
    if "station" not in found and isinstance(station, str):
        try:
            _RULES.station(station)
        except BadValue:
            found["station"] = _problem("station", "bad_station", "intake.problem.station", value=repr(station))
    if found:
        order = {name: n for n, name in enumerate(ALLOWED)}
        raise ReportRefused(sorted(found.values(), key=lambda p: (order.get(p.field, len(order)), p.field)))
    attachments = body.get("attachments")
    values = dict.fromkeys(FIELDS) | {
        "observer": observer,
        "channel": body.get("channel"),
        "received_at": utc_text(received),
        "region": body["region"],
        "station": None if station is None else str(station),
        "kind": body["kind"],
        "text": body["text"],
        "attachments": None if attachments is None else json.dumps(attachments, ensure_ascii=False),
    }
    _, _, row, held = _PARSE(tuple(values[name] for name in FIELDS), 0)  # the import's own row, checked again
    return row, held


def _problem(name: str, code: str, key: str, /, **params: Any) -> Problem:
    said = name if name.isidentifier() else json.dumps(name, ensure_ascii=False)  # "" and "a b" quoted, as sent
    return Problem(name, code, Msg("intake.field_problem", field=said, message=Msg(key, **params)))


def _shape_problem(name: str, kind: str) -> Problem:
    if name == "observer":
        return _problem(name, "observer_in_body", "intake.problem.observer")
    if kind == "extra_forbidden":
        return _problem(name, "not_a_field", "intake.problem.not_a_field", fields=", ".join(ALLOWED))
    if name in _REQUIRED and kind in ("missing", "string_too_short"):
        return _problem(name, "empty", "intake.problem.empty." + name)
    return _problem(name, "bad_type", "intake.expected." + name, **_LIMITS)


def _unknown(name: str, value: str, bad: BadValue) -> Problem:
    if name == "region":  # only a region that is no name at all (too long) is refused; an unknown one is held
        return Problem(name, "unknown", Msg("intake.field_problem", field=name, message=bad.reason))
    return _problem(name, "unknown", "intake.problem.unknown." + name, value=repr(value))


# --- the store path -------------------------------------------------------------


class Send(NamedTuple):
    """A checked report on its way to the store."""

    token: str | None  # the hash of the token it came with (re-checked in the transaction); None: no token
    key: str | None  # the idempotency key, scoped to the observer (scoped_key)
    fingerprint: str  # the body's digest: the same key with another body is a conflict
    row: tuple[Any, ...]  # for DeskStore.add_reports
    held: Match | None = None  # the region could not be placed with certainty: held for the desk


def make_send(body: dict[str, Any], observer: str, received: datetime, *, key: str | None, token: str | None) -> Send:
    """``body`` checked (ReportRefused otherwise) and ready for write_sends."""
    row, held = check_report(body, observer, received)
    fingerprint = digest(json.dumps(body, sort_keys=True, ensure_ascii=False))
    return Send(token, None if key is None else scoped_key(observer, key), fingerprint, row, held)


def scoped_key(observer: str, key: str) -> str:
    """The stored form of an observer's ``Idempotency-Key``: two observers may choose the same key."""
    return "http:" + digest(f"{observer}\x1f{key}")


Outcome = tuple[str, Any]
"""("created" | "replay", ReportAccepted as a dict), ("held" | "held_replay", ReportHeld as a dict),
("conflict", None) or ("revoked", token hash)."""


def write_sends(
    store: DeskStore,
    sends: Sequence[Send],
    *,
    at: datetime,
    grouping: GroupingOptions = GroupingOptions(),
    file: str = BATCH_FILE,
    by: str = "intake",
    then: Callable[[], None] | None = None,
) -> list[Outcome]:
    """One transaction for ``sends``; an outcome for each, in order. A key seen
    before with the same body replays its first answer and adds nothing. A send
    whose region is still not placed with the aliases the desk has learned is
    held for the desk (its answer is ``ReportHeld``). ``then`` writes, in the
    same transaction, what the caller must keep with these reports (the
    Telegram bot: its conversations and its update offset)."""
    db = store.db
    outcomes: list[tuple[str, Any]] = []
    with store.write(together=True):  # no rowcount is read: the last writes go with the commit
        sends = _placed(store, sends)
        keys = sorted({s.key for s in sends if s.key is not None})
        # Every read before the writes in one round trip to a database server: the tokens, the keys, and the
        # stored reports near those not held (a replay's among them, which groups nothing).
        with store.together():
            asked_owners = token_owners_later(db, [s.token for s in sends if s.token is not None])
            asked_keys = store.used_keys_later(keys)
            asked_nearby = store.nearby_later([s.row for s in sends if s.held is None], grouping)
        owners, (known, held_ids), nearby = asked_owners(), asked_keys(), asked_nearby()
        held_before = {h.key: h for h in store.held(ids=sorted(held_ids.values()))}
        fresh: list[int] = []
        holding: dict[str, NewHeld] = {}
        claimed: dict[str, int] = {}  # key -> the send that takes it in this transaction
        for n, send in enumerate(sends):
            owner = owners.get(send.token) if send.token is not None else None
            if send.token is not None and (owner is None or not owner[1]):  # revoked since the caller looked
                outcomes.append(("revoked", send.token))
            elif send.key is not None and send.key in known:
                same = known[send.key][2] == send.fingerprint
                outcomes.append(("replay", known[send.key][1]) if same else ("conflict", None))
            elif send.key is not None and send.key in held_before:
                same = held_before[send.key].row["fingerprint"] == send.fingerprint
                outcomes.append(("held_replay", send.key) if same else ("conflict", None))
            elif send.key is not None and send.key in claimed:
                first = sends[claimed[send.key]]
                if first.fingerprint != send.fingerprint:
                    outcomes.append(("conflict", None))
                else:
                    outcomes.append(("held_replay", send.key) if first.held else ("replay", -claimed[send.key] - 1))
            else:
                if send.key is not None:
                    claimed[send.key] = n
                if send.held is not None:
                    entry = _to_hold(send)
                    holding[entry.key] = entry
                    outcomes.append(("held", entry.key))
                else:
                    fresh.append(n)
                    outcomes.append(("created", -n - 1))
        ids: dict[int, int] = {}
        answers: dict[int, dict[str, Any]] = {}  # the 201 bodies, of new reports from what was written, not read back
        if fresh:
            batch = store.begin_batch("reports", file, by=by, at=at)
            with store.together():  # the reports, their groups' rows and their keys: one round trip for the three
                added = store.add_reports([sends[n].row for n in fresh], batch=batch, grouping=grouping, nearby=nearby)
                ids = dict(zip(fresh, added.ids))
                if keyed := sorted(
                    (sends[n].key, "report", ids[n], sends[n].fingerprint) for n in fresh if sends[n].key
                ):
                    store.add_keys(keyed)
            for n, group in zip(fresh, added.groups):
                observer, _, received_at = sends[n].row[:3]
                answers[ids[n]] = _accepted(ids[n], group, observer, datetime.fromisoformat(received_at))
        if holding:  # (each call is a round trip to a database server, rows or none)
            store.hold(holding.values(), by=by, at=at)
        # A negative reference stands for "the report of send -ref-1 in this transaction".
        resolved = [
            (kind, ids[-ref - 1] if ref < 0 else ref) if kind in ("created", "replay") else (kind, ref)
            for kind, ref in outcomes
        ]
        answers |= _answers(store, [ref for kind, ref in resolved if kind == "replay" and ref not in answers])
        held_keys = [ref for kind, ref in resolved if kind in ("held", "held_replay")]
        held = {h.key: _held_answer(h) for h in store.held(open_only=False, ids=_ids(store, held_keys))}
        if then is not None:
            then()
    return [
        (kind, answers[ref]) if kind in ("created", "replay") else (kind, held[ref]) if kind.startswith("held")
        else (kind, ref)
        for kind, ref in resolved
    ]


def _ids(store: DeskStore, keys: Sequence[str]) -> list[int]:
    return sorted(store.held_keys(keys).values())


def _placed(store: DeskStore, sends: Sequence[Send]) -> Sequence[Send]:
    """``sends`` with the regions the desk has taught the gazetteer placed (the edge checked with the shipped names)."""
    if not any(send.held for send in sends):
        return sends
    gazetteer = store.gazetteer()
    placed = []
    for send in sends:
        match = gazetteer.match(send.row[3]) if send.held else None
        if match is not None and match.region is not None:
            row = (*send.row[:3], match.region, *send.row[4:])
            send = send._replace(row=row, held=None)
        placed.append(send)
    return placed


def _to_hold(send: Send) -> NewHeld:
    """A send to hold: its checked row (its region as sent), and its body's digest for replays of its key."""
    assert send.held is not None
    key = send.key or "held:" + digest(f"{send.row[0]}\x1f{send.row[2]}\x1f{send.fingerprint}")
    row = {"row": list(send.row), "fingerprint": send.fingerprint, "idempotent": send.key is not None}
    return NewHeld("intake", send.row[3], send.held, send.row[0], 0, row, content_of(send.row), key)


def _held_answer(held: Held) -> dict[str, Any]:
    """The 202 body of a held send: the same for the first answer and every replay while it is held."""
    return ReportHeld(
        held=held.id, observer=held.origin, received_at=held.row["row"][2], region=held.spelling, why=held.why,
        suggestions=list(held.suggestions),
    ).model_dump()


def _answers(store: DeskStore, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The 201 body of each stored report (a replay's)."""
    if not ids:
        return {}
    return {
        report.id: _accepted(report.id, report.group_id, report.observer, report.received_at)
        for report in store.reports(sorted(set(ids)))
    }


def _accepted(report_id: int, group: int, observer: str, received_at: datetime) -> dict[str, Any]:
    """The 201 body of a report: the same for the first answer and every replay."""
    return ReportAccepted(id=report_id, group=group, observer=observer, received_at=utc_text(received_at)).model_dump()
