"""Opening the SQLite file: WAL, versioned schema, migrations."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

# Each entry moves the schema from version N to N+1; never edit a shipped one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE plan (
        show_id TEXT PRIMARY KEY,
        show TEXT NOT NULL,            -- the [show] table as JSON
        segments TEXT NOT NULL,        -- the live rundown: a JSON list in rundown-file form
        revision INTEGER NOT NULL
    );
    CREATE TABLE flag (
        show_id TEXT NOT NULL,
        segment_id TEXT NOT NULL,
        flag TEXT NOT NULL CHECK (flag IN ('held', 'skipped')),
        PRIMARY KEY (show_id, segment_id)
    );
    -- The played record, frozen apart from the plan: a row is a snapshot of
    -- the segment as it was when taken. The on-air segment is the open row.
    CREATE TABLE asrun (
        id INTEGER PRIMARY KEY,
        show_id TEXT NOT NULL,
        segment_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        title_kk TEXT NOT NULL,
        title_ru TEXT NOT NULL,
        region TEXT,
        planned_s INTEGER NOT NULL,
        started_at TEXT NOT NULL,      -- UTC, ISO 8601
        ended_at TEXT,                 -- NULL while on air
        taken_by TEXT NOT NULL,
        origin TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX asrun_show ON asrun (show_id, undone, started_at);
    CREATE UNIQUE INDEX asrun_one_on_air ON asrun (show_id) WHERE ended_at IS NULL AND undone = 0;
    CREATE TABLE event (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,              -- UTC, ISO 8601
        show_id TEXT NOT NULL,
        action TEXT NOT NULL,
        segment_id TEXT,
        who TEXT NOT NULL,
        origin TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX event_show ON event (show_id, id);
    CREATE TRIGGER event_append_only_update BEFORE UPDATE ON event
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    CREATE TRIGGER event_append_only_delete BEFORE DELETE ON event
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    """,
)


class StoreError(Exception):
    """The store cannot be opened or written; the message says what to do."""


def connect(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: every write happens inside an explicit transaction.
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5.0)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        db.row_factory = sqlite3.Row
        migrate(db)
    except sqlite3.DatabaseError as error:
        raise StoreError(f"cannot open the store {path}: {error}; check the path or pass --store") from None
    except OSError as error:
        raise StoreError(f"cannot create the store folder for {path}: {error.strerror}; pass --store") from None
    return db


def migrate(db: sqlite3.Connection) -> None:
    with immediate(db):
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(
                f"the store has schema version {version}, newer than this studio knows ({len(MIGRATIONS)}); "
                "update studio or use another --store"
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in _statements(script):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements (executescript would commit our transaction)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer
            buffer = ""


@contextmanager
def immediate(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction that takes the lock at once, so reads inside it are current."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def open_store(path: Path) -> "ShowStore":
    from studio.store.show import ShowStore

    return ShowStore(connect(Path(path)))
