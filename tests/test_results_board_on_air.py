"""The results board from the desk's own store, on air through the controller: the sample's final result
imported (studio import-results) and verified by a second person airs; a line retracted, or held in a
conflict when another outlet prints a different figure, pulls the board (the on-air invariant)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from studio.desk import rules
from studio.desk.model import Claim, ReportKind, SourceKind
from studio.desk.results import RESULT, import_results
from studio.desk.views import GraphicsFacts
from studio.graphics import Renderer
from studio.onair import RendererGraphics
from studio.paths import shipped
from studio.rundown.model import GraphicCue
from studio.show import ControlError, Controller
from studio.store import open_store
from studio.store.desk import open_desk
from tests.test_control import RecordingSwitcher

RESULTS = Path(__file__).resolve().parents[1] / "studio" / "sample" / "referendum-2026" / "referendum-2026-results.csv"
BOARD = GraphicCue("results-board", {"result": "final", "language": "ru"})


@pytest.fixture
def on_air(tmp_path, small_rundown, clock):
    """The show with the results board cued on its first segment, the desk holding the verified result."""
    path = tmp_path / "show.db"
    desk = open_desk(path)
    import_results(desk, RESULTS, operator="aigerim", now=clock)
    commission = desk.add_source(SourceKind.OFFICIAL, "https://www.election.gov.kz/rus/news/results", by="aigerim",
                                 at=clock())
    for fact in desk.facts(kind=ReportKind.OTHER):  # checked against the commission's page, by a second person
        fact = desk.attach_source(fact.id, fact.version, commission.id, by="aigerim", at=clock())
        desk.change(fact.id, fact.version, rules.Verify(), by="erlan", at=clock())
    segments = list(small_rundown.segments)
    segments[0] = replace(segments[0], graphics=(BOARD,))
    renderer = Renderer(shipped("overlays"), tmp_path / "out", GraphicsFacts(open_desk(path), clock().date()))
    switcher = RecordingSwitcher()
    controller = Controller(open_store(path), small_rundown.with_segments(tuple(segments)), switcher=switcher,
                            graphics=RendererGraphics(renderer), clock=clock)
    controller.take_next()
    graphic = controller.graphic_take(0)
    assert [g.template for g in controller.on_air_graphics] == ["results-board"]
    yield desk, controller, graphic
    controller.close()
    desk.close()


def line(desk, name: str):
    return next(f for f in desk.facts(kind=ReportKind.OTHER) if f.details[RESULT] == name)


def test_the_verified_final_result_airs_stating_every_line(on_air) -> None:
    desk, _, graphic = on_air
    assert graphic.facts == tuple(sorted((f.id, f.version) for f in desk.facts(kind=ReportKind.OTHER)))
    text = json.loads(Path(graphic.file).with_suffix(".json").read_text("utf-8"))["text"]
    assert (text["result.yes_percent"], text["result.no"]) == ("87,15%", "898\u202f099")
    assert text["result.sources"] == "Источник: ЦРК"  # the commission's page checked, interfax.ru quoting it


def test_a_retracted_line_pulls_the_board_and_it_cannot_go_back(on_air, clock) -> None:
    desk, controller, _ = on_air
    no = line(desk, "no")
    desk.change(no.id, no.version, rules.Retract(Claim(ru="Цифра уточняется")), by="erlan", at=clock())
    assert controller.refresh()
    assert controller.on_air_graphics == ()
    with pytest.raises(ControlError, match="the line no of the result is"):
        controller.graphic_take(0)


def test_another_outlet_printing_another_figure_holds_the_line_and_pulls_the_board(on_air, clock, tmp_path) -> None:
    desk, controller, _ = on_air
    reprint = tmp_path / "reprint.csv"
    reprint.write_text("item,value,source\nno,898199,https://tengrinews.kz/results\n", "utf-8")
    import_results(desk, reprint, operator="aigerim", now=clock)
    assert desk.conflict_holding(line(desk, "no").id) is not None
    assert controller.refresh()
    assert controller.on_air_graphics == ()
    with pytest.raises(ControlError, match="conflict"):
        controller.graphic_take(0)
