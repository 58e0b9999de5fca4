"""Graphics on a real, headless OBS: a take with its lower third, the live bug, panic."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from studio.graphics import Renderer
from studio.paths import shipped
from studio.obs import ObsAdapter
from studio.obs.setup import setup
from studio.obs.switcher import ObsSwitcher
from studio.onair import RendererGraphics
from studio.rundown.model import GraphicCue, Kind
from studio.show import Controller
from studio.store import open_store
from tests.obs.obs_checks import near, raw_client, rgb, screenshot, wait_for_pixel
from tests.obs.obs_process import ObsProcess
from tests.obs.obs_show import rundown, segment, tag, wait_for

pytestmark = [pytest.mark.obs, pytest.mark.xdist_group("obs")]

STRIP_RGB = (238, 243, 248)  # lower-third.toml "strip", under the role
LIVE_RGB = (214, 40, 57)  # location-bug.toml "live"
CARD = (11, 31, 58)  # the scene card's colour (the slate's navy) under everything: never black


def test_a_lower_third_goes_up_with_the_take_and_panic_takes_it_down(
    adapter: ObsAdapter, obs: ObsProcess, tmp_path: Path, clock
) -> None:
    t = tag()
    lower = GraphicCue("lower-third", {"name": "Дана Ким", "role": "корреспондент"})
    studio = replace(segment("open", Kind.STUDIO, f"Studio {t}"), graphics=(lower,))
    live = segment("live", Kind.LIVE, f"Live {t}", region="almaty")
    show = rundown(studio, live, show_id=f"gfx-{t}")
    setup(adapter, show)
    with raw_client(obs) as client:
        client.set_current_scene_transition("Cut")
    switcher = ObsSwitcher(ObsAdapter(obs.settings()), show.segments, canvas=obs.size)
    switcher.start()
    try:
        assert wait_for(lambda: switcher.health().connected, timeout=10), switcher.health().reason
        graphics = RendererGraphics(Renderer(shipped("overlays"), tmp_path / "out"))
        controller = Controller(open_store(tmp_path / "s.db"), show, switcher=switcher, clock=clock, graphics=graphics)
        strip = (300, 320)  # the strip at (900, 960) on the template's 1920x1080, a third of it here
        controller.take_next()
        with raw_client(obs) as client:
            assert near(rgb(screenshot(client, studio.scene, obs.size), strip), CARD)
            controller.graphic_take(0)
            assert switcher.health().in_sync, switcher.health().error
            seen = wait_for_pixel(client, studio.scene, obs.size, strip, STRIP_RGB)
            assert near(seen, STRIP_RGB), seen

            controller.take_next()  # live from Almaty: the bug goes up by itself, the lower third is gone
            assert client.get_current_program_scene().current_program_scene_name == live.scene
            assert wait_for(lambda: near(rgb(screenshot(client, live.scene, obs.size), (500, 21)), LIVE_RGB), 3)
            items = {i["sourceName"]: i["sceneItemEnabled"] for i in client.get_scene_item_list(studio.scene).scene_items}
            assert items["gfx-lower-third"] is False

            assert controller.graphics_clear_all() == 1  # panic
            seen = wait_for_pixel(client, live.scene, obs.size, (500, 21), CARD)
            assert near(seen, CARD), seen
    finally:
        switcher.stop()
