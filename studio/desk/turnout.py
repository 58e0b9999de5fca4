"""``studio import-turnout FILE --operator NAME``: the commission's turnout figures.

The file is shaped like studio/sample/referendum-2026/referendum-2026-turnout.csv::

    local_time,region,turnout_percent,voters,registered,source
    2026-03-15T10:00+05:00,national,19.21,2393844,12461796,https://...

Each row becomes a turnout fact (region None for ``national``, ``value`` the
percent exactly as published, ``as_of`` the release instant in UTC, voters
and registered in ``detail``) with the row's URL attached as its source,
typed by studio/desk/sources.toml: the commission's own page is official;
a news site is media quoting the commission (its ``quotes`` is a source
standing for the commission's release of that instant, which is not
attached: nobody at the desk has seen the commission's page yet). The
operator is the fact's creator; the import goes through the rules like any
desk change (create, then start review: two audit entries).

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

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from studio.desk import rules
from studio.desk.outcome import (
    ImportSummary,
    Rejected,
    check_operator,
    digest,
    quarantine_rows,
    with_rejects_file,
)
from studio.desk.model import Claim, Draft, Fact, ReportKind, Source, SourceKind, Status
from studio.desk.sources import classify, commission_origin
from studio.desk.rows import clean, csv_rows, encoding_problem, raw_text, read_text
from studio.desk.text import name_key
from studio.diagnostics import Diagnostic
from studio.machine import utc_now
from studio.regions import NATIONAL, regions
from studio.store.desk import DeskStore

COLUMNS = ("local_time", "region", "turnout_percent", "voters", "registered", "source")
REQUIRED = ("local_time", "region", "turnout_percent", "source")
LOCAL = ZoneInfo("Asia/Almaty")


class _Bad(Exception):
    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason)
        self.reason, self.hint = reason, hint


def import_turnout(
    store: DeskStore,
    path: Path,
    *,
    operator: str,
    rejects: Path | None = None,
    now: Callable[[], datetime] = utc_now,
) -> ImportSummary:
    path = Path(path)
    operator = check_operator(path, operator)
    text, cleanly = read_text(path, "utf-8-sig")
    rejected: list[Rejected] = []
    good = []
    for line, values, raw, problem, hint in csv_rows(path, text, COLUMNS, REQUIRED, ","):
        if values is not None and not cleanly and not all(clean(v) for v in values if v is not None):
            values, (problem, hint) = None, encoding_problem("utf-8", "".join(v for v in values if v))
        if values is None:
            rejected.append(Rejected(line, problem, hint, raw_text(raw)))
            continue
        try:
            good.append((line, *_parse(values)))
        except _Bad as bad:
            rejected.append(Rejected(line, bad.reason, bad.hint, raw_text(raw)))

    at = now()
    added = duplicates = corroborated = 0
    warnings: list[Diagnostic] = []
    with store.write():
        batch = store.begin_batch("turnout", str(path), by=operator, at=at)
        known = store.known_keys([entry[1] for entry in good])
        seen: set[str] = set()
        for line, key, region, as_of, value, detail, url in good:
            if key in known or key in seen:
                duplicates += 1
                continue
            seen.add(key)
            where = f"imported from {path.name}:{line}"
            existing = [
                f for f in store.turnout_facts(region, as_of) if f.status not in (Status.FALSE, Status.RETRACTED)
            ]
            source = release_source(store, url, as_of, operator, at)
            same = next((f for f in existing if f.value == value), None)
            if same is not None:
                if any(s.id == source.id for s in same.sources):
                    duplicates += 1
                    fact = same
                else:
                    fact = store.change(same.id, same.version, rules.AttachSource(source, where), by=operator, at=at)
                    corroborated += 1
            else:
                fact = _create(store, region, as_of, value, detail, source.id, operator, at, where)
                added += 1
                # a figure that could be the same number, printed with other decimals, is no disagreement
                warnings += [_disagreement(path, line, fact, o) for o in existing if rules.disagree(fact, o)]
            store.add_keys([(key, "fact", fact.id, key)])
        quarantined = store.add_quarantine(quarantine_rows(path, rejected), batch=batch)
    summary = ImportSummary(
        path, added, duplicates, tuple(rejected), quarantined, corroborated=corroborated, warnings=tuple(warnings)
    )
    return with_rejects_file(summary, rejects)


def _create(
    store: DeskStore, region: str | None, as_of: datetime, value: Decimal, detail: tuple, source_id: int,
    operator: str, at: datetime, where: str,
) -> Fact:
    draft = Draft(ReportKind.TURNOUT, claim(region, as_of, value), region, None, value, as_of, detail)
    fact = store.create_fact(draft, by=operator, at=at, source_ids=[source_id], why=where)
    return store.change(
        fact.id, fact.version, rules.StartReview("official figure imported; a second person verifies it"),
        by=operator, at=at,
    )


def release_source(store: DeskStore, url: str, as_of: datetime, operator: str, at: datetime) -> Source:
    """The row's page as a source: official on the commission's site, else a reprint quoting the commission."""
    kind = classify(url) or SourceKind.MEDIA  # a page the rules cannot place is never the commission's word
    quoted = None
    if kind is not SourceKind.OFFICIAL:
        quoted = store.add_source(
            SourceKind.OFFICIAL, release_reference(as_of), origin=commission_origin(), by=operator, at=at,
            note="as quoted by the press; the commission's own page is not attached",
        ).id
    return store.add_source(kind, url, by=operator, at=at, note="turnout release", quotes=quoted)


def release_reference(as_of: datetime) -> str:
    """How a source standing for the commission's own release of ``as_of`` is referred to."""
    return f"turnout release {as_of.astimezone(LOCAL).isoformat(timespec='minutes')}"


def claim(region: str | None, as_of: datetime, value: Decimal) -> Claim:
    """The on-air sentence in Kazakh and Russian, with a decimal comma."""
    hour = as_of.astimezone(LOCAL).strftime("%H:%M")
    figure = f"{value}".replace(".", ",")
    if region is None:
        kk_place, ru_place = "Қазақстан бойынша", "По Казахстану"
    else:
        kk_place, ru_place = regions()[region].kk, regions()[region].ru
    return Claim(
        kk=f"{kk_place}: сағат {hour}-дегі жағдай бойынша сайлаушылардың келуі {figure}%",
        ru=f"{ru_place}: явка на {hour} — {figure}%",
    )


def _disagreement(path: Path, line: int, fact: Fact, other: Fact) -> Diagnostic:
    place = "the country" if fact.region is None else fact.region
    hour = fact.as_of.astimezone(LOCAL).strftime("%H:%M") if fact.as_of else "?"
    return Diagnostic(
        path,
        line,
        0,
        f"{place} at {hour}: {fact.value}% (new fact #{fact.id}) differs from {other.value}% "
        f"(fact #{other.id}, {other.status.value})",
        "both are kept; the desk compares the sources and decides",
    )


def _parse(values: tuple) -> tuple[str, str | None, datetime, Decimal, tuple, str]:
    local_time, region_text, percent, voters, registered, url = (v.strip() if v else "" for v in values)
    try:
        instant = datetime.fromisoformat(local_time)
    except ValueError:
        raise _Bad(f"cannot read the time {local_time!r}", "write it like 2026-03-15T10:00+05:00") from None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=LOCAL)
    as_of = instant.astimezone(UTC)
    if region_text == NATIONAL:
        region = None
    else:
        region = region_text if region_text in regions() else _region_by_name(region_text)
    try:
        value = Decimal(percent)
    except InvalidOperation:
        raise _Bad(f"turnout {percent!r} is not a number", "write the percent like 19.21") from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise _Bad(f"turnout {percent!r} is not a percentage", "between 0 and 100")
    detail = []
    for name, figure in (("voters", voters), ("registered", registered)):
        if figure:
            if not figure.isdigit():
                raise _Bad(f"{name} {figure!r} is not a whole number", "leave it empty when not published")
            detail.append((name, figure))
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[x": a bracket that opens no IPv6 address
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise _Bad(f"source {url!r} is not a web address", "give the URL the figure was read from")
    key = "turnout:" + digest("\x1f".join((as_of.isoformat(), region or NATIONAL, str(value), voters, registered, url)))
    return key, region, as_of, value, tuple(detail), url


def _region_by_name(text: str) -> str:
    wanted = name_key(text)
    for region in regions().values():
        if wanted in (name_key(region.kk), name_key(region.ru), name_key(region.en)):
            return region.id
    raise _Bad(f"unknown region {text!r}", f"use {NATIONAL} or a region id of studio/regions.toml")
