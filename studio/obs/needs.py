"""What OBS must hold for a rundown, and the steps to get there: the pure half of ``studio obs setup``.

1. needs(segments, canvas): the scenes, sources and scene items the rundown
   needs (every scene it names, each with a card at the bottom so it is never
   black: the slate's colour and a picture naming the centre and the scene;
   the station's studio camera in the studio scenes; one media input per feed
   place in the scenes of its segments; one hidden input per video file; two
   hidden image sources per graphic template (twins, names.graphic_inputs);
   the ``fallback-slate`` scene);
2. plan(needs, inventory): given what OBS has, the steps that are missing;
   none when OBS already matches, so running setup twice changes nothing.

studio/obs/setup.py reads OBS's inventory and carries the steps out.
A feed input whose URL is any of its segments' URLs is left alone: the
switcher sets the on-air segment's own URL on take.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from studio.obs import names
from studio.onair import LOCATION_BUG, location_bug_template
from studio.rundown.model import Kind, Segment

Canvas = tuple[int, int]
Layout = Literal["fill", "centre", "none"]

# An ffmpeg_source for a live feed. restart_on_activate stays off: with it on, a
# hidden input does not play at all (its cursor is None), so the next feed could
# not be checked before air, and every cut to it would wait for the stream to open
# and a keyframe. close_when_inactive off keeps it decoding while hidden for the
# same reason; an idle UDP input costs nothing while its sender is silent.
FEED_KIND = "ffmpeg_source"
FEED_SETTINGS: Mapping[str, Any] = {
    "is_local_file": False,
    "restart_on_activate": False,
    "close_when_inactive": False,
    "reconnect_delay_sec": 2,  # for feeds that end (SRT, RTMP, HTTP): retry soon, not after 10 s
}
# A video segment's file: it plays from the start when its take shows it (restart_on_activate)
# and rests while hidden; at its end OBS clears it and the scene's card shows.
VIDEO_SETTINGS: Mapping[str, Any] = {
    "is_local_file": True,
    "looping": False,
    "restart_on_activate": True,
    "close_when_inactive": True,
}
GRAPHIC_KIND = "image_source"
TEXT_KIND = "text_ft2_source_v2"  # FreeType 2 text: OBS 29 on Linux
COLOUR_KIND = "color_source_v3"
FONT_FACE = "DejaVu Sans"  # installed with OBS's own dependencies; covers Kazakh Cyrillic

# The slate's colours and layout follow studio/overlays/slate.toml. OBS colours are 0xAABBGGRR.
SLATE_BACKGROUND_COLOUR = 0xFF3A1F0B  # #0B1F3A
SLATE_TEXT_COLOURS = (0xFFFFFFFF, 0xFFE3D6C9, 0xFFFFFFFF, 0xFFE3D6C9)  # white, #C9D6E3
SLATE_LINE_Y = (0.417, 0.519, 0.665, 0.735)  # centre of each line, share of the height
SLATE_LINE_SIZE = (0.089, 0.070, 0.052, 0.052)  # font size, share of the height
SLATE_LINE_BOLD = (True, True, False, False)

# What a scene's card says under the centre's name (on-air words, kk and ru), by the kind of
# the first segment in the scene. Without a camera, the studio's card is its clearly labelled placeholder.
CARD_TITLES: Mapping[Kind, tuple[str, str]] = {
    Kind.STUDIO: ("Студия", "Студия"),
    Kind.BRIEFING: ("Брифинг", "Брифинг"),
    Kind.LIVE: ("Тікелей байланыс", "Прямое включение"),
    Kind.VIDEO: ("Бейнесюжет", "Видеосюжет"),
    Kind.BREAK: ("Үзіліс", "Перерыв"),
}


@dataclass(frozen=True)
class SourceNeed:
    name: str
    kind: str  # "": the station's own source, of any kind; setup never makes or changes it
    settings: Mapping[str, Any]  # each key must have this value (nested tables: these keys)
    accept: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)  # other values that will do
    what: str = "source"

    @property
    def stations(self) -> bool:
        return not self.kind


@dataclass(frozen=True)
class ItemNeed:
    scene: str
    source: str
    enabled: bool  # at creation only: setup never shows or hides an existing item
    layout: Layout = "none"
    y: float = 0.0  # centre layouts: where the centre goes, share of the height


@dataclass(frozen=True)
class ObsNeeds:
    scenes: tuple[str, ...]
    sources: tuple[SourceNeed, ...]
    items: tuple[ItemNeed, ...]

    def source(self, name: str) -> SourceNeed:
        return next(s for s in self.sources if s.name == name)


@dataclass(frozen=True)
class PlacedItem:
    source: str
    id: int
    index: int  # 0 is the bottom


@dataclass(frozen=True)
class Inventory:
    """What OBS has, as far as the needs go."""

    scenes: frozenset[str]
    inputs: Mapping[str, str]  # input name -> kind
    items: Mapping[str, tuple[PlacedItem, ...]]  # scene -> its items
    settings: Mapping[str, Mapping[str, Any]]  # input -> effective settings (defaults included)


@dataclass(frozen=True)
class Step:
    action: Literal["scene", "input", "item", "settings", "order", "conflict"]
    text: str  # for people: what is missing or wrong
    scene: str = ""
    source: SourceNeed | None = None
    item: ItemNeed | None = None
    changes: Mapping[str, Any] = field(default_factory=dict)
    raise_: tuple[str, ...] = ()  # order: sources to bring to the top, bottom first
    lower: tuple[str, ...] = ()  # order: sources to send to the bottom (the cards)

    @property
    def creates(self) -> bool:
        return self.action in ("scene", "input", "item")


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    unchanged: int  # needed things that are already as they should be

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(s.text for s in self.steps if s.creates)

    @property
    def differing(self) -> tuple[str, ...]:
        return tuple(s.text for s in self.steps if s.action in ("settings", "order"))

    @property
    def conflicts(self) -> tuple[str, ...]:
        return tuple(s.text for s in self.steps if s.action == "conflict")


# -- 1. needs (pure) ------------------------------------------------------------------


def scene_cards(segments: Iterable[Segment]) -> dict[str, tuple[str, str]]:
    """Each scene of the rundown (not the slate) and what its card says (kk, ru)."""
    cards: dict[str, tuple[str, str]] = {}
    for segment in segments:
        if segment.scene and segment.scene != names.FALLBACK_SCENE:
            cards.setdefault(segment.scene, CARD_TITLES[segment.kind])
    return cards


def needs(
    segments: Iterable[Segment],
    canvas: Canvas,
    slate_image: Path | None = None,
    *,
    cards: Mapping[str, Path] | None = None,
    studio_camera: str = "",
) -> ObsNeeds:
    """``cards``: scene -> its rendered card picture (a scene without one still gets the card's
    colour). ``studio_camera``: the station's camera source, put in the scenes of studio segments."""
    segments = tuple(segments)
    scenes = list(dict.fromkeys(s.scene for s in segments if s.scene))
    feed_urls: dict[str, list[str]] = {}
    feed_items: list[ItemNeed] = []
    content: list[ItemNeed] = []  # what a take shows: the camera, the feeds, the videos
    graphic_items: list[ItemNeed] = []
    graphics: dict[str, None] = {}  # image source names, in order of first use
    sources: list[SourceNeed] = []
    for segment in segments:
        item = names.feed_item(segment)
        if item and segment.feed:
            urls = feed_urls.setdefault(item[1], [])
            if segment.feed not in urls:
                urls.append(segment.feed)
            feed_items.append(ItemNeed(item[0], item[1], enabled=False, layout="fill"))
        video = names.video_item(segment)
        if video:
            if segment.video_source:
                sources.append(SourceNeed(video[1], "", {}, what="video source"))
            else:
                settings = {**VIDEO_SETTINGS, "local_file": segment.video}
                sources.append(SourceNeed(video[1], FEED_KIND, settings, what="video"))
            content.append(ItemNeed(video[0], video[1], enabled=False, layout="fill"))
        if studio_camera and segment.kind is Kind.STUDIO and segment.scene:
            content.append(ItemNeed(segment.scene, studio_camera, enabled=True, layout="fill"))
        templates = [cue.template for cue in segment.graphics]
        if location_bug_template(segment):  # goes up by itself on a live inclusion
            templates.append(LOCATION_BUG)
        for template in dict.fromkeys(templates):
            for name in names.graphic_inputs(template):  # twins: a picture changed on air never lapses
                graphics.setdefault(name, None)
                if segment.scene:
                    graphic_items.append(ItemNeed(segment.scene, name, enabled=False))
    if any(i.source == studio_camera for i in content):
        sources.append(SourceNeed(studio_camera, "", {}, what="studio camera"))
    sources += [
        SourceNeed(
            name, FEED_KIND, {**FEED_SETTINGS, "input": urls[0]}, {"input": tuple(urls)}, what="feed"
        )
        for name, urls in feed_urls.items()
    ]
    sources += [
        SourceNeed(name, GRAPHIC_KIND, {}, what="graphic") for name in graphics
    ]
    card_sources, card_items = _cards(scene_cards(segments), canvas, cards or {})
    slate_sources, slate_items = _slate(canvas, slate_image)
    # Cards at the bottom, then what a take shows, graphics over them: items are created bottom to top.
    items = list(dict.fromkeys(card_items + content + feed_items + graphic_items)) + slate_items
    if names.FALLBACK_SCENE not in scenes:
        scenes.append(names.FALLBACK_SCENE)
    unique = list({source.name: source for source in sources + card_sources + slate_sources}.values())
    return ObsNeeds(tuple(scenes), tuple(unique), tuple(items))


def _cards(
    titles: Mapping[str, tuple[str, str]], canvas: Canvas, pictures: Mapping[str, Path]
) -> tuple[list[SourceNeed], list[ItemNeed]]:
    """Each scene's card: the slate's colour (never black, even without a picture), and its picture."""
    if not titles:
        return [], []
    width, height = canvas
    colour = {"color": SLATE_BACKGROUND_COLOUR, "width": width, "height": height}
    sources = [SourceNeed(names.CARD_BACKGROUND, COLOUR_KIND, colour, what="card colour")]
    items = []
    for scene in titles:
        items.append(ItemNeed(scene, names.CARD_BACKGROUND, enabled=True, layout="fill"))
        if scene in pictures:
            name = names.card_input(scene)
            sources.append(SourceNeed(name, GRAPHIC_KIND, {"file": str(pictures[scene])}, what="card picture"))
            items.append(ItemNeed(scene, name, enabled=True, layout="fill"))
    return sources, items


def _slate(canvas: Canvas, image: Path | None) -> tuple[list[SourceNeed], list[ItemNeed]]:
    width, height = canvas
    scene = names.FALLBACK_SCENE
    sources = [
        SourceNeed(
            names.SLATE_BACKGROUND,
            COLOUR_KIND,
            {"color": SLATE_BACKGROUND_COLOUR, "width": width, "height": height},
            what="slate background",
        )
    ]
    items = [ItemNeed(scene, names.SLATE_BACKGROUND, enabled=True, layout="fill")]
    lines = zip(names.SLATE_LINES, SLATE_TEXT_COLOURS, SLATE_LINE_Y, SLATE_LINE_SIZE, SLATE_LINE_BOLD)
    for (name, text), colour, y, size, bold in lines:
        font = {
            "face": FONT_FACE,
            "size": max(12, round(height * size)),
            "style": "Bold" if bold else "Book",
            "flags": 1 if bold else 0,
        }
        settings = {"text": text, "font": font, "color1": colour, "color2": colour}
        sources.append(SourceNeed(name, TEXT_KIND, settings, what="slate text"))
        items.append(ItemNeed(scene, name, enabled=True, layout="centre", y=y))
    if image is not None:
        sources.append(SourceNeed(names.SLATE_IMAGE, GRAPHIC_KIND, {"file": str(image)}, what="slate picture"))
        items.append(ItemNeed(scene, names.SLATE_IMAGE, enabled=True, layout="fill"))
    return sources, items


# -- 2. plan (pure) ---------------------------------------------------------------------


def plan(want: ObsNeeds, have: Inventory) -> Plan:
    steps: list[Step] = []
    unchanged = 0
    blocked: set[str] = set()  # names that cannot be made or used
    for scene in want.scenes:
        if scene in have.inputs:
            steps.append(Step("conflict", f"scene '{scene}': the name is taken by an input; rename that input"))
            blocked.add(scene)
        elif scene in have.scenes:
            unchanged += 1
        else:
            steps.append(Step("scene", f"scene '{scene}'", scene=scene))
    sources_made: set[str] = set()
    for source in want.sources:
        kind = have.inputs.get(source.name)
        if source.stations:
            if kind is None and source.name not in have.scenes:
                steps.append(Step("conflict", f"{source.what} '{source.name}' is not in OBS: make it there "
                                  "(its name as the config or the rundown gives it)"))
                blocked.add(source.name)
            else:
                unchanged += 1
            continue
        if source.name in have.scenes:
            steps.append(Step("conflict", f"{source.what} '{source.name}': the name is taken by a scene"))
            blocked.add(source.name)
        elif kind is not None and kind != source.kind:
            steps.append(
                Step(
                    "conflict",
                    f"{source.what} '{source.name}' is a {kind}, studio needs a {source.kind}: "
                    "rename or remove it in OBS",
                )
            )
            blocked.add(source.name)
        elif kind is not None:
            changes = _changes(source, have.settings.get(source.name, {}))
            if changes:
                keys = ", ".join(sorted(changes))
                steps.append(
                    Step("settings", f"{source.what} '{source.name}': {keys} differ", source=source, changes=changes)
                )
            else:
                unchanged += 1
    for item in want.items:
        if item.scene in blocked or item.source in blocked:
            continue
        present = any(p.source == item.source for p in have.items.get(item.scene, ()))
        if present:
            unchanged += 1
            continue
        first = item.source not in have.inputs and item.source not in sources_made
        source = want.source(item.source)
        if first:
            sources_made.add(item.source)
            text = f"{source.what} '{item.source}' (in scene '{item.scene}')"
            steps.append(Step("input", text, scene=item.scene, source=source, item=item))
        else:
            text = f"{source.what} '{item.source}' in scene '{item.scene}'"
            steps.append(Step("item", text, scene=item.scene, source=source, item=item))
    shown = {item.source for item in want.items if not item.source.startswith(names.GRAPHIC_PREFIX)}
    for scene, placed in have.items.items():
        raise_ = _graphics_to_raise(placed, shown)
        if raise_:
            text = f"scene '{scene}': graphics {', '.join(raise_)} are below what they go over"
            steps.append(Step("order", text, scene=scene, raise_=raise_))
        lower = _cards_to_lower(placed)
        if lower:
            text = f"scene '{scene}': its card {', '.join(lower)} is not at the bottom"
            steps.append(Step("order", text, scene=scene, lower=lower))
    return Plan(tuple(steps), unchanged)


def _changes(source: SourceNeed, actual: Mapping[str, Any]) -> dict[str, Any]:
    changes = {}
    for key, wanted in source.settings.items():
        value = actual.get(key)
        if isinstance(wanted, Mapping):
            inner = value if isinstance(value, Mapping) else {}
            if any(inner.get(k) != v for k, v in wanted.items()):
                changes[key] = dict(wanted)
        elif value != wanted and value not in source.accept.get(key, ()):
            changes[key] = wanted
    return changes


def _graphics_to_raise(placed: Iterable[PlacedItem], shown: Iterable[str] = ()) -> tuple[str, ...]:
    """Our graphics that sit below one of our feeds or another item we place (``shown``: a camera,
    a video), bottom first (they must be on top)."""
    ordered = sorted(placed, key=lambda p: p.index)
    below = set(shown)
    under = [p.index for p in ordered if p.source.startswith(names.FEED_PREFIX)
             or (p.source in below and not p.source.startswith((names.CARD_PREFIX, names.GRAPHIC_PREFIX)))]
    if not under:
        return ()
    top = max(under)
    return tuple(
        p.source for p in ordered if p.source.startswith(names.GRAPHIC_PREFIX) and p.index < top
    )


def _cards_to_lower(placed: Iterable[PlacedItem]) -> tuple[str, ...]:
    """A scene's card items when anything else sits below them (a card made in a scene that had items)."""
    ordered = sorted(placed, key=lambda p: p.index)
    cards = sorted((p for p in ordered if p.source.startswith(names.CARD_PREFIX)),
                   key=lambda p: (p.source != names.CARD_BACKGROUND, p.index))  # the colour under the picture
    if cards == ordered[: len(cards)]:
        return ()
    return tuple(p.source for p in cards)
