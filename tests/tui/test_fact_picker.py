"""The producer picks a fact from the desk (f), arms it as a fact or debunk card and takes it (g):
the real renderer and gate over the desk's facts in the console's store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import OptionList, Select

from studio.desk import rules
from studio.desk.model import Claim, Draft, ReportKind, SourceKind
from studio.desk.views import GraphicsFacts
from studio.graphics import Renderer
from studio.paths import shipped
from studio.onair import RendererGraphics
from studio.store.desk import open_desk
from studio.tui.screens.fact_picker import FactPickerScreen
from tests.tui.test_graphics_panel import SIZE, panel_text


@pytest.fixture
def desk_facts(store_path: Path, clock) -> dict[str, int]:
    """A verified violation in Astana, a fake found false in Almaty, a turnout figure still in review."""
    desk = open_desk(store_path)
    official = desk.add_source(SourceKind.OFFICIAL, "https://www.election.gov.kz/", by="aigerim", at=clock()).id

    def fact(claim: Claim, region: str, kind: ReportKind, verdict: rules.Action | None, **content) -> int:
        made = desk.create_fact(Draft(kind, claim, region, **content), by="aigerim", at=clock(),
                                source_ids=[official])
        made = desk.change(made.id, made.version, rules.StartReview(), by="aigerim", at=clock())
        if verdict is not None:
            made = desk.change(made.id, made.version, verdict, by="erlan", at=clock())
        return made.id

    ids = {
        "verified": fact(Claim(kk="12-учаскеде кезек бар", ru="На участке 12 очередь"), "astana",
                         ReportKind.QUEUE, rules.Verify(), as_of=clock()),
        "false": fact(Claim(kk="Алматыда карусель", ru="В Алматы карусель"), "almaty", ReportKind.VIOLATION,
                      rules.MarkFalse("постановочное видео", Claim(kk="Видео қойылым", ru="Видео постановочное")),
                      as_of=clock()),
        "review": fact(Claim(kk="Шымкентте келу 40%", ru="В Шымкенте явка 40%"), "shymkent", ReportKind.TURNOUT,
                       None, value=40, as_of=clock()),
    }
    desk.close()
    return ids


@pytest.fixture
def console(make, store_path: Path, tmp_path: Path):
    """The console in ``language`` with the real renderer and gate over the desk's facts in its store."""

    def build(language: str = "en"):
        app = make(language)
        facts = GraphicsFacts(open_desk(store_path), date(2026, 3, 15))
        app.controller.renderer = RendererGraphics(Renderer(shipped("overlays"), tmp_path / "out", facts))
        return app

    return build


def option_ids(picker: FactPickerScreen) -> list[str | None]:
    """The ids of the picker's lines, in order."""
    options = picker.query_one(OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def pick(pilot, settle, fact_id: int) -> FactPickerScreen:
    """Take the first segment, open the picker over it (f) and highlight ``fact_id``."""
    await pilot.press("space")
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)
    picker = pilot.app.screen
    assert isinstance(picker, FactPickerScreen)
    ids = option_ids(picker)
    assert str(fact_id) in ids, (ids, str(picker.query_one("#picker-error").render()))
    picker.query_one(OptionList).highlighted = ids.index(str(fact_id))
    return picker


async def test_a_verified_fact_is_picked_armed_as_a_fact_card_and_taken(
    console, settle, desk_facts
) -> None:
    app = console("en")
    async with app.run_test(size=SIZE) as pilot:
        picker = await pick(pilot, settle, desk_facts["verified"])
        lines = [str(picker.query_one(OptionList).get_option_at_index(i).prompt)
                 for i in range(picker.query_one(OptionList).option_count)]
        assert [line.split()[:2] for line in lines] == [
            [f"F{desk_facts['false']}", "false"], [f"F{desk_facts['verified']}", "verified"],
            [f"F{desk_facts['review']}", "in"],  # airable first, then the rest, each with its status
        ]
        await pilot.press("enter")
        await settle(pilot)
        assert f"fact-card: fact=F{desk_facts['verified']} (picked)" in panel_text(app)  # the id as the desk shows it
        await pilot.press("g")
        await settle(pilot)
        [graphic] = app.controller.on_air_graphics
        assert graphic.template == "fact-card" and graphic.facts[0][0] == desk_facts["verified"]


async def test_a_false_fact_arms_a_debunk_card_and_one_in_review_cannot_be_armed(
    console, settle, desk_facts
) -> None:
    app = console("en")
    async with app.run_test(size=SIZE) as pilot:
        picker = await pick(pilot, settle, desk_facts["review"])
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is picker and "in review: only a verified, false or retracted fact" in str(
            picker.query_one("#picker-error").render())
        picker.query_one(OptionList).highlighted = option_ids(picker).index(str(desk_facts["false"]))
        await pilot.press("enter")
        await settle(pilot)
        assert f"debunk-card: fact=F{desk_facts['false']} (picked)" in panel_text(app)
        await pilot.press("g")
        await settle(pilot)
        assert [g.template for g in app.controller.on_air_graphics] == ["debunk-card"]


async def test_picking_the_fact_the_segment_already_cues_arms_it_once(
    console, settle, desk_facts, rundown_file
) -> None:
    verified = desk_facts["verified"]
    text = rundown_file.read_text("utf-8")
    cue = f'graphics = [{{ template = "fact-card", data = {{ fact = "F{verified}" }} }}]\n'
    rundown_file.write_text(text.replace('duration = "3m"\n', 'duration = "3m"\n' + cue, 1), "utf-8")
    app = console("en")
    async with app.run_test(size=SIZE) as pilot:
        await pick(pilot, settle, verified)  # the opening, which cues that fact already, is on air
        await pilot.press("enter")
        await settle(pilot)
        assert f"Armed 1/1: fact-card: fact=F{verified}" in panel_text(app)  # not a second copy, 2/2


async def test_the_filters_narrow_the_list_by_region_and_kind(console, settle, desk_facts) -> None:
    app = console("en")
    async with app.run_test(size=SIZE) as pilot:
        picker = await pick(pilot, settle, desk_facts["verified"])
        picker.query_one("#picker-region", Select).value = "almaty"
        await settle(pilot)
        options = picker.query_one(OptionList)
        assert option_ids(picker) == [str(desk_facts["false"])]
        picker.query_one("#picker-kind", Select).value = "turnout"
        await settle(pilot)
        assert options.option_count == 1 and options.get_option_at_index(0).disabled  # "No fact matches"
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, FactPickerScreen) and "(picked)" not in panel_text(app)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_picker_in_kazakh_and_russian(snap_compare, console, settle, desk_facts, language) -> None:
    app = console(language)

    async def open_picker(pilot) -> None:
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)

    assert snap_compare(app, run_before=open_picker, terminal_size=SIZE)
