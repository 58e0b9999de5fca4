"""The as-run export lists every segment played and every graphic aired, with its provenance."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from studio.asrun import FIELDS, GRAPHIC_FIELDS, export
from studio.cli import main
from studio.onair import GraphicRefused, RenderedGraphic
from studio.rundown.model import GraphicCue, Rundown
from studio.show import Controller
from studio.store import AsRunRow, open_store
from studio.store.show import EventRow
from tests.test_control import RecordingSwitcher
from tests.test_onair_control import retract, verified_fact

SMALL = Path(__file__).resolve().parent / "data" / "small.toml"
DANA = GraphicCue("lower-third", {"name": "Дана Ким", "role": "корреспондент"})
NURZHAN = GraphicCue("lower-third", {"name": "Нұржан Омаров", "role": "тілші"})
SOURCES = ["https://www.nur.kz/politics/kazakhstan/2354058", "ЦРК"]


class DeskGate:
    """Renders nothing; a fact-card states its fact (verified at the desk by Гүлнар) at its version."""

    def __init__(self, version: int) -> None:
        self.version = version

    def render(self, cue: GraphicCue) -> RenderedGraphic:
        fact = cue.data.get("fact")
        facts = [{"id": fact, "version": self.version, "status": "verified", "verifier": "Гүлнар Сейітова",
                  "sources": SOURCES, "as_of": "2026-03-15T05:00:00+00:00", "value": "19.21"}] if fact else []
        name = f"/out/{cue.template}-{fact or cue.data.get('name') or cue.data['region']}.png"
        return RenderedGraphic(cue.template, name, (96, 822, 960, 174), (1920, 1080),
                               {"data": dict(cue.data), "fact_ids": [f["id"] for f in facts], "facts": facts})


@pytest.fixture
def show(tmp_path: Path, small_rundown: Rundown, clock) -> Path:
    """A show whose opening had two lower thirds (one replacing the other) and a fact card that the
    desk withdrew while it was on air; the second lower third was cleared, the next segment taken
    with nothing on air, then a third lower third left with the take of the third segment."""
    segments = list(small_rundown.segments)
    segments[0] = replace(segments[0], graphics=(DANA, GraphicCue("fact-card", {"fact": "1"}), NURZHAN))
    segments[1] = replace(segments[1], graphics=(DANA,))
    rundown = small_rundown.with_segments(tuple(segments))
    path = tmp_path / "show.db"
    fact = verified_fact(path, clock, verifier="Гүлнар Сейітова")
    gate = DeskGate(fact["version"])
    controller = Controller(open_store(path), rundown, operator="aigerim", clock=clock,
                            switcher=RecordingSwitcher(), graphics=gate)
    controller.take_next()                 # 09:30 open
    clock.advance(minutes=1)
    controller.graphic_take(0)             # 09:31 Дана Ким
    clock.advance(minutes=1)
    controller.graphic_take(1)             # 09:32 the turnout fact card
    clock.advance(minutes=1)
    controller.graphic_take(2)             # 09:33 Нұржан Омаров replaces Дана Ким
    clock.advance(minutes=1)
    retract(path, fact, clock)             # 09:34 the desk retracts fact 1
    assert controller.refresh()
    clock.advance(minutes=1)
    controller.graphic_clear("lower-third")  # 09:35
    clock.advance(minutes=5)
    controller.take_next()                 # 09:40 guests
    clock.advance(minutes=1)
    controller.graphic_take(0)             # 09:41 Дана Ким again, on air when the export runs
    return path


def exported(path: Path, fmt: str, capsys) -> str:
    capsys.readouterr()
    assert main(["--store", str(path), "asrun", "export", "--rundown", str(SMALL), "--format", fmt]) == 0
    return capsys.readouterr().out


def test_json_lists_every_graphic_with_on_off_times_and_provenance(show: Path, capsys) -> None:
    records = json.loads(exported(show, "json", capsys))
    assert [(r["type"], r["segment_id"], r.get("template")) for r in records] == [
        ("segment", "open", None),
        ("graphic", "open", "lower-third"),
        ("graphic", "open", "fact-card"),
        ("graphic", "open", "lower-third"),
        ("segment", "guests", None),
        ("graphic", "guests", "lower-third"),
    ]
    dana, card, nurzhan, again = (r for r in records if r["type"] == "graphic")
    assert (dana["start_local"], dana["end_local"]) == ("2026-03-15T09:31:00+05:00", "2026-03-15T09:33:00+05:00")
    assert dana["off_reason"] == "replaced" and dana["data"] == DANA.data and dana["fact_ids"] == []
    assert dana["file"] == "/out/lower-third-Дана Ким.png" and dana["taken_by"] == "aigerim" and dana["origin"] == "console"
    assert card["end_local"] == "2026-03-15T09:34:00+05:00" and card["duration_s"] == 120.0
    assert card["off_reason"] == "withdrawn"
    # created, review, source, verified: version 4 on air
    assert card["note"] == "F1 changed at the desk (now: Retracted): version 4 went on air, it is at version 5"
    [fact] = card["facts"]
    assert card["fact_ids"] == ["1"] and fact["verifier"] == "Гүлнар Сейітова" and fact["sources"] == SOURCES
    assert fact["as_of"] == "2026-03-15T05:00:00+00:00" and fact["status"] == "verified"
    assert (nurzhan["end_local"], nurzhan["off_reason"], nurzhan["note"]) == ("2026-03-15T09:35:00+05:00", "clear", "")
    assert (again["end_utc"], again["duration_s"], again["off_reason"]) == ("", "", "")  # still on air


def test_csv_has_a_type_column_and_flat_provenance_columns(show: Path, capsys) -> None:
    rows = list(csv.DictReader(io.StringIO(exported(show, "csv", capsys))))
    assert tuple(rows[0]) == FIELDS and FIELDS[0] == "type"
    assert [row["type"] for row in rows] == ["segment", "graphic", "graphic", "graphic", "segment", "graphic"]
    segment, card = rows[0], rows[2]
    assert segment["segment_id"] == "open" and segment["planned_s"] == "600"
    assert all(segment[column] == "" for column in GRAPHIC_FIELDS)
    assert (card["template"], card["fact_ids"], card["verifier"]) == ("fact-card", "1", "Гүлнар Сейітова")
    assert card["sources"] == "; ".join(SOURCES) and card["as_of"] == "2026-03-15T05:00:00+00:00"
    assert card["off_reason"] == "withdrawn" and "(now: Retracted)" in card["note"]
    assert (card["start_utc"], card["end_utc"]) == ("2026-03-15T04:32:00+00:00", "2026-03-15T04:34:00+00:00")
    assert json.loads(rows[1]["data"]) == DANA.data and rows[1]["kind"] == rows[1]["planned_s"] == ""


def test_a_graphic_that_goes_up_with_its_take_follows_its_segment_and_leaves_with_the_next(clock) -> None:
    at = clock()
    row = AsRunRow(id=1, segment_id="live-almaty", kind="live", title_kk="Алматы", title_ru="Алматы", region="almaty",
                   planned=timedelta(minutes=5), started_at=at, ended_at=at + timedelta(minutes=5),
                   taken_by="aigerim", origin="console", note="")
    bug = {"template": "location-bug", "file": "/out/location-bug.png"}
    events = [
        EventRow(1, at, "graphic_on", "live-almaty", "aigerim", "console", bug | {"data": {"region": "almaty"}}),
        EventRow(2, at + timedelta(minutes=5), "graphic_off", "live-almaty", "aigerim", "console", bug | {"reason": "take"}),
    ]
    records = json.loads(export([row], events, ZoneInfo("Asia/Almaty"), "json"))
    assert [r["type"] for r in records] == ["segment", "graphic"]
    assert (records[1]["off_reason"], records[1]["duration_s"], records[1]["facts"]) == ("take", 300.0, [])


def test_graphics_under_the_slate_are_off_air_until_the_retake_puts_them_up_again(tmp_path, small_rundown, clock,
                                                                                 capsys) -> None:
    segments = tuple(replace(s, graphics=(DANA,)) if s.id == "live-almaty" else s for s in small_rundown.segments)
    path = tmp_path / "show.db"
    show = Controller(open_store(path), small_rundown.with_segments(segments), operator="aigerim", clock=clock,
                      switcher=RecordingSwitcher(), graphics=DeskGate(1))
    api = Controller(open_store(path), small_rundown.with_segments(segments), origin="api", clock=clock)
    show.take("live-almaty")                 # 09:30, the location bug goes up with it
    clock.advance(minutes=1)
    show.graphic_take(0)                     # 09:31 Дана Ким
    clock.advance(minutes=1)
    assert show.feed_lost("live-almaty")     # 09:32 the feed dies: the slate covers both
    view = show.view()
    assert view.under_slate and [g.template for g in view.graphics] == ["location-bug", "lower-third"]
    assert api.refresh() and api.view().under_slate  # every process reads it from the store
    clock.advance(minutes=1)
    show.graphic_clear("lower-third")        # 09:33, under the slate: it was not on air anyway
    clock.advance(minutes=1)
    show.take("live-almaty")                 # 09:34 the retake: the bug again, with the time of the retake
    assert not show.view().under_slate
    records = json.loads(exported(path, "json", capsys))
    assert [(r["type"], r.get("template"), r["start_local"][11:16], r["end_local"][11:16], r.get("off_reason") or r["note"])
            for r in records if r["type"] == "graphic" or r["note"]] == [
        ("segment", None, "09:30", "09:34", "feed lost"),
        ("graphic", "location-bug", "09:30", "09:32", "slate"),
        ("graphic", "lower-third", "09:31", "09:32", "slate"),
        ("graphic", "location-bug", "09:34", "", ""),
    ]


def test_the_segment_s_picture_back_after_the_slate_starts_its_graphics_time_on_air_again(clock) -> None:
    at = clock()
    bug = {"template": "location-bug", "file": "/out/location-bug.png"}
    events = [
        EventRow(1, at, "graphic_on", "live-almaty", "aigerim", "console", bug),
        EventRow(2, at + timedelta(seconds=20), "slate_on", "live-almaty", "aigerim", "console", {}),
        EventRow(3, at + timedelta(seconds=21), "slate_on", "live-almaty", "aigerim", "console", {}),  # said twice
        EventRow(4, at + timedelta(seconds=30), "slate_off", "live-almaty", "aigerim", "console", {}),
        EventRow(5, at + timedelta(seconds=50), "graphic_off", "live-almaty", "aigerim", "console", bug | {"reason": "clear"}),
    ]
    records = json.loads(export([], events, ZoneInfo("Asia/Almaty"), "json"))
    assert [(r["duration_s"], r["off_reason"], r["note"]) for r in records] == [
        (20.0, "slate", ""),
        (20.0, "clear", "back on air: the segment's picture returned after the slate"),
    ]
