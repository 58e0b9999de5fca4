"""``studio import FILE``: observer reports from a form's or a chat bot's export.

Columns are found through a mapping (``mapping.toml`` documents it). Every
row is checked; a bad row is rejected with its line and reason, kept in the
store's quarantine and in a rejects file, and never stops the good rows.
Good rows are added and grouped in one transaction. Importing the same rows
again adds nothing (see the import keys in mapping.toml). Nothing is lost:
every row of the file is either a report, a duplicate of one, or in the
quarantine.

``studio import-turnout`` and ``import-results`` (official figures) are in ``turnout.py`` and ``results.py``.
"""

from __future__ import annotations

import gc
import json
import re
import sys
import unicodedata
from datetime import UTC, date, datetime
from functools import wraps
from hashlib import blake2b
from json.encoder import encode_basestring as encode_string
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Literal, ParamSpec, TextIO, TypeVar

from studio.desk.gazetteer import HOLD, Gazetteer, Match
from studio.desk.grouping import GroupingOptions
from studio.desk.mapping import DEFAULT_FILE, REQUIRED, Columns, Mapping, load_mapping
from studio.desk.outcome import (
    ImportSummary,
    Rejected,
    check_operator,
    default_rejects_path,
    digest,
    quarantine_rows,
    with_rejects_file,
)
from studio.desk.rows import clean, csv_rows, encoding_problem, json_rows, raw_text, read_text
from studio.desk.text import name_key
from studio.diagnostics import Diagnostic, DiagnosticsError
from studio.i18n import FALLBACK, Msg
from studio.machine import utc_now
from studio.store.desk import DeskStore
from studio.store.held import NewHeld

FIELDS = tuple(Columns.model_fields)  # id, observer, channel, received_at, region, station, kind, text, attachments
STATION_DIGITS = 6
MAX_STATION = 10**STATION_DIGITS - 1
"""The highest polling station number taken (a bigger one is a typo, and would not fit the store)."""


class BadValue(Exception):
    """A rejected row: reason and hint are ``Msg`` (English in the quarantine, any language on screen)."""

    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason)
        self.reason, self.hint = reason, hint


Params = ParamSpec("Params")
Result = TypeVar("Result")


def _collector_paused(function: Callable[Params, Result]) -> Callable[Params, Result]:
    """Run ``function`` with the cyclic garbage collector off (as it was before, after). A big import builds
    about ten objects a row and keeps them to its end, none in a cycle: the collector would walk them all again
    each time the heap grows by a quarter, 0.7 s of a 100,000-row import for nothing (bench/desk_import.py)."""

    @wraps(function)
    def paused(*args: Params.args, **kwargs: Params.kwargs) -> Result:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


@_collector_paused
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
        rows = csv_rows(path, text, columns, required, mapping.delimiter, mapping_file=DEFAULT_FILE)
    else:
        rows = json_rows(path, text, columns, mapping.records, lines=kind == "jsonl")

    parse = _row_parser(mapping, mapping.gazetteer(store.aliases()), one_file=True)
    system = mapping.system or mapping.channel
    good: list[tuple] = []  # (line, key, content digest, row for add_reports, raw row, Match of a held region)
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
            ident, content, record, held = parse(values, line)
        except BadValue as bad:
            rejected.append(Rejected(line, bad.reason, bad.hint, raw_text(raw)))
            continue
        fingerprint = blake2b(content.encode(), digest_size=16).hexdigest()  # digest(), inlined: 100k rows
        key = "id:" + digest(f"{system}\x1f{ident}") if ident else "row:" + fingerprint
        if key in seen:
            if seen[key] != fingerprint:
                rejected.append(_changed(line, raw, Msg("diag.import.earlier")))
            else:
                duplicates += 1
            continue
        seen[key] = fingerprint
        good.append((line, key, fingerprint, record, raw, held))

    at = now()
    with store.write():
        known = store.known_keys([g[1] for g in good])
        held_before = store.held_keys([g[1] for g in good if g[5] is not None])
        fresh, holding = [], []
        for entry in good:
            previous = known.get(entry[1])
            if entry[5] is not None and previous is None:
                if entry[1] in held_before:
                    duplicates += 1
                else:
                    holding.append(_held(path, entry))
            elif previous is None:
                fresh.append(entry)
            elif previous[2] == entry[2]:
                duplicates += 1
            else:
                rejected.append(_changed(entry[0], entry[4], Msg("diag.import.as_report", report=previous[1])))
        batch = store.begin_batch("reports", str(path), by=operator, at=at)
        added = store.add_reports([entry[3] for entry in fresh], batch=batch, grouping=grouping)
        # Keys in the table's order, so its B-tree grows at one end; sorted by the key alone (it is unique): a string
        # sort takes a third of a tuple sort's time.
        keys = [(entry[1], "report", report_id, entry[2]) for entry, report_id in zip(fresh, added.ids)]
        keys.sort(key=itemgetter(0))
        store.add_keys(keys)
        rejected.sort(key=lambda r: r.line)
        quarantined = store.add_quarantine(quarantine_rows(path, rejected), batch=batch)
        held = store.hold(holding, by=operator, at=at)

    summary = ImportSummary(
        path, len(fresh), duplicates, tuple(rejected), quarantined, new_groups=added.new_groups, held=held
    )
    return with_rejects_file(summary, rejects)


def _held(path: Path, entry: tuple) -> NewHeld:
    """A good row whose region the gazetteer could not match, as the queue holds it (its region as written)."""
    line, key, _, record, raw, match = entry
    return NewHeld("reports", record[3], match, str(path), line, list(record), raw_text(raw), key)


def content_of(record: tuple | list) -> str:
    """A checked row's content, for its key and digest: one text per report whatever the spelling of its fields."""
    observer, channel, stamp, region, number, kind, text, paths = record[:8]
    return _content(observer, channel, stamp, region, str(number or ""), kind, text, paths)


def _content(
    observer: str, channel: str, stamp: str, region: str, station: str, kind: str, text: str, paths: str
) -> str:
    """content_of's text, the station as it writes it ('' for none)."""
    return "\x1f".join((observer, channel, stamp, region, station, kind, unicodedata.normalize("NFC", text), paths))


def _changed(line: int, raw: object, where: str) -> Rejected:
    return Rejected(line, Msg("diag.import.changed", where=where), Msg("diag.import.hint.changed"), raw_text(raw))


class FieldRules:
    """The import's checks of single values, each raising ``BadValue`` with its reason and hint.

    The rows' fast path (``_row_parser``) calls them for anything unusual; the
    intake (studio/desk/report_body.py) checks a report's fields with them one
    by one, so it can name every problem of a body at once.
    """

    def __init__(self, mapping: Mapping, gazetteer: Gazetteer | None = None) -> None:
        self.mapping = mapping
        self.gazetteer = gazetteer or mapping.gazetteer()
        self.kinds = mapping.kind_lookup()

    def received(self, value: str | None) -> datetime:
        mapping = self.mapping
        text = (value or "").strip()
        if not text:
            raise BadValue(Msg("diag.import.missing.received_at"), _empty(mapping.columns.received_at))
        try:
            if mapping.time_format:
                instant = datetime.strptime(text, mapping.time_format)
            elif text.isdigit():
                instant = datetime.fromtimestamp(int(text), UTC)
            else:
                instant = datetime.fromisoformat(text)
        except (ValueError, OverflowError, OSError):
            raise BadValue(Msg("diag.import.bad_time", value=repr(text)), Msg("diag.import.hint.time")) from None
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=mapping.time_zone)
        if not 2000 <= instant.year <= 2100:
            raise BadValue(Msg("diag.import.implausible_time", value=repr(text)), Msg("diag.import.hint.date"))
        return instant.astimezone(UTC)

    def region(self, value: str | None) -> Match:
        """The gazetteer's match of ``value``: certain, or one to hold (``HOLD``); BadValue for an empty or overlong one."""
        match = self.gazetteer.match(value or "")
        if match.region is None and match.why not in HOLD:
            if match.why == "empty":
                raise BadValue(Msg("diag.import.missing.region"), _empty(self.mapping.columns.region))
            raise BadValue(match.reason(value or ""), Msg("diag.import.hint.region"))
        return match

    def kind(self, value: str | None) -> str:
        text = (value or "").strip()
        found = self.kinds.get(text) or self.kinds.get(name_key(text)) if text else None
        if found is None:
            raise BadValue(
                Msg("diag.import.unknown_kind", value=repr(text)) if text else Msg("diag.import.missing.kind"),
                Msg("diag.import.hint.kind"),
            )
        return found

    def station(self, value: str | None) -> int | None:
        text = (value or "").strip()
        if not text:
            return None
        if text.isdigit():
            number = int(text)
        else:
            found = _STATION.fullmatch(text)
            if not found:
                raise BadValue(Msg("diag.import.bad_station", value=repr(text)), Msg("diag.import.hint.station"))
            number = int(found[1])
        if not 1 <= number <= MAX_STATION:
            hint = "diag.import.hint.station_from_1" if number < 1 else "diag.import.hint.station"
            raise BadValue(Msg("diag.import.bad_station", value=repr(text)), Msg(hint))
        return number

    def attachments(self, value: str | None) -> str:
        text = (value or "").strip()
        if not text:
            return "[]"
        separator = self.mapping.attachment_separator
        if separator not in text and text[0] != "[":  # one path, most exports' case
            return "[" + encode_string(text) + "]"
        if text.startswith("["):
            try:
                paths = json.loads(text)
            except json.JSONDecodeError:
                paths = None
            if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                raise BadValue(Msg("diag.import.bad_attachments"), Msg("diag.import.hint.attachments", separator=repr(separator)))
        else:
            paths = [part.strip() for part in text.split(separator) if part.strip()]
        return "[" + ", ".join(map(encode_string, paths)) + "]"  # json.dumps, without its per-call cost


def _row_parser(
    mapping: Mapping, gazetteer: Gazetteer | None = None, *, one_file: bool = False
) -> Callable[[tuple, int], tuple[str, str, tuple, Match | None]]:
    """A function that checks one row's values (in FIELDS order) and returns (export id, normalised content
    for the key, the row for DeskStore.add_reports, and the gazetteer's Match when the region is to be held:
    then the row's region is the spelling as written, and its content has the spelling's key).

    ``one_file``: the parser reads one file and is dropped, so it remembers every distinct received_at, region
    and station it parsed (an export repeats them: 31,000 times, 265 spellings and a few thousand stations in
    100,000 rows); a long-lived one (the intake's) would keep all it was ever sent, and its gazetteer has a
    bounded cache of its own."""
    rules = FieldRules(mapping, gazetteer)
    kind_table, time_format = rules.kinds, mapping.time_format
    received, kind_of, station_of = rules.received, rules.kind, rules.station
    attachments_of, default_channel, fromisoformat = rules.attachments, mapping.channel, datetime.fromisoformat
    kind_get = kind_table.get

    def moment(when: str | None) -> tuple[str, float]:
        """(UTC ISO text, Unix seconds)."""
        instant = None
        if not time_format and when:
            try:
                instant = fromisoformat(when)
            except ValueError:
                pass
        if instant is None or instant.tzinfo is None or not 2000 <= instant.year <= 2100:
            instant = received(when)
        instant = instant.astimezone(UTC)
        return instant.isoformat(), instant.timestamp()

    def number(station: str | None) -> tuple[int | None, str]:
        """(the number, as the content writes it)."""
        plain = station and station.isdigit() and station[0] != "0" and len(station) <= STATION_DIGITS
        found = int(station) if plain else station_of(station)
        return found, str(found or "")

    moment_of, match_of, number_of = (
        (_Remembered(moment).__getitem__, _Remembered(rules.region).__getitem__, _Remembered(number).__getitem__)
        if one_file else (moment, rules.region, number)
    )

    def parse(values: tuple, line: int) -> tuple[str, str, tuple, Match | None]:
        # Fast paths inline; anything unusual goes to the careful functions above.
        ident, observer, channel, when, region, station, kind, text, attachments = values
        observer = observer.strip() if observer else ""
        if not observer:
            raise BadValue(Msg("diag.import.missing.observer"), _empty(mapping.columns.observer))
        text = text.strip() if text else ""
        if not text:
            raise BadValue(Msg("diag.import.missing.text"), _empty(mapping.columns.text))
        stamp, seconds = moment_of(when)
        match = match_of(region)
        held = None if match.region is not None else match
        keyed, region = (match.region, match.region) if held is None else (match.spelling, region.strip())
        kind = kind_get(kind) or kind_of(kind)
        number, written = number_of(station)
        channel = (channel.strip() if channel else "") or default_channel
        paths = attachments_of(attachments) if attachments else "[]"
        content = _content(observer, channel, stamp, keyed, written, kind, text, paths)
        ident = ident.strip() if ident else ""
        row = (observer, channel, stamp, region, number, kind, text, paths, line, seconds)
        return ident, content, row, held

    return parse


class _Remembered(dict):
    """``answer`` of each distinct value, worked out at its first lookup and kept (a one-file parser's): a hit
    is one dict lookup, in C. A value whose answer raises is not kept."""

    __slots__ = ("answer",)

    def __init__(self, answer: Callable[[Any], Any]) -> None:
        super().__init__()
        self.answer = answer

    def __missing__(self, value: Any) -> Any:
        found = self[value] = self.answer(value)
        return found


def _empty(column: str) -> Msg:
    return Msg("diag.import.hint.empty_column", column=repr(column))


_STATION = re.compile(r"(?:№|#|N|No\.?|УИК|ТИК|участок|учаске|сайлау учаскесі)?\s*№?\s*(\d+)", re.IGNORECASE)


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix == ".json":
        return "json"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise DiagnosticsError([Diagnostic(path, 1, 0, Msg("diag.import.format", file=path.name), Msg("diag.import.hint.format"))])


def run(
    store: DeskStore,
    file: Path,
    *,
    operator: str,
    what: Literal["reports", "turnout", "results"] = "reports",
    mapping: Any = None,
    day: date | None = None,
    rejects: Path | None = None,
    out: TextIO | None = None,
    language: str = FALLBACK,
) -> int:
    """What ``studio import``, ``import-turnout`` and ``import-results`` do: import, print the summary in
    ``language``, and return the exit status: 0, or 1 when rows were rejected. ``mapping``: the command's
    mapping (a path, a loaded one, or None: the default); ``day``: the show's date, for turnout's bare hours.
    File-level problems raise DiagnosticsError (the CLI prints them, exits 2)."""
    if what == "turnout":
        from studio.desk.turnout import import_turnout

        summary = import_turnout(store, Path(file), operator=operator, mapping=mapping, day=day, rejects=rejects)
    elif what == "results":
        from studio.desk.results import import_results

        summary = import_results(store, Path(file), operator=operator, mapping=mapping, rejects=rejects)
    else:
        summary = import_reports(store, Path(file), operator=operator, mapping=mapping, rejects=rejects)
    print(summary.render(language), file=out or sys.stdout)
    return 1 if summary.rejected else 0


__all__ = ["ImportSummary", "Rejected", "default_rejects_path", "import_reports", "run"]
