"""Conflicts between figures: opened when a change reveals one, held until two people settle it.
A base of DeskStore (studio/store/desk.py).

The store decides nothing: ``rules.conflicting`` says when two figures conflict, ``rules.propose``
and ``rules.confirm`` how a conflict is settled. A conflict is opened (or joined) in the same
transaction as the change of the fact that reveals it (an import, an edit, a reopened figure), so
no reader ever sees the figure without its conflict: lists, the gate and the pull of graphics on
air (store/show.py, one query over ``figure_conflict_figure``) read the conflicts kept here.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from decimal import Decimal
from typing import Any

from studio.desk import rules
from studio.desk.ids import conflict_label
from studio.desk.model import Fact, Figure, FigureConflict, Outcome, ReportRef, Settlement, Source, SourceKind, Status
from studio.i18n import Msg
from studio.store.intake import DeskError, _time, utc_text
from studio.store.sources import SourceTables

_LIVE = tuple(status.value for status in rules.LIVE)


class ConflictTables(SourceTables):
    """Conflicts between figures, their figures as they joined, and every step in a log."""

    # --- DeskStore's, used here ----------------------------------------------------

    def _fact(self, fact_id: int) -> Fact | None:
        raise NotImplementedError

    def _save(self, change: rules.Change) -> Fact:
        raise NotImplementedError

    # --- reading -------------------------------------------------------------------

    def conflict(self, conflict_id: int) -> FigureConflict | None:
        with self.snapshot():
            row = self.db.execute("SELECT * FROM figure_conflict WHERE id = ?", (conflict_id,)).fetchone()
            return None if row is None else self._figure_conflict(row)

    def conflicts(self, *, open_only: bool = False) -> list[FigureConflict]:
        """Every conflict (``open_only``: those not settled yet), by id."""
        sql = "SELECT * FROM figure_conflict" + (" WHERE confirmed_by IS NULL" if open_only else "") + " ORDER BY id"
        with self.snapshot():
            return [self._figure_conflict(row) for row in self.db.execute(sql).fetchall()]

    def conflict_holding(self, fact_id: int) -> FigureConflict | None:
        """The open conflict ``fact_id`` is held in, if any."""
        with self.snapshot():
            row = self.db.execute(
                "SELECT c.* FROM figure_conflict AS c JOIN figure_conflict_figure AS f ON f.conflict_id = c.id "
                "WHERE f.fact_id = ? AND c.confirmed_by IS NULL",
                (fact_id,),
            ).fetchone()
            return None if row is None else self._figure_conflict(row)

    def held_ids(self) -> frozenset[int]:
        """Every fact held in an open conflict."""
        return frozenset(
            row[0]
            for row in self.db.execute(
                "SELECT f.fact_id FROM figure_conflict_figure AS f JOIN figure_conflict AS c ON c.id = f.conflict_id "
                "WHERE c.confirmed_by IS NULL"
            )
        )

    def conflict_log(self, conflict_id: int) -> list[dict[str, Any]]:
        """Every step of a conflict, oldest first: at, who, action (opened, joined, proposed, confirmed), detail."""
        return [
            {"at": row["at"], "who": row["who"], "action": row["action"], **json.loads(row["detail"])}
            for row in self.db.execute(
                "SELECT * FROM figure_conflict_log WHERE conflict_id = ? ORDER BY id", (conflict_id,)
            )
        ]

    def _figure_conflict(self, row: sqlite3.Row) -> FigureConflict:
        kind, region, station, as_of, line = json.loads(row["measure"])
        figures = tuple(
            _figure(item["fact_id"], item["joined_at"], json.loads(item["figure"]))
            for item in self.db.execute(
                "SELECT * FROM figure_conflict_figure WHERE conflict_id = ? ORDER BY joined_at, fact_id", (row["id"],)
            )
        )
        proposal = json.loads(row["proposal"]) if row["proposal"] else None
        return FigureConflict(
            id=row["id"],
            measure=(kind, region, station, _time(as_of), line),
            opened_at=datetime.fromisoformat(row["opened_at"]),
            opened_by=row["opened_by"],
            figures=figures,
            proposal=None if proposal is None else _settlement(proposal),
            confirmed_by=row["confirmed_by"],
            confirmed_at=_time(row["confirmed_at"]),
        )

    # --- settling (each one transaction) ----------------------------------------------

    def propose_settlement(
        self, conflict_id: int, outcome: Outcome, chosen: int | None = None, *, why: str, by: str, at: datetime
    ) -> FigureConflict:
        """``by`` proposes how conflict ``conflict_id`` is settled (rules.propose); it replaces any pending one."""
        with self.write():
            conflict, figures = self._settling(conflict_id)
            settlement = rules.propose(conflict, figures, outcome, chosen, why=why, by=by, at=at)
            self.db.execute("UPDATE figure_conflict SET proposal = ? WHERE id = ?",
                            (json.dumps(_settlement_json(settlement), ensure_ascii=False), conflict_id))
            self._log(conflict_id, at, by, "proposed", _settlement_json(settlement))
            return self._settling(conflict_id)[0]

    def confirm_settlement(self, conflict_id: int, *, by: str, at: datetime) -> FigureConflict:
        """A second person confirms the pending settlement (rules.confirm): the figures it decides change,
        each with its audit entry, and the conflict is settled, in one transaction."""
        with self.write():
            conflict, figures = self._settling(conflict_id)
            for change in rules.confirm(conflict, figures, by=by, at=at):
                self._save(change)
            self.db.execute("UPDATE figure_conflict SET confirmed_by = ?, confirmed_at = ? WHERE id = ?",
                            (by, utc_text(at), conflict_id))
            self._log(conflict_id, at, by, "confirmed", {})
            return self._settling(conflict_id)[0]

    def _settling(self, conflict_id: int) -> tuple[FigureConflict, list[Fact]]:
        conflict = self.conflict(conflict_id)
        if conflict is None:
            raise DeskError(Msg("desk.error.no_conflict", conflict=conflict_label(conflict_id)))
        return conflict, [fact for i in conflict.fact_ids if (fact := self._fact(i)) is not None]

    # --- opening (inside the write of a fact's change) ---------------------------------

    def _track_conflicts(self, fact: Fact, by: str, at: datetime) -> None:
        """Open a conflict for ``fact`` as just written, or add it and the figures it conflicts with to
        the open one of its measure (rules.conflicting decides)."""
        key = rules.measure(fact)
        if key is None or fact.status not in rules.LIVE:
            return
        kind, region, station, as_of, _ = key
        rows = self.db.execute(
            f"SELECT id, value FROM fact WHERE kind = ? AND as_of IS NOT DISTINCT FROM ? AND region IS NOT DISTINCT FROM ? "
            f"AND station IS NOT DISTINCT FROM ? AND id != ? "
            f"AND value IS NOT NULL AND status IN ({', '.join('?' * len(_LIVE))}) ORDER BY id",
            (kind, None if as_of is None else utc_text(as_of), region, station, fact.id, *_LIVE),
        ).fetchall()
        # A figure that could be the same number never conflicts: only the others are read whole.
        clashing = [
            other for row in rows if not rules.consistent(Decimal(row["value"]), fact.value)  # type: ignore[arg-type]
            if (other := self._fact(row["id"])) is not None and rules.conflicting(fact, other)
        ]
        if not clashing:
            return
        measure = _measure_text(key)
        row = self.db.execute(
            "SELECT id FROM figure_conflict WHERE measure = ? AND confirmed_by IS NULL", (measure,)
        ).fetchone()
        if row is None:
            conflict_id = int(self.db.execute(
                "INSERT INTO figure_conflict (measure, opened_at, opened_by) VALUES (?, ?, ?) RETURNING id",
                (measure, utc_text(at), by),
            ).fetchone()[0])
            self._log(conflict_id, at, by, "opened", {"facts": sorted(f.id for f in (*clashing, fact))})
            known: set[int] = set()
        else:
            conflict_id = row["id"]
            known = {r[0] for r in self.db.execute(
                "SELECT fact_id FROM figure_conflict_figure WHERE conflict_id = ?", (conflict_id,))}
        joining = [f for f in sorted((*clashing, fact), key=lambda f: f.id) if f.id not in known]
        for figure in joining:
            self.db.execute(
                "INSERT INTO figure_conflict_figure (conflict_id, fact_id, joined_at, figure) VALUES (?, ?, ?, ?)",
                (conflict_id, figure.id, utc_text(at), json.dumps(_figure_json(figure), ensure_ascii=False)),
            )
            self._log(conflict_id, at, by, "joined", {"fact": figure.id, "value": str(figure.value)})
        if joining and known:  # a pending proposal did not weigh the new figure: it is void
            self.db.execute("UPDATE figure_conflict SET proposal = NULL WHERE id = ?", (conflict_id,))

    def _log(self, conflict_id: int, at: datetime, who: str, action: str, detail: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO figure_conflict_log (conflict_id, at, who, action, detail) VALUES (?, ?, ?, ?, ?)",
            (conflict_id, utc_text(at), who, action, json.dumps(detail, ensure_ascii=False)),
        )


def _measure_text(key: tuple[Any, ...]) -> str:
    kind, region, station, as_of, line = key
    return json.dumps([kind, region, station, None if as_of is None else utc_text(as_of), line], ensure_ascii=False)


def _figure_json(fact: Fact) -> dict[str, Any]:
    return {
        "value": str(fact.value),
        "status": fact.status.value,
        "version": fact.version,
        "sources": [
            {"id": s.id, "kind": s.kind.value, "reference": s.reference, "origin": s.origin, "note": s.note,
             "published_at": None if s.published_at is None else utc_text(s.published_at)}
            for s in fact.sources
        ],
        "reports": [{"id": r.id, "observer": r.observer} for r in fact.reports],
    }


def _figure(fact_id: int, joined_at: str, data: dict[str, Any]) -> Figure:
    return Figure(
        fact_id=fact_id,
        value=Decimal(data["value"]),
        status=Status(data["status"]),
        version=data["version"],
        sources=tuple(
            Source(s["id"], SourceKind(s["kind"]), s["reference"], s["origin"], s["note"], _time(s["published_at"]))
            for s in data["sources"]
        ),
        reports=tuple(ReportRef(r["id"], r["observer"]) for r in data["reports"]),
        joined_at=datetime.fromisoformat(joined_at),
    )


def _settlement_json(settlement: Settlement) -> dict[str, Any]:
    return {
        "outcome": settlement.outcome.value, "chosen": settlement.chosen, "why": settlement.why, "by": settlement.by,
        "at": utc_text(settlement.at), "versions": [list(pair) for pair in settlement.versions],
    }


def _settlement(data: dict[str, Any]) -> Settlement:
    return Settlement(
        Outcome(data["outcome"]), data["chosen"], data["why"], data["by"], datetime.fromisoformat(data["at"]),
        tuple((int(i), int(v)) for i, v in data["versions"]),
    )
