"""The Graphics panel and its keys: arm, take (g), cycle (a), clear (c), panic (ctrl+x); the armed graphic's preview."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from textual.pilot import Pilot
from textual.widgets import Static

from studio.graphics import MemoryFacts, Renderer
from studio.paths import shipped
from studio.graphics.gate import FactView
from studio.onair import GraphicRefused, RenderedGraphic, RendererGraphics
from studio.rundown.model import GraphicCue
from studio.tui import StudioApp
from studio.tui.widgets.text import Readout
from tests.test_onair_control import StandInGraphics

SIZE = (120, 40)
GRAPHICS = (
    'graphics = [{ template = "lower-third", data = { name = "Дана Ким" } },'
    ' { template = "fact-card", data = { fact = "7" } }]\n'
)


def with_graphics(rundown_file: Path) -> None:
    text = rundown_file.read_text("utf-8")
    opening = text.index('id = "open"')
    at = text.index("\n", text.index('kind = "studio"', opening)) + 1
    rundown_file.write_text(text[:at] + GRAPHICS + text[at:], "utf-8")


def panel_text(app: StudioApp) -> str:
    return " | ".join(str(r.text) for r in app.screen.query_one("#graphics").query("Readout"))


async def test_take_cycle_refuse_and_panic_from_the_keys(make, settle, rundown_file: Path) -> None:
    with_graphics(rundown_file)
    app = make("en")
    app.controller.renderer = StandInGraphics()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")  # the opening: its first graphic is armed
        await settle(pilot)
        assert "Armed 1/2: lower-third: name=Дана Ким" in panel_text(app)
        assert "No graphics on air" in panel_text(app)

        await pilot.press("g")
        await settle(pilot)
        assert "ON AIR lower-third: name=Дана Ким · /out/lower-third.png" in panel_text(app)

        await pilot.press("a", "g")  # the fact card: fact 7 is not verified
        await settle(pilot)
        assert "Armed 2/2: fact-card: fact=7" in panel_text(app)
        refused = [n for n in app._notifications if n.severity == "error"]
        assert refused and "fact-card stays off air" in refused[-1].message
        assert [g.template for g in app.controller.on_air_graphics] == ["lower-third"]

        await pilot.press("ctrl+x")
        await settle(pilot)
        assert app.controller.on_air_graphics == () and "No graphics on air" in panel_text(app)
        actions = [e.action for e in app.controller.store.events("referendum")]
        assert actions[-2:] == ["graphic_on", "graphic_off"]

        await pilot.press("space")  # Astana live: the location bug goes up by itself
        await settle(pilot)
        assert "ON AIR location-bug: region=astana" in panel_text(app)
        assert "No graphic armed" in panel_text(app)


async def test_without_a_renderer_there_is_no_panel_and_no_keys(make, settle) -> None:
    app = make("en")
    async with app.run_test(size=SIZE) as pilot:
        assert not app.screen.query("#graphics")
        await pilot.press("space", "g")
        await settle(pilot)
        assert not [n for n in app._notifications if n.severity == "error"]
        active = {b.binding.id for b in app.screen.active_bindings.values()}
        assert "graphics.take" not in active


# --- the preview of the armed graphic ---------------------------------------------------


class CountingGraphics(StandInGraphics):
    """The stand-in, drawing a real PNG: an opaque red box (the lower third's place) in a folder of the test's."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.calls = 0

    def render(self, cue: GraphicCue) -> RenderedGraphic:
        self.calls += 1
        rendered = super().render(cue)
        path = self.folder / f"{cue.template}.png"
        Image.new("RGBA", rendered.placement[2:], (255, 0, 0, 255)).save(path)
        return replace(rendered, path=str(path))


def real_graphics(tmp_path: Path) -> RendererGraphics:
    """The shipped templates and the real gate: fact 7 is still pending at the desk."""
    pending = FactView(id="7", status="pending", claim_kk="Тексерілмеген", claim_ru="Не проверено")
    facts = MemoryFacts().add(pending)
    return RendererGraphics(Renderer(shipped("overlays"), tmp_path / "out", facts))


def counting_app(make: Any, rundown_file: Path, tmp_path: Path) -> tuple[StudioApp, CountingGraphics]:
    """An English console whose segments arm graphics, drawn by a renderer that counts its calls."""
    with_graphics(rundown_file)
    app = make("en")
    app.controller.renderer = graphics = CountingGraphics(tmp_path)
    return app, graphics


def file_line(app: StudioApp) -> str:
    return str(app.screen.query_one("#graphics-file", Readout).text)


async def take_the_opening(pilot: Pilot[Any], settle: Any) -> None:
    await pilot.press("space")
    await settle(pilot)


def test_the_armed_graphic_is_drawn_where_it_sits_with_its_file(
    snap_compare, make, rundown_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settle
) -> None:
    monkeypatch.chdir(tmp_path)  # the file is shown from the working directory: out/lower-third-….png
    with_graphics(rundown_file)
    app = make("kk")
    app.controller.renderer = real_graphics(tmp_path)
    assert snap_compare(app, run_before=lambda pilot: take_the_opening(pilot, settle), terminal_size=SIZE)


def test_a_refused_fact_is_shown_in_the_panel_before_the_take(
    snap_compare, make, rundown_file: Path, tmp_path: Path, settle
) -> None:
    with_graphics(rundown_file)
    app = make("en")
    app.controller.renderer = real_graphics(tmp_path)

    async def arm_the_fact_card(pilot: Pilot[Any]) -> None:
        await take_the_opening(pilot, settle)
        await pilot.press("a")
        await settle(pilot)

    assert snap_compare(app, run_before=arm_the_fact_card, terminal_size=SIZE)


async def test_the_preview_renders_off_air_and_only_when_the_cue_or_size_changes(
    make, settle, rundown_file: Path, tmp_path: Path
) -> None:
    app, graphics = counting_app(make, rundown_file, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await take_the_opening(pilot, settle)
        picture = str(app.screen.query_one("#graphics-picture", Static).render())
        assert graphics.calls == 1 and file_line(app) == "~/lower-third.png"  # HOME is tmp_path (conftest)
        assert "▀" in picture and app.controller.on_air_graphics == ()
        assert [e.action for e in app.controller.store.events("referendum")][-1] == "take"  # nothing logged

        for _ in range(3):  # the view refreshes: the cached preview stays
            app.request_view()
            await settle(pilot)
        assert graphics.calls == 1

        await pilot.press("a")  # the fact card: the gate's refusal, in the panel, no traceback
        await settle(pilot)
        assert graphics.calls == 2 and "fact-card stays off air: fact-card: fact 7 is not verified" in file_line(app)
        assert app.screen is app.producer and app.controller.on_air_graphics == ()

        await pilot.resize_terminal(100, 40)  # a new size: drawn again
        await settle(pilot)
        assert graphics.calls == 3


async def test_an_unreadable_file_still_shows_its_path(make, settle, rundown_file: Path) -> None:
    with_graphics(rundown_file)
    app = make("ru")
    app.controller.renderer = StandInGraphics()  # "/out/lower-third.png" does not exist
    async with app.run_test(size=SIZE) as pilot:
        await take_the_opening(pilot, settle)
        assert file_line(app).startswith("/out/lower-third.png · Нет изображения: ")


async def test_a_fact_withdrawn_while_armed_shows_in_the_preview_within_seconds(
    make, settle, rundown_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, graphics = counting_app(make, rundown_file, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await take_the_opening(pilot, settle)
        assert graphics.calls == 1 and "▀" in str(app.screen.query_one("#graphics-picture", Static).render())

        def withdrawn(cue: GraphicCue) -> RenderedGraphic:
            raise GraphicRefused("lower-third: fact 3 is 'retracted': refused")

        graphics.render = withdrawn  # type: ignore[method-assign]  # the desk retracts the fact meanwhile
        monkeypatch.setattr("studio.tui.widgets.graphics.panel.FRESH", 0.0)  # the preview's time is up
        app.request_view()
        await settle(pilot)
        assert "retracted" in file_line(app)


async def test_graphics_under_the_slate_are_not_said_on_air_and_the_retake_asks_first(make, settle) -> None:
    from studio.tui.screens import ConfirmScreen
    from studio.tui.widgets.rundown import RundownTable
    from tests.tui.test_obs_panel import CONNECTED, StandInSwitcher

    switcher = StandInSwitcher(CONNECTED)
    switcher.feed = True  # Astana's feed is up when taken, and back when retaken
    app = make("en", obs=switcher)
    app.controller.renderer = StandInGraphics()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(2):  # the opening, then Astana live with its location bug (each once the screen shows the last)
            await pilot.press("space")
            await settle(pilot)
        assert "ON AIR location-bug: region=astana" in panel_text(app)

        app.feed_lost("astana-live")  # the watchdog's call: the switcher puts the slate up and says so
        await settle(pilot)
        assert switcher.calls[-1] == "slate"
        assert "UNDER THE SLATE location-bug: region=astana" in panel_text(app) and "ON AIR" not in panel_text(app)

        app.screen.query_one(RundownTable).select("astana-live")
        await pilot.press("enter")  # the retake asks first, saying what it does
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "the as-run starts a new line" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert switcher.calls[-2:] == ["take astana-live", "cue briefing-10"]
        assert "ON AIR location-bug: region=astana" in panel_text(app)
        rows = app.controller.asrun()
        assert [(row.segment_id, row.note) for row in rows[-2:]] == [("astana-live", "feed lost"), ("astana-live", "")]


def test_a_graphic_in_the_user_s_data_folder_is_shown_from_home(monkeypatch, tmp_path: Path) -> None:
    from studio.machine import short_path as shown_path

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "checkout").mkdir()
    monkeypatch.chdir(tmp_path / "checkout")
    assert shown_path(str(tmp_path / "home" / ".local/share/studio/graphics/lt.png")) == "~/.local/share/studio/graphics/lt.png"
    assert shown_path(str(tmp_path / "checkout" / "overlays" / "lt.png")) == "overlays/lt.png"
    assert shown_path("/srv/gfx/lt.png") == "/srv/gfx/lt.png"
