"""The "needs a region" queue's tables: rows held for a region, and the aliases the desk taught the gazetteer.

A row whose region the gazetteer (studio/desk/gazetteer.py) could not match
with certainty is held here whole, with where it came from and the matcher's
suggestions, under its import or idempotency key: importing it again holds
nothing new. Held rows are never deleted; resolving one records the unit, who
and when, and what it became (studio/desk/held.py does the resolving).
Aliases are only ever added. A base of DeskStore.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable, Sequence

from studio.desk.gazetteer import BareAlmaty, Gazetteer, Match
from studio.store.intake import _CHUNK, IntakeTables, utc_text

PATHS = ("reports", "intake", "turnout")
UsedKeys = tuple[dict[str, tuple[str, int, str]], dict[str, int]]
"""Keys imported before (key -> (target, target id, digest), as known_keys) and held before (key -> held id)."""


@dataclass(frozen=True, slots=True)
class NewHeld:
    """A row to hold: ``row`` is what its path needs to finish it once the region is known (JSON-able)."""

    path: str  # one of PATHS
    spelling: str
    match: Match
    origin: str
    line: int
    row: Any
    raw: str
    key: str


@dataclass(frozen=True, slots=True)
class Held:
    id: int
    path: str
    spelling: str
    spelling_key: str
    why: str
    suggestions: tuple[str, ...]
    origin: str
    line: int
    row: Any
    raw: str
    key: str
    at: datetime
    by: str
    region: str | None = None
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class HeldSpelling:
    """One line of the queue: every open held row of one spelling key."""

    spelling_key: str
    spelling: str  # the first as written
    why: str
    suggestions: tuple[str, ...]
    rows: int
    paths: tuple[str, ...]
    origins: tuple[str, ...]
    first_at: datetime


class HeldTables(IntakeTables):
    def gazetteer(self, *, bare_almaty: BareAlmaty = "hold", national: bool = False) -> Gazetteer:
        """The matcher with every alias the desk has taught it."""
        return Gazetteer(self.aliases(), bare_almaty=bare_almaty, national=national)

    def aliases(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self.db.execute("SELECT spelling_key, region FROM region_alias")}

    def add_alias(self, spelling_key: str, region: str, spelling: str, *, by: str, at: datetime) -> bool:
        """Learn ``spelling_key`` as ``region``; False when it was learned before (it is kept as it was)."""
        learned = self.db.execute(
            "INSERT INTO region_alias (spelling_key, region, spelling, by, at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING RETURNING spelling_key",
            (spelling_key, region, spelling, by, utc_text(at)),
        ).fetchone()
        return learned is not None

    def hold(self, rows: Iterable[NewHeld], *, by: str, at: datetime) -> int:
        """Hold ``rows`` (call inside write()); the number not held before (a key held before is kept as it was)."""
        return self.db.executemany(  # rowcount: the rows inserted, summed over the executions
            "INSERT INTO region_held (path, spelling, spelling_key, why, suggestions, origin, line, row, raw, "
            "key, at, by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [
                (r.path, r.spelling, r.match.spelling, r.match.why, json.dumps(r.match.suggestions), r.origin, r.line,
                 json.dumps(r.row, ensure_ascii=False), r.raw, r.key, utc_text(at), by)
                for r in rows
            ],
        ).rowcount

    def held_keys(self, keys: Sequence[str]) -> dict[str, int]:
        """Of ``keys``, those held before (open or resolved): key -> held id."""
        if not keys or self.db.execute("SELECT NOT EXISTS (SELECT 1 FROM region_held)").fetchone()[0]:
            return {}
        found: dict[str, int] = {}
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            sql = f"SELECT key, id FROM region_held WHERE key IN ({', '.join('?' * len(chunk))})"
            found.update((row[0], row[1]) for row in self.db.execute(sql, chunk))
        return found

    def used_keys_later(self, keys: Sequence[str]) -> Callable[[], UsedKeys]:
        """known_keys and held_keys of ``keys`` in one statement, sent now and read when the result is called (inside
        together(), in the same round trip as other statements): the intake asks for each group of sends, and on a
        database server every statement is a round trip (so no probe of an empty table either, which spares an
        import's 100,000 keys their lookups, not a group's few)."""
        asked = []
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            asked.append(
                self.db.execute(
                    f"SELECT key, target, target_id, digest FROM import_key WHERE key IN ({marks}) "
                    f"UNION ALL SELECT key, NULL, id, NULL FROM region_held WHERE key IN ({marks})",  # target: not NULL
                    [*chunk, *chunk],
                )
            )

        def read() -> UsedKeys:
            known: dict[str, tuple[str, int, str]] = {}
            held: dict[str, int] = {}
            for key, target, target_id, digest in (row for rows in asked for row in rows):
                if target is None:
                    held[key] = target_id
                else:
                    known[key] = (target, target_id, digest)
            return known, held

        return read

    def held(
        self, *, spelling_key: str | None = None, open_only: bool = True, ids: Sequence[int] | None = None
    ) -> list[Held]:
        """Held rows, oldest first: open ones (or all), of one spelling key, or of these ids."""
        if ids is not None and not ids:
            return []
        where, params = [], []
        if open_only:
            where.append("region IS NULL")
        if spelling_key is not None:
            where.append("spelling_key = ?")
            params.append(spelling_key)
        if ids:
            where.append(f"id IN ({', '.join('?' * len(ids))})")
            params.extend(ids)
        sql = "SELECT * FROM region_held" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        return [_held(row) for row in self.db.execute(sql, params)]

    def held_count(self) -> int:
        """How many rows wait for the desk to name their region (the region index answers it)."""
        return self.db.execute("SELECT COUNT(*) FROM region_held WHERE region IS NULL").fetchone()[0]

    def held_spellings(self) -> list[HeldSpelling]:
        """The queue: open held rows by spelling key, the oldest first."""
        lines: dict[str, list[Held]] = {}
        for held in self.held():
            lines.setdefault(held.spelling_key, []).append(held)
        return [
            HeldSpelling(
                key, rows[0].spelling, rows[0].why, rows[0].suggestions, len(rows),
                tuple(sorted({r.path for r in rows})), tuple(dict.fromkeys(r.origin for r in rows)), rows[0].at,
            )
            for key, rows in lines.items()
        ]

    def settle(self, held_id: int, region: str, outcome: str, *, by: str, at: datetime) -> None:
        """Record that held row ``held_id`` was resolved to ``region`` and became ``outcome``."""
        self.db.execute(
            "UPDATE region_held SET region = ?, resolved_by = ?, resolved_at = ?, outcome = ? "
            "WHERE id = ? AND region IS NULL",
            (region, by, utc_text(at), outcome, held_id),
        )


def _held(row: Any) -> Held:
    return Held(
        row["id"], row["path"], row["spelling"], row["spelling_key"], row["why"], tuple(json.loads(row["suggestions"])),
        row["origin"], row["line"], json.loads(row["row"]), row["raw"], row["key"], datetime.fromisoformat(row["at"]),
        row["by"], row["region"], row["resolved_by"],
        datetime.fromisoformat(row["resolved_at"]) if row["resolved_at"] else None, row["outcome"],
    )
