"""Graphics in the wanted state: image files, placements, one batch with the take. Pure, no OBS."""

from __future__ import annotations

from studio.obs.names import graphic_items
from studio.obs.state import ObsActual, ObsWanted, SceneItem, diff
from studio.obs.switcher import slate_wanted, wanted_for
from studio.onair import OnAirGraphic
from studio.rundown.model import Kind
from tests.obs.obs_show import segment

studio = segment("open", Kind.STUDIO, "Studio", graphics=("lower-third",))
live = segment("live-almaty", Kind.LIVE, "Live", region="almaty", feed="udp://127.0.0.1:9102")
LOWER = OnAirGraphic("lower-third", "/out/lower-third-1.png", "Studio", "open", (96, 822, 960, 174))
BUG = OnAirGraphic("location-bug", "/out/bug.png", "Live", "live-almaty", (1344, 54, 480, 158))
GFX, TWIN = ("Studio", "gfx-lower-third"), ("Studio", "gfx-lower-third twin")


def test_graphic_items_include_the_live_bug_each_with_its_twin() -> None:
    assert graphic_items([studio, live]) == {GFX, TWIN, ("Live", "gfx-location-bug"), ("Live", "gfx-location-bug twin")}


def test_a_graphic_is_shown_with_its_file_and_place_scaled_to_the_canvas() -> None:
    wanted = wanted_for(studio, graphics=[LOWER, BUG], canvas=(1280, 720))
    assert wanted.overlays == {GFX}  # the bug belongs to another scene
    assert wanted.images == {"gfx-lower-third": "/out/lower-third-1.png"}
    x, y, scale = wanted.placements[GFX]
    assert (round(x), round(y), round(scale, 3)) == (64, 548, 0.667)
    assert hash(wanted) == hash(wanted_for(studio, graphics=[LOWER, BUG], canvas=(1280, 720)))


def test_without_graphics_a_known_graphic_item_is_hidden() -> None:
    assert GFX in slate_wanted(graphic_items([studio])).managed
    assert GFX not in wanted_for(studio, graphic_items([studio])).overlays


def test_diff_sets_file_and_place_before_the_show_and_the_switch() -> None:
    wanted = wanted_for(studio, graphics=[LOWER])
    actual = ObsActual("Live", {GFX: SceneItem(4, False), TWIN: SceneItem(5, False)},
                       images={"gfx-lower-third": None, "gfx-lower-third twin": None},
                       placements={GFX: (0.0, 0.0, 1.0), TWIN: (0.0, 0.0, 1.0)})
    types = [r["requestType"] for r in diff(wanted, actual)]
    # a frame between: OBS loads the new file in the tick after the batch's requests
    assert types == ["SetInputSettings", "SetSceneItemTransform", "Sleep", "SetCurrentProgramScene",
                     "SetSceneItemEnabled"]
    requests = diff(wanted, actual)
    assert requests[2]["requestData"] == {"sleepFrames": 1}
    assert requests[0]["requestData"]["inputSettings"] == {"file": "/out/lower-third-1.png"}
    assert requests[1]["requestData"]["sceneItemTransform"]["positionY"] == 822
    after = actual.after(wanted)
    assert after.covers(wanted) and diff(wanted, after) == []


def test_an_unknown_image_or_place_is_read_first() -> None:
    wanted = ObsWanted("Studio", frozenset({GFX}), images={"gfx-lower-third": "/a.png"},
                       placements={GFX: (1.0, 2.0, 1.0)})
    assert not ObsActual("Studio", {GFX: SceneItem(4, True)}).covers(wanted)
    known = ObsActual("Studio", {GFX: SceneItem(4, True)}, images={"gfx-lower-third": "/a.png"},
                      placements={GFX: (1.0, 2.0000001, 1.0)})
    assert known.covers(wanted) and diff(wanted, known) == []


def test_hiding_a_graphic_leaves_its_file() -> None:
    actual = ObsActual("Studio", {GFX: SceneItem(4, True)}, images={"gfx-lower-third": "/a.png"})
    requests = diff(wanted_for(studio, graphic_items([studio])), actual)
    assert [r["requestType"] for r in requests] == ["SetSceneItemEnabled"]
    assert requests[0]["requestData"]["sceneItemEnabled"] is False
