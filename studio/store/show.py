"""The show's live state, its played record and its event log.

On both databases (studio/store/postgresql.py): its SQL is the dialect SQLite and PostgreSQL share."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Self

from studio.desk.ids import fact_label
from studio.i18n import Msg
from studio.onair import OnAirGraphic
from studio.store.backends import open_database
from studio.store.db import Connection


SLATE_ON, SLATE_OFF = "slate_on", "slate_off"
"""Events of the slate covering the on-air segment (its feed died) and of its picture coming back."""
COVER_ENDS = ("take", "undo", "end")
"""Events after which whatever the slate covered is gone: the programme is a new segment, or the show is over."""


def to_text(instant: datetime) -> str:
    return instant.isoformat()


def from_text(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass(frozen=True, slots=True)
class Withdrawn:
    """A fact an on-air graphic states that no longer stands as it was rendered."""

    template: str
    fact_id: int
    version: int  # as rendered
    status: str | None  # now; None: there is no such fact
    now_version: int | None
    in_conflict: bool  # held in an open conflict between figures (studio/store/conflicts.py)

    @property
    def reason(self) -> Msg:
        """Why, in any language (the event log keeps its English)."""
        fact = fact_label(self.fact_id)
        if self.status is None:
            return Msg("onair.withdrawn.missing", fact=fact)
        if self.now_version != self.version:
            return Msg("onair.withdrawn.changed", fact=fact, version=self.version, now=self.now_version,
                       status=Msg(f"desk.status.{self.status}"))
        return Msg("onair.withdrawn.conflict", fact=fact)


@dataclass(frozen=True, slots=True)
class AsRunRow:
    """One played segment as it was taken (open while on air)."""

    id: int
    segment_id: str
    kind: str
    title_kk: str
    title_ru: str
    region: str | None
    planned: timedelta
    started_at: datetime
    ended_at: datetime | None
    taken_by: str
    origin: str
    note: str
    rehearsal: bool = False  # played in a rehearsal (studio rehearse), never on air

    @property
    def duration(self) -> timedelta | None:
        return None if self.ended_at is None else self.ended_at - self.started_at

    @property
    def deviation(self) -> timedelta | None:
        duration = self.duration
        return None if duration is None else duration - self.planned

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> AsRunRow:
        return cls(
            id=row["id"],
            segment_id=row["segment_id"],
            kind=row["kind"],
            title_kk=row["title_kk"],
            title_ru=row["title_ru"],
            region=row["region"],
            planned=timedelta(seconds=row["planned_s"]),
            started_at=from_text(row["started_at"]),
            ended_at=from_text(row["ended_at"]) if row["ended_at"] else None,
            taken_by=row["taken_by"],
            origin=row["origin"],
            note=row["note"],
            rehearsal=bool(row["rehearsal"]),
        )


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    at: datetime
    action: str
    segment_id: str | None
    who: str
    origin: str
    detail: dict[str, Any]
    rehearsal: bool = False  # written by a rehearsal (studio rehearse)


@dataclass(frozen=True, slots=True)
class ShowState:
    """Everything live about one show, read in one consistent snapshot."""

    show: dict[str, Any] | None
    segments: list[dict[str, Any]] | None
    revision: int
    held: frozenset[str]
    skipped: frozenset[str]
    played: tuple[AsRunRow, ...]  # closed rows, oldest first
    on_air: AsRunRow | None


REHEARSAL_ROW = "(CASE WHEN ? OR EXISTS (SELECT 1 FROM rehearsal) THEN 1 ELSE 0 END)"
"""The ``rehearsal`` value of a new event or as-run row: this process rehearses, or the store is a rehearsal's."""


@dataclass(frozen=True, slots=True)
class RehearsalMark:
    """The one row that makes a whole store a rehearsal's, with the rehearsal's clock."""

    show_id: str
    begun_at: datetime  # the wall clock
    simulated_start: datetime
    speed: float
    seed: int


class ShowStore(Connection):
    """Typed access to the show tables. Writes go through ``write()``.

    ``rehearses``: this process is a rehearsal, so every event and as-run row it writes is marked
    as one (a store marked as a rehearsal's marks every row whoever writes it).
    """

    rehearses = False

    def __init__(self, db: Any) -> None:
        super().__init__(db)
        # What state() decoded last: a take reads the whole plan and as-run, which change a row at a time,
        # so an unchanged plan is not read again (every save bumps its revision) and unchanged rows are not
        # decoded again (the console's take waits on this read).
        self._plan_read: tuple[str, int] | None = None  # show id, revision
        self._plan: tuple[dict[str, Any], list[dict[str, Any]]] | None = None
        self._asrun: dict[tuple[Any, ...], AsRunRow] = {}
        self._commits = 0  # this connection's write transactions: data_version does not count them

    @contextmanager
    def write(self, together: bool = False) -> Iterator[Self]:
        """As ``Connection.write``; a plan read inside a write that is rolled back is forgotten: its revision
        may be committed later with other texts."""
        try:
            with super().write(together):
                yield self
        except BaseException:
            self._plan_read = None
            raise
        self._commits += 1

    def stamp(self) -> tuple[int, int]:
        """What moves whenever the show's state may have changed: another connection committed, or this one
        wrote (the show's tables are written inside ``write()`` only). Taken before a ``state()``: while it
        is the same, that state is current, and inside a write it stays so."""
        return self.committed_mark(), self._commits

    def rehearsal_mark(self) -> RehearsalMark | None:
        row = self.db.execute("SELECT * FROM rehearsal").fetchone()
        if row is None:
            return None
        return RehearsalMark(row["show_id"], from_text(row["begun_at"]), from_text(row["simulated_start"]),
                             row["speed"], row["seed"])

    def rehearsal_began(self, at: datetime, speed: float) -> None:
        """The rehearsal's day runs from ``at`` (the wall) at ``speed``: another process reads its clock from
        here. A resumed rehearsal gives the wall's moment its day would have begun at, unstopped."""
        with self.write():
            self.db.execute("UPDATE rehearsal SET begun_at = ?, speed = ?", (to_text(at), speed))

    def mark_rehearsal(self, mark: RehearsalMark) -> None:
        """Make this whole store a rehearsal's (inside write()): from now on every row is marked."""
        self.db.execute(
            "INSERT INTO rehearsal (id, show_id, begun_at, simulated_start, speed, seed) VALUES (1, ?, ?, ?, ?, ?)",
            (mark.show_id, to_text(mark.begun_at), to_text(mark.simulated_start), mark.speed, mark.seed),
        )

    # --- reading -----------------------------------------------------------

    def state(self, show_id: str) -> ShowState:
        known = self._plan_read[1] if self._plan_read and self._plan_read[0] == show_id else 0
        with self.snapshot():
            plan = self.db.execute(
                "SELECT revision, CASE WHEN revision = ? THEN NULL ELSE show END AS show,"
                " CASE WHEN revision = ? THEN NULL ELSE segments END AS segments FROM plan WHERE show_id = ?",
                (known, known, show_id),
            ).fetchone()
            flags = self.db.execute("SELECT segment_id, flag FROM flag WHERE show_id = ?", (show_id,)).fetchall()
            parsed, self._asrun = self._asrun, {}
            for row in self.db.execute(
                "SELECT * FROM asrun WHERE show_id = ? AND undone = 0 ORDER BY started_at, id", (show_id,)
            ).fetchall():  # all at once: on PostgreSQL, row by row costs a call into the driver each
                key = tuple(row)
                self._asrun[key] = parsed.get(key) or AsRunRow.from_row(row)
            rows = list(self._asrun.values())
        show, segments = self._decoded_plan(show_id, plan) if plan else (None, None)
        return ShowState(
            show=show,
            segments=segments,
            revision=plan["revision"] if plan else 0,
            held=frozenset(r["segment_id"] for r in flags if r["flag"] == "held"),
            skipped=frozenset(r["segment_id"] for r in flags if r["flag"] == "skipped"),
            played=tuple(r for r in rows if r.ended_at is not None),
            on_air=next((r for r in rows if r.ended_at is None), None),
        )

    def _decoded_plan(self, show_id: str, plan: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The plan's JSON decoded, once per revision (a state is read-only: its holders never change it);
        ``plan`` has its texts only when the revision is not the one decoded last."""
        if plan["show"] is not None:
            self._plan_read = (show_id, plan["revision"])
            self._plan = (json.loads(plan["show"]), json.loads(plan["segments"]))
        assert self._plan is not None
        return self._plan

    def graphics(self, show_id: str) -> tuple[OnAirGraphic, ...]:
        """The graphics on air, in the order they were taken, each with the facts it states (in one query:
        a row per fact, one for a graphic stating none)."""
        rows = self.db.execute(
            """SELECT g.template, g.file, g.scene, g.segment_id, g.detail, f.fact_id, f.version
               FROM graphic g LEFT JOIN graphic_fact f ON f.show_id = g.show_id AND f.template = g.template
               WHERE g.show_id = ? ORDER BY g.taken_at, g.template, f.fact_id""",
            (show_id,),
        ).fetchall()
        facts: dict[str, list[tuple[int, int]]] = {}
        graphics: dict[str, Any] = {}  # template: its first row
        for row in rows:
            graphics.setdefault(row["template"], row)
            if row["fact_id"] is not None:
                facts.setdefault(row["template"], []).append((row["fact_id"], row["version"]))
        out = []
        for template, row in graphics.items():
            detail = json.loads(row["detail"])
            out.append(
                OnAirGraphic(
                    template=template,
                    file=row["file"],
                    scene=row["scene"],
                    segment_id=row["segment_id"],
                    placement=tuple(detail["placement"]),  # type: ignore[arg-type]
                    canvas=tuple(detail["canvas"]),  # type: ignore[arg-type]
                    description=detail.get("description", ""),
                    facts=tuple(facts.get(template, ())),
                )
            )
        return tuple(out)

    def withdrawn(self, show_id: str) -> list[Withdrawn]:
        """Facts on air that no longer stand as rendered: one query, however many graphics are up.

        A fact stands while it is at the version the graphic was rendered with (every change of a
        fact, its status included, bumps its version) and is not held in an open conflict between
        figures. Whether figures conflict is decided in Python (``studio.desk.rules.conflicting``)
        when a change reveals it, and kept in ``figure_conflict``: this query only reads the result.
        """
        rows = self.db.execute(
            """
            SELECT gf.template, gf.fact_id, gf.version, f.status, f.version AS now_version,
                   EXISTS (
                       SELECT 1 FROM figure_conflict_figure m JOIN figure_conflict c ON c.id = m.conflict_id
                       WHERE m.fact_id = gf.fact_id AND c.confirmed_by IS NULL
                   ) AS in_conflict
            FROM graphic_fact gf LEFT JOIN fact f ON f.id = gf.fact_id
            WHERE gf.show_id = ?
            ORDER BY gf.template, gf.fact_id
            """,
            (show_id,),
        ).fetchall()
        return [
            Withdrawn(row["template"], row["fact_id"], row["version"], row["status"], row["now_version"],
                      bool(row["in_conflict"]))
            for row in rows
            if row["status"] is None or row["now_version"] != row["version"] or row["in_conflict"]
        ]

    def events(self, show_id: str, after_id: int = 0) -> list[EventRow]:
        return [
            _event(row)
            for row in self.db.execute(
                "SELECT * FROM event WHERE show_id = ? AND id > ? ORDER BY id", (show_id, after_id)
            )
        ]

    def under_slate(self, show_id: str) -> bool:
        """Whether the slate covers the on-air segment: a ``slate_on`` since its take, not lifted by a ``slate_off``."""
        actions = (SLATE_ON, SLATE_OFF, *COVER_ENDS)
        row = self.db.execute(
            f"SELECT action FROM event WHERE show_id = ? AND action IN ({', '.join('?' * len(actions))})"
            " ORDER BY id DESC LIMIT 1",
            (show_id, *actions),
        ).fetchone()
        return row is not None and row["action"] == SLATE_ON

    def pulled_since_take(self, show_id: str, template: str) -> EventRow | None:
        """The last time ``template`` was pulled off air for a withdrawn fact since the last take, if it was."""
        rows = self.db.execute(
            """SELECT * FROM event WHERE show_id = ? AND action = 'graphic_pulled'
               AND id > (SELECT COALESCE(MAX(id), 0) FROM event WHERE show_id = ? AND action = 'take')
               ORDER BY id DESC""",
            (show_id, show_id),
        ).fetchall()
        found = next((row for row in rows if json.loads(row["detail"]).get("template") == template), None)
        return None if found is None else _event(found)

    # --- writing (call inside write()) --------------------------------------

    def save_plan(self, show_id: str, show: dict[str, Any], segments: list[dict[str, Any]]) -> None:
        self.db.execute(
            """INSERT INTO plan (show_id, show, segments, revision) VALUES (?, ?, ?, 1)
               ON CONFLICT (show_id) DO UPDATE SET show = excluded.show, segments = excluded.segments,
               revision = plan.revision + 1""",
            (show_id, json.dumps(show, ensure_ascii=False), json.dumps(segments, ensure_ascii=False)),
        )

    def set_flag(self, show_id: str, segment_id: str, flag: str | None) -> None:
        if flag is None:
            self.db.execute("DELETE FROM flag WHERE show_id = ? AND segment_id = ?", (show_id, segment_id))
        else:
            self.db.execute(
                "INSERT INTO flag (show_id, segment_id, flag) VALUES (?, ?, ?)"
                " ON CONFLICT (show_id, segment_id) DO UPDATE SET flag = excluded.flag",
                (show_id, segment_id, flag),
            )

    def open_asrun(
        self, show_id: str, snapshot: dict[str, Any], started_at: datetime, taken_by: str, origin: str
    ) -> None:
        """The segment on air from ``started_at``. Nothing is read back: inside ``write(together=True)``, a
        take's, nothing waits for the server (the row is ``state().on_air``)."""
        self.db.execute(
            f"""INSERT INTO asrun (show_id, segment_id, kind, title_kk, title_ru, region, planned_s,
               started_at, taken_by, origin, rehearsal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {REHEARSAL_ROW})""",
            (
                show_id,
                snapshot["id"],
                snapshot["kind"],
                snapshot["title"]["kk"],
                snapshot["title"]["ru"],
                snapshot.get("region"),
                snapshot["planned_s"],
                to_text(started_at),
                taken_by,
                origin,
                self.rehearses,
            ),
        )

    def close_asrun(self, row_id: int, ended_at: datetime | None) -> None:
        self.db.execute("UPDATE asrun SET ended_at = ? WHERE id = ?", (to_text(ended_at) if ended_at else None, row_id))

    def undo_asrun(self, row_id: int) -> None:
        self.db.execute("UPDATE asrun SET undone = 1 WHERE id = ?", (row_id,))

    def note_asrun(self, row_id: int, note: str) -> None:
        self.db.execute("UPDATE asrun SET note = ? WHERE id = ?", (note, row_id))

    def put_graphic(self, show_id: str, graphic: OnAirGraphic, at: datetime) -> None:
        self.db.execute(
            """INSERT INTO graphic (show_id, template, segment_id, scene, file, detail, taken_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (show_id, template) DO UPDATE SET segment_id = excluded.segment_id,
               scene = excluded.scene, file = excluded.file, detail = excluded.detail, taken_at = excluded.taken_at""",
            (show_id, graphic.template, graphic.segment_id, graphic.scene, graphic.file,
             _graphic_detail(graphic), to_text(at)),
        )
        self.db.execute("DELETE FROM graphic_fact WHERE show_id = ? AND template = ?", (show_id, graphic.template))
        self.db.executemany(
            "INSERT INTO graphic_fact (show_id, template, fact_id, version) VALUES (?, ?, ?, ?)",
            [(show_id, graphic.template, fact_id, version) for fact_id, version in graphic.facts],
        )

    def swap_graphic_file(self, show_id: str, template: str, old: str, graphic: OnAirGraphic) -> bool:
        """The same graphic on air, redrawn (the location bug's clock): its file and record change, its take
        and facts do not. Only if ``old`` is still the file on air; False when it is not (taken off or retaken)."""
        changed = self.db.execute(
            "UPDATE graphic SET file = ?, detail = ? WHERE show_id = ? AND template = ? AND file = ?",
            (graphic.file, _graphic_detail(graphic), show_id, template, old),
        )
        return changed.rowcount == 1

    def drop_graphic(self, show_id: str, template: str) -> None:
        self.db.execute("DELETE FROM graphic WHERE show_id = ? AND template = ?", (show_id, template))
        self.db.execute("DELETE FROM graphic_fact WHERE show_id = ? AND template = ?", (show_id, template))

    def log(
        self,
        show_id: str,
        at: datetime,
        action: str,
        who: str,
        origin: str,
        segment_id: str | None = None,
        **detail: Any,
    ) -> None:
        self.db.execute(
            "INSERT INTO event (at, show_id, action, segment_id, who, origin, detail, rehearsal)"
            f" VALUES (?, ?, ?, ?, ?, ?, ?, {REHEARSAL_ROW})",
            (to_text(at), show_id, action, segment_id, who, origin, json.dumps(detail, ensure_ascii=False),
             self.rehearses),
        )


def _graphic_detail(graphic: OnAirGraphic) -> str:
    detail = {"placement": list(graphic.placement), "canvas": list(graphic.canvas), "description": graphic.description}
    return json.dumps(detail, ensure_ascii=False)


def _event(row: sqlite3.Row) -> EventRow:
    return EventRow(
        id=row["id"],
        at=from_text(row["at"]),
        action=row["action"],
        segment_id=row["segment_id"],
        who=row["who"],
        origin=row["origin"],
        detail=json.loads(row["detail"]),
        rehearsal=bool(row["rehearsal"]),
    )


def open_store(location: Path | str, *, rehearses: bool = False) -> ShowStore:
    """The show's store at ``location``, a SQLite file's path or a PostgreSQL URL (created and migrated
    when needed); ``rehearses``: every event and as-run row this connection writes is a rehearsal's."""
    store = ShowStore(open_database(location))
    store.rehearses = rehearses
    return store
