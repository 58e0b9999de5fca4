"""What a rundown needs in OBS and the steps to get there: pure, no OBS."""

from __future__ import annotations

from pathlib import Path

from dataclasses import replace

from studio.obs.names import CARD_BACKGROUND, FALLBACK_SCENE, GRAPHIC_TWIN_SUFFIX, SLATE_BACKGROUND, SLATE_IMAGE
from studio.obs.needs import FEED_KIND, Inventory, PlacedItem, needs, plan, scene_cards
from studio.obs.setup import Shown, black_scenes
from studio.rundown.model import Kind
from tests.obs.obs_show import segment

A1 = "udp://127.0.0.1:9101?pkt_size=1316"
A2 = "udp://127.0.0.1:9201?pkt_size=1316"
SEGMENTS = (
    segment("open", Kind.STUDIO, "Studio", graphics=("lower-third",)),
    segment("live-a", Kind.LIVE, "Live", region="astana", feed=A1, graphics=("location-bug", "lower-third")),
    segment("live-a2", Kind.LIVE, "Live", region="astana", feed=A2),
    segment("crc", Kind.BRIEFING, "Briefing", feed="udp://127.0.0.1:9100?pkt_size=1316"),
)
CANVAS = (1920, 1080)


def empty() -> Inventory:
    return Inventory(frozenset({"Scene"}), {}, {}, {})


def after(want, steps) -> Inventory:  # type: ignore[no-untyped-def]
    """The inventory once every create step is carried out, as OBS would have it."""
    scenes = set(empty().scenes) | set(want.scenes)
    inputs = {s.name: s.kind for s in want.sources}
    items: dict[str, list[PlacedItem]] = {}
    for item in want.items:
        placed = items.setdefault(item.scene, [])
        placed.append(PlacedItem(item.source, len(placed) + 1, len(placed)))
    settings = {s.name: dict(s.settings) for s in want.sources}
    return Inventory(frozenset(scenes), inputs, {k: tuple(v) for k, v in items.items()}, settings)


def test_needs_every_scene_one_feed_per_place_graphics_and_the_slate() -> None:
    want = needs(SEGMENTS, CANVAS)
    assert want.scenes == ("Studio", "Live", "Briefing", FALLBACK_SCENE)
    feed = want.source("feed-astana")
    assert feed.kind == FEED_KIND
    assert feed.settings["input"] == A1 and feed.accept["input"] == (A1, A2)
    assert feed.settings["is_local_file"] is False and feed.settings["restart_on_activate"] is False
    assert want.source("gfx-lower-third").kind == want.source("gfx-lower-third twin").kind == "image_source"
    live = [(i.source, i.enabled) for i in want.items if i.scene == "Live"]
    assert live == [(CARD_BACKGROUND, True), ("feed-astana", False), ("gfx-location-bug", False),
                    ("gfx-location-bug twin", False), ("gfx-lower-third", False), ("gfx-lower-third twin", False)]
    slate = [i.source for i in want.items if i.scene == FALLBACK_SCENE]
    assert slate[0] == SLATE_BACKGROUND and len(slate) == 5 and SLATE_IMAGE not in slate
    assert want.source(SLATE_BACKGROUND).settings["width"] == 1920
    texts = " ".join(want.source(n).settings["text"] for n in slate[1:])
    assert "Техникалық ақау" in texts and "Технические неполадки" in texts and "вернёмся" in texts
    with_picture = needs(SEGMENTS, CANVAS, Path("/x/slate.png"))
    assert with_picture.items[-1].source == SLATE_IMAGE


def test_plan_on_an_empty_obs_creates_everything_once() -> None:
    want = needs(SEGMENTS, CANVAS)
    steps = plan(want, empty())
    actions = [s.action for s in steps.steps]
    assert actions.count("scene") == 4
    inputs = [s.source.name for s in steps.steps if s.action == "input" and s.source]
    assert len(inputs) == len(set(inputs)) == len(want.sources)
    extra = [(s.scene, s.item.source) for s in steps.steps if s.action == "item" and s.item]
    # second scene items of existing inputs: the card's colour in every scene, a graphic's twins in two
    assert extra == [("Live", CARD_BACKGROUND), ("Briefing", CARD_BACKGROUND), ("Live", "gfx-lower-third"),
                     ("Live", "gfx-lower-third twin")]
    assert steps.unchanged == 0 and not steps.conflicts


def test_plan_after_setup_is_empty() -> None:
    want = needs(SEGMENTS, CANVAS)
    again = plan(want, after(want, plan(want, empty())))
    assert again.steps == ()
    assert again.unchanged == len(want.scenes) + len(want.sources) + len(want.items)


def test_a_station_set_up_before_twins_is_told_each_twin_is_missing_and_setup_adds_it() -> None:
    want = needs(SEGMENTS, CANVAS)
    have = after(want, ())
    inputs = {name: kind for name, kind in have.inputs.items() if not name.endswith(GRAPHIC_TWIN_SUFFIX)}
    items = {scene: tuple(p for p in placed if p.source in inputs or not p.source.startswith("gfx-"))
             for scene, placed in have.items.items()}
    steps = plan(want, Inventory(have.scenes, inputs, items, have.settings))
    assert steps.missing == ("graphic 'gfx-lower-third twin' (in scene 'Studio')",
                             "graphic 'gfx-location-bug twin' (in scene 'Live')",
                             "graphic 'gfx-lower-third twin' in scene 'Live'")
    assert [s.action for s in steps.steps] == ["input", "input", "item"] and not steps.conflicts


def test_any_of_the_rundowns_urls_will_do_other_settings_are_corrected() -> None:
    want = needs(SEGMENTS, CANVAS)
    have = after(want, ())
    have.settings["feed-astana"]["input"] = A2  # type: ignore[index]  # the switcher set the later one
    assert plan(want, have).steps == ()
    have.settings["feed-astana"]["input"] = "udp://elsewhere"  # type: ignore[index]
    have.settings["feed-astana"]["restart_on_activate"] = True  # type: ignore[index]
    (step,) = plan(want, have).steps
    assert step.action == "settings" and dict(step.changes) == {"input": A1, "restart_on_activate": False}


def test_names_taken_by_something_else_are_problems_not_steps() -> None:
    want = needs(SEGMENTS, CANVAS)
    have = Inventory(frozenset({"feed-astana"}), {"Live": "color_source_v3", "gfx-lower-third": "text_ft2_source_v2"}, {}, {})
    steps = plan(want, have)
    assert len(steps.conflicts) == 3
    assert any("'Live': the name is taken by an input" in c for c in steps.conflicts)
    assert any("'gfx-lower-third' is a text_ft2_source_v2" in c for c in steps.conflicts)
    assert not any(s.item and "Live" in (s.scene, s.item.source) for s in steps.steps if s.action != "conflict")


def test_graphics_below_a_feed_are_raised() -> None:
    want = needs(SEGMENTS, CANVAS)
    have = after(want, ())
    live = (PlacedItem(CARD_BACKGROUND, 9, 0), PlacedItem("gfx-location-bug", 1, 1), PlacedItem("feed-astana", 2, 2),
            PlacedItem("gfx-location-bug twin", 3, 3), PlacedItem("gfx-lower-third", 4, 4),
            PlacedItem("gfx-lower-third twin", 5, 5))
    have = Inventory(have.scenes, have.inputs, {**have.items, "Live": live}, have.settings)
    (step,) = plan(want, have).steps
    assert step.action == "order" and step.raise_ == ("gfx-location-bug",)


def test_every_scene_gets_a_card_at_the_bottom_its_picture_over_its_colour() -> None:
    assert scene_cards(SEGMENTS) == {"Studio": ("Студия", "Студия"), "Live": ("Тікелей байланыс", "Прямое включение"),
                                     "Briefing": ("Брифинг", "Брифинг")}
    want = needs(SEGMENTS, CANVAS, cards={"Studio": Path("/x/card-studio.png")})
    studio = [(i.source, i.enabled, i.layout) for i in want.items if i.scene == "Studio"]
    assert studio[:2] == [(CARD_BACKGROUND, True, "fill"), ("card-studio", True, "fill")]
    assert want.source("card-studio").settings == {"file": "/x/card-studio.png"}
    assert want.source(CARD_BACKGROUND).settings["width"] == 1920
    assert not any(i.source.startswith("card-") for i in want.items if i.scene == FALLBACK_SCENE)


def test_a_card_made_in_a_scene_that_had_items_goes_to_the_bottom() -> None:
    want = needs(SEGMENTS, CANVAS, cards={"Studio": Path("/x/card-studio.png")})
    have = after(want, ())
    studio = (PlacedItem("gfx-lower-third", 1, 0), PlacedItem("card-studio", 2, 1), PlacedItem(CARD_BACKGROUND, 3, 2),
              PlacedItem("gfx-lower-third twin", 4, 3))
    have = Inventory(have.scenes, have.inputs, {**have.items, "Studio": studio}, have.settings)
    (step,) = plan(want, have).steps
    assert step.action == "order" and step.lower == (CARD_BACKGROUND, "card-studio") and step.scene == "Studio"


def test_the_station_camera_goes_in_the_studio_scenes_and_must_exist_in_obs() -> None:
    want = needs(SEGMENTS, CANVAS, studio_camera="Camera 1")
    studio = [(i.source, i.enabled) for i in want.items if i.scene == "Studio"]
    assert studio[:2] == [(CARD_BACKGROUND, True), ("Camera 1", True)]
    assert not any(i.source == "Camera 1" for i in want.items if i.scene != "Studio")
    missing = plan(want, empty())
    assert any("studio camera 'Camera 1' is not in OBS" in c for c in missing.conflicts)
    assert not any(s.item and s.item.source == "Camera 1" for s in missing.steps if s.action != "conflict")
    have = after(want, ())
    have = replace(have, inputs={**have.inputs, "Camera 1": "v4l2_input"})
    assert plan(want, have).steps == ()  # its settings are the station's: never touched


def test_a_video_file_gets_its_own_hidden_input_a_video_source_is_the_stations() -> None:
    clip = replace(segment("clip", Kind.VIDEO, "Video"), video="/clips/how-to-vote.mp4")
    playout = replace(segment("playout", Kind.VIDEO, "Video"), video_source="Playout 1")
    want = needs((clip, playout), CANVAS)
    video = [(i.source, i.enabled) for i in want.items if i.scene == "Video"]
    assert video == [(CARD_BACKGROUND, True), ("video-clip", False), ("Playout 1", False)]
    settings = want.source("video-clip").settings
    assert settings["local_file"] == "/clips/how-to-vote.mp4" and settings["restart_on_activate"] is True
    assert any("video source 'Playout 1' is not in OBS" in c for c in plan(want, empty()).conflicts)


def test_black_scenes_are_those_with_nothing_visible_or_only_media_that_never_played() -> None:
    black = black_scenes({
        "Studio": (),
        "Video": (Shown("video-clip", "OBS_MEDIA_STATE_NONE"),),
        "Live": (Shown(CARD_BACKGROUND), Shown("feed-astana", "OBS_MEDIA_STATE_NONE")),
        "Replay": (Shown("replay", "OBS_MEDIA_STATE_PLAYING"),),
    })
    assert black == ("scene 'Studio': no visible source",
                     "scene 'Video': its only visible source 'video-clip' has never played")
