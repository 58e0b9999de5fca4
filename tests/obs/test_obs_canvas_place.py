"""Placing graphics on OBS's canvas (pure): at their size, or fitted when drawn for another canvas."""

from __future__ import annotations

from studio.obs.switcher import wanted_for
from studio.onair import OnAirGraphic
from studio.rundown.model import Kind
from tests.obs.obs_show import segment

live = segment("live-almaty", Kind.LIVE, "Live", region="almaty")
ITEM = ("Live", "gfx-location-bug")


def bug(placement: tuple[int, int, int, int], canvas: tuple[int, int]) -> OnAirGraphic:
    return OnAirGraphic("location-bug", "/out/bug.png", "Live", "live-almaty", placement, canvas)


def test_a_graphic_drawn_for_obs_s_canvas_is_placed_at_scale_one() -> None:
    assert wanted_for(live, graphics=[bug((896, 36, 320, 119), (1280, 720))], canvas=(1280, 720)).placements[ITEM] == (
        896, 36, 1.0)


def test_a_graphic_drawn_before_obs_said_its_size_is_scaled_into_the_frame() -> None:
    drawn_at_1080 = bug((1344, 54, 480, 178), (1920, 1080))
    x, y, scale = wanted_for(live, graphics=[drawn_at_1080], canvas=(1280, 720)).placements[ITEM]
    assert (round(x), round(y), round(scale, 4)) == (896, 36, 0.6667)
    assert x + 480 * scale <= 1280 and y + 178 * scale <= 720
    x, y, scale = wanted_for(live, graphics=[drawn_at_1080], canvas=(1440, 1080)).placements[ITEM]  # 4:3: bars
    assert (x, y, scale) == (1008, 135 + 54 * 0.75, 0.75) and x + 480 * scale <= 1440
