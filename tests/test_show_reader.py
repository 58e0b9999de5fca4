"""Reading the show needs no writer: a ShowReader works on a read-only store, takes no lock and writes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from studio.show import Controller, ShowReader
from studio.i18n import Msg
from studio.store import ShowStore, open_store
from studio.store.db import StoreError


def read_only(path: Path) -> ShowStore:
    """The store file opened by SQLite read-only: any write fails in SQLite itself."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    return ShowStore(db)


def test_a_reader_on_a_read_only_store_sees_what_the_console_sees(tmp_path, small_rundown, clock) -> None:
    path = tmp_path / "show.db"
    producer = Controller(open_store(path), small_rundown, operator="aigerim", clock=clock)
    producer.take_next()
    producer.hold("guests")
    store = read_only(path)
    reader = ShowReader(store, small_rundown, clock=clock)
    assert reader.view() == producer.view()
    assert reader.asrun() == producer.asrun()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        store.set_flag("small", "late", "held")

    clock.advance(minutes=4)
    producer.take_next()
    assert reader.refresh() is True and reader.view() == producer.view()
    assert reader.view().on_air.segment_id == "brief-10"
    assert reader.refresh() is False
    producer.store.close()
    store.close()


def test_a_closed_show_reads_from_a_read_only_file_with_no_writer_open(tmp_path, small_rundown, clock) -> None:
    path = tmp_path / "show.db"
    producer = Controller(open_store(path), small_rundown, operator="aigerim", clock=clock)
    producer.take_next()
    producer.end_show()
    played, events = producer.asrun(), producer.store.events("small")
    producer.store.close()
    store = read_only(path)
    reader = ShowReader(store, small_rundown, clock=clock)
    assert reader.asrun() == played and reader.view().on_air is None
    assert store.events("small") == events
    store.close()


def test_before_any_writer_the_reader_shows_the_files_plan_and_puts_nothing_in_the_store(
    tmp_path, small_rundown, clock
) -> None:
    path = tmp_path / "show.db"
    store = open_store(path)
    version = store.db.execute("PRAGMA data_version").fetchone()[0]
    reader = ShowReader(store, small_rundown, clock=clock)
    view = reader.view()
    assert view.rundown == small_rundown and view.next == small_rundown.segments[0] and view.on_air is None
    assert store.state("small").segments is None and store.events("small") == []
    assert store.db.execute("PRAGMA data_version").fetchone()[0] == version
    producer = Controller(open_store(path), small_rundown, operator="aigerim", clock=clock)
    producer.take_next()
    assert reader.refresh() and reader.view().on_air.segment_id == small_rundown.segments[0].id
    assert [event.action for event in store.events("small")] == ["plan", "take"]
    producer.store.close()
    store.close()


def test_a_change_whose_read_failed_is_read_at_the_next_refresh(tmp_path, small_rundown, clock, monkeypatch) -> None:
    path = tmp_path / "show.db"
    producer = Controller(open_store(path), small_rundown, operator="aigerim", clock=clock)
    reader = ShowReader(open_store(path), small_rundown, clock=clock)
    producer.take_next()
    state = reader.store.state

    def fails_once(show_id: str):
        monkeypatch.setattr(reader.store, "state", state)
        raise StoreError(Msg("store.error.write", reason="disk I/O error"))

    monkeypatch.setattr(reader.store, "state", fails_once)
    with pytest.raises(StoreError):
        reader.refresh()
    assert reader.refresh() is True and reader.view() == producer.view()  # not lost with the failed read
    assert reader.refresh() is False
    producer.store.close()
    reader.store.close()
