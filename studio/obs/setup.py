"""``studio obs setup`` and ``studio obs check``: make OBS hold what a rundown needs.

What it needs and the steps that are missing are pure (studio/obs/needs.py);
here OBS is read (its inventory, the scenes that would be black on air) and
setup() carries the steps out; check() only lists them.

Setup never deletes or hides anything, and it changes a source's settings
only where they differ from what studio needs, so it is safe to run again
during a show (a feed whose settings it changes would restart, so `check`
first).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.i18n import Msg
from studio.obs import names
from studio.obs.adapter import ObsAdapter, ObsVersions
from studio.obs.errors import ObsError, ObsMsg
from studio.obs.needs import Canvas, Inventory, ItemNeed, ObsNeeds, PlacedItem, Step, needs, plan
from studio.rundown.model import Segment

@dataclass(frozen=True)
class SetupReport:
    versions: ObsVersions
    created: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: int
    problems: tuple[str, ...]  # what setup cannot fix by itself (a name taken by something else)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@dataclass(frozen=True)
class CheckReport:
    versions: ObsVersions
    missing: tuple[str, ...]
    differing: tuple[str, ...]
    problems: tuple[str, ...]
    checked: int  # needed things looked at
    black: tuple[str, ...] = ()  # scenes that would be black on air, each with why

    @property
    def ok(self) -> bool:
        return not (self.missing or self.differing or self.problems or self.black)


MEDIA_KINDS = frozenset({"ffmpeg_source", "vlc_source"})
NEVER_PLAYED = "OBS_MEDIA_STATE_NONE"


@dataclass(frozen=True)
class Shown:
    """A visible item of a scene, as far as black goes."""

    source: str
    media_state: str | None = None  # a media input's state; None: not a media input


def black_scenes(scenes: Mapping[str, Iterable[Shown]]) -> tuple[str, ...]:
    """Each scene that would be black on air, and why: nothing in it is visible, or all that is
    visible is media that has never played (a card or any other visible source under it will do)."""
    black = []
    for scene, shown in scenes.items():
        shown = tuple(shown)
        if not shown:
            black.append(Msg("obs.check.black_empty", scene=scene))
        elif all(item.media_state == NEVER_PLAYED for item in shown):
            media = ", ".join(f"'{item.source}'" for item in shown)
            black.append(Msg("obs.check.black_unplayed", scene=scene, media=media))
    return tuple(black)


def shown_in(adapter: ObsAdapter, scenes: Iterable[str]) -> dict[str, tuple[Shown, ...]]:
    """The visible items of each scene OBS has (a scene it lacks is reported missing, not black)."""
    have = {str(s["sceneName"]) for s in adapter.call("GetSceneList")["scenes"]}
    found = {}
    for scene in scenes:
        if scene not in have:
            continue
        shown = []
        for item in adapter.call("GetSceneItemList", sceneName=scene)["sceneItems"]:
            if not item.get("sceneItemEnabled"):
                continue
            source, state = str(item["sourceName"]), None
            if item.get("inputKind") in MEDIA_KINDS:
                state = adapter.call("GetMediaInputStatus", inputName=source).get("mediaState")
            shown.append(Shown(source, state))
        found[scene] = tuple(shown)
    return found


# -- 3. OBS: read it, carry the plan out ----------------------------------------------------


def canvas(adapter: ObsAdapter) -> Canvas:
    return adapter.canvas()


def inventory(adapter: ObsAdapter, want: ObsNeeds) -> Inventory:
    scenes = frozenset(str(s["sceneName"]) for s in adapter.call("GetSceneList")["scenes"])
    inputs = {str(i["inputName"]): str(i["inputKind"]) for i in adapter.call("GetInputList")["inputs"]}
    items = {}
    for scene in want.scenes:
        if scene in scenes:
            listed = adapter.call("GetSceneItemList", sceneName=scene)["sceneItems"]
            items[scene] = tuple(
                PlacedItem(str(i["sourceName"]), int(i["sceneItemId"]), int(i["sceneItemIndex"])) for i in listed
            )
    defaults: dict[str, dict[str, Any]] = {}
    settings = {}
    for source in want.sources:
        if inputs.get(source.name) == source.kind:
            if source.kind not in defaults:
                defaults[source.kind] = adapter.call("GetInputDefaultSettings", inputKind=source.kind)[
                    "defaultInputSettings"
                ]
            own = adapter.call("GetInputSettings", inputName=source.name)["inputSettings"]
            settings[source.name] = {**defaults[source.kind], **own}
    return Inventory(scenes, inputs, items, settings)


def _place(adapter: ObsAdapter, item: ItemNeed, item_id: int, canvas_: Canvas) -> None:
    width, height = canvas_
    if item.layout == "fill":
        transform = {
            "positionX": 0.0,
            "positionY": 0.0,
            "alignment": 5,  # top left
            "boundsType": "OBS_BOUNDS_SCALE_INNER",  # any feed size fills the frame, aspect kept
            "boundsAlignment": 0,
            "boundsWidth": float(width),
            "boundsHeight": float(height),
        }
    elif item.layout == "centre":
        transform = {"alignment": 0, "positionX": width / 2, "positionY": round(height * item.y, 1)}
    else:
        return
    adapter.call("SetSceneItemTransform", sceneName=item.scene, sceneItemId=item_id, sceneItemTransform=transform)


def _carry_out(adapter: ObsAdapter, step: Step, canvas_: Canvas, want: ObsNeeds) -> None:
    if step.action == "scene":
        adapter.call("CreateScene", sceneName=step.scene)
    elif step.action == "input":
        assert step.source and step.item
        made = adapter.call(
            "CreateInput",
            sceneName=step.scene,
            inputName=step.source.name,
            inputKind=step.source.kind,
            inputSettings=dict(step.source.settings),
            sceneItemEnabled=step.item.enabled,
        )
        _place(adapter, step.item, int(made["sceneItemId"]), canvas_)
    elif step.action == "item":
        assert step.item
        made = adapter.call(
            "CreateSceneItem",
            sceneName=step.scene,
            sourceName=step.item.source,
            sceneItemEnabled=step.item.enabled,
        )
        _place(adapter, step.item, int(made["sceneItemId"]), canvas_)
    elif step.action == "settings":
        assert step.source
        adapter.call("SetInputSettings", inputName=step.source.name, inputSettings=dict(step.changes), overlay=True)
        if step.source.name.startswith((names.FALLBACK_SCENE, names.CARD_PREFIX)):  # slate, cards: the canvas size
            for item in want.items:
                if item.source == step.source.name:
                    listed = adapter.call("GetSceneItemList", sceneName=item.scene)["sceneItems"]
                    for i in listed:
                        if i["sourceName"] == item.source:
                            _place(adapter, item, int(i["sceneItemId"]), canvas_)
    elif step.action == "order":
        listed = adapter.call("GetSceneItemList", sceneName=step.scene)["sceneItems"]
        ids = {str(i["sourceName"]): int(i["sceneItemId"]) for i in listed}
        for source in step.raise_:  # bottom first, each to the top: their order is kept
            adapter.call("SetSceneItemIndex", sceneName=step.scene, sceneItemId=ids[source],
                  sceneItemIndex=len(listed) - 1)
        for source in reversed(step.lower):  # top first, each to the bottom: their order is kept
            adapter.call("SetSceneItemIndex", sceneName=step.scene, sceneItemId=ids[source], sceneItemIndex=0)


def _segments(rundown: Any) -> tuple[Segment, ...]:
    if rundown is None:
        return ()
    return tuple(getattr(rundown, "segments", rundown))


def setup(
    adapter: ObsAdapter, rundown: Any, *, slate_image: Path | None = None, cards: Mapping[str, Path] | None = None,
    studio_camera: str = "",
) -> SetupReport:
    """Create (or correct) in OBS what the rundown needs; a second run changes nothing.

    ``rundown``: a Rundown or its segments. ``slate_image``: the graphics work's
    rendered slate PNG, shown over the built-in text slate when given. ``cards``: each
    scene's card picture (scene_cards says what each must say). ``studio_camera``: the
    station's camera source ([obs] studio_camera), put in the studio scenes over the card.
    Raises ObsError when OBS cannot be reached or refuses a request.
    """
    versions = adapter.versions()
    size = canvas(adapter)
    want = needs(_segments(rundown), size, slate_image, cards=cards, studio_camera=studio_camera)
    steps = plan(want, inventory(adapter, want))
    created, updated = [], []
    for step in steps.steps:
        if step.action == "conflict":
            continue
        try:
            _carry_out(adapter, step, size, want)
        except ObsError as error:
            raise ObsError(error.failure, ObsMsg("obs.error.setting_up", step=step.text, error=error.message),
                           request_type=error.request_type, request_code=error.request_code) from None
        (created if step.creates else updated).append(step.text)
    return SetupReport(versions, tuple(created), tuple(updated), steps.unchanged, steps.conflicts)


def check(
    adapter: ObsAdapter, rundown: Any = None, *, slate_image: Path | None = None, studio_camera: str = ""
) -> CheckReport:
    """What the rundown (or, without one, the switcher's slate) needs and OBS lacks, and every one
    of its scenes that would be black on air. Changes nothing."""
    versions = adapter.versions()
    want = needs(_segments(rundown), canvas(adapter), slate_image, studio_camera=studio_camera)
    steps = plan(want, inventory(adapter, want))
    checked = len(want.scenes) + len(want.sources) + len(want.items)
    black = black_scenes(shown_in(adapter, want.scenes))
    return CheckReport(versions, steps.missing, steps.differing, steps.conflicts, checked, black)
