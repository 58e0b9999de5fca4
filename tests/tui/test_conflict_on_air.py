"""Conflicting figures never reach air, at the producer's console (issue 19 part 3). A verified figure
is on air as a fact card; another outlet prints a figure for the same measure that disagrees: the
console, refreshing on its own as on the day, pulls the card as a retraction pulls it. Picked again,
the card is refused in the Graphics panel before the take, the conflict named, and `g` puts nothing up.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import OptionList

from studio.desk import rules
from studio.desk.model import Claim, Draft, ReportKind
from studio.desk.turnout import import_turnout
from studio.store.desk import open_desk
from studio.tui.screens.fact_picker import FactPickerScreen
from tests.test_pilot_report_to_air import SIZE, console, pick_and_take
from tests.tui.conftest import _settle as settle
from tests.tui.test_graphics_panel import file_line

TEN = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)  # 10:00 in Almaty


def verified_astana(path: Path) -> int:
    """Astana at 10:00 from the commission's own page, verified by a second person; its fact id."""
    desk = open_desk(path)
    try:
        page = desk.add_source(None, "https://www.election.gov.kz/rus/news/1000", by="aigerim", at=TEN)
        fact = desk.create_fact(Draft(ReportKind.TURNOUT, Claim(kk="Астана: келу 20,68%", ru="Астана: явка 20,68%"),
                                      "astana", None, Decimal("20.68"), TEN), by="aigerim", at=TEN,
                                source_ids=[page.id])
        fact = desk.change(fact.id, fact.version, rules.StartReview(), by="aigerim", at=TEN)
        return desk.change(fact.id, fact.version, rules.Verify("the commission's page"), by="erlan", at=TEN).id
    finally:
        desk.close()


async def test_a_figure_contradicted_while_on_air_is_pulled_and_refused_before_the_take(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("studio.tui.widgets.graphics.panel.FRESH", 0.0)  # the preview's few seconds are up
    path = tmp_path / "studio.db"
    fact_id = verified_astana(path)
    reprint = tmp_path / "tengri.csv"
    reprint.write_text("local_time,region,turnout_percent,voters,registered,source\n"
                       "2026-03-15T10:00+05:00,astana,20.86,,,https://tengrinews.kz/yavka-10-00\n", "utf-8")
    studio, programme = console(path)
    async with studio.run_test(size=SIZE) as producer:
        await producer.press("space")
        await settle(producer)
        await pick_and_take(producer, fact_id)
        [card] = programme.shown
        assert card.template == "fact-card"

        desk = open_desk(path)  # the desk, another process: another outlet's figure comes in
        import_turnout(desk, reprint, operator="dana", now=lambda: TEN)
        [conflict] = desk.conflicts(open_only=True)
        desk.close()
        for _ in range(40):
            if not programme.shown:
                break
            await producer.pause(0.05)
        pulled = [e for e in studio.controller.store.events("small") if e.action == "graphic_pulled"]
        assert programme.shown == [] and len(pulled) == 1
        assert f"F{fact_id} is held: another source gives a figure" in pulled[0].detail["reason"]

        await producer.press("f")  # picked again: the panel says why before anyone presses g
        await settle(producer)
        picker = producer.app.screen
        assert isinstance(picker, FactPickerScreen)
        options = picker.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index(str(fact_id))  # listed as verified: the gate decides
        await producer.press("enter")
        await settle(producer)
        said = file_line(studio)
        assert "«расхождение»" in said and f"C{conflict.id}: F{fact_id} 20.68 election.gov.kz" in said
        await producer.press("g")
        await settle(producer)
        refused = [n for n in studio._notifications if n.severity == "error"]
        assert refused and "fact-card" in refused[-1].message
        assert programme.shown == [] and studio.controller.on_air_graphics == ()
