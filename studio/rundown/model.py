"""The plan: a show and its ordered segments, immutable once loaded."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Mapping
from zoneinfo import ZoneInfo


class Kind(StrEnum):
    STUDIO = "studio"
    BRIEFING = "briefing"
    LIVE = "live"
    VIDEO = "video"
    BREAK = "break"


@dataclass(frozen=True, slots=True)
class Bilingual:
    """On-air text: Kazakh and Russian. English screens show the Russian."""

    kk: str
    ru: str

    def text(self, language: str) -> str:
        return self.kk if language == "kk" else self.ru


@dataclass(frozen=True, slots=True)
class GraphicCue:
    """A graphic the segment wants: a template name and its data bindings."""

    template: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Segment:
    id: str
    kind: Kind
    title: Bilingual
    duration: timedelta
    fixed: time | None = None  # a local time the segment must start at
    soft: time | None = None  # a local time it should start near
    region: str | None = None
    scene: str | None = None
    feed: str | None = None
    cue: str = ""
    graphics: tuple[GraphicCue, ...] = ()
    video: str | None = None  # a video segment's media file (absolute once loaded)
    video_source: str | None = None  # or the OBS source the station made that plays it

    def with_duration(self, duration: timedelta) -> Segment:
        return replace(self, duration=duration)


@dataclass(frozen=True, slots=True)
class Show:
    id: str
    title: Bilingual
    date: date
    zone: ZoneInfo
    start: time  # local time the show goes on air
    # A plan moved onto another day's clock (a rehearsal, studio/rundown/today.py): the day it
    # was planned for. None: the show runs on its own day.
    plan_date: date | None = None

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.date, self.start, self.zone)

    def at(self, clock: time) -> datetime:
        """The instant of a local clock time during the show.

        A time earlier than the show's start belongs to the next calendar
        day: a show that opens at 07:00 reaches 00:30 after midnight.
        """
        day = self.date if clock >= self.start else self.date + timedelta(days=1)
        return datetime.combine(day, clock, self.zone)


@dataclass(frozen=True, slots=True)
class Rundown:
    show: Show
    segments: tuple[Segment, ...]

    def index(self, segment_id: str) -> int:
        for position, segment in enumerate(self.segments):
            if segment.id == segment_id:
                return position
        raise KeyError(segment_id)

    def get(self, segment_id: str) -> Segment | None:
        return next((s for s in self.segments if s.id == segment_id), None)

    def fixed_start(self, segment: Segment) -> datetime | None:
        return self.show.at(segment.fixed) if segment.fixed else None

    def with_segments(self, segments: tuple[Segment, ...]) -> Rundown:
        return replace(self, segments=segments)
