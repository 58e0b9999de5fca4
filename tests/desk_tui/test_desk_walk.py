"""The desk's whole workflow by keyboard, across two operators' desks on one store:
an observer's report -> a fact from its group -> the commission's source ->
review -> a second person verifies -> retracted with its correction."""

from __future__ import annotations

from datetime import UTC, datetime

from studio.desk.model import ReportKind, SourceKind, Status
from studio.store.desk import NewReport
from tests.desk_tui.conftest import open_item

SIZE = (120, 40)


async def test_report_to_fact_to_source_to_second_verifier_to_retraction(make_desk_app, settle_desk, other):
    report = other.add_report(
        NewReport("Ерлан Жұмабаев", "bot", datetime(2026, 3, 15, 10, 35, tzinfo=UTC), "pavlodar", 212,
                  ReportKind.VIOLATION, "212-учаскеде бюллетеньдер салынған урна мөрленбеген"),
        by="intake", at=datetime(2026, 3, 15, 10, 35, tzinfo=UTC),
    )
    # dana makes a fact of the report's group, adds the commission's page and takes it into review.
    dana = make_desk_app("kk", operator="dana")
    async with dana.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_item(pilot, f"group:{report.id}")
        await pilot.press("n", *"212 учаскеде урна мөрленбеген", "tab", *"На участке 212 урна не опечатана", "ctrl+s")
        await settle_desk(pilot)
        fact_id = dana.desk.opened[1]
        assert dana.desk.opened[0] == "fact"
        await pilot.press("o", *"https://www.election.gov.kz/kaz/news/212", "ctrl+s")
        await settle_desk(pilot)
        await pilot.press("e")
        await settle_desk(pilot)
        made = other.get(fact_id)
        assert made.status is Status.IN_REVIEW and [r.id for r in made.reports] == [report.id]
        assert [s.kind for s in made.sources] == [SourceKind.OFFICIAL]
        # dana cannot give the verdict on her own fact: refused before anything is typed.
        await pilot.press("v")
        await pilot.pause()
        assert "dana" in dana.screen.shown["form"]
        await pilot.press("escape")
    # bolat, at another desk, verifies it, then retracts it with the correction that goes on air.
    bolat = make_desk_app("ru", operator="bolat")
    async with bolat.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_item(pilot, f"fact:{fact_id}")
        await pilot.press("v", *"сверено с сайтом ЦИК", "enter")
        await settle_desk(pilot)
        assert other.get(fact_id).status is Status.VERIFIED and other.get(fact_id).verified_by == "bolat"
        await pilot.press("x", *"учаске комиссиясы растады", "enter", *"212 учаскедегі урна мөрленген", "enter",
                          *"Урна на участке 212 опечатана", "enter")
        await settle_desk(pilot)
    retracted = other.get(fact_id)
    assert retracted.status is Status.RETRACTED
    assert (retracted.correction.kk, retracted.correction.ru) == (
        "212 учаскедегі урна мөрленген", "Урна на участке 212 опечатана"
    )
    assert [(e.who, e.action) for e in other.audit(fact_id)] == [
        ("dana", "create"), ("dana", "attach_source"), ("dana", "start_review"), ("bolat", "verify"),
        ("bolat", "retract"),
    ]
