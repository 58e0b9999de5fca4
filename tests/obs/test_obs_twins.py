"""A graphic's picture changed on air goes onto its hidden twin, shown before the old one is hidden.

Pure, no OBS: the twins wanted_for names, the twin resolve() picks by what OBS has, and the batch
order diff makes of it. (OBS drops an image source's picture while it loads a new file: the
screenshots are in tests/obs/test_obs_canvas.py.)
"""

from __future__ import annotations

from dataclasses import replace

from studio.obs.names import graphic_inputs, graphic_items, slug
from studio.obs.state import ObsActual, ObsWanted, SceneItem, diff, resolve
from studio.obs.switcher import wanted_for
from studio.onair import OnAirGraphic
from studio.rundown.model import Kind
from tests.obs.obs_show import segment

studio = segment("open", Kind.STUDIO, "Studio", graphics=("lower-third",))
FRONT, TWIN = ("Studio", "gfx-lower-third"), ("Studio", "gfx-lower-third twin")
MANAGED = graphic_items([studio])
DANA = OnAirGraphic("lower-third", "/out/lower-third-dana.png", "Studio", "open", (96, 822, 960, 174))
ARMAN = replace(DANA, file="/out/lower-third-arman.png")
ZHANAR = replace(DANA, file="/out/lower-third-zhanar.png")
PLACE = (96.0, 822.0, 1.0)


def lower_third(graphic: OnAirGraphic | None) -> ObsWanted:
    return wanted_for(studio, MANAGED, graphics=[graphic] if graphic else [])


def obs(front: tuple[bool, str | None], twin: tuple[bool, str | None] = (False, None)) -> ObsActual:
    """OBS with each twin (shown?, its file), both placed as the lower third is."""
    return ObsActual("Studio", {FRONT: SceneItem(4, front[0]), TWIN: SceneItem(5, twin[0])},
                     images={FRONT[1]: front[1], TWIN[1]: twin[1]}, placements={FRONT: PLACE, TWIN: PLACE})


def steps(requests: list[dict]) -> list[tuple]:
    """(request, the item or input it changes, shown?) of each request."""
    return [(r["requestType"], r.get("requestData", {}).get("sceneItemId", r.get("requestData", {}).get("inputName")),
             r.get("requestData", {}).get("sceneItemEnabled")) for r in requests]


def test_each_template_has_two_image_sources_named_so_no_twin_is_another_template() -> None:
    assert graphic_inputs("lower-third") == ("gfx-lower-third", "gfx-lower-third twin")
    assert " " not in slug("lower third twin")  # a template's own name never has the twin's space
    assert MANAGED == {FRONT, TWIN}
    wanted = lower_third(DANA)
    assert dict(wanted.twins) == {FRONT: TWIN} and wanted.image_inputs == {FRONT[1], TWIN[1]}
    assert wanted.placed == {FRONT, TWIN}  # OBS is asked for both: the choice is made by what it has


def test_a_graphic_going_up_takes_the_first_twin_or_the_one_that_already_holds_its_file() -> None:
    assert steps(diff(lower_third(DANA), obs((False, None)))) == [
        ("SetInputSettings", FRONT[1], None), ("Sleep", None, None), ("SetSceneItemEnabled", 4, True)]
    assert steps(diff(lower_third(DANA), obs((False, ARMAN.file), (False, DANA.file)))) == [
        ("SetSceneItemEnabled", 5, True)]  # already loaded there: no file to load


def test_a_new_picture_while_up_is_loaded_on_the_hidden_twin_a_frame_early_shown_then_the_old_one_hidden() -> None:
    up = obs((True, DANA.file))
    assert steps(diff(lower_third(ARMAN), up)) == [
        ("SetInputSettings", TWIN[1], None),
        ("Sleep", None, None),  # OBS loads the file in this frame, the twin still hidden
        ("SetSceneItemEnabled", 5, True),  # the new picture up...
        ("SetSceneItemEnabled", 4, False),  # ...before the old one goes
    ]
    resolved = resolve(lower_third(ARMAN), up)
    assert resolved.overlays == {TWIN} and resolved.replaced == {FRONT}
    assert resolved.placements[TWIN] == lower_third(DANA).placements[FRONT]  # exactly over the old picture
    done = up.after(lower_third(ARMAN))
    assert done.items == {FRONT: SceneItem(4, False), TWIN: SceneItem(5, True)} and done.images[TWIN[1]] == ARMAN.file
    assert done.covers(lower_third(ARMAN)) and diff(lower_third(ARMAN), done) == []


def test_retakes_alternate_between_the_twins_and_never_change_a_visible_picture() -> None:
    known = obs((False, None)).after(lower_third(DANA))
    for graphic, shown in ((ARMAN, TWIN), (ARMAN, TWIN), (ZHANAR, FRONT), (DANA, TWIN), (None, None), (ARMAN, FRONT)):
        wanted = lower_third(graphic)
        visible = {item for item, scene_item in known.items.items() if scene_item.enabled}
        loads = [r["requestData"]["inputName"] for r in diff(wanted, known) if r["requestType"] == "SetInputSettings"]
        assert not {(scene, name) for scene, name in visible if name in loads}, (graphic, loads)
        known = known.after(wanted)
        assert {item for item, scene_item in known.items.items() if scene_item.enabled} == ({shown} if shown else set())


def test_taking_a_graphic_down_hides_both_twins_first() -> None:
    requests = diff(lower_third(None), obs((True, DANA.file), (True, ARMAN.file)))
    assert steps(requests) == [("SetSceneItemEnabled", 4, False), ("SetSceneItemEnabled", 5, False)]


def test_a_restarted_studio_keeps_the_twin_obs_shows() -> None:
    assert diff(lower_third(ARMAN), obs((False, DANA.file), (True, ARMAN.file))) == []


def test_a_twin_obs_lacks_is_never_chosen_the_picture_changes_in_place() -> None:
    lacking = ObsActual("Studio", {FRONT: SceneItem(4, True)}, images={FRONT[1]: DANA.file}, placements={FRONT: PLACE},
                        missing=(f"source '{TWIN[1]}' in scene 'Studio'",))
    assert not lacking.covers(lower_third(ARMAN))  # OBS is read again at every batch, until setup adds it
    assert steps(diff(lower_third(ARMAN), lacking)) == [("SetInputSettings", FRONT[1], None)]
