"""A graphic's picture changed on air goes onto its hidden twin, shown before the old one is hidden.

Pure, no OBS: the twin chosen by wanted_for, the batch order diff makes of it, and the switcher
keeping which twin is up. (OBS drops an image source's picture while it loads a new file: see
tests/obs/test_obs_canvas.py and test_obs_retake.py for the screenshots.)
"""

from __future__ import annotations

from dataclasses import replace

from studio.obs import ObsAdapter, ObsSettings
from studio.obs.names import graphic_inputs, graphic_items, slug
from studio.obs.state import ObsActual, ObsWanted, SceneItem, diff
from studio.obs.switcher import ObsSwitcher, wanted_for
from studio.onair import OnAirGraphic
from studio.rundown.model import Kind
from tests.obs.obs_process import free_port
from tests.obs.obs_show import segment

studio = segment("open", Kind.STUDIO, "Studio", graphics=("lower-third",))
briefing = segment("crc", Kind.BRIEFING, "Briefing", graphics=("lower-third",))
FRONT, TWIN = ("Studio", "gfx-lower-third"), ("Studio", "gfx-lower-third twin")
MANAGED = graphic_items([studio])
DANA = OnAirGraphic("lower-third", "/out/lower-third-dana.png", "Studio", "open", (96, 822, 960, 174))
ARMAN = replace(DANA, file="/out/lower-third-arman.png")
ZHANAR = replace(DANA, file="/out/lower-third-zhanar.png")


def obs_with(up: ObsWanted, **items: SceneItem) -> ObsActual:
    """OBS after ``up`` (the first twin placed and showing its file; the twin never used), each item
    shown or hidden as given (front=..., twin=...; hidden if not given)."""
    known = {FRONT: items.get("front", SceneItem(4, False)), TWIN: items.get("twin", SceneItem(5, False))}
    return ObsActual("Studio", known, images={"gfx-lower-third": up.images["gfx-lower-third"],
                                              "gfx-lower-third twin": None},
                     placements={FRONT: up.placements[FRONT], TWIN: (0.0, 0.0, 1.0)})


def kinds(requests: list[dict]) -> list[tuple]:
    return [(r["requestType"], r.get("requestData", {}).get("sceneItemId"),
             r.get("requestData", {}).get("sceneItemEnabled", r.get("requestData", {}).get("inputName")))
            for r in requests]


def test_each_template_has_two_image_sources_and_no_twin_is_another_templates_first() -> None:
    assert graphic_inputs("lower-third") == ("gfx-lower-third", "gfx-lower-third twin")
    assert " " not in slug("lower third twin")  # a template's own name never has the twin's space
    assert MANAGED == {FRONT, TWIN} and ("Briefing", "gfx-lower-third twin") in graphic_items([briefing])


def test_a_graphic_going_up_takes_the_first_twin_and_hands_nothing_over() -> None:
    wanted = wanted_for(studio, MANAGED, graphics=[DANA])
    assert wanted.overlays == {FRONT} and wanted.replaced == frozenset()
    assert dict(wanted.images) == {"gfx-lower-third": DANA.file}
    again = wanted_for(studio, MANAGED, graphics=[DANA], before=wanted)
    assert again == wanted  # the same picture stays where it is: nothing to change in OBS


def test_a_new_picture_while_up_goes_onto_the_hidden_twin_placed_exactly_over_the_old_one() -> None:
    up = wanted_for(studio, MANAGED, graphics=[DANA])
    retaken = wanted_for(studio, MANAGED, graphics=[ARMAN], before=up)
    assert retaken.overlays == {TWIN} and retaken.replaced == {FRONT}
    assert dict(retaken.images) == {"gfx-lower-third twin": ARMAN.file}  # the old picture's file is left alone
    assert retaken.placements[TWIN] == retaken.placements[FRONT] == up.placements[FRONT]
    back = wanted_for(studio, MANAGED, graphics=[ZHANAR], before=retaken)  # and back onto the first
    assert back.overlays == {FRONT} and back.replaced == {TWIN}
    assert dict(back.images) == {"gfx-lower-third": ZHANAR.file}


def test_the_batch_loads_the_twin_a_frame_early_shows_it_and_only_then_hides_the_old_picture() -> None:
    up = wanted_for(studio, MANAGED, graphics=[DANA])
    retaken = wanted_for(studio, MANAGED, graphics=[ARMAN], before=up)
    obs = obs_with(up, front=SceneItem(4, True))
    requests = diff(retaken, obs)
    assert kinds(requests) == [
        ("SetInputSettings", None, "gfx-lower-third twin"),
        ("SetSceneItemTransform", 5, None),  # the twin to the old picture's place
        ("Sleep", None, None),  # OBS loads the file in this frame, the twin still hidden
        ("SetSceneItemEnabled", 5, True),  # the new picture up...
        ("SetSceneItemEnabled", 4, False),  # ...before the old one goes
    ]
    done = obs.after(retaken)
    assert done.items == {FRONT: SceneItem(4, False), TWIN: SceneItem(5, True)}
    assert done.covers(retaken) and diff(retaken, done) == []


def test_a_hidden_graphic_is_never_handed_over_and_a_retraction_still_hides_first() -> None:
    up = wanted_for(studio, MANAGED, graphics=[DANA])
    down = wanted_for(studio, MANAGED, before=up)
    assert down.overlays == frozenset() and down.replaced == frozenset()
    assert [r["requestType"] for r in diff(down, obs_with(up, front=SceneItem(4, True)))] == ["SetSceneItemEnabled"]
    again = wanted_for(studio, MANAGED, graphics=[ARMAN], before=down)  # up again, with another name
    assert again.overlays == {FRONT} and again.replaced == frozenset()


def test_a_graphic_taken_to_another_scene_goes_up_there_fresh() -> None:
    up = wanted_for(studio, MANAGED, graphics=[DANA])
    there = wanted_for(briefing, graphic_items([studio, briefing]), graphics=[replace(ARMAN, scene="Briefing", segment_id="crc")], before=up)
    assert there.overlays == {("Briefing", "gfx-lower-third")} and there.replaced == frozenset()
    assert FRONT in there.managed - there.overlays  # the studio's one is hidden, first in the batch


def test_reasserting_a_handover_puts_back_exactly_the_new_picture() -> None:
    up = wanted_for(studio, MANAGED, graphics=[DANA])
    retaken = wanted_for(studio, MANAGED, graphics=[ARMAN], before=up)
    restarted = obs_with(up)  # OBS restarted with both hidden: only the twin goes up
    assert [(r["requestType"], r["requestData"].get("sceneItemEnabled")) for r in diff(retaken, restarted)] == [
        ("SetInputSettings", None), ("SetSceneItemTransform", None), ("Sleep", None), ("SetSceneItemEnabled", True)]
    both = obs_with(up, front=SceneItem(4, True), twin=SceneItem(5, True))
    assert kinds(diff(retaken, both))[-1] == ("SetSceneItemEnabled", 4, False)


def test_a_twin_obs_lacks_is_never_chosen_the_picture_changes_in_place() -> None:
    up = wanted_for(studio, MANAGED, graphics=[DANA], lacking=frozenset({TWIN}))
    retaken = wanted_for(studio, MANAGED, graphics=[ARMAN], before=up, lacking=frozenset({TWIN}))
    assert retaken.overlays == {FRONT} and retaken.replaced == frozenset()
    assert dict(retaken.images) == {"gfx-lower-third": ARMAN.file}
    on_the_twin = wanted_for(studio, MANAGED, graphics=[ARMAN], before=up)  # chosen before OBS said it lacks it
    moved = wanted_for(studio, MANAGED, graphics=[ARMAN], before=on_the_twin, lacking=frozenset({TWIN}))
    assert moved.overlays == {FRONT} and dict(moved.images) == {"gfx-lower-third": ARMAN.file}


def test_the_switcher_keeps_which_twin_is_up() -> None:
    adapter = ObsAdapter(ObsSettings(port=free_port(), password_env="STUDIO_NO_SUCH_PASSWORD", timeout=1))
    switcher = ObsSwitcher(adapter, [studio], ack_timeout=0)
    switcher.take(studio, [DANA])
    for graphics, shown in (([ARMAN], TWIN), ([ARMAN], TWIN), ([ZHANAR], FRONT), ([], None), ([DANA], FRONT)):
        switcher.graphics(graphics)
        wanted = switcher.wanted()
        assert wanted is not None and wanted.overlays == ({shown} if shown else frozenset()), graphics
    switcher.slate()
    switcher.take(studio, [ARMAN])  # back from the slate: up fresh, on the first twin
    wanted = switcher.wanted()
    assert wanted is not None and wanted.overlays == {FRONT} and wanted.replaced == frozenset()
