"""The intake side of the desk's tables: what came in and how it was grouped.

Reports are only ever added (DeskStore.add_reports groups them as they go
in); imports are logged as batches, their rows' keys make a second import
add nothing, and the rows they could not take wait in the quarantine.
Times are UTC ISO 8601 text.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Callable, Iterable, Sequence

from studio.desk import rules
from studio.desk.grouping import Bucket, Grouper, GroupingOptions, Item
from studio.desk.ids import report_label
from studio.desk.model import Report, ReportKind, ReportRef
from studio.errors import Kind, StudioError
from studio.i18n import Msg
from studio.regions import regions
from studio.store.db import Connection

_CHUNK = 500  # host parameters per IN (...) query
_NEARBY = "SELECT id, received_at, text, group_id, region, station, kind FROM report_grouped WHERE "
_BUCKET = "(region = ? AND station {} AND kind = ? AND received_at BETWEEN ? AND ?)"
"""The stored reports of one bucket within a time span, its station ``= ?`` or ``IS NULL``: so the index on
(region, station, kind, received_at) serves all four columns on PostgreSQL too, which cannot use an index for
``IS NOT DISTINCT FROM`` (it read every station's reports of the region and kind in the window, and more of them
the longer the intake ran). Several buckets are ORed in one SELECT, each its own range of the index: PostgreSQL
plans one view, not one a bucket (a UNION ALL of an intake group's 16 took 2.1 ms to plan, this 0.4 ms)."""
_BUCKETS_A_QUERY = 50
_NEXT_ID = "SELECT COALESCE(MAX(id), 0) + 1 FROM report"


def utc_text(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat()


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


class DeskError(StudioError):
    """A desk request that names something that does not exist, or is malformed (``kind`` says which)."""

    kind = Kind.NOT_FOUND


@dataclass(frozen=True, slots=True)
class NewReport:
    """A report to add; ``received_at`` is aware. See DeskStore.add_reports."""

    observer: str
    channel: str
    received_at: datetime
    region: str
    station: int | None
    kind: ReportKind
    text: str
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """One item of the desk's queue: a group of near-identical reports."""

    group_id: int
    region: str
    station: int | None
    kind: ReportKind
    reports: int
    observers: int
    first_at: datetime
    last_at: datetime
    lead_text: str
    facts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class QuarantineRow:
    id: int
    file: str
    line: int
    reason: str
    raw: str
    at: datetime
    operator: str


Nearby = tuple[int, list[tuple[Item, int]]]
"""What add_reports reads before it writes: the next report id, and the stored reports near the new ones with
their groups (and their groups' leads)."""


@dataclass(frozen=True, slots=True)
class Added:
    """What add_reports did: the new ids and their groups in input order, and how many groups began."""

    ids: list[int]
    groups: list[int]
    new_groups: int


class IntakeTables(Connection):
    """Reports, their groups, import batches, import keys and the quarantine.
    The base of DeskStore, which adds facts and sources."""

    # --- reports ------------------------------------------------------------

    def add_report(
        self, report: NewReport, *, by: str, at: datetime, grouping: GroupingOptions = GroupingOptions()
    ) -> Report:
        """One report typed in at the desk (a phone call), grouped like imported ones."""
        row = (
            report.observer.strip(),
            report.channel.strip(),
            utc_text(report.received_at),
            report.region,
            report.station,
            ReportKind(report.kind).value,
            report.text.strip(),
            json.dumps(list(report.attachments), ensure_ascii=False),
            0,
            report.received_at.timestamp(),
        )
        if not (row[0] and row[1] and row[6]) or report.region not in regions():
            raise DeskError(Msg("desk.error.report_fields"), kind=Kind.BAD_INPUT)
        if report.station is not None and (isinstance(report.station, bool) or report.station < 1):
            raise DeskError(Msg("desk.error.station", given=repr(report.station)), kind=Kind.BAD_INPUT)
        with self.write():
            batch = self.begin_batch("desk", "", by=by, at=at)
            added = self.add_reports([row], batch=batch, grouping=grouping)
            return self.reports(added.ids)[0]

    def begin_batch(self, kind: str, file: str, *, by: str, at: datetime) -> int:
        """Record one import ('reports', 'turnout') or desk entry ('desk'); its id."""
        cursor = self.db.execute(
            "INSERT INTO import_batch (kind, file, at, operator) VALUES (?, ?, ?, ?) RETURNING id",
            (kind, file, utc_text(at), by),
        )
        return int(cursor.fetchone()[0])

    def add_reports(
        self,
        rows: Sequence[tuple[Any, ...]],
        *,
        batch: int,
        grouping: GroupingOptions = GroupingOptions(),
        nearby: Nearby | None = None,
    ) -> Added:
        """Add checked rows ``(observer, channel, received_at (UTC ISO text), region,
        station, kind, text, attachments JSON, line, received_at (Unix seconds))``
        of ``batch`` and group them with each other and with the stored reports
        near them. Call inside write(). ``nearby``: what nearby_later read for
        these rows (or for more), earlier in this transaction; else it is read
        here (the stored reports only when there are any: an import into an
        empty store asks for none).

        Ids follow (region, station, kind, time), not the order of ``rows``:
        the indexes then grow in order, which makes a big import several
        times faster, and a group's lead is its earliest report."""
        if not rows:
            return Added([], [], 0)
        assert self.db.in_transaction, "add_reports must run inside write()"
        if nearby is None:
            first_id = self.db.execute(_NEXT_ID).fetchone()[0]
            nearby = (first_id, self._nearby_later(rows, grouping)() if first_id > 1 else [])
        first_id, stored = nearby
        keyed = [(r[3], r[4] or 0, r[5], r[2], n) for n, r in enumerate(rows)]
        keyed.sort()
        order = [entry[4] for entry in keyed]
        ids = [0] * len(rows)
        for offset, n in enumerate(order):
            ids[n] = first_id + offset
        items = [(ids[n], (r[3], r[4], r[5]), r[9], r[6]) for n in order for r in (rows[n],)]
        grouper = Grouper(grouping)
        grouper.seed(stored)
        groups = grouper.assign(items, presorted=True)
        self.insert_rows(
            "INSERT INTO report (id, observer, channel, received_at, region, station, kind, text, attachments, "
            "group_id, batch, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(ids[n], *rows[n][:8], groups[ids[n]], batch, rows[n][8]) for n in order],
        )
        # The queue's summary rows: new groups whole, stored groups extended. (BETWEEN, not id >= ?: PostgreSQL
        # then keeps one plan for the statement instead of planning it again at every call.)
        self.db.execute(
            """INSERT INTO report_group (id, region, station, kind, first_at, last_at, reports)
               SELECT group_id, region, station, kind, MIN(received_at), MAX(received_at), COUNT(*)
               FROM report WHERE id BETWEEN ? AND ? GROUP BY group_id, region, station, kind  -- one bucket a group
               ON CONFLICT (id) DO UPDATE SET
                   first_at = CASE WHEN excluded.first_at < report_group.first_at
                                   THEN excluded.first_at ELSE report_group.first_at END,
                   last_at = CASE WHEN excluded.last_at > report_group.last_at
                                  THEN excluded.last_at ELSE report_group.last_at END,
                   reports = report_group.reports + excluded.reports""",
            (first_id, first_id + len(rows) - 1),
        )
        return Added(
            ids, [groups[report_id] for report_id in ids], sum(1 for report_id in ids if groups[report_id] == report_id)
        )

    def nearby_later(self, rows: Sequence[tuple[Any, ...]], grouping: GroupingOptions) -> Callable[[], Nearby]:
        """add_reports' reads for ``rows`` (as it takes them), sent now and read when the result is called: inside
        together(), a database server answers them in the same round trip as the caller's own."""
        asked_next = self.db.execute(_NEXT_ID)
        asked_stored = self._nearby_later(rows, grouping)
        return lambda: (asked_next.fetchone()[0], asked_stored())

    def _nearby_later(
        self, rows: Sequence[tuple[Any, ...]], grouping: GroupingOptions
    ) -> Callable[[], list[tuple[Item, int]]]:
        """Stored reports in the rows' buckets within the window (asked now), and their groups' leads (asked when
        the result is called, for leads outside the window)."""
        spans: dict[Bucket, tuple[float, float]] = {}
        for row in rows:
            bucket, at = (row[3], row[4], row[5]), row[9]
            low, high = spans.get(bucket, (at, at))
            spans[bucket] = (min(low, at), max(high, at))
        window = grouping.window.total_seconds()
        buckets = list(spans.items())
        # One statement for many buckets: one round trip to a database server for an intake's group of reports,
        # not one a bucket.
        asked = []
        for start in range(0, len(buckets), _BUCKETS_A_QUERY):
            chunk = buckets[start : start + _BUCKETS_A_QUERY]
            terms: list[str] = []
            parameters: list[Any] = []
            for (region, station, kind), (low, high) in chunk:
                terms.append(_BUCKET.format("IS NULL" if station is None else "= ?"))
                parameters += [region, *(() if station is None else (station,)), kind]
                parameters += [_utc_seconds(low - window), _utc_seconds(high + window)]
            asked.append(self.db.execute(_NEARBY + " OR ".join(terms), parameters))

        def read() -> list[tuple[Item, int]]:
            found: dict[int, tuple[Item, int]] = {}
            for row in (row for rows in asked for row in rows):
                found[row[0]] = ((row[0], (row[4], row[5], row[6]), _seconds(row[1]), row[2]), row[3])
            leads = sorted({group for _, group in found.values()} - set(found))
            for start in range(0, len(leads), _CHUNK):
                chunk = leads[start : start + _CHUNK]
                for row in self.db.execute(
                    f"SELECT id, region, station, kind, received_at, text, group_id FROM report_grouped "
                    f"WHERE id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                ):
                    found[row[0]] = ((row[0], (row[1], row[2], row[3]), _seconds(row[4]), row[5]), row[6])
            return list(found.values())

        return read

    def report(self, report_id: int) -> Report | None:
        found = self.reports([report_id])
        return found[0] if found else None

    def reports(self, ids: Sequence[int]) -> list[Report]:
        """The reports with these ids, in the order asked; unknown ids are left out."""
        rows: dict[int, sqlite3.Row] = {}
        ids = list(ids)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for row in self.db.execute(
                f"SELECT * FROM report_grouped WHERE id IN ({', '.join('?' * len(chunk))})", chunk
            ):
                rows[row["id"]] = row
        return [_report(rows[i]) for i in ids if i in rows]

    def group_reports(self, group_id: int) -> list[Report]:
        """The reports of a group, oldest first (a group lives in its lead's bucket)."""
        lead = self.report(group_id)
        if lead is None:
            return []
        return [
            _report(row)
            for row in self.db.execute(
                "SELECT * FROM report_grouped WHERE region = ? AND station IS NOT DISTINCT FROM ? AND kind = ? AND group_id = ? "
                "ORDER BY received_at, id",
                (lead.region, lead.station, lead.kind.value, group_id),
            )
        ]

    def split(self, group_id: int, report_ids: Sequence[int], *, by: str, at: datetime, why: str) -> int:
        """Split wrongly grouped reports out of group ``group_id``: together they form a
        new group, led by the earliest of them, whose id is returned. The reports
        themselves never change; each move is a row of report_move. Raises DeskError
        for an unknown group, rules.RuleError when the rules refuse (see rules.plan_split)."""
        who = (by or "").strip()
        if not who:
            raise rules.RuleError("fact.who", Msg("desk.rule.detail.who"), kind=Kind.BAD_INPUT)
        with self.write():
            group = self.group_reports(group_id)
            if not group:
                raise DeskError(Msg("desk.error.no_group", group=report_label(group_id)))
            lead = rules.plan_split(group, report_ids, why)
            self.db.executemany(
                "INSERT INTO report_move (report_id, group_id, from_group, at, who, why) VALUES (?, ?, ?, ?, ?, ?)",
                [(report_id, lead, group_id, utc_text(at), who, why.strip()) for report_id in sorted(set(report_ids))],
            )
            for changed in (group_id, lead):
                self._summarise(group[0], changed)
        return lead

    def _summarise(self, member: Report, group_id: int) -> None:
        """Recount the queue's summary row of a group in ``member``'s bucket."""
        self.db.execute(
            """INSERT INTO report_group (id, region, station, kind, first_at, last_at, reports)
               SELECT ?, region, station, kind, MIN(received_at), MAX(received_at), COUNT(*) FROM report_grouped
               WHERE region = ? AND station IS NOT DISTINCT FROM ? AND kind = ? AND group_id = ?
               GROUP BY region, station, kind
               ON CONFLICT (id) DO UPDATE SET first_at = excluded.first_at, last_at = excluded.last_at,
                   reports = excluded.reports""",
            (group_id, member.region, member.station, member.kind.value, group_id),
        )

    def provenance(self, report_id: int) -> tuple[str, int, datetime, str] | None:
        """Where a report came from: (file, line, imported at, by whom)."""
        row = self.db.execute(
            "SELECT b.file, r.line, b.at, b.operator FROM report r JOIN import_batch b ON b.id = r.batch "
            "WHERE r.id = ?",
            (report_id,),
        ).fetchone()
        return None if row is None else (row[0], row[1], datetime.fromisoformat(row[2]), row[3])

    def groups(self, *, open_only: bool = True, limit: int = 200) -> list[GroupSummary]:
        """The desk's queue, newest activity first; ``open_only``: no fact linked yet."""
        linked = "SELECT 1 FROM fact_report AS f JOIN report_grouped AS x ON x.id = f.report_id WHERE x.group_id = g.id"
        with self.snapshot():
            rows = self.db.execute(
                """
                SELECT top.*, lead.text,
                       (SELECT COUNT(DISTINCT observer) FROM report_grouped AS r WHERE r.region = top.region
                        AND r.station IS NOT DISTINCT FROM top.station AND r.kind = top.kind AND r.group_id = top.id)
                       AS observers
                FROM (SELECT g.id, g.region, g.station, g.kind, g.reports, g.first_at, g.last_at
                      FROM report_group AS g
                """
                + (f" WHERE NOT EXISTS ({linked})" if open_only else "")
                + """ ORDER BY g.last_at DESC, g.id LIMIT ?) AS top
                JOIN report AS lead ON lead.id = top.id
                ORDER BY top.last_at DESC, top.id""",
                (limit,),
            ).fetchall()
            facts = self._linked_facts([row["id"] for row in rows]) if not open_only else {}
        return [
            GroupSummary(
                group_id=row["id"],
                region=row["region"],
                station=row["station"],
                kind=ReportKind(row["kind"]),
                reports=row["reports"],
                observers=row["observers"],
                first_at=datetime.fromisoformat(row["first_at"]),
                last_at=datetime.fromisoformat(row["last_at"]),
                lead_text=row["text"],
                facts=tuple(sorted(facts.get(row["id"], ()))),
            )
            for row in rows
        ]

    def _linked_facts(self, group_ids: Sequence[int]) -> dict[int, set[int]]:
        """The facts linked to any report of each of these groups."""
        linked: dict[int, set[int]] = {}
        for start in range(0, len(group_ids), _CHUNK):
            chunk = group_ids[start : start + _CHUNK]
            for row in self.db.execute(
                "SELECT x.group_id, f.fact_id FROM fact_report AS f JOIN report_grouped AS x ON x.id = f.report_id "
                f"WHERE x.group_id IN ({', '.join('?' * len(chunk))})",
                chunk,
            ):
                linked.setdefault(row[0], set()).add(row[1])
        return linked

    def _report_refs(self, ids: Iterable[int]) -> list[ReportRef]:
        wanted = list(dict.fromkeys(ids))
        found = {r.id: ReportRef(r.id, r.observer) for r in self.reports(wanted)}
        missing = [i for i in wanted if i not in found]
        if missing:
            raise DeskError(Msg("desk.error.no_report", report=report_label(missing[0])))
        return [found[i] for i in wanted]

    # --- import plumbing (studio/desk/importer.py, inside write()) -----------

    def known_keys(self, keys: Sequence[str]) -> dict[str, tuple[str, int, str]]:
        """Of ``keys``, those imported before: key -> (target, target id, digest)."""
        if not keys or self.db.execute("SELECT NOT EXISTS (SELECT 1 FROM import_key)").fetchone()[0]:
            return {}
        found: dict[str, tuple[str, int, str]] = {}
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            for row in self.db.execute(
                f"SELECT key, target, target_id, digest FROM import_key WHERE key IN ({', '.join('?' * len(chunk))})",
                chunk,
            ):
                found[row[0]] = (row[1], row[2], row[3])
        return found

    def add_keys(self, rows: Iterable[tuple[str, str, int, str]]) -> None:
        """Record imported rows: (key, 'report' or 'fact', target id, digest)."""
        self.insert_rows("INSERT INTO import_key (key, target, target_id, digest) VALUES (?, ?, ?, ?)", list(rows))

    def add_quarantine(self, rows: Iterable[tuple[str, int, str, str]], *, batch: int) -> int:
        """Keep rejected rows (key, line, reason, raw) of ``batch``; the number not kept before."""
        return self.db.executemany(  # rowcount: the rows inserted, summed over the executions
            "INSERT INTO quarantine (key, batch, line, reason, raw) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [(key, batch, line, reason, raw) for key, line, reason, raw in rows],
        ).rowcount

    def quarantine(self, file: str | None = None) -> list[QuarantineRow]:
        """Rows imports could not take, oldest first; ``file``: of that file (as given)."""
        sql = (
            "SELECT q.id, b.file, q.line, q.reason, q.raw, b.at, b.operator FROM quarantine q "
            "JOIN import_batch b ON b.id = q.batch"
        )
        params: tuple[str, ...] = ()
        if file is not None:
            sql, params = sql + " WHERE b.file = ?", (file,)
        return [
            QuarantineRow(r[0], r[1], r[2], r[3], r[4], datetime.fromisoformat(r[5]), r[6])
            for r in self.db.execute(sql + " ORDER BY q.id", params)
        ]


def _seconds(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def _utc_seconds(seconds: float) -> str:
    return utc_text(datetime.fromtimestamp(seconds, UTC))


def _report(row: sqlite3.Row) -> Report:
    return Report(
        id=row["id"],
        observer=row["observer"],
        channel=row["channel"],
        received_at=datetime.fromisoformat(row["received_at"]),
        region=row["region"],
        station=row["station"],
        kind=ReportKind(row["kind"]),
        text=row["text"],
        attachments=tuple(json.loads(row["attachments"])),
        group_id=row["group_id"],
    )
