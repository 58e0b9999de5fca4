"""A rehearsal stopped before its day was over (a SIGKILL, a power cut, Ctrl+C) picks up where it stopped.

The store is the rehearsal's memory, as it is the show's: every act of the day (a take, a graphic, a
report, a desk verdict, an import) is a committed row stamped with the rehearsal's clock. So a restarted
``studio rehearse`` on the same store reads from it where the day was:

- ``reached``: the latest instant any committed row records. The clock resumes there: never before a row
  already written (the as-run and the event log stay in order), and what was due after it but never
  committed is done after the restart, once;
- the on-air segment and graphics: the controller resumes them from the store, as a restarted console does;
- which acts were done: the observers' reports by their idempotency keys (``answered``), a graphic of the
  on-air segment by its events (``graphics_taken``), the desk's acts by their rows (studio/rehearsal/desk.py).

An act that was not committed when the process died was never acknowledged: it is done after the restart.
One that was committed is never done again.

What the process measured itself (latencies, memory, CPU, what it sent) died with it: the report of the
day says so (``RESUMED``), and covers what the store holds for the whole day.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from studio.i18n import Msg
from studio.rehearsal.on_obs import RehearsalError
from studio.rehearsal.scenario import ReportSend

RESUMED = "rehearsal_resumed"
"""The event a resumed rehearsal writes: when (the instant it resumed at) and from which run it took over."""

STAMPED = (
    ("event", "at"), ("asrun", "started_at"), ("asrun", "ended_at"), ("report", "received_at"),
    ("fact_audit", "at"), ("import_batch", "at"), ("source", "added_at"), ("graphic", "taken_at"),
    ("observer_token", "created_at"), ("observer_token", "revoked_at"),
)
"""Every column a rehearsal writes with its clock. Each column's writer keeps one offset (the controller the
show's zone, the desk UTC), so the text's MAX is its latest instant; the instants are compared as times."""

GRAPHIC_ACTS = ("graphic_on", "graphic_refused")


@dataclass(frozen=True, slots=True)
class Resumption:
    """A rehearsal picked up in its store: the instant it resumes at, and the instants of the resumptions
    before this one (``studio rehearse`` on that store since it began)."""

    reached: datetime
    before: tuple[datetime, ...]


def reached(db: sqlite3.Connection, day_start: datetime) -> datetime:
    """The latest instant the store's rows record; ``day_start`` when they record none after it."""
    latest = [day_start]
    for table, column in STAMPED:
        text = db.execute(f"SELECT MAX({column}) FROM {table}").fetchone()[0]  # noqa: S608 (names above)
        if text is not None:
            latest.append(datetime.fromisoformat(text))
    return max(latest).astimezone(day_start.tzinfo)  # the rehearsal's clock keeps the show's zone


def resumptions(db: sqlite3.Connection, show_id: str) -> tuple[datetime, ...]:
    """When the rehearsal was resumed before, by the store's event log (oldest first)."""
    return tuple(datetime.fromisoformat(row[0]) for row in db.execute(
        "SELECT at FROM event WHERE show_id = ? AND action = ? ORDER BY id", (show_id, RESUMED)))


def has_rehearsed(db: sqlite3.Connection) -> bool:
    """Rows a rehearsal wrote, in a store that is not a rehearsal's own (``--store`` on the show's)."""
    return bool(db.execute("SELECT EXISTS (SELECT 1 FROM event WHERE rehearsal = 1)"
                           " OR EXISTS (SELECT 1 FROM asrun WHERE rehearsal = 1)").fetchone()[0])


def answered(db: sqlite3.Connection, reports: Sequence[ReportSend]) -> dict[str, tuple[int, int]]:
    """The scenario's reports the store holds already: key -> (report id, group id), as the intake answered.
    Found by the key the intake stored for each (scoped to its observer), so none is sent twice."""
    from studio.desk.report_body import scoped_key

    scoped = {scoped_key(report.observer, report.key): report.key for report in reports}
    found: dict[str, tuple[int, int]] = {}
    keys = list(scoped)
    for first in range(0, len(keys), 500):  # under SQLite's limit of bound values
        chunk = keys[first:first + 500]
        for key, report_id, group_id in db.execute(
            "SELECT k.key, r.id, r.group_id FROM import_key AS k JOIN report AS r ON r.id = k.target_id"
            f" WHERE k.target = 'report' AND k.key IN ({', '.join('?' * len(chunk))})", chunk,
        ):
            found[scoped[key]] = (report_id, group_id)
    return found


def graphics_taken(db: sqlite3.Connection, show_id: str, row: Any, cues: Sequence[Any]) -> int:
    """How many of the on-air segment's graphics ``cues`` the producer has gone through since ``row`` (its
    as-run row) was taken: each aired or refused one in the event log matched to the next cue of its
    template, in order (a refusal the log does not hold is tried again)."""
    done = 0
    for at, template in db.execute(
        "SELECT at, json_extract(detail, '$.template') FROM event WHERE show_id = ? AND segment_id = ?"
        f" AND action IN ({', '.join('?' * len(GRAPHIC_ACTS))}) ORDER BY id",
        (show_id, row.segment_id, *GRAPHIC_ACTS),
    ):
        if datetime.fromisoformat(at) >= row.started_at:
            done = next((index + 1 for index in range(done, len(cues)) if cues[index].template == template), done)
    return done


def unfinished(folder: Path, show_id: str) -> Path | None:
    """The newest rehearsal store of ``show_id`` in the data folder whose report was never written, and that
    no rehearsal plays now."""
    stores = [store for store in folder.glob(f"rehearsal-{show_id}-*.db")
              if not store.with_suffix(".json").exists() and not _playing(store)]
    return max(stores, key=lambda store: store.name, default=None)  # its name ends with when it was made


def _lock_file(store: Path) -> int:
    return os.open(f"{store}-rehearsing", os.O_RDWR | os.O_CREAT, 0o600)


def _playing(store: Path) -> bool:
    """A rehearsal holds ``store`` now (``alone_in``)."""
    handle = _lock_file(store)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(handle)  # and the lock taken to look, with it
    return False


@contextmanager
def alone_in(store: Path) -> Iterator[None]:
    """Hold the store for this rehearsal while it runs: a second ``studio rehearse`` on it (a resume while the
    first still plays) is refused. The lock is the kernel's (``flock`` on a file beside the store), so a
    killed rehearsal's lock goes with its process; one that ends removes the file (a rehearsal that could
    not start leaves nothing)."""
    store.parent.mkdir(parents=True, exist_ok=True)
    handle = _lock_file(store)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RehearsalError(Msg("rehearse.error.in_use", store=str(store))) from None
        try:
            yield
        finally:
            Path(f"{store}-rehearsing").unlink(missing_ok=True)  # still held: no other rehearsal took it
    finally:
        os.close(handle)
