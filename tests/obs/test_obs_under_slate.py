"""On-air state tells the truth on real OBS: a feed dies under its graphics, the slate covers them, and the
store's event log, the as-run, GET /state's graphics and a second process all say "under the slate";
the retake puts the inclusion and its location bug back. Rendered graphics never go into the checkout.

Real OBS, a real ffmpeg sender, the real Controller, ObsSwitcher and Renderer on a throwaway store.
"""

from __future__ import annotations

import argparse
import types
from dataclasses import replace
from pathlib import Path

import pytest

from studio.asrun import records
from studio.graphics import Renderer
from studio.paths import shipped
from studio.obs import ObsAdapter
from studio.obs.cli import obs_setup_command
from studio.obs.names import FALLBACK_SCENE, SLATE_IMAGE, card_input
from studio.obs.needs import scene_cards
from studio.obs.setup import setup
from studio.obs.switcher import ObsSwitcher
from studio.onair import RendererGraphics
from studio.rundown.load import load_rundown
from studio.rundown.model import GraphicCue, Kind
from studio.show import Controller
from studio.store import open_store
from studio.web.state import state
from tests.obs.obs_checks import near, programme, raw_client, rgb, wait_for_pixel
from tests.obs.obs_process import ObsProcess
from tests.obs.obs_show import Sender, free_udp_port, has_ffmpeg, rundown, segment, tag, udp_url, wait_for
from tests.obs.test_obs_setup import config_for, rundown_file

pytestmark = [
    pytest.mark.obs,
    pytest.mark.xdist_group("obs"),
    pytest.mark.skipif(not has_ffmpeg(), reason="needs ffmpeg to simulate a live feed: apt-get install -y ffmpeg"),
]

LIVE_RGB = (214, 40, 57)  # location-bug.toml "live"
BUG = (500, 21)  # a pixel of the bug's LIVE box on the test OBS's canvas


def test_a_feed_dies_under_its_graphics_and_every_record_says_they_are_under_the_slate(
    adapter: ObsAdapter, obs: ObsProcess, tmp_path: Path
) -> None:
    t = tag()
    url = udp_url(free_udp_port())
    lower = GraphicCue("lower-third", {"name": "Дана Ким", "role": "корреспондент"})
    live = replace(segment("live", Kind.LIVE, f"Live {t}", region="almaty", feed=url), graphics=(lower,))
    show = rundown(live, show_id=f"slate-{t}")
    zone = show.show.zone
    setup(adapter, show)
    with raw_client(obs) as client:
        client.set_current_scene_transition("Cut")
    switcher = ObsSwitcher(ObsAdapter(obs.settings()), show.segments, canvas=obs.size)
    graphics = RendererGraphics(Renderer(shipped("overlays"), tmp_path / "graphics"))
    controller = Controller(open_store(tmp_path / "show.db"), show, operator="test", switcher=switcher,
                            graphics=graphics)
    api = Controller(open_store(tmp_path / "show.db"), show, origin="api")  # another process: the store only
    switcher.on_feed_lost = controller.feed_lost
    switcher.start()
    sender = Sender(url, gop=25)
    try:
        sender.start()
        assert wait_for(lambda: switcher.health().connected, timeout=10), switcher.health().reason
        assert wait_for(lambda: switcher.feed_up(live), timeout=8), "pre-flight: the feed never came up"
        controller.take("live")
        controller.graphic_take(0)
        with raw_client(obs) as client:
            assert near(wait_for_pixel(client, live.scene, obs.size, BUG, LIVE_RGB), LIVE_RGB)
            assert api.refresh() and not state(api.view(), zone).graphics.under_slate

            sender.kill()
            assert wait_for(lambda: client.get_current_program_scene().current_program_scene_name == FALLBACK_SCENE,
                            timeout=5), "the slate never came up"
            seen = rgb(programme(client, obs.size), BUG)
            assert not near(seen, LIVE_RGB), seen  # viewers see the slate, not the bug

        def last_actions() -> list[str]:
            return [event.action for event in controller.store.events(show.show.id)][-2:]

        # the switcher's word comes a moment after the cut, from its own thread: in the store for every process
        assert wait_for(lambda: last_actions() == ["feed_lost", "slate_on"], timeout=5), last_actions()
        assert controller.view().under_slate
        assert api.refresh() and api.view().under_slate
        graphics = state(api.view(), zone).model_dump(mode="json")["graphics"]
        assert graphics["under_slate"] is True
        assert [g["template"] for g in graphics["on_air"]] == ["location-bug", "lower-third"]
        aired = [r for r in records(api.asrun(), api.store.events(show.show.id), zone) if r["type"] == "graphic"]
        assert [(r["template"], r["off_reason"]) for r in aired] == [("location-bug", "slate"), ("lower-third", "slate")]
        slate_at = next(e.at for e in api.store.events(show.show.id) if e.action == "slate_on")
        assert {r["end_utc"] for r in aired} == {slate_at.isoformat()}

        sender.start()  # the correspondent is back; the producer retakes the inclusion
        assert wait_for(lambda: switcher.feed_up(live), timeout=8), "the feed never came back"
        controller.take("live")
        with raw_client(obs) as client:
            assert client.get_current_program_scene().current_program_scene_name == live.scene
            assert near(wait_for_pixel(client, live.scene, obs.size, BUG, LIVE_RGB), LIVE_RGB)
        assert api.refresh() and not api.view().under_slate
        aired = [r for r in records(api.asrun(), api.store.events(show.show.id), zone) if r["type"] == "graphic"]
        assert [(r["template"], r["end_utc"]) for r in aired[2:]] == [("location-bug", "")]  # on air again, anew
    finally:
        sender.stop()
        switcher.stop()


def test_obs_setup_renders_the_slate_and_the_cards_into_the_graphics_folder(obs: ObsProcess, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "graphics"
    path = rundown_file(tmp_path, tag())
    config = config_for(obs)
    config.graphics = types.SimpleNamespace(out=str(folder), templates="")
    code = obs_setup_command(argparse.Namespace(rundown=path, slate=None, text_slate=False), config)
    assert code == 0, capsys.readouterr()
    with raw_client(obs) as client:
        shown = Path(client.get_input_settings(SLATE_IMAGE).input_settings["file"])
    assert shown.parent == folder and shown.name.startswith("slate-") and shown.is_file()
    with raw_client(obs) as client:
        cards = [Path(client.get_input_settings(card_input(scene)).input_settings["file"]) for scene in scene_cards(
            load_rundown(path).segments)]
    assert cards and all(card.parent == folder and card.name.startswith("card-") and card.is_file() for card in cards)
