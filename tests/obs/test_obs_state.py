"""diff(): only what differs, in a safe order. Pure, no OBS."""

from __future__ import annotations

from studio.obs.state import ObsActual, ObsWanted, SceneItem, diff

LOWER_THIRD = ("Studio", "lower third")
BUG = ("Studio", "bug")


def actual(**overrides: object) -> ObsActual:
    base: dict[str, object] = {
        "program_scene": "Studio",
        "items": {LOWER_THIRD: SceneItem(7, False), BUG: SceneItem(9, True)},
        "feeds": {"Almaty feed": "srt://almaty:9000"},
    }
    return ObsActual(**(base | overrides))  # type: ignore[arg-type]


def test_nothing_to_do_when_obs_matches() -> None:
    wanted = ObsWanted(
        "Studio",
        frozenset({BUG}),
        {"Almaty feed": "srt://almaty:9000"},
        managed=frozenset({LOWER_THIRD}),
    )
    assert diff(wanted, actual()) == []


def test_scene_switch_only() -> None:
    assert diff(ObsWanted("Astana"), actual()) == [
        {"requestType": "SetCurrentProgramScene", "requestData": {"sceneName": "Astana"}}
    ]


def test_no_wanted_scene_leaves_the_programme_alone() -> None:
    assert diff(ObsWanted(None), actual(program_scene="Anything")) == []


def test_show_uses_the_scene_item_id() -> None:
    wanted = ObsWanted("Studio", frozenset({LOWER_THIRD, BUG}))
    assert diff(wanted, actual()) == [
        {
            "requestType": "SetSceneItemEnabled",
            "requestData": {"sceneName": "Studio", "sceneItemId": 7, "sceneItemEnabled": True},
        }
    ]


def test_managed_item_not_wanted_is_hidden() -> None:
    wanted = ObsWanted("Studio", managed=frozenset({BUG}))
    assert diff(wanted, actual()) == [
        {
            "requestType": "SetSceneItemEnabled",
            "requestData": {"sceneName": "Studio", "sceneItemId": 9, "sceneItemEnabled": False},
        }
    ]


def test_unmanaged_items_are_left_alone() -> None:
    assert diff(ObsWanted("Studio"), actual()) == []


def test_feed_url_change() -> None:
    wanted = ObsWanted("Studio", frozenset({BUG}), {"Almaty feed": "srt://almaty:9001"})
    assert diff(wanted, actual()) == [
        {
            "requestType": "SetInputSettings",
            "requestData": {
                "inputName": "Almaty feed",
                "overlay": True,
                "inputSettings": {"input": "srt://almaty:9001", "is_local_file": False},
            },
        }
    ]


def test_what_obs_lacks_is_skipped() -> None:
    wanted = ObsWanted("Studio", frozenset({BUG, ("Studio", "gone")}), {"Shymkent feed": "udp://x"})
    assert diff(wanted, actual()) == []


def test_hides_come_first_and_shows_last() -> None:
    wanted = ObsWanted(
        "Astana", frozenset({LOWER_THIRD}), {"Almaty feed": "srt://new"}, managed=frozenset({BUG})
    )
    kinds = [
        (r["requestType"], r["requestData"].get("sceneItemEnabled")) for r in diff(wanted, actual())
    ]
    assert kinds == [
        ("SetSceneItemEnabled", False),
        ("SetInputSettings", None),
        ("SetCurrentProgramScene", None),
        ("SetSceneItemEnabled", True),
    ]


def test_wanted_is_frozen_and_hashable() -> None:
    feeds = {"Almaty feed": "srt://a"}
    wanted = ObsWanted("Studio", frozenset({BUG}), feeds)
    feeds["Almaty feed"] = "changed later"
    assert wanted.feeds["Almaty feed"] == "srt://a"
    assert wanted.managed == frozenset({BUG})
    assert hash(wanted) == hash(ObsWanted("Studio", frozenset({BUG}), {"Almaty feed": "srt://a"}))


def test_known_state_after_a_batch_and_what_it_covers() -> None:
    from studio.obs.state import ObsActual, ObsWanted, SceneItem

    known = ObsActual("A", {("A", "bug"): SceneItem(7, False), ("B", "lt"): SceneItem(9, True)}, {"feed-x": "udp://1"})
    wanted = ObsWanted("B", overlays=frozenset({("A", "bug")}), feeds={"feed-x": "udp://2"}, managed=frozenset({("B", "lt")}))
    assert known.covers(wanted)
    assert not known.covers(ObsWanted("B", overlays=frozenset({("C", "new")})))
    assert not ObsActual("A", missing=("source 'x'",)).covers(ObsWanted("A"))
    after = known.after(wanted)
    assert after.program_scene == "B"
    assert after.items == {("A", "bug"): SceneItem(7, True), ("B", "lt"): SceneItem(9, False)}
    assert after.feeds == {"feed-x": "udp://2"}
    assert after.after(wanted) == after  # applying the same wanted state again changes nothing
    assert known.after(ObsWanted(None)).program_scene == "A"  # no wanted scene: the programme stays
