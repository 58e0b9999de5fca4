"""``studio import-turnout FILE [--mapping M] --operator NAME``: the commission's turnout figures.

By default the file is shaped like studio/sample/referendum-2026/referendum-2026-turnout.csv::

    local_time,region,turnout_percent,voters,registered,source
    2026-03-15T10:00+05:00,national,19.21,2393844,12461796,https://...

and a mapping (studio/desk/turnout_mapping.toml documents it) reads any other
layout: columns named anything, the hour alone with the show's date, decimal
commas and stray spaces, a percent sign, and bounds such as «более 40%».

Each row becomes a turnout fact (region None for the country, ``value`` the
percent exactly as published, ``as_of`` the release instant in UTC, voters
and registered in ``detail``) with the row's URL attached as its source,
typed by studio/desk/sources.toml: the commission's own page is official;
a news site is media quoting the commission (its ``quotes`` is a source
standing for the commission's release of that instant, which is not
attached: nobody at the desk has seen the commission's page yet). The
operator is the fact's creator; the import goes through the rules like any
desk change (create, then start review: two audit entries). A bound is not a
figure: its fact has no value, the bound is in its detail
(studio/desk/published.py), and no board draws it. A percent that disagrees
with the row's voters / registered is imported flagged (studio/desk/arithmetic.py).

How imported official figures get verified: they arrive **in review**, and a
second person verifies them at the desk (DeskStore.change(..., Verify()), or
a whole release at once, DeskStore.verify_release), after attaching the
commission's own publication or a second independent outlet: by default a
reprint is one media source, not the commission's word (``[desk]
reprint_counts_as_official``). The four-eyes rule holds: the importer cannot
verify what they imported, and there is deliberately no ``--verified-by``
option, since one person typing two names is not two people looking.

Outlets sometimes printed different figures for one release. A row whose
figure equals an existing fact's for the same region and hour adds its
source to that fact (corroboration); a different figure becomes a separate
fact, and one that disagrees beyond rounding (rules.disagree) a warning; from
another source it is a conflict the store opens, holding both figures until
two people settle it at the desk.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from studio.desk import rules
from studio.desk.arithmetic import CHECK, turnout_failure
from studio.desk.official_mapping import TURNOUT_FILE, TurnoutMapping, load_official_mapping
from studio.desk.outcome import (
    ImportSummary,
    Rejected,
    check_operator,
    digest,
    quarantine_rows,
    with_rejects_file,
)
from studio.desk.model import Claim, Draft, Fact, ReportKind, Source, SourceKind, Status
from studio.desk.published import Bound, Unreadable, address, bound_of, count, percent_or_bound
from studio.desk.sources import classify, commission_origin
from studio.desk.rows import clean, csv_rows, encoding_problem, raw_text, read_text
from studio.desk.gazetteer import HOLD, Gazetteer, Match
from studio.desk.text import name_key
from studio.diagnostics import Diagnostic, DiagnosticsError
from studio.i18n import Msg
from studio.machine import utc_now
from studio.regions import NATIONAL, regions
from studio.store.desk import DeskStore
from studio.store.held import NewHeld

FIELDS = ("local_time", "region", "turnout_percent", "voters", "registered", "source")
LOCAL = ZoneInfo("Asia/Almaty")
_HOUR = re.compile(r"([01]?[0-9]|2[0-3])(?:[:.]([0-5][0-9]))?(?::00)?")
ADDED, CORROBORATED, DUPLICATE = "added", "corroborated", "duplicate"
"""How an imported figure lands (``land``)."""


class _Bad(Exception):
    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason)
        self.reason, self.hint = reason, hint


class _Unmatched(Exception):
    """A region the gazetteer could not place with certainty: the row is held for the desk, not rejected."""

    def __init__(self, text: str, match: Match) -> None:
        super().__init__(text)
        self.text, self.match = text, match


def import_turnout(
    store: DeskStore,
    path: Path,
    *,
    operator: str,
    mapping: TurnoutMapping | Path | None = None,
    day: date | None = None,
    rejects: Path | None = None,
    now: Callable[[], datetime] = utc_now,
    gazetteer: Gazetteer | None = None,
    rows_text: str | None = None,
) -> ImportSummary:
    """Import the figures in ``path`` as ``mapping`` (a file, or None: the default) reads them; ``day`` is
    the show's date, which a mapping with ``hours_only`` needs. File-level problems raise DiagnosticsError.
    ``gazetteer``: the matcher (default: the store's, with the aliases the desk learned); ``rows_text``: the
    file's text when it is not read from ``path`` (the desk's "needs a region" queue re-imports a held row)."""
    path = Path(path)
    operator = check_operator(path, operator)
    if not isinstance(mapping, TurnoutMapping):
        mapping = load_official_mapping(mapping, TurnoutMapping)
    if mapping.hours_only and day is None:
        raise DiagnosticsError([Diagnostic(path, 1, 0, Msg("diag.official.no_day"), Msg("diag.official.hint.no_day"))])
    text, cleanly = read_text(path, mapping.encoding) if rows_text is None else (rows_text, True)
    gazetteer = gazetteer or store.gazetteer(national=True)
    columns = [getattr(mapping.columns, name) for name in FIELDS]
    required = [column for name, column in zip(FIELDS, columns) if name not in ("voters", "registered", "source")]
    if not mapping.source:
        required.append(mapping.columns.source)
    rows = csv_rows(path, text, columns, required, mapping.delimiter, mapping_file=TURNOUT_FILE)
    rejected: list[Rejected] = []
    holding: list[NewHeld] = []
    good = []
    for line, values, raw, problem, hint in rows:
        if values is not None and not cleanly and not all(clean(v) for v in values if v is not None):
            values, (problem, hint) = None, encoding_problem(mapping.encoding, "".join(v for v in values if v))
        if values is None:
            rejected.append(Rejected(line, problem, hint, raw_text(raw)))
            continue
        try:
            good.append((line, *_parse(values, mapping, day, gazetteer)))
        except _Unmatched as unmatched:
            key = "turnout-held:" + digest("\x1f".join(v or "" for v in values))
            held_row = {"values": list(values), "mapping": mapping.model_dump(mode="json"),
                        "day": day.isoformat() if day else None}
            holding.append(NewHeld("turnout", unmatched.text, unmatched.match, str(path), line, held_row,
                                   raw_text(raw), key))
        except (_Bad, Unreadable) as bad:
            rejected.append(Rejected(line, bad.reason, bad.hint, raw_text(raw)))

    at = now()
    landings: Counter[str] = Counter()
    warnings: list[Diagnostic] = []
    with store.write():
        batch = store.begin_batch("turnout", str(path), by=operator, at=at)
        known = store.known_keys([entry[1] for entry in good])
        seen: set[str] = set()
        for line, key, region, as_of, value, detail, url in good:
            if key in known or key in seen:
                landings[DUPLICATE] += 1
                continue
            seen.add(key)
            where = f"imported from {path.name}:{line}"
            existing = [
                f for f in store.turnout_facts(region, as_of) if f.status not in (Status.FALSE, Status.RETRACTED)
            ]
            source = release_source(store, url, as_of, operator, at)
            same = next((f for f in existing if stated(f) == value), None)
            fact, landed = land(
                store, same, source, lambda: _create(store, region, as_of, value, detail, source.id, operator, at, where),
                where, operator, at,
            )
            landings[landed] += 1
            if landed == ADDED:
                # a figure that could be the same number, printed with other decimals, is no disagreement
                warnings += [_disagreement(path, line, fact, other) for other in existing if rules.disagree(fact, other)]
            if CHECK in dict(detail):
                warnings.append(_failed_check(path, line, mapping, dict(detail)[CHECK]))
            store.add_keys([(key, "fact", fact.id, key)])
        quarantined = store.add_quarantine(quarantine_rows(path, rejected), batch=batch)
        held = store.hold(holding, by=operator, at=at)
    summary = ImportSummary(
        path, landings[ADDED], landings[DUPLICATE] + len(holding) - held, tuple(rejected), quarantined,
        corroborated=landings[CORROBORATED], warnings=tuple(warnings), held=held,
    )
    return with_rejects_file(summary, rejects)


def land(
    store: DeskStore, same: Fact | None, source: Source, create: Callable[[], Fact], where: str, operator: str,
    at: datetime,
) -> tuple[Fact, str]:
    """The fact an imported figure lands on, and how: a new fact (``create``), or ``same`` (an existing
    fact stating that figure) corroborated by ``source``, or ``same`` already holding it: a duplicate."""
    if same is None:
        return create(), ADDED
    if any(s.id == source.id for s in same.sources):
        return same, DUPLICATE
    return store.change(same.id, same.version, rules.AttachSource(source, where), by=operator, at=at), CORROBORATED


def stated(fact: Fact) -> Decimal | Bound | None:
    """What a turnout fact says: its figure, or the bound it records instead."""
    return fact.value if fact.value is not None else bound_of(fact.details)


def _create(
    store: DeskStore, region: str | None, as_of: datetime, value: Decimal | Bound, detail: tuple, source_id: int,
    operator: str, at: datetime, where: str,
) -> Fact:
    figure, said = (value, detail) if isinstance(value, Decimal) else (None, (*detail, *value.detail))
    draft = Draft(ReportKind.TURNOUT, claim(region, as_of, value), region, None, figure, as_of, said)
    fact = store.create_fact(draft, by=operator, at=at, source_ids=[source_id], why=where)
    return store.change(
        fact.id, fact.version, rules.StartReview("official figure imported; a second person verifies it"),
        by=operator, at=at,
    )


def release_source(store: DeskStore, url: str, as_of: datetime, operator: str, at: datetime) -> Source:
    """The row's page as a source: official on the commission's site, else a reprint quoting the commission."""
    return quoting_source(store, url, release_reference(as_of), "turnout release", operator, at)


def quoting_source(store: DeskStore, url: str, quoted: str, note: str, operator: str, at: datetime) -> Source:
    """``url`` as a source: official on the commission's site, else a reprint quoting the commission's
    publication ``quoted`` (a reference standing for it; the commission's own page is not attached)."""
    kind = classify(url) or SourceKind.MEDIA  # a page the rules cannot place is never the commission's word
    quotes = None
    if kind is not SourceKind.OFFICIAL:
        quotes = store.add_source(
            SourceKind.OFFICIAL, quoted, origin=commission_origin(), by=operator, at=at,
            note="as quoted by the press; the commission's own page is not attached",
        ).id
    return store.add_source(kind, url, by=operator, at=at, note=note, quotes=quotes)


def release_reference(as_of: datetime) -> str:
    """How a source standing for the commission's own release of ``as_of`` is referred to."""
    return f"turnout release {as_of.astimezone(LOCAL).isoformat(timespec='minutes')}"


def claim(region: str | None, as_of: datetime, value: Decimal | Bound) -> Claim:
    """The on-air sentence in Kazakh and Russian, with a decimal comma; a bound in words («более 40%»)."""
    hour = as_of.astimezone(LOCAL).strftime("%H:%M")
    number = value if isinstance(value, Decimal) else value.percent
    figure = f"{number}".replace(".", ",")
    if region is None:
        kk_place, ru_place = "Қазақстан бойынша", "По Казахстану"
    else:
        kk_place, ru_place = regions()[region].kk, regions()[region].ru
    kk_figure, ru_figure = f"{figure}%", f"{figure}%"
    if isinstance(value, Bound):
        kk_figure += "-дан астам" if value.side == "above" else "-дан кем"
        ru_figure = ("более " if value.side == "above" else "менее ") + ru_figure
    return Claim(
        kk=f"{kk_place}: сағат {hour}-дегі жағдай бойынша сайлаушылардың келуі {kk_figure}",
        ru=f"{ru_place}: явка на {hour} — {ru_figure}",
    )


def _said(value: Decimal | Bound | None) -> str:
    """A figure or a bound as a warning quotes it: «20.68%», «> 40%»."""
    if isinstance(value, Bound):
        return f"{'>' if value.side == 'above' else '<'} {value.percent}%"
    return f"{value}%"


def _disagreement(path: Path, line: int, fact: Fact, other: Fact) -> Diagnostic:
    place = "the country" if fact.region is None else fact.region
    hour = fact.as_of.astimezone(LOCAL).strftime("%H:%M") if fact.as_of else "?"
    return Diagnostic(
        path,
        line,
        0,
        f"{place} at {hour}: {_said(stated(fact))} (new fact #{fact.id}) differs from {_said(stated(other))} "
        f"(fact #{other.id}, {other.status.value})",
        "both are kept; the desk compares the sources and decides",
    )


def _failed_check(path: Path, line: int, mapping: TurnoutMapping, shown: str) -> Diagnostic:
    return Diagnostic(
        path, line, 0, Msg("diag.official.check", check=shown),
        Msg("diag.official.hint.check", columns=", ".join(
            repr(c) for c in (mapping.columns.turnout_percent, mapping.columns.voters, mapping.columns.registered)
        )),
    )


def _parse(
    values: tuple, mapping: TurnoutMapping, day: date | None, gazetteer: Gazetteer
) -> tuple[str, str | None, datetime, Decimal | Bound, tuple, str]:
    local_time, region_text, percent, voters_text, registered_text, url = (v.strip() if v else "" for v in values)
    columns = mapping.columns
    as_of = _instant(local_time, mapping, day).astimezone(UTC)
    value = percent_or_bound(percent, columns.turnout_percent, mapping.decimal_mark, mapping.bounds.words())
    voters, registered = count(voters_text, columns.voters), count(registered_text, columns.registered)
    detail = [(name, str(figure)) for name, figure in (("voters", voters), ("registered", registered)) if figure is not None]
    failure = turnout_failure(value, voters, registered)
    if failure:
        detail.append((CHECK, failure))
    url = address(url or mapping.source, columns.source)
    # The region last: a row wrong in any other cell is refused for it, not held for the desk to place first.
    if name_key(region_text) in {name_key(word) for word in mapping.national}:
        region = None
    else:
        region = _region_by_name(region_text, gazetteer)
    said = str(value) if isinstance(value, Decimal) else f"{value.side}:{value.percent}"
    key = "turnout:" + digest("\x1f".join((
        as_of.isoformat(), region or NATIONAL, said, "" if voters is None else str(voters),
        "" if registered is None else str(registered), url,
    )))
    return key, region, as_of, value, tuple(detail), url


def _instant(text: str, mapping: TurnoutMapping, day: date | None) -> datetime:
    """The release's instant: a date and time as written, or (``hours_only``) an hour of ``day``."""
    column = repr(mapping.columns.local_time)
    if mapping.hours_only:
        found = _HOUR.fullmatch(text.replace(" ", ""))
        if not found or day is None:
            raise Unreadable(Msg("diag.official.bad_hour", column=column, value=repr(text)), Msg("diag.official.hint.hour"))
        return datetime.combine(day, time(int(found[1]), int(found[2] or 0)), mapping.time_zone)
    try:
        if mapping.time_format:
            instant = datetime.strptime(text, mapping.time_format)
        else:
            instant = datetime.fromisoformat(text)
    except ValueError:
        hint = (Msg("diag.official.hint.time_format", format=repr(mapping.time_format)) if mapping.time_format
                else Msg("diag.official.hint.time"))
        raise Unreadable(Msg("diag.official.bad_time", column=column, value=repr(text)), hint) from None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=mapping.time_zone)
    return instant


def _region_by_name(text: str, gazetteer: Gazetteer) -> str | None:
    """The unit ``text`` names (None: the whole country); _Unmatched when the gazetteer is not certain."""
    match = gazetteer.match(text)
    if match.region is None:
        if match.why in HOLD:
            raise _Unmatched(text, match)
        raise _Bad(match.reason(text), f"use {NATIONAL} or a region's name or id of studio/regions.toml")
    return None if match.region == NATIONAL else match.region
