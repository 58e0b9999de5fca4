"""What viewers see, at the stations' real canvas sizes on a real OBS: graphics drawn for the canvas the
switcher reads from OBS, inside the frame and title-safe, in their templates' colours, and the bug's clock
swapped on the minute without a frame missing it."""

from __future__ import annotations

import argparse
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from studio.canvas import fit
from studio.graphics import Renderer, overlays_dir
from studio.obs import ObsAdapter
from studio.obs.cli import obs_check_command
from studio.obs.setup import setup
from studio.obs.switcher import ObsSwitcher
from studio.onair import RendererGraphics
from studio.rundown.model import GraphicCue, Kind
from studio.show import Controller
from studio.store import open_store
from tests.obs.obs_checks import programme, raw_client, rgb
from tests.obs.obs_process import ObsProcess
from tests.obs.obs_show import rundown, segment, tag, wait_for
from tests.obs.test_obs_setup import config_for

pytestmark = [pytest.mark.obs, pytest.mark.xdist_group("obs")]

SIZES = [(1280, 720), (1920, 1080)]
PANEL, STRIP, LIVE = (11, 31, 58), (238, 243, 248), (214, 40, 57)  # the templates' colours, opaque
# Points on the 1920x1080 design where a panel shows its colour and no text.
LOWER_PANEL, LOWER_STRIP = (1040, 835), (1040, 980)
BUG_LIVE, BUG_PANEL = (1510, 64), (1352, 134)
BUG_TIME = (1344, 54, 1486, 118)  # the clock's panel
CLOSE = 6  # the largest channel difference accepted between the template's colour and the programme's


def at(canvas: tuple[int, int], point: tuple[int, int]) -> tuple[int, int]:
    x, y = fit((1920, 1080), canvas).point(*point)
    return round(x), round(y)


def difference(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> int:
    return max(abs(a - b) for a, b in zip(pixel, colour))


class OnAir:
    """A studio segment with a lower third and a live one from Almaty (its bug), on a real OBS of one size."""

    def __init__(self, obs: ObsProcess, tmp_path: Path, clock) -> None:
        t = tag()
        lower = GraphicCue("lower-third", {"name": "Дана Ким", "role": "корреспондент"})
        self.studio = replace(segment("open", Kind.STUDIO, f"Studio {t}"), graphics=(lower,))
        self.live = segment("live", Kind.LIVE, f"Live {t}", region="almaty")
        show = rundown(self.studio, self.live, show_id=f"canvas-{t}")
        adapter = ObsAdapter(obs.settings())
        adapter.connect()
        try:
            setup(adapter, show)
        finally:
            adapter.close()
        self.obs = obs
        self.client = raw_client(obs)
        self.client.set_current_scene_transition("Cut")
        self.size = obs.size
        self.switcher = ObsSwitcher(ObsAdapter(obs.settings()), show.segments)  # no canvas: it asks OBS
        self.switcher.start()
        assert wait_for(lambda: self.switcher.health().connected, timeout=10), self.switcher.health().reason
        graphics = RendererGraphics(Renderer(overlays_dir(), tmp_path / "out"), canvas=lambda: self.switcher.canvas)
        self.controller = Controller(open_store(tmp_path / "s.db"), show, switcher=self.switcher, clock=clock,
                                     graphics=graphics)

    def close(self) -> None:
        self.switcher.stop()
        self.client.disconnect()

    def shot(self) -> Image.Image:
        return programme(self.client, self.size)

    def showing(self, point: tuple[int, int], colour: tuple[int, int, int]) -> Image.Image:
        """The programme once the design ``point`` shows ``colour`` (an image source loads a frame or so late)."""
        shots = [self.shot()]
        while difference(rgb(shots[-1], at(self.size, point)), colour) > CLOSE and len(shots) < 30:
            shots.append(self.shot())
        return shots[-1]

    def item_box(self, scene: str, source: str) -> tuple[float, float, float, float]:
        item = self.client.get_scene_item_id(scene, source).scene_item_id
        t = self.client.get_scene_item_transform(scene, item).scene_item_transform
        return t["positionX"], t["positionY"], t["positionX"] + t["width"], t["positionY"] + t["height"]


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def on_air(request, obs_at, tmp_path: Path, clock):
    made = OnAir(obs_at(*request.param), tmp_path, clock)
    yield made
    made.close()


def inside_title_safe(box: tuple[float, float, float, float], size: tuple[int, int]) -> bool:
    width, height = size
    left, top, right, bottom = box
    return left >= 0.05 * width - 1 and top >= 0.05 * height - 1 and right <= 0.95 * width + 1 and bottom <= 0.95 * height + 1


def test_graphics_are_drawn_for_obs_s_canvas_inside_title_safe_in_their_colours(on_air: OnAir) -> None:
    size, controller = on_air.size, on_air.controller
    assert on_air.switcher.canvas == size  # read from OBS on connect

    controller.take_next()
    before = on_air.shot()
    shown = controller.graphic_take(0)
    assert shown.canvas == size and f"-{size[0]}x{size[1]}-" in Path(shown.file).name  # drawn at this size
    after = on_air.showing(LOWER_PANEL, PANEL)
    drawn = ImageChops.difference(before, after).getbbox()
    assert drawn is not None and inside_title_safe(drawn, size), drawn
    assert difference(rgb(after, at(size, LOWER_PANEL)), PANEL) <= CLOSE, rgb(after, at(size, LOWER_PANEL))
    assert difference(rgb(after, at(size, LOWER_STRIP)), STRIP) <= CLOSE, rgb(after, at(size, LOWER_STRIP))
    assert inside_title_safe(on_air.item_box(on_air.studio.scene, "gfx-lower-third"), size)

    controller.take_next()  # live from Almaty: the bug goes up with the take
    with_bug = on_air.showing(BUG_LIVE, LIVE)
    assert difference(rgb(with_bug, at(size, BUG_LIVE)), LIVE) <= CLOSE, rgb(with_bug, at(size, BUG_LIVE))
    assert difference(rgb(with_bug, at(size, BUG_PANEL)), PANEL) <= CLOSE, rgb(with_bug, at(size, BUG_PANEL))
    assert inside_title_safe(on_air.item_box(on_air.live.scene, "gfx-location-bug"), size)
    controller.graphics_clear_all()
    bare = on_air.showing(BUG_LIVE, rgb(before, at(size, BUG_LIVE)))
    drawn = ImageChops.difference(bare, with_bug).getbbox()
    assert drawn is not None and inside_title_safe(drawn, size), drawn


def test_the_bug_s_clock_is_swapped_on_the_minute_and_no_frame_misses_the_bug(on_air: OnAir, clock) -> None:
    size, controller = on_air.size, on_air.controller
    small = (size[0] // 2, size[1] // 2)  # screenshots at half size: more of them around each swap
    controller.take("live")
    first = on_air.showing(BUG_LIVE, LIVE)
    seen: list[Image.Image] = []
    done = threading.Event()

    def watch() -> None:
        with raw_client(on_air.obs) as client:
            while not done.is_set():
                seen.append(programme(client, small))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(4):
            clock.advance(minutes=1)
            controller.refresh()  # the show process's refresh: redraw, swap in one batch
            done.wait(0.4)
    finally:
        done.set()
        watcher.join()
    red = [round(v / 2) for v in at(size, BUG_LIVE)]
    missing = [i for i, shot in enumerate(seen) if difference(rgb(shot, tuple(red)), LIVE) > 2 * CLOSE]
    assert len(seen) >= 8 and not missing, f"{len(missing)} of {len(seen)} screenshots without the bug"
    last = on_air.showing(BUG_LIVE, LIVE)
    clock_box = tuple(round(v * size[0] / 1920) for v in BUG_TIME)
    assert ImageChops.difference(first.crop(clock_box), last.crop(clock_box)).getbbox() is not None  # the time moved
    [bug] = controller.on_air_graphics
    assert "time=09:34" in bug.description
    scene_file = on_air.client.get_input_settings("gfx-location-bug").input_settings["file"]
    assert scene_file == bug.file


def test_obs_check_warns_of_a_canvas_that_is_not_16_9(obs_at, capsys: pytest.CaptureFixture[str]) -> None:
    obs = obs_at(640, 480)
    config = config_for(obs)
    obs_check_command(argparse.Namespace(rundown=None), config, language="en")
    out = capsys.readouterr().out
    assert "warning: OBS's canvas is 640x480, not 16:9" in out
    obs_check_command(argparse.Namespace(rundown=None), config, language="kk")
    assert "OBS кенебі 640x480, 16:9 емес" in capsys.readouterr().out
