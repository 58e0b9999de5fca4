"""The desk's store read through the graphics' gate: verified figures reach
the turnout board, anything else is withheld or refused."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from studio.desk import rules
from studio.desk.model import Claim, SourceKind
from studio.desk.turnout import import_turnout
from studio.desk.views import GraphicsFacts
from studio.graphics.errors import FactRefused
from studio.graphics.gate import FactSource, admit, turnout_board
from studio.regions import regions

TURNOUT = Path(__file__).resolve().parent.parent / "data" / "referendum-2026-turnout.csv"
DAY = date(2026, 3, 15)


def test_the_adapter_is_a_fact_source(desk) -> None:
    assert isinstance(GraphicsFacts(desk, DAY), FactSource)


def test_the_turnout_board_draws_only_what_a_second_person_verified(desk, tick) -> None:
    import_turnout(desk, TURNOUT, operator="aigerim", now=tick)
    source = GraphicsFacts(desk, DAY)
    with pytest.raises(FactRefused, match="national figure for 10:00 is 'in_review'"):
        turnout_board("turnout-board", time(10), source, regions())
    page = desk.add_source(None, "https://www.election.gov.kz/rus/news/turnout-1000", by="dana", at=tick())
    for fact in desk.facts():
        if fact.as_of == datetime(2026, 3, 15, 10, tzinfo=ZoneInfo("Asia/Almaty")) and fact.region != "shymkent":
            fact = desk.attach_source(fact.id, fact.version, page.id, by="dana", at=tick())
            desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())
    board = turnout_board("turnout-board", time(10), source, regions())
    assert (board.national.value, board.national.region, board.national.verifier) == ("19.21", "national", "bolat")
    assert len(board.rows) == 19 and [v.region for v in board.withheld] == ["shymkent"]
    assert board.rows[0].region == "karaganda"  # 26.64, the highest at 10:00
    assert board.national.sources == ("https://www.nur.kz/politics/kazakhstan/2354058-referendum-v-kazahstane-"
                                      "ozvuchena-yavka-izbirateley-na-10-00", page.reference)


def test_fact_and_debunk_cards_pass_the_gate_only_with_the_right_verdict(desk, new_fact, source, tick) -> None:
    official = source(SourceKind.OFFICIAL, "commission")
    claim = Claim(kk="12-учаскеде бюллетень салу", ru="На участке 12 вбросы")
    fact = new_fact(sources=[official], claim=claim)
    facts = GraphicsFacts(desk, DAY)
    with pytest.raises(FactRefused, match="is 'in_review', not 'verified'"):
        admit("fact-card", "fact", str(fact.id), facts)
    verified = desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())
    card = admit("fact-card", "fact", str(fact.id), facts)
    assert (card.claim_ru, card.verifier, card.as_of) == (claim.ru, "bolat", verified.verified_at)
    desk.change(fact.id, verified.version, rules.Retract(Claim(kk="Жоқ", ru="Не было")), by="aigerim", at=tick())
    with pytest.raises(FactRefused, match="is 'retracted'"):
        admit("fact-card", "fact", str(fact.id), facts)
    rumour = new_fact(sources=[official], claim=Claim(kk="Сайлау тоқтатылды", ru="Голосование остановлено"))
    desk.change(rumour.id, rumour.version,
                rules.MarkFalse("the commission denies it", Claim(kk="Дауыс беру жалғасуда", ru="Голосование идёт")),
                by="dana", at=tick())
    debunk = admit("debunk-card", "debunk", str(rumour.id), facts)
    assert (debunk.correction_ru, debunk.verifier) == ("Голосование идёт", "dana")
    assert facts.fact("nope") is None and facts.fact("999") is None
