"""studio provenance export: aired facts with sources, verifier, status history and on-air times."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest

from studio.cli import main
from studio.desk import rules
from studio.desk.model import Claim, SourceKind, Status
from studio.desk.provenance import CSV_COLUMNS, export, fact_ids
from studio.store.desk import DeskStore
from studio.store.show import ShowStore
from tests.desk.conftest import T0


@pytest.fixture
def facts(desk: DeskStore, new_fact, source, tick, report):
    """#1 verified by bolat (created by aigerim) on an official source; #2 still in review;
    #3 verified, then retracted."""
    official = source(SourceKind.OFFICIAL, "ЦИК", "https://election.gov.kz/protocol/12")
    sent = report("observer-7")
    first = new_fact(by="aigerim", sources=[official], reports=[sent])
    first = desk.change(first.id, first.version, rules.Verify(), by="bolat", at=tick())
    second = new_fact(by="aigerim", claim=Claim(ru="Очередь на участке 3"), station=3)
    third = new_fact(by="aigerim", sources=[official], claim=Claim(kk="Кезек", ru="Очередь"), station=4)
    third = desk.change(third.id, third.version, rules.Verify(), by="dana", at=tick())
    third = desk.change(third.id, third.version, rules.Retract(Claim(ru="Очереди не было")), by="dana", at=tick())
    return first, second, third


def log_graphics(desk: DeskStore, *events: tuple) -> None:
    show = ShowStore(desk.db)
    with show.write():
        for minutes, action, detail in events:
            show.log("day", T0 + timedelta(minutes=minutes), action, "dana", "console", "news-1", **detail)


def test_without_graphic_events_the_verified_facts_are_listed_with_no_time_on_air(desk, facts) -> None:
    first, _, third = facts
    records = json.loads(export(desk, "json"))
    assert [r["fact_id"] for r in records] == [first.id, third.id]  # ever verified: could have aired
    record = records[0]
    assert record["created_by"] == "aigerim" and record["verified_by"] == "bolat"
    assert record["status"] == "verified" and record["on_air"] == []
    assert record["sources"] == [
        {
            "id": first.sources[0].id,
            "kind": "official",
            "reference": "https://election.gov.kz/protocol/12",
            "origin": "ЦИК",
            "note": "",
        }
    ]
    assert record["reports"][0]["observer"] == "observer-7"
    assert [s["status"] for s in record["status_history"]] == ["new", "in_review", "verified"]
    assert [s["who"] for s in record["status_history"]] == ["aigerim", "aigerim", "bolat"]
    assert [s["status"] for s in records[1]["status_history"]] == ["new", "in_review", "verified", "retracted"]
    assert records[1]["correction"]["ru"] == "Очереди не было"


def test_on_air_times_come_from_the_event_log(desk, facts) -> None:
    first, _, third = facts
    log_graphics(
        desk,
        (0, "graphic_on", {"template": "fact-card", "fact_id": first.id}),
        (1, "take", {}),
        (2, "graphic_off", {"template": "fact-card"}),
        (5, "graphic_on", {"template": "lower-third", "data": {"facts": [str(first.id), third.id]}}),
        (6, "graphic_off", {"fact_ids": [third.id]}),
    )
    records = {r["fact_id"]: r for r in json.loads(export(desk, "json"))}
    shown = records[first.id]["on_air"]
    assert [(e["on"], e["off"]) for e in shown] == [
        ((T0).isoformat(), (T0 + timedelta(minutes=2)).isoformat()),
        ((T0 + timedelta(minutes=5)).isoformat(), None),  # still on air
    ]
    assert shown[0]["show_id"] == "day" and shown[0]["by"] == "dana" and shown[0]["template"] == "fact-card"
    assert [e["off"] for e in records[third.id]["on_air"]] == [(T0 + timedelta(minutes=6)).isoformat()]


def test_a_graphic_replaced_without_a_clear_ends_its_facts_time_on_air(desk, facts) -> None:
    first, _, third = facts
    log_graphics(
        desk,
        (0, "graphic_on", {"template": "fact-card", "fact_id": first.id}),
        (4, "graphic_on", {"template": "fact-card", "fact_id": third.id}),  # the next card, no clear between
        (7, "graphic_on", {"template": "fact-card", "fact_id": third.id}),  # the same fact again: still on
        (9, "graphic_off", {"template": "fact-card"}),
    )
    records = {r["fact_id"]: r for r in json.loads(export(desk, "json"))}
    assert [(e["on"], e["off"]) for e in records[first.id]["on_air"]] == [
        (T0.isoformat(), (T0 + timedelta(minutes=4)).isoformat())
    ]
    assert [(e["on"], e["off"]) for e in records[third.id]["on_air"]] == [
        ((T0 + timedelta(minutes=4)).isoformat(), (T0 + timedelta(minutes=9)).isoformat())
    ]


def test_a_fact_under_the_slate_is_not_on_air_and_its_time_starts_again_when_the_picture_is_back(desk, facts) -> None:
    first, _, third = facts
    log_graphics(
        desk,
        (0, "graphic_on", {"template": "fact-card", "fact_id": first.id}),
        (2, "slate_on", {"graphics": ["fact-card"]}),  # the feed died: the slate hides the card
        (3, "graphic_on", {"template": "lower-third", "fact_ids": [third.id]}),  # taken under the slate: unseen
        (4, "graphic_off", {"template": "lower-third"}),
        (5, "slate_off", {"graphics": ["fact-card"]}),  # the feed is back, the card with it
        (8, "graphic_off", {"template": "fact-card"}),
    )
    records = {r["fact_id"]: r for r in json.loads(export(desk, "json"))}
    assert [(e["on"], e["off"]) for e in records[first.id]["on_air"]] == [
        (T0.isoformat(), (T0 + timedelta(minutes=2)).isoformat()),
        ((T0 + timedelta(minutes=5)).isoformat(), (T0 + timedelta(minutes=8)).isoformat()),
    ]
    assert records[third.id]["on_air"] == []


def test_all_lists_every_fact_with_its_history(desk, facts) -> None:
    records = json.loads(export(desk, "json", every_fact=True))
    assert [r["fact_id"] for r in records] == [f.id for f in facts]
    pending = records[1]
    assert pending["status"] == Status.IN_REVIEW.value and pending["verified_by"] is None
    assert [h["action"] for h in pending["history"]] == ["create", "start_review"]


def test_csv_has_one_row_per_fact(desk, facts) -> None:
    first, _, _ = facts
    log_graphics(desk, (0, "graphic_on", {"fact": first.id}), (3, "graphic_off", {}))
    rows = list(csv.DictReader(io.StringIO(export(desk, "csv"))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 2
    row = rows[0]
    assert row["fact_id"] == str(first.id) and row["verified_by"] == "bolat" and row["created_by"] == "aigerim"
    assert row["sources"] == "official ЦИК https://election.gov.kz/protocol/12"
    assert row["status_history"].endswith("verified by bolat")
    assert row["on_air"] == f"day {T0.isoformat()} - {(T0 + timedelta(minutes=3)).isoformat()}"


def test_the_command_writes_a_file(desk, facts, tmp_path: Path, capsys) -> None:
    out = tmp_path / "provenance.json"
    command = ["--lang", "en", "--store", str(desk.location), "provenance", "export"]
    assert main([*command, "--format", "json", "--out", str(out)]) == 0
    assert len(json.loads(out.read_text("utf-8"))) == 2
    assert "wrote 2 facts" in capsys.readouterr().err
    assert main([*command, "--format", "csv", "--all"]) == 0
    assert capsys.readouterr().out.startswith("fact_id,fact,status,")


@pytest.mark.parametrize(
    ("detail", "ids"),
    [
        ({"fact_id": 3}, {3}),
        ({"facts": [1, "2", "#4", True]}, {1, 2, 4}),
        ({"fields": {"fact": "7"}}, {7}),
        ({"template": "x"}, set()),
        ({"fact_ids": [5], "facts": [{"id": 5, "status": "verified"}, {"id": 6}]}, {5, 6}),  # studio/onair.py
        ([], set()),
    ],
)
def test_fact_ids_are_read_generically(detail, ids) -> None:
    assert fact_ids(detail) == ids


def test_fact_ids_are_read_in_every_form_the_desk_shows_them() -> None:
    assert fact_ids({"fact_id": "F105", "facts": ["#7", 8, {"id": "f9"}], "note": "F1"}) == {105, 7, 8, 9}
    assert fact_ids({"fact": "FX"}) == set()
