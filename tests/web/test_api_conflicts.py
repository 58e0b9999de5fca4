"""Conflicting figures never reach air, through the control API (issue 19 part 3): a fact card whose
figure another outlet contradicts is pulled off air as a retraction pulls it, and taking it again is
refused with the conflict named, in the caller's language. The real renderer, gate and desk store."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from studio.desk import rules
from studio.desk.model import Claim, Draft, Outcome, ReportKind
from studio.desk.views import GraphicsFacts
from studio.graphics import Renderer
from studio.onair import RendererGraphics
from studio.paths import shipped
from studio.store.desk import DeskStore, open_desk
from studio.web.api import make_api
from tests.web.http_helpers import ALMATY, SHOW, TOKEN, http, with_graphics

TEN = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)  # 10:00 in Almaty
CARD = 1  # the show's fact card, which names fact 7


@pytest.fixture
def show():
    from studio.rundown.load import load_rundown

    return with_graphics(load_rundown(SHOW))


def astana(desk: DeskStore, value: str, url: str, clock) -> int:
    """Astana's 10:00 turnout as ``url`` printed it, in review (created by aigerim); its fact id."""
    source = desk.add_source(None, url, by="aigerim", at=clock())
    draft = Draft(ReportKind.TURNOUT, Claim(kk=f"Астана: келу {value}%", ru=f"Астана: явка {value}%"), "astana",
                  None, Decimal(value), TEN)
    fact = desk.create_fact(draft, by="aigerim", at=clock(), source_ids=[source.id])
    return desk.change(fact.id, fact.version, rules.StartReview(), by="aigerim", at=clock()).id


def test_a_figure_contradicted_on_air_is_pulled_and_refused_until_two_people_settle_it(
    controllers, serve, clock, show, tmp_path: Path, store_path: Path
) -> None:
    desk = open_desk(store_path)
    while desk.create_fact(Draft(ReportKind.OTHER, Claim(ru="заметка")), by="aigerim", at=clock()).id < 6:
        pass  # the show's fact card names fact 7
    official = astana(desk, "20.68", "https://www.election.gov.kz/rus/news/1000", clock)
    fact = desk.get(official)
    desk.change(fact.id, fact.version, rules.Verify("the commission's own page"), by="erlan", at=clock())
    assert official == 7

    renderer = RendererGraphics(Renderer(shipped("overlays"), tmp_path / "out",
                                         GraphicsFacts(open_desk(store_path), date(2026, 3, 15))))
    controller = controllers(origin="api", operator="api", clock=clock, rundown=show, graphics=renderer)
    api = serve(make_api(controller, {"api": TOKEN}, ALMATY)).url
    http("POST", f"{api}/take/open")
    assert http("POST", f"{api}/graphics/take/{CARD}").status == 200
    assert [g["template"] for g in http("GET", f"{api}/state").body["graphics"]["on_air"]] == ["fact-card"]

    # another outlet prints 20.86: the conflict holds both figures, and the card comes off air
    reprint = astana(desk, "20.86", "https://tengrinews.kz/kazakhstan_news/yavka-10-00", clock)
    assert controller.refresh() and controller.on_air_graphics == ()
    pulled = [e for e in controller.store.events("referendum") if e.action == "graphic_pulled"]
    assert [e.detail["reason"] for e in pulled] == [
        "F7 is held: another source gives a figure for the same measure that disagrees (a conflict open at the desk)"]

    answers = {language: http("POST", f"{api}/graphics/take/{CARD}", headers={"Accept-Language": language})
               for language in ("en", "ru", "kk")}
    assert {(a.status, a.body["error"]) for a in answers.values()} == {(409, "graphic_refused")}
    assert "fact '7' is 'conflict' (another source gives a figure that disagrees" in answers["en"].body["message"]
    assert "C1: F7 20.68 election.gov.kz · F8 20.86 tengrinews.kz" in answers["en"].body["message"]
    assert "«расхождение»" in answers["ru"].body["message"] and "«қайшылық»" in answers["kk"].body["message"]
    assert http("GET", f"{api}/state").body["graphics"]["on_air"] == []

    # one proposes that the commission's figure stands, a second confirms: the card may go up again
    conflict = desk.conflict_holding(official)
    desk.propose_settlement(conflict.id, Outcome.CHOSEN, official, why="the commission's own publication wins",
                            by="aigerim", at=clock())
    assert http("POST", f"{api}/graphics/take/{CARD}").status == 409  # proposed is not settled
    desk.confirm_settlement(conflict.id, by="erlan", at=clock())
    assert desk.get(reprint).status.value == "false"
    assert http("POST", f"{api}/graphics/take/{CARD}").status == 200
    desk.close()
