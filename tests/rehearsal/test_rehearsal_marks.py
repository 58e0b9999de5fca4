"""Every event and as-run row says whether a rehearsal wrote it, and both exports say so."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from studio.asrun import export
from studio.desk.provenance import on_air_times
from studio.store import open_store
from studio.store.desk import open_desk
from studio.store.show import RehearsalMark

AT = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)
SEGMENT = {"id": "open", "kind": "studio", "title": {"kk": "Ашылу", "ru": "Открытие"}, "planned_s": 600}


def play(store, who: str) -> None:
    with store.write():
        store.open_asrun("day", SEGMENT, AT, who, "console")
        row = store.state("day").on_air.id
        store.log("day", AT, "take", who, "console", "open")
        store.log("day", AT, "graphic_on", who, "console", "open", template="fact-card", facts=[{"id": 3}])
        store.close_asrun(row, AT + timedelta(minutes=10))
        store.log("day", AT + timedelta(minutes=10), "graphic_off", who, "console", "open", template="fact-card")


def marks(store) -> tuple[set[int], set[int]]:
    events = {row[0] for row in store.db.execute("SELECT rehearsal FROM event")}
    asrun = {row[0] for row in store.db.execute("SELECT rehearsal FROM asrun")}
    return events, asrun


def test_a_show_process_writes_rows_that_are_not_a_rehearsals(tmp_path) -> None:
    store = open_store(tmp_path / "show.db")
    play(store, "aigerim")
    assert marks(store) == ({0}, {0})


def test_a_rehearsing_process_marks_its_rows_even_in_a_store_that_is_not_a_rehearsals(tmp_path) -> None:
    store = open_store(tmp_path / "show.db", rehearses=True)
    play(store, "trainee")
    assert store.rehearsal_mark() is None and marks(store) == ({1}, {1})


def test_in_a_rehearsals_store_every_process_marks_its_rows(tmp_path) -> None:
    path = tmp_path / "rehearsal.db"
    rehearsal = open_store(path, rehearses=True)
    with rehearsal.write():
        rehearsal.mark_rehearsal(RehearsalMark("day", AT, AT, 60.0, 7))
    console = open_store(path)  # the trainee's `studio run --store` on it
    play(console, "trainee")
    assert marks(console) == ({1}, {1})
    assert console.rehearsal_mark() == RehearsalMark("day", AT, AT, 60.0, 7)


def test_the_exports_say_it_was_a_rehearsal(tmp_path) -> None:
    path = tmp_path / "rehearsal.db"
    store = open_store(path, rehearses=True)
    play(store, "trainee")
    rows = [row for row in store.db.execute("SELECT * FROM asrun")]
    from studio.store.show import AsRunRow

    records = json.loads(export([AsRunRow.from_row(r) for r in rows], store.events("day"), ZoneInfo("Asia/Almaty"),
                                "json"))
    assert [(r["type"], r["rehearsal"]) for r in records] == [("segment", True), ("graphic", True)]
    csv_text = export([AsRunRow.from_row(r) for r in rows], store.events("day"), ZoneInfo("Asia/Almaty"), "csv")
    assert [row["rehearsal"] for row in csv.DictReader(io.StringIO(csv_text))] == ["true", "true"]
    assert [shown.rehearsal for shown in on_air_times(open_desk(path))[3]] == [True]
