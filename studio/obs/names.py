"""The names studio gives to what it owns in OBS, decided here and nowhere else.

One media input per feed *place*, not per segment: every segment from Astana
plays through ``feed-astana``, so OBS holds one input per region (and one per
region-less feed, named after its scene, e.g. the commission's press centre on
``Briefing`` plays through ``feed-briefing``), not one per inclusion. Each input
keeps decoding while hidden, so the next region's feed can be checked before it
goes on air, and a cut to it shows a picture on the very next frame.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from studio.obs.state import Item
from studio.onair import LOCATION_BUG, location_bug_template
from studio.rundown.model import Segment

FALLBACK_SCENE = "fallback-slate"
FEED_PREFIX = "feed-"
GRAPHIC_PREFIX = "gfx-"
GRAPHIC_TWIN_SUFFIX = " twin"  # a graphic's second image source: see graphic_inputs
VIDEO_PREFIX = "video-"
CARD_PREFIX = "card-"
# Under everything in every scene of the rundown: never black, even when nothing else shows.
CARD_BACKGROUND = "card-background"  # one colour source (the slate's), in each scene

# The fallback slate's own sources, bottom to top. The words are the slate
# template's defaults (studio/overlays/slate.toml), so both slates say the same.
SLATE_BACKGROUND = "fallback-slate background"
SLATE_LINES = (
    ("fallback-slate title kk", "Техникалық ақау"),
    ("fallback-slate title ru", "Технические неполадки"),
    ("fallback-slate message kk", "Біз жақында ораламыз"),
    ("fallback-slate message ru", "Мы скоро вернёмся"),
)
SLATE_IMAGE = "fallback-slate image"  # the graphics work's rendered slate, when there is one

_NOT_NAME = re.compile(r"[^\w]+|_+")


def slug(text: str) -> str:
    """Lower case, runs of anything but letters and digits to one '-': ``North KZ`` -> ``north-kz``."""
    return _NOT_NAME.sub("-", text.casefold()).strip("-")


def feed_input(segment: Segment) -> str | None:
    """The media input that plays the segment's feed, or None when it has no feed."""
    if not segment.feed:
        return None
    return FEED_PREFIX + (slug(segment.region or "") or slug(segment.scene or "") or slug(segment.id))


def feed_item(segment: Segment) -> Item | None:
    """(scene, input) of the segment's feed in its scene, or None without a feed or a scene."""
    name = feed_input(segment)
    return (segment.scene, name) if name and segment.scene else None


def feed_items(segments: Iterable[Segment]) -> frozenset[Item]:
    return frozenset(item for s in segments if (item := feed_item(s)) is not None)


def video_input(segment: Segment) -> str | None:
    """What plays a video segment: the station's own OBS source, or studio's input for its file."""
    if segment.video_source:
        return segment.video_source
    return VIDEO_PREFIX + slug(segment.id) if segment.video else None


def video_item(segment: Segment) -> Item | None:
    name = video_input(segment)
    return (segment.scene, name) if name and segment.scene else None


def video_items(segments: Iterable[Segment]) -> frozenset[Item]:
    return frozenset(item for s in segments if (item := video_item(s)) is not None)


def card_input(scene: str) -> str:
    """The image source of a scene's card (the centre's name and what the scene is), under all else."""
    return CARD_PREFIX + slug(scene)


def graphic_input(template: str) -> str:
    """The image source that shows a graphic template's rendered PNG (the first of its twins)."""
    return GRAPHIC_PREFIX + slug(template)


def graphic_inputs(template: str) -> tuple[str, str]:
    """A graphic template's two image sources. OBS frees an image source's picture before it decodes a
    new file, so a picture changed on air would lapse for a frame: the new one goes onto the hidden twin,
    which is shown before the old one is hidden. The twin's suffix has a space, which slug() never
    makes, so no template's first name can be another's twin."""
    first = graphic_input(template)
    return first, first + GRAPHIC_TWIN_SUFFIX


def graphic_items(segments: Iterable[Segment]) -> frozenset[Item]:
    """(scene, image source) of every graphic a segment may show, both twins: its rundown graphics and,
    for a live inclusion from a region, the location bug (studio.onair.LOCATION_BUG)."""
    found = set()
    for segment in segments:
        if not segment.scene:
            continue
        templates = [cue.template for cue in segment.graphics]
        if location_bug_template(segment):
            templates.append(LOCATION_BUG)
        found |= {(segment.scene, source) for template in templates for source in graphic_inputs(template)}
    return frozenset(found)


def is_ours(source_name: str) -> bool:
    return source_name.startswith((FEED_PREFIX, GRAPHIC_PREFIX, VIDEO_PREFIX, CARD_PREFIX, FALLBACK_SCENE))
