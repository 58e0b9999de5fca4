"""The Graphics panel and its keys: arm, take (g), cycle (a), clear (c), panic (ctrl+x)."""

from __future__ import annotations

from pathlib import Path

from studio.tui import StudioApp
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
