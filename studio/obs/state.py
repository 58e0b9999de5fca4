"""What studio wants on air, what OBS has, and the requests between the two.

Pure: no I/O. The adapter reads an ObsActual from OBS and applies diff()'s
requests as one batch, so a restarted OBS or studio converges on the wanted state.

A graphic has twin image sources. OBS drops an image source's picture while it
loads a new file, so a picture changed on air goes onto the hidden twin, which
is shown before the other is hidden. Which twin shows a graphic is decided
against what OBS has (resolve()), in the applier's batch: never from a wanted
state that OBS may not have reached, so a take landing on another, a restarted
studio or a restarted OBS can never change a visible picture in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from studio.obs import protocol
from studio.obs.protocol import Request

Item = tuple[str, str]  # (scene, source) of a scene item
Place = tuple[float, float, float]  # x, y and scale of a scene item on the canvas


def _frozen(mapping: Mapping[str, str | None]) -> Mapping[str, str | None]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class ObsWanted:
    """The wanted state of the programme.

    overlays: the (scene, source) items that must be visible.
    managed: the items studio owns; each one not in overlays must be hidden. Without
        it, taking a graphic off the wanted set could never hide it in OBS.
    feeds: ffmpeg_source input name -> URL it must play.
    images: image_source input name -> the file it must show (a rendered graphic).
    placements: item -> (x, y, scale) it must have (a graphic PNG is its region only).
    twins: a graphic's item in overlays -> its twin, which may show its file and place instead
        (resolve() chooses, by what OBS has).
    replaced: visible items whose picture a twin takes over (resolve() sets it): hidden like any
        managed item not in overlays, but only after the shows, so that at every frame one of
        the two shows a whole picture.
    """

    program_scene: str | None = None
    overlays: frozenset[Item] = frozenset()
    feeds: Mapping[str, str] = field(default_factory=dict)
    managed: frozenset[Item] = frozenset()
    images: Mapping[str, str] = field(default_factory=dict)
    placements: Mapping[Item, Place] = field(default_factory=dict)
    twins: Mapping[Item, Item] = field(default_factory=dict)
    replaced: frozenset[Item] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "overlays", frozenset(self.overlays))
        object.__setattr__(self, "replaced", frozenset(self.replaced))
        object.__setattr__(self, "twins", MappingProxyType(dict(self.twins)))
        managed = frozenset(self.managed) | self.overlays | self.replaced | frozenset(self.twins.values())
        object.__setattr__(self, "managed", managed)
        object.__setattr__(self, "feeds", _frozen(self.feeds))
        object.__setattr__(self, "images", MappingProxyType(dict(self.images)))
        object.__setattr__(self, "placements", MappingProxyType(dict(self.placements)))

    def __hash__(self) -> int:  # the generated one cannot hash the mappings
        return hash(
            (self.program_scene, self.overlays, self.managed, frozenset(self.feeds.items()),
             frozenset(self.images.items()), frozenset(self.placements.items()), frozenset(self.twins.items()),
             self.replaced)
        )

    @property
    def image_inputs(self) -> frozenset[str]:
        """The image sources whose file OBS must be asked for: each graphic's, and its twin's."""
        return frozenset(self.images) | {twin[1] for item, twin in self.twins.items() if item[1] in self.images}

    @property
    def placed(self) -> frozenset[Item]:
        """The items whose place OBS must be asked for: each placed item, and its twin."""
        return frozenset(self.placements) | {twin for item, twin in self.twins.items() if item in self.placements}


@dataclass(frozen=True)
class SceneItem:
    id: int
    enabled: bool


@dataclass(frozen=True)
class ObsActual:
    """What OBS has, for the items and feeds that are wanted.

    Items and feeds OBS does not have are absent here and named in `missing`.
    """

    program_scene: str | None
    items: Mapping[Item, SceneItem] = field(default_factory=dict)
    feeds: Mapping[str, str | None] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    images: Mapping[str, str | None] = field(default_factory=dict)
    placements: Mapping[Item, Place | None] = field(default_factory=dict)

    def covers(self, wanted: ObsWanted) -> bool:
        """Whether this state knows every item and feed ``wanted`` names (then no read is needed)."""
        return (
            not self.missing
            and all(item in self.items for item in wanted.managed)
            and all(name in self.feeds for name in wanted.feeds)
            and all(name in self.images for name in wanted.image_inputs)
            and all(item in self.placements for item in wanted.placed)
        )

    def after(self, wanted: ObsWanted) -> ObsActual:
        """What OBS has once diff(wanted, self) has been applied."""
        wanted = resolve(wanted, self)
        return ObsActual(
            program_scene=wanted.program_scene or self.program_scene,
            items={
                item: SceneItem(known.id, item in wanted.overlays) if item in wanted.managed else known
                for item, known in self.items.items()
            },
            feeds={name: wanted.feeds.get(name, url) for name, url in self.feeds.items()},
            missing=self.missing,
            images={name: wanted.images.get(name, path) for name, path in self.images.items()},
            placements={item: wanted.placements.get(item, place) for item, place in self.placements.items()},
        )


def same_place(a: Place | None, b: Place | None) -> bool:
    """Equal to a hundredth of a pixel (OBS keeps floats)."""
    return a is not None and b is not None and all(abs(x - y) < 0.01 for x, y in zip(a, b))


def resolve(wanted: ObsWanted, actual: ObsActual) -> ObsWanted:
    """``wanted`` with each graphic on the twin that suits what OBS has (and no twins left).

    A twin that shows the graphic's file keeps it. A new file while one twin is up goes onto
    the other, hidden one, which replaces it (see ObsWanted.replaced). A graphic not up goes
    onto a twin that already holds its file, else the first. A twin OBS lacks (a station set
    up before twins: `obs check` says so) is never chosen: the one it has changes its picture
    in place, as before twins.
    """
    if not wanted.twins:
        return wanted
    overlays, images, placements = set(wanted.overlays), dict(wanted.images), dict(wanted.placements)
    replaced = set(wanted.replaced)
    for first, twin in wanted.twins.items():
        if first not in overlays or first[1] not in images:
            continue
        file, place = images.pop(first[1]), placements.pop(first, None)
        overlays.discard(first)
        chosen, up = _twin_for(file, (first, twin), actual)
        overlays.add(chosen)
        images[chosen[1]] = file
        if place is not None:
            placements[chosen] = place
        if up is not None:
            replaced.add(up)
    return ObsWanted(wanted.program_scene, frozenset(overlays), wanted.feeds, wanted.managed, images, placements,
                     replaced=frozenset(replaced))


def _twin_for(file: str, twins: tuple[Item, Item], actual: ObsActual) -> tuple[Item, Item | None]:
    """The twin to show ``file`` on, and the visible one it replaces (None: nothing to hand over)."""
    present = [item for item in twins if item in actual.items] or [twins[0]]
    up = [item for item in present if item in actual.items and actual.items[item].enabled]
    holding = [item for item in present if actual.images.get(item[1]) == file]
    keep = next((item for item in up if item in holding), None)
    if keep is not None:
        return keep, None
    if up:
        hidden = next((item for item in present if item not in up), None)
        return (hidden, up[0]) if hidden is not None else (up[0], None)
    return (holding or present)[0], None


def diff(wanted: ObsWanted, actual: ObsActual) -> list[Request]:
    """Only the requests that change what differs; none when OBS already matches.

    Hides come first: with haltOnFailure, a later failure can never keep a retracted
    graphic on air. A graphic's file and place are set before it is shown, and a frame
    passes between (a frame's tick runs the batch's requests first, then the sources,
    where an image source drops its old picture and loads the new file): nothing is
    shown, and the programme is not cut, before every new picture is loaded. A picture a twin replaces is hidden
    last, after the twin with its new file shows (if the batch halts before, the old
    picture stays up rather than none).
    """
    wanted = resolve(wanted, actual)
    hides: list[Request] = []
    shows: list[Request] = []
    handovers: list[Request] = []
    for scene, source in sorted(wanted.managed):
        item = actual.items.get((scene, source))
        visible = (scene, source) in wanted.overlays
        if item is not None and item.enabled != visible:
            target = shows if visible else handovers if (scene, source) in wanted.replaced else hides
            target.append(protocol.set_item_enabled(scene, item.id, visible))
    feeds = [
        protocol.set_feed(name, url)
        for name, url in sorted(wanted.feeds.items())
        if name in actual.feeds and actual.feeds[name] != url
    ]
    images = [
        protocol.set_image(name, path)
        for name, path in sorted(wanted.images.items())
        if name in actual.images and actual.images[name] != path
    ]
    places = [
        protocol.set_item_place(scene, item.id, place)
        for (scene, source), place in sorted(wanted.placements.items())
        if (item := actual.items.get((scene, source))) is not None
        and (scene, source) in actual.placements
        and not same_place(actual.placements[(scene, source)], place)
    ]
    switch: list[Request] = []
    if wanted.program_scene is not None and wanted.program_scene != actual.program_scene:
        switch.append(protocol.set_program_scene(wanted.program_scene))
    after_load = switch + shows + handovers
    loading = [protocol.sleep_frames(1)] if images and after_load else []
    return hides + feeds + images + places + loading + after_load
