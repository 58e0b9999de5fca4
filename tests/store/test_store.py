"""The store on both databases (the ``store_location`` fixture: a SQLite file, then a PostgreSQL database):
versioned schema, an append-only log, one on-air row, cross-process visibility; and SQLite's own (WAL)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.onair import OnAirGraphic
from studio.store import StoreError, open_store
from studio.store.db import MIGRATIONS, ROWS_A_STATEMENT, StoreUnwritable, connect
from studio.store.moving import migrate_to_postgresql
from studio.store.show import RehearsalMark


def test_new_store_is_wal_at_the_latest_schema(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.db")
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    # opening again migrates nothing and keeps data
    with store.write():
        store.log("show", datetime(2026, 3, 15, tzinfo=UTC), "take", "aigerim", "console", "open")
    again = open_store(tmp_path / "s.db")
    assert [e.action for e in again.events("show")] == ["take"]


def test_the_event_log_is_append_only(store_location: Path | str) -> None:
    store = open_store(store_location)
    with store.write():
        store.log("show", datetime(2026, 3, 15, tzinfo=UTC), "take", "aigerim", "console", "open", previous=None)
    statements = ["UPDATE event SET who = 'x'", "DELETE FROM event"] + ([] if store.sqlite else ["TRUNCATE event"])
    for statement in statements:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"), store.write():
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


def test_only_one_segment_can_be_on_air(store_location: Path | str) -> None:
    store = open_store(store_location)
    snapshot = {"id": "a", "kind": "studio", "title": {"kk": "a", "ru": "a"}, "planned_s": 60}
    now = datetime(2026, 3, 15, tzinfo=UTC)
    with store.write():
        store.open_asrun("show", snapshot, now, "p", "console")
    with pytest.raises(sqlite3.IntegrityError), store.write():
        store.open_asrun("show", snapshot | {"id": "b"}, now, "p", "console")
    assert store.state("show").on_air.segment_id == "a"


def test_another_connection_sees_a_write(store_location: Path | str) -> None:
    """PRAGMA data_version on SQLite, LISTEN/NOTIFY on PostgreSQL."""
    first, second = open_store(store_location), open_store(store_location)
    assert not second.changed_elsewhere()
    with first.write():
        first.set_flag("show", "a", "held")
    assert not first.changed_elsewhere()  # its own write does not count
    assert second.changed_elsewhere()
    assert not second.changed_elsewhere()  # reported once
    assert second.state("show").held == {"a"}


def test_the_plan_is_read_again_when_its_revision_moves_and_only_then(store_location: Path | str) -> None:
    """state() keeps the plan it decoded for its revision; a save elsewhere, or a rollback of a save read
    inside its own write (whose revision another connection may commit with other texts), reads it again."""
    first, second = open_store(store_location), open_store(store_location)
    with second.write():
        second.save_plan("show", {"title": "a"}, [{"id": "open"}])
    kept = first.state("show")
    assert first.state("show").segments is kept.segments  # not read again: the same revision
    with second.write():
        second.save_plan("show", {"title": "b"}, [{"id": "open"}])
    assert (first.state("show").show, first.state("show").revision) == ({"title": "b"}, 2)
    with pytest.raises(RuntimeError), first.write():
        first.save_plan("show", {"title": "rolled back"}, [])
        assert first.state("show").show == {"title": "rolled back"}
        raise RuntimeError("the action failed after reading its own save")
    with second.write():
        second.save_plan("show", {"title": "c"}, [{"id": "open"}])  # revision 3, as the rolled back one was
    assert (first.state("show").show, first.state("show").revision) == ({"title": "c"}, 3)


def test_the_stamp_moves_with_each_commit_of_either_connection_and_only_then(store_location: Path | str) -> None:
    """A state read after a stamp is current while the stamp stays: it moves when this connection writes
    (which data_version does not count) or another one commits, also inside a write whose lock it took after the
    commit; a read leaves it, and on SQLite a rolled back write too (on PostgreSQL any transaction that ended
    moves it: a state is then read again for nothing)."""
    first, second = open_store(store_location), open_store(store_location)
    stamps = [first.stamp()]
    first.state("show")
    assert first.stamp() == stamps[0]
    with pytest.raises(RuntimeError), first.write():
        first.set_flag("show", "a", "held")
        raise RuntimeError("rolled back")
    if first.sqlite:
        assert first.stamp() == stamps[0]
    with first.write():
        first.set_flag("show", "a", "held")
    stamps.append(first.stamp())
    with second.write():
        second.set_flag("show", "a", None)
    with first.write():
        stamps.append(first.stamp())
    assert len(set(stamps)) == 3


def test_a_postgresql_store_starts_at_the_newest_schema_and_keeps_its_data(pg_server) -> None:
    url = pg_server.new_database()
    store = open_store(url)
    assert store.db.execute("SELECT version FROM studio_schema").fetchone()[0] == len(MIGRATIONS)
    with store.write():
        store.log("show", datetime(2026, 3, 15, tzinfo=UTC), "take", "aigerim", "console", "open")
    store.close()
    again = open_store(url)
    assert [e.action for e in again.events("show")] == ["take"]


def test_a_newer_postgresql_schema_is_refused_with_advice(pg_server) -> None:
    store = open_store(url := pg_server.new_database())
    with store.write():
        store.db.execute("UPDATE studio_schema SET version = ?", (len(MIGRATIONS) + 1,))
    with pytest.raises(StoreError, match="newer than this studio knows.*--store"):
        open_store(url)


def test_postgresql_refuses_a_write_outside_a_write_transaction(pg_server) -> None:
    """A write that does not take the writers' lock could change what another write is reading:
    the session is read-only unless write() opened the transaction."""
    store = open_store(pg_server.new_database())
    with pytest.raises(StoreUnwritable, match="read-only transaction"):
        store.set_flag("show", "a", "held")
    assert store.state("show").held == frozenset()


def test_an_unreachable_postgresql_server_is_a_clear_error_without_the_password(pg_server) -> None:
    url = f"postgresql://studio:hunter2-secret@127.0.0.1:{pg_server.port}/no_such_database"
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert "no_such_database" in str(caught.value) and "PGPASSWORD" in str(caught.value)
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("url", ["postgresql://studio:hunter2%zz@127.0.0.1:5/db",
                                 "postgresql://127.0.0.1:5/db?password=hunter2%zz",
                                 "postgresql://studio:hunter2@127.0.0.1:5/db?no_such_option=1"])
def test_a_url_libpq_cannot_read_is_said_without_its_password(url: str, tmp_path: Path) -> None:
    """libpq's own words quote the part of the URL it choked on: never shown, whichever part it was."""
    open_store(tmp_path / "day.db").close()
    for attempt in (lambda: open_store(url), lambda: migrate_to_postgresql(tmp_path / "day.db", url)):
        with pytest.raises(StoreError) as caught:
            attempt()
        assert "hunter2" not in str(caught.value)
    assert "postgresql://" in str(caught.value) and "two hexadecimal digits" in str(caught.value)


def test_the_show_tables_replace_what_they_hold_one_row_a_key(store_location: Path | str) -> None:
    """The plan's revision counts its saves, a segment has one flag, a template one graphic with its facts,
    and a rehearsal store marks every row, on either database."""
    store = open_store(store_location)
    now = datetime(2026, 3, 15, tzinfo=UTC)
    first = OnAirGraphic("turnout", "/g/a.png", None, "open", (0, 0, 10, 10), facts=((1, 1),))
    with store.write():
        store.save_plan("show", {"title": "a"}, [{"id": "open"}])
        store.save_plan("show", {"title": "b"}, [{"id": "open"}, {"id": "close"}])
        store.set_flag("show", "close", "held")
        store.set_flag("show", "close", "skipped")
        store.put_graphic("show", first, now)
        store.put_graphic("show", replace(first, file="/g/b.png", facts=((2, 3),)), now)
        store.mark_rehearsal(RehearsalMark("show", now, now, 60.0, 7))
        store.open_asrun("show", {"id": "open", "kind": "studio", "title": {"kk": "a", "ru": "a"},
                                  "planned_s": 60}, now, "p", "console")
        store.log("show", now, "take", "p", "console", "open")
    state = store.state("show")
    assert (state.show, state.revision, state.held, state.skipped) == ({"title": "b"}, 2, frozenset(), {"close"})
    assert [(g.file, g.facts) for g in store.graphics("show")] == [("/g/b.png", ((2, 3),))]
    assert [w.fact_id for w in store.withdrawn("show")] == [2]  # no such fact
    assert state.on_air.segment_id == "open" and state.on_air.rehearsal and store.events("show")[0].rehearsal
    assert store.rehearsal_mark().speed == 60.0


@pytest.mark.parametrize("count", [0, 1, 2, ROWS_A_STATEMENT, 2 * ROWS_A_STATEMENT + 3])
def test_insert_rows_keeps_every_row_in_order_whatever_their_number(store_location: Path | str, count: int) -> None:
    """Rows go ROWS_A_STATEMENT to a statement of several VALUES, the rest in one more: none is lost or repeated
    at the seams, each keeps its values in place, on either database."""
    store = open_store(store_location)
    rows = [(f"row:{n:04}", "report", n, f"digest {n}") for n in range(count)]
    with store.write():
        store.insert_rows("INSERT INTO import_key (key, target, target_id, digest) VALUES (?, ?, ?, ?)", rows)
    stored = store.db.execute("SELECT key, target, target_id, digest FROM import_key ORDER BY key").fetchall()
    assert [tuple(row) for row in stored] == rows
