"""The desk's tables: facts and their audit (conflicts between figures are in conflicts.py, sources in
sources.py, reports, imports and the quarantine in intake.py: DeskStore's bases).

The store decides nothing about facts: every change goes through
``studio.desk.rules`` and is written with its one audit entry in the same
transaction. Changes are optimistic: the caller passes the version of the
fact it read, and a fact that someone else changed since raises
``ConflictError`` instead of being overwritten. Times are UTC ISO 8601 text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

from studio.desk import rules
from studio.desk.ids import fact_label, report_label
from studio.desk.model import (
    LISTED_CONFLICT,
    AuditEntry,
    Claim,
    Draft,
    Fact,
    ReportKind,
    ReportRef,
    Status,
)
from studio.errors import Kind, StudioError
from studio.i18n import FALLBACK, Msg
from studio.regions import NATIONAL, regions
from studio.store.backends import open_database
from studio.store.held import HeldTables
from studio.store.intake import Added, DeskError, GroupSummary, NewReport, QuarantineRow, _time, utc_text
from studio.store.conflicts import ConflictTables

__all__ = [
    "Added", "ConflictError", "DeskError", "DeskStore", "GroupSummary", "Listed", "NewReport", "QuarantineRow",
    "open_desk", "utc_text",
]


class ConflictError(StudioError):
    """Someone else changed the fact since it was read; reload and decide again."""

    kind = Kind.CONFLICT

    def __init__(self, fact_id: int, read: int, current: int, who: str, at: datetime | None) -> None:
        when = f"{at:%H:%M:%S} UTC" if at else "?"
        # For the logs, every version; for a person, who changed it and what to do (the desk says it in local time).
        super().__init__(Msg("desk.error.conflict", fact=fact_id, who=who, at=when, current=current, read=read))
        self.said = Msg("fact.cli.changed", fact=fact_label(fact_id), who=who, at=when)
        self.fact_id, self.read, self.current, self.who, self.at = fact_id, read, current, who, at

    def render(self, language: str = FALLBACK) -> str:
        return self.said.render(language)


@dataclass(frozen=True, slots=True)
class Listed:
    """A fact as a list shows it: ``status`` is its Status value, or ``conflict`` (held: rules.listed_status)."""

    fact: Fact
    status: str


class DeskStore(ConflictTables, HeldTables):
    """Typed access to the desk tables; implements ``studio.desk.FactReader``.

    ``policy`` is the station's evidence policy (config ``[desk]``), which every
    verdict is judged by.
    """

    def __init__(self, db: Any, policy: rules.EvidencePolicy = rules.EvidencePolicy()) -> None:
        super().__init__(db)
        self.policy = policy

    # --- facts: reading -----------------------------------------------------

    def get(self, fact_id: int) -> Fact | None:
        with self.snapshot():
            return self._fact(fact_id)

    def facts(self, status: Status | None = None, kind: ReportKind | None = None) -> list[Fact]:
        where, params = [], []
        if status is not None:
            where.append("status = ?")
            params.append(Status(status).value)
        if kind is not None:
            where.append("kind = ?")
            params.append(ReportKind(kind).value)
        sql = "SELECT id FROM fact" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        with self.snapshot():
            return [self._fact(row[0]) for row in self.db.execute(sql, params).fetchall()]  # type: ignore[misc]

    def is_empty(self) -> bool:
        """No report and no fact yet: a store nobody has worked in."""
        return not self.db.execute("SELECT EXISTS (SELECT 1 FROM report) OR EXISTS (SELECT 1 FROM fact)").fetchone()[0]

    def verified_turnout(self, hour: datetime) -> list[Fact]:
        """FactReader: verified turnout at ``hour``, one per region, the country first."""
        with self.snapshot():
            rows = self.db.execute(
                "SELECT id FROM fact WHERE kind = 'turnout' AND as_of = ? AND status = 'verified' "
                "ORDER BY verified_at, id",
                (utc_text(hour),),
            ).fetchall()
            latest: dict[str | None, Fact] = {}
            for row in rows:
                fact = self._fact(row[0])
                if fact is not None:
                    latest[fact.region] = fact  # values that agree: rules.is_rival forbids others
        order = {None: -1} | {region: index for index, region in enumerate(regions())}
        return sorted(latest.values(), key=lambda f: order.get(f.region, len(order)))

    def turnout_facts(self, region: str | None, as_of: datetime, *, every_region: bool = False) -> list[Fact]:
        """Every turnout fact for ``region`` (None: the country) at ``as_of``, in
        any status; ``every_region``: for all regions and the country."""
        sql = "SELECT id FROM fact WHERE kind = 'turnout' AND as_of = ?"
        params: tuple[Any, ...] = (utc_text(as_of),)
        if not every_region:
            sql, params = sql + " AND region IS NOT DISTINCT FROM ?", (*params, region)
        with self.snapshot():
            rows = self.db.execute(sql + " ORDER BY id", params).fetchall()
            return [f for row in rows if (f := self._fact(row[0])) is not None]

    def turnout_held(self, as_of: datetime) -> tuple[list[Fact], frozenset[int]]:
        """Every turnout figure at ``as_of`` (every region and the country) and which of them are held in
        an open conflict, read in one snapshot."""
        with self.snapshot():
            return self.turnout_facts(None, as_of, every_region=True), self.held_ids()

    def listing(
        self, status: str | None = None, *, region: str | None = None, kind: ReportKind | None = None
    ) -> list[Listed]:
        """Facts as a list shows them, by id: ``status`` a Status value or ``conflict``
        (a figure held in an open conflict, rules.listed_status); ``region`` a
        region id or ``national`` (the whole country). Unknown values raise DeskError."""
        if status is not None and status != LISTED_CONFLICT and status not in set(Status):
            choices = ", ".join((*Status, LISTED_CONFLICT))
            raise DeskError(Msg("desk.error.status", given=repr(status), choices=choices), kind=Kind.BAD_INPUT)
        if region is not None and region != NATIONAL and region not in regions():
            raise DeskError(Msg("desk.error.region", given=repr(region), national=NATIONAL), kind=Kind.BAD_INPUT)
        with self.snapshot():
            facts = self.facts(kind=kind)
            held = self.held_ids()
        listed = [
            Listed(fact, rules.listed_status(fact, fact.id in held))
            for fact in facts
            if region is None or (fact.region or NATIONAL) == region
        ]
        return [item for item in listed if status is None or item.status == status]

    def listing_status(self, fact: Fact) -> str:
        """The status a list shows for ``fact``: its status, or ``conflict`` (rules.listed_status)."""
        return rules.listed_status(fact, self.conflict_holding(fact.id) is not None)

    def audit(self, fact_id: int) -> list[AuditEntry]:
        return [
            AuditEntry(
                fact_id=row["fact_id"],
                version=row["version"],
                at=datetime.fromisoformat(row["at"]),
                who=row["who"],
                action=row["action"],
                why=row["why"],
                before=json.loads(row["before"]) if row["before"] else None,
                after=json.loads(row["after"]),
            )
            for row in self.db.execute("SELECT * FROM fact_audit WHERE fact_id = ? ORDER BY version", (fact_id,))
        ]

    def _fact(self, fact_id: int) -> Fact | None:
        row = self.db.execute("SELECT * FROM fact WHERE id = ?", (fact_id,)).fetchone()
        if row is None:
            return None
        sources = tuple(
            self._source(s)
            for s in self.db.execute(
                "SELECT s.* FROM fact_source f JOIN source s ON s.id = f.source_id WHERE f.fact_id = ? ORDER BY s.id",
                (fact_id,),
            )
        )
        reports = tuple(
            ReportRef(r[0], r[1])
            for r in self.db.execute(
                "SELECT r.id, r.observer FROM fact_report f JOIN report r ON r.id = f.report_id "
                "WHERE f.fact_id = ? ORDER BY r.id",
                (fact_id,),
            )
        )
        return Fact(
            id=row["id"],
            kind=ReportKind(row["kind"]),
            claim=Claim(row["claim_kk"], row["claim_ru"]),
            region=row["region"],
            station=row["station"],
            value=None if row["value"] is None else Decimal(row["value"]),
            as_of=_time(row["as_of"]),
            detail=tuple(sorted(json.loads(row["detail"]).items())),
            status=Status(row["status"]),
            created_by=row["created_by"],
            created_at=datetime.fromisoformat(row["created_at"]),
            updated_at=datetime.fromisoformat(row["updated_at"]),
            version=row["version"],
            editors=tuple(json.loads(row["editors"])),
            verified_by=row["verified_by"],
            verified_at=_time(row["verified_at"]),
            correction=Claim(row["correction_kk"], row["correction_ru"]),
            sources=sources,
            reports=reports,
        )

    # --- facts: changing (each is one transaction, or joins write()) ---------

    def create_fact(
        self,
        draft: Draft,
        *,
        by: str,
        at: datetime,
        source_ids: Sequence[int] = (),
        report_ids: Sequence[int] = (),
        why: str = "created",
    ) -> Fact:
        with self.write():
            change = rules.create(
                draft, by=by, at=at, sources=self._sources(source_ids), reports=self._report_refs(report_ids), why=why
            )
            return self._save(change)

    def change(self, fact_id: int, version: int, action: rules.Action, *, by: str, at: datetime) -> Fact:
        """Apply ``action`` to the fact as read at ``version``; the fact after it.

        Raises ConflictError if the fact is no longer at ``version``, and
        rules.RuleError if the rules refuse; either way nothing changes.
        """
        with self.write():
            fact = self._fact(fact_id)
            if fact is None:
                raise DeskError(Msg("desk.error.no_fact", fact=fact_label(fact_id)))
            if fact.version != version:
                raise self._conflict(fact, version)
            # Whatever the caller put in the action, the rules judge the stored source or report.
            if isinstance(action, rules.AttachSource):
                action = replace(action, source=self._sources([action.source.id])[0])
            elif isinstance(action, rules.LinkReports):
                action = replace(action, reports=self._report_refs([r.id for r in action.reports]))
            rivals: list[Fact] = []
            if isinstance(action, rules.Verify) and fact.as_of is not None:
                rivals = [f for f in self._verified_at(fact.kind, fact.as_of) if f.id != fact.id]
            change = rules.apply(fact, action, by=by, at=at, rivals=rivals, policy=self.policy, held=self.conflict_holding(fact.id))
            return self._save(change)

    def attach_source(self, fact_id: int, version: int, source_id: int, *, by: str, at: datetime) -> Fact:
        source = self._sources([source_id])[0]
        return self.change(fact_id, version, rules.AttachSource(source), by=by, at=at)

    def link_reports(self, fact_id: int, version: int, report_ids: Sequence[int], *, by: str, at: datetime) -> Fact:
        return self.change(fact_id, version, rules.LinkReports(self._report_refs(report_ids)), by=by, at=at)

    def create_from_group(
        self,
        draft: Draft,
        group_id: int,
        *,
        by: str,
        at: datetime,
        source_ids: Sequence[int] = (),
        why: str = "created from a group of reports",
    ) -> Fact:
        """A new fact with every report of group ``group_id`` linked as evidence (one audit entry)."""
        with self.write():
            reports = self.group_reports(group_id)
            if not reports:
                raise DeskError(Msg("desk.error.no_group", group=report_label(group_id)))
            return self.create_fact(
                draft, by=by, at=at, source_ids=source_ids, report_ids=[r.id for r in reports], why=why
            )

    def release(self, as_of: datetime, source_id: int) -> list[Fact]:
        """The figures of one official release: facts in review about instant ``as_of``
        that carry source ``source_id``, by id."""
        with self.snapshot():
            rows = self.db.execute(
                "SELECT f.id FROM fact AS f JOIN fact_source AS s ON s.fact_id = f.id "
                "WHERE f.as_of = ? AND s.source_id = ? AND f.status = 'in_review' ORDER BY f.id",
                (utc_text(as_of), source_id),
            ).fetchall()
            return [f for row in rows if (f := self._fact(row[0])) is not None]

    def verify_release(
        self, read: Sequence[tuple[int, int]], source_id: int, *, by: str, at: datetime, why: str
    ) -> list[Fact]:
        """Verify the facts ``read`` as (id, version) as one release of source ``source_id``:
        one transaction, all or nothing, one audit entry per fact. Raises
        ConflictError when one changed since it was read, rules.ReleaseRefused
        naming every fact that blocks and why."""
        with self.write():
            facts = []
            for fact_id, version in read:
                fact = self._fact(fact_id)
                if fact is None:
                    raise DeskError(Msg("desk.error.no_fact", fact=fact_label(fact_id)))
                if fact.version != version:
                    raise self._conflict(fact, version)
                facts.append(fact)
            members = {fact.id for fact in facts}
            rivals = [
                rival
                for instant in {(f.kind, f.as_of) for f in facts if f.as_of is not None}
                for rival in self._verified_at(*instant)
                if rival.id not in members
            ]
            held = {fact.id: conflict for fact in facts if (conflict := self.conflict_holding(fact.id)) is not None}
            changes = rules.verify_release(
                facts, source_id=source_id, by=by, at=at, why=why, rivals=rivals, policy=self.policy, held=held
            )
            return [self._save(change) for change in changes]

    def _verified_at(self, kind: ReportKind, as_of: datetime) -> list[Fact]:
        rows = self.db.execute(
            "SELECT id FROM fact WHERE kind = ? AND as_of = ? AND status = 'verified' ORDER BY id",
            (kind.value, utc_text(as_of)),
        ).fetchall()
        return [f for row in rows if (f := self._fact(row[0])) is not None]

    def _conflict(self, fact: Fact, read: int) -> ConflictError:
        last = self.db.execute(
            "SELECT who, at FROM fact_audit WHERE fact_id = ? ORDER BY version DESC LIMIT 1", (fact.id,)
        ).fetchone()
        return ConflictError(fact.id, read, fact.version, last["who"], _time(last["at"]))

    def _save(self, change: rules.Change) -> Fact:
        after = change.after
        values = (
            after.kind.value,
            after.claim.kk,
            after.claim.ru,
            after.region,
            after.station,
            None if after.value is None else str(after.value),
            None if after.as_of is None else utc_text(after.as_of),
            json.dumps(dict(after.detail), ensure_ascii=False),
            after.status.value,
            utc_text(after.updated_at),
            json.dumps(list(after.editors), ensure_ascii=False),
            after.verified_by,
            None if after.verified_at is None else utc_text(after.verified_at),
            after.correction.kk,
            after.correction.ru,
            after.version,
        )
        columns = (
            "kind, claim_kk, claim_ru, region, station, value, as_of, detail, status, updated_at, editors, "
            "verified_by, verified_at, correction_kk, correction_ru, version"
        )
        before = change.before
        if before is None:
            cursor = self.db.execute(
                f"INSERT INTO fact ({columns}, created_by, created_at) VALUES ({', '.join('?' * (len(values) + 2))})"
                " RETURNING id",
                (*values, after.created_by, utc_text(after.created_at)),
            )
            after = replace(after, id=int(cursor.fetchone()[0]))
            old_sources: set[int] = set()
            old_reports: set[int] = set()
        else:
            assignments = ", ".join(f"{name.strip()} = ?" for name in columns.split(","))
            cursor = self.db.execute(
                f"UPDATE fact SET {assignments} WHERE id = ? AND version = ?", (*values, before.id, before.version)
            )
            if cursor.rowcount != 1:  # cannot happen inside the write transaction; a net all the same
                raise ConflictError(before.id, before.version, -1, "another terminal", None)
            old_sources, old_reports = {s.id for s in before.sources}, {r.id for r in before.reports}
        new_sources, new_reports = {s.id for s in after.sources}, {r.id for r in after.reports}
        links = (("fact_source", "source_id", old_sources, new_sources),
                 ("fact_report", "report_id", old_reports, new_reports))
        for table, column, old, new in links:  # names from this code, never from input
            self.db.executemany(f"INSERT INTO {table} (fact_id, {column}) VALUES (?, ?)",
                                [(after.id, i) for i in sorted(new - old)])
            self.db.executemany(f"DELETE FROM {table} WHERE fact_id = ? AND {column} = ?",
                                [(after.id, i) for i in sorted(old - new)])
        self.db.execute(
            "INSERT INTO fact_audit (fact_id, version, at, who, action, why, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                after.id,
                after.version,
                utc_text(change.at),
                change.by,
                change.action,
                change.why,
                None if before is None else json.dumps(before.snapshot(), ensure_ascii=False),
                json.dumps(after.snapshot(), ensure_ascii=False),
            ),
        )
        self._track_conflicts(after, change.by, change.at)
        return after


def open_desk(
    location: Path | str, policy: rules.EvidencePolicy = rules.EvidencePolicy(), *, files: str = ""
) -> DeskStore:
    """The desk's view of the store at ``location``, a SQLite file's path or a PostgreSQL URL (opening
    migrates it, like open_store), judging by ``policy``; ``files``: config.toml's [store] files, where a
    PostgreSQL store's attachments are (studio/paths.py ``store_files``)."""
    desk = DeskStore(open_database(location), policy)
    desk.files_setting = files
    return desk
