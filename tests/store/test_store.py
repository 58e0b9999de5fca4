"""The SQLite store: versioned schema, WAL, an append-only log, cross-process visibility."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.store import StoreError, open_store
from studio.store.db import MIGRATIONS, connect


def test_new_store_is_wal_at_the_latest_schema(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.db")
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    # opening again migrates nothing and keeps data
    with store.write():
        store.log("show", datetime(2026, 3, 15, tzinfo=UTC), "take", "aigerim", "console", "open")
    again = open_store(tmp_path / "s.db")
    assert [e.action for e in again.events("show")] == ["take"]


def test_the_event_log_is_append_only(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.db")
    with store.write():
        store.log("show", datetime(2026, 3, 15, tzinfo=UTC), "take", "aigerim", "console", "open", previous=None)
    for statement in ("UPDATE event SET who = 'x'", "DELETE FROM event"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.db.execute(statement)
    event = store.events("show")[0]
    assert (event.who, event.origin, event.segment_id, event.detail) == ("aigerim", "console", "open", {"previous": None})


def test_a_newer_schema_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    db = connect(path)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer than this studio knows.*--store"):
        open_store(path)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open the store"):
        open_store(path)


def test_only_one_segment_can_be_on_air(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.db")
    snapshot = {"id": "a", "kind": "studio", "title": {"kk": "a", "ru": "a"}, "planned_s": 60}
    now = datetime(2026, 3, 15, tzinfo=UTC)
    with store.write():
        store.open_asrun("show", snapshot, now, "p", "console")
    with pytest.raises(sqlite3.IntegrityError), store.write():
        store.open_asrun("show", snapshot | {"id": "b"}, now, "p", "console")
    assert store.state("show").on_air.segment_id == "a"


def test_another_connection_sees_a_write_through_data_version(tmp_path: Path) -> None:
    first, second = open_store(tmp_path / "s.db"), open_store(tmp_path / "s.db")
    assert not second.changed_elsewhere()
    with first.write():
        first.set_flag("show", "a", "held")
    assert not first.changed_elsewhere()  # its own write does not count
    assert second.changed_elsewhere()
    assert not second.changed_elsewhere()  # reported once
    assert second.state("show").held == {"a"}
