"""Health snapshots one process publishes for the others (table ``health``, migration 6).

The show process owns OBS (and later YouTube); the control API, in another
process, answers ``GET /state`` with what the owner last saw. Each *source*
(``"obs"``, ``"youtube"``...) has one row: its latest snapshot, a JSON object,
and the UTC instant it was taken. Nothing here knows what a source is: the
detail is whatever JSON object the publisher gives.

``Publisher`` decides *when* to write: at once when the snapshot changed in
substance (anything but the keys named ``volatile``, e.g. CPU or frame
counters), else as a heartbeat every ``heartbeat`` seconds, so a reader can
tell a quiet source from a dead one (``stale`` in the API).

Pure sqlite: no network, no UI. Writes are short transactions on the
connection given; in the console they run on a worker thread, never on the
event loop.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from studio.store.db import immediate

HEARTBEAT = 5.0
"""Seconds between writes of a snapshot that has not changed in substance."""
STALE_AFTER = timedelta(seconds=3 * HEARTBEAT)
"""A snapshot older than this was left by a publisher that has stopped (three heartbeats missed)."""

RESERVED = frozenset({"at", "stale", "age_s"})
"""Keys a reader adds beside the detail (GET /state): a detail may not use them."""


@dataclass(frozen=True, slots=True)
class Health:
    """One source's latest snapshot."""

    source: str
    at: datetime  # aware, UTC: when the snapshot was taken
    detail: dict[str, Any]

    def age(self, now: datetime) -> float:
        """Seconds since the snapshot was taken (never negative)."""
        return max(0.0, (now - self.at).total_seconds())

    def stale(self, now: datetime) -> bool:
        """Whether its publisher has stopped writing (killed: a clean stop publishes that it stopped)."""
        return self.age(now) > STALE_AFTER.total_seconds()


def publish(db: sqlite3.Connection, source: str, detail: Mapping[str, Any], at: datetime) -> None:
    """Replace ``source``'s snapshot by ``detail`` taken at ``at`` (aware).

    ``detail`` must be a JSON object without the reserved keys ``at``, ``stale``, ``age_s``.
    """
    if not source or not isinstance(source, str):
        raise ValueError("a health source needs a name, e.g. 'obs'")
    if at.tzinfo is None:
        raise ValueError("a health snapshot's time must be aware (UTC)")
    clash = RESERVED & set(detail)
    if clash:
        raise ValueError(f"health detail may not use the reserved keys {sorted(clash)}")
    text = json.dumps(dict(detail), ensure_ascii=False, sort_keys=True, allow_nan=False)
    with immediate(db):
        db.execute(
            "INSERT INTO health (source, at, detail) VALUES (?, ?, ?) "
            "ON CONFLICT (source) DO UPDATE SET at = excluded.at, detail = excluded.detail",
            (source, at.astimezone(UTC).isoformat(), text),
        )


def read(db: sqlite3.Connection) -> dict[str, Health]:
    """Every source's latest snapshot, by source name."""
    rows = db.execute("SELECT source, at, detail FROM health ORDER BY source").fetchall()
    return {
        row[0]: Health(row[0], datetime.fromisoformat(row[1]).astimezone(UTC), json.loads(row[2])) for row in rows
    }


class Publisher:
    """Publishes one source's snapshots: on a change in substance, else every ``heartbeat`` seconds.

    ``offer()`` is cheap when it does not write (a dict comparison); call it as
    often as snapshots are taken, from a worker thread. Not thread-safe: one
    publisher per thread.
    """

    def __init__(
        self,
        db: sqlite3.Connection,
        source: str,
        *,
        volatile: Collection[str] = (),
        heartbeat: float = HEARTBEAT,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.source = source
        self.volatile = frozenset(volatile)
        self.heartbeat = heartbeat
        self._monotonic = monotonic
        self._last: dict[str, Any] | None = None
        self._written_at: float | None = None

    def _substance(self, detail: Mapping[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in detail.items() if key not in self.volatile}

    def offer(self, detail: Mapping[str, Any], at: datetime) -> bool:
        """Write ``detail`` if it changed in substance or the heartbeat is due; True when written."""
        substance = self._substance(detail)
        now = self._monotonic()
        due = self._written_at is None or now - self._written_at >= self.heartbeat
        if substance == self._last and not due:
            return False
        publish(self.db, self.source, detail, at)
        self._last, self._written_at = substance, now
        return True


__all__ = ["HEARTBEAT", "RESERVED", "STALE_AFTER", "Health", "Publisher", "publish", "read"]
