"""The location bug's clock follows the minute while it is on air: redrawn, swapped, never a new take."""

from __future__ import annotations

from pathlib import Path

from studio.asrun import aired
from studio.graphics import Renderer
from studio.paths import shipped
from studio.onair import LOCATION_BUG, BugStyle, RendererGraphics
from studio.show import Controller
from studio.store import open_store
from tests.test_control import RecordingSwitcher


def show(tmp_path: Path, small_rundown, clock, bug: BugStyle = BugStyle()) -> tuple[Controller, RecordingSwitcher]:
    switcher = RecordingSwitcher()
    graphics = RendererGraphics(Renderer(shipped("overlays"), tmp_path / "out"), bug=bug)
    controller = Controller(open_store(tmp_path / "s.db"), small_rundown, operator="aigerim", clock=clock,
                            switcher=switcher, graphics=graphics)
    controller.take("live-almaty")  # 09:30 in Almaty: the bug goes up with the take
    return controller, switcher


def test_on_the_minute_the_bug_is_redrawn_and_swapped_without_a_new_take(tmp_path, small_rundown, clock) -> None:
    controller, switcher = show(tmp_path, small_rundown, clock)
    [first] = controller.on_air_graphics
    assert "time=09:30" in first.description
    clock.advance(seconds=59)
    controller.refresh()
    assert controller.on_air_graphics == (first,) and switcher.calls[-1] == "take live-almaty"  # same minute
    clock.advance(seconds=1)
    controller.refresh()
    [redrawn] = controller.on_air_graphics
    assert "time=09:31" in redrawn.description and redrawn.file != first.file and Path(redrawn.file).is_file()
    assert switcher.calls[-1] == f"graphics {LOCATION_BUG}" and switcher.shown == [redrawn]
    events = controller.store.events("small")
    assert [e.action for e in events].count("graphic_on") == 1
    assert events[-1].action == "graphic_redrawn" and events[-1].detail["replaces"] == first.file
    [aired_bug] = aired(events)
    assert aired_bug.off is None  # still the one take, on air
    controller.refresh()  # nothing new within the minute
    assert controller.store.events("small")[-1].id == events[-1].id


def test_a_station_without_a_clock_keeps_its_file(tmp_path, small_rundown, clock) -> None:
    controller, switcher = show(tmp_path, small_rundown, clock, BugStyle(clock=False))
    [first] = controller.on_air_graphics
    clock.advance(minutes=1)
    controller.refresh()
    [after] = controller.on_air_graphics
    assert after.file == first.file and switcher.calls[-1] == "take live-almaty"
    assert "graphic_redrawn" not in [e.action for e in controller.store.events("small")]


def test_without_a_switcher_nothing_is_redrawn(tmp_path, small_rundown, clock) -> None:
    graphics = RendererGraphics(Renderer(shipped("overlays"), tmp_path / "out"))
    controller = Controller(open_store(tmp_path / "s.db"), small_rundown, clock=clock, graphics=graphics)
    controller.take("live-almaty")
    [first] = controller.on_air_graphics
    clock.advance(minutes=2)
    controller.refresh()
    assert controller.on_air_graphics == (first,)  # only the show process, which owns OBS, redraws
