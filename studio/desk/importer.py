"""``studio import FILE``: observer reports from a form's or a chat bot's export.

Columns are found through a mapping (``mapping.toml`` documents it). Every
row is checked; a bad row is rejected with its line and reason, kept in the
store's quarantine and in a rejects file, and never stops the good rows.
Good rows are added and grouped in one transaction. Importing the same rows
again adds nothing (see the import keys in mapping.toml). Nothing is lost:
every row of the file is either a report, a duplicate of one, or in the
quarantine.

``studio import-turnout`` (official figures) is in ``turnout.py``.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
import unicodedata
from datetime import UTC, datetime
from hashlib import blake2b
from json.encoder import encode_basestring as encode_string
from pathlib import Path
from typing import Callable, TextIO

from studio.desk.grouping import GroupingOptions
from studio.desk.mapping import REQUIRED, Columns, Mapping, load_mapping
from studio.desk.outcome import (
    ImportSummary,
    Rejected,
    check_operator,
    default_rejects_path,
    digest,
    quarantine_rows,
    utc_now,
    with_rejects_file,
)
from studio.desk.rows import clean, csv_rows, encoding_problem, json_rows, raw_text, read_text
from studio.desk.text import name_key
from studio.diagnostics import Diagnostic, DiagnosticsError
from studio.store.desk import DeskStore

FIELDS = tuple(Columns.model_fields)  # id, observer, channel, received_at, region, station, kind, text, attachments


class _Bad(Exception):
    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason)
        self.reason, self.hint = reason, hint


def import_reports(
    store: DeskStore,
    path: Path,
    *,
    operator: str,
    mapping: Mapping | Path | None = None,
    rejects: Path | None = None,
    grouping: GroupingOptions = GroupingOptions(),
    now: Callable[[], datetime] = utc_now,
) -> ImportSummary:
    """Import the reports in ``path``. Rejected rows go to the quarantine and
    to ``rejects`` (default: FILE.rejects.csv beside it). File-level problems
    raise DiagnosticsError and change nothing."""
    path = Path(path)
    operator = check_operator(path, operator)
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    text, cleanly = read_text(path, mapping.encoding)
    columns = [getattr(mapping.columns, name) for name in FIELDS]
    required = [getattr(mapping.columns, name) for name in REQUIRED]
    kind = mapping.format if mapping.format != "auto" else _format_of(path)
    if kind == "csv":
        rows = csv_rows(path, text, columns, required, mapping.delimiter)
    else:
        rows = json_rows(path, text, columns, mapping.records, lines=kind == "jsonl")

    parse = _row_parser(mapping)
    system = mapping.system or mapping.channel
    good: list[tuple] = []  # (line, key, content digest, row for add_reports, raw row)
    rejected: list[Rejected] = []
    seen: dict[str, str] = {}
    duplicates = 0
    for line, values, raw, problem, hint in rows:
        if values is not None and not cleanly and not all(clean(v) for v in values if v is not None):
            values, (problem, hint) = None, encoding_problem(mapping.encoding, "".join(v for v in values if v))
        if values is None:
            rejected.append(Rejected(line, problem, hint, raw_text(raw)))
            continue
        try:
            ident, content, record = parse(values, line)
        except _Bad as bad:
            rejected.append(Rejected(line, bad.reason, bad.hint, raw_text(raw)))
            continue
        fingerprint = blake2b(content.encode(), digest_size=16).hexdigest()  # digest(), inlined: 100k rows
        key = "id:" + digest(f"{system}\x1f{ident}") if ident else "row:" + fingerprint
        if key in seen:
            if seen[key] != fingerprint:
                rejected.append(_changed(line, raw, "earlier in this file"))
            else:
                duplicates += 1
            continue
        seen[key] = fingerprint
        good.append((line, key, fingerprint, record, raw))

    at = now()
    with store.write():
        known = store.known_keys([g[1] for g in good])
        fresh = []
        for entry in good:
            previous = known.get(entry[1])
            if previous is None:
                fresh.append(entry)
            elif previous[2] == entry[2]:
                duplicates += 1
            else:
                rejected.append(_changed(entry[0], entry[4], f"as report #{previous[1]}"))
        batch = store.begin_batch("reports", str(path), by=operator, at=at)
        added = store.add_reports([entry[3] for entry in fresh], batch=batch, grouping=grouping)
        store.add_keys(sorted((entry[1], "report", report_id, entry[2]) for entry, report_id in zip(fresh, added.ids)))
        rejected.sort(key=lambda r: r.line)
        quarantined = store.add_quarantine(quarantine_rows(path, rejected), batch=batch)

    summary = ImportSummary(
        path, len(fresh), duplicates, tuple(rejected), quarantined, new_groups=added.new_groups
    )
    return with_rejects_file(summary, rejects)


def _changed(line: int, raw: object, where: str) -> Rejected:
    return Rejected(
        line,
        f"this row's id was imported {where} with different content; the first version is kept",
        "a changed report is a new report: send it with a new id",
        raw_text(raw),
    )


def _row_parser(mapping: Mapping) -> Callable[[tuple, int], tuple[str, str, tuple]]:
    """A function that checks one row's values (in FIELDS order) and returns
    (export id, normalised content for the key, the row for DeskStore.add_reports)."""
    region_table, kind_table = mapping.region_lookup(), mapping.kind_lookup()
    zone, time_format, separator = mapping.time_zone, mapping.time_format, mapping.attachment_separator
    default_channel = mapping.channel
    fromisoformat, strptime = datetime.fromisoformat, datetime.strptime

    def received(value: str | None) -> datetime:
        text = (value or "").strip()
        if not text:
            raise _Bad("missing received time", f"the column {mapping.columns.received_at!r} is empty")
        try:
            if time_format:
                instant = strptime(text, time_format)
            elif text.isdigit():
                instant = datetime.fromtimestamp(int(text), UTC)
            else:
                instant = fromisoformat(text)
        except (ValueError, OverflowError, OSError):
            raise _Bad(
                f"cannot read the time {text!r}",
                "use ISO 8601 such as 2026-03-15T10:01:02+05:00, or set time_format in the mapping",
            ) from None
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=zone)
        if not 2000 <= instant.year <= 2100:
            raise _Bad(f"the time {text!r} is not plausible", "check the date")
        return instant.astimezone(UTC)

    def region_of(value: str | None) -> str:
        text = (value or "").strip()
        found = region_table.get(text) or region_table.get(name_key(text)) if text else None
        if found is None:
            if not text:
                raise _Bad("missing region", f"the column {mapping.columns.region!r} is empty")
            close = difflib.get_close_matches(name_key(text), list(region_table), n=1)
            guess = f"did you mean {region_table[close[0]]!r}? " if close else ""
            raise _Bad(
                f"unknown region {text!r}",
                guess + "use a region id or name of studio/regions.toml, or add the spelling under [regions] "
                "in the mapping",
            )
        return found

    def kind_of(value: str | None) -> str:
        text = (value or "").strip()
        found = kind_table.get(text) or kind_table.get(name_key(text)) if text else None
        if found is None:
            raise _Bad(
                f"unknown kind {text!r}" if text else "missing kind",
                "one of turnout, violation, incident, queue, other (or add the spelling under [kinds])",
            )
        return found

    def station_of(value: str | None) -> int | None:
        text = (value or "").strip()
        if not text:
            return None
        if text.isdigit():
            number = int(text)
        else:
            found = _STATION.fullmatch(text)
            if not found:
                raise _Bad(f"the station {text!r} is not a number", "give the polling station number, e.g. 123")
            number = int(found[1])
        if number < 1:
            raise _Bad(f"the station {text!r} is not a number", "station numbers start at 1")
        return number

    def attachments_of(value: str | None) -> str:
        text = (value or "").strip()
        if not text:
            return "[]"
        if text.startswith("["):
            try:
                paths = json.loads(text)
            except json.JSONDecodeError:
                paths = None
            if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                raise _Bad("attachments are not a list of paths", f"separate paths with {separator!r}")
        else:
            paths = [part.strip() for part in text.split(separator) if part.strip()]
        return "[" + ", ".join(map(encode_string, paths)) + "]"  # json.dumps, without its per-call cost

    region_get, kind_get, normalize = region_table.get, kind_table.get, unicodedata.normalize

    def parse(values: tuple, line: int) -> tuple[str, str, tuple]:
        # Fast paths inline; anything unusual goes to the careful functions above.
        ident, observer, channel, when, region, station, kind, text, attachments = values
        observer = observer.strip() if observer else ""
        if not observer:
            raise _Bad("missing observer", f"the column {mapping.columns.observer!r} is empty")
        text = text.strip() if text else ""
        if not text:
            raise _Bad("missing text", f"the column {mapping.columns.text!r} is empty")
        instant = None
        if not time_format and when:
            try:
                instant = fromisoformat(when)
            except ValueError:
                pass
        if instant is None or instant.tzinfo is None or not 2000 <= instant.year <= 2100:
            instant = received(when)
        instant = instant.astimezone(UTC)
        stamp = instant.isoformat()
        region = region_get(region) or region_of(region)
        kind = kind_get(kind) or kind_of(kind)
        number = int(station) if station and station.isdigit() and station[0] != "0" else station_of(station)
        channel = (channel.strip() if channel else "") or default_channel
        paths = attachments_of(attachments) if attachments else "[]"
        content = "\x1f".join(
            (observer, channel, stamp, region, str(number or ""), kind, normalize("NFC", text), paths)
        )
        ident = ident.strip() if ident else ""
        row = (observer, channel, stamp, region, number, kind, text, paths, line, instant.timestamp())
        return ident, content, row

    return parse


_STATION = re.compile(r"(?:№|#|N|No\.?|УИК|ТИК|участок|учаске|сайлау учаскесі)?\s*№?\s*(\d+)", re.IGNORECASE)


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix == ".json":
        return "json"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise DiagnosticsError(
        [Diagnostic(path, 1, 0, f"cannot tell the format of {path.name}", 'set format = "csv", "json" or "jsonl" '
                    "in a mapping file (--mapping)")]
    )


def run(
    store: DeskStore,
    file: Path,
    *,
    operator: str,
    turnout: bool = False,
    mapping: Path | None = None,
    rejects: Path | None = None,
    out: TextIO | None = None,
) -> int:
    """What ``studio import`` and ``studio import-turnout`` do: import, print the
    summary, and return the exit status: 0, or 1 when rows were rejected.
    File-level problems raise DiagnosticsError (the CLI prints them, exits 2)."""
    if turnout:
        from studio.desk.turnout import import_turnout

        summary = import_turnout(store, Path(file), operator=operator, rejects=rejects)
    else:
        summary = import_reports(store, Path(file), operator=operator, mapping=mapping, rejects=rejects)
    print(summary, file=out or sys.stdout)
    return 1 if summary.rejected else 0


__all__ = ["ImportSummary", "Rejected", "default_rejects_path", "import_reports", "run"]
