"""Read a rundown file, check it whole, and report every problem at once.

Every message is a ``Msg`` (catalogue keys ``diag.rundown.*``, ``diag.value.*``):
English as a string, and said in Kazakh or Russian where it is shown.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field

from studio.i18n import Msg
from studio.regions import regions
from studio.rundown.model import Bilingual, GraphicCue, Kind, Rundown, Segment, Show
from studio.tomlcheck import TomlCheck, read_text
from studio.tomlpos import KeyPath
from studio.validated import Clock, Strict, Zone

_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_SEGMENT_ID = r"^[a-z0-9][a-z0-9_-]*$"


LONGEST = timedelta(hours=24)
"""No segment lasts longer than the show's day: "999999h" is a typo, not 114 years."""


class DurationTooLong(ValueError):
    pass


EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
"""The show dates studio plans: a year 9999 is a typo, and its day after midnight would not exist."""


def _plausible_date(day: date) -> date:
    if not EARLIEST <= day <= LATEST:
        raise ValueError(Msg("diag.value.show_date", value=day.isoformat(), earliest=EARLIEST.isoformat(),
                             latest=LATEST.isoformat()))
    return day


def parse_duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    found = _DURATION.match(value) if isinstance(value, str) and value else None
    if not found:
        raise ValueError(Msg("diag.value.duration", value=repr(value)))
    hours, minutes, seconds = (int(part or 0) for part in found.groups())
    total = hours * 3600 + minutes * 60 + seconds  # Python's int: counted before timedelta could overflow
    if total > LONGEST.total_seconds():
        raise DurationTooLong(Msg("diag.value.duration_too_long", value=repr(value), longest=format_duration(LONGEST)))
    return timedelta(seconds=total)


def _readable_url(feed: str) -> str:
    """A feed's address as the preflight and OBS read it; "udp://[x" (a bracket that opens no IPv6 address) is none."""
    try:
        urlsplit(feed)
    except ValueError:
        raise ValueError(Msg("diag.value.feed_url", value=repr(feed))) from None
    return feed


def _positive(duration: timedelta) -> timedelta:
    if duration <= timedelta(0):
        raise ValueError(Msg("diag.value.duration_positive"))
    return duration


def format_duration(duration: timedelta) -> str:
    total = int(duration.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "") + (f"{seconds}s" if seconds else "")
    return text or "0s"


Duration = Annotated[timedelta, BeforeValidator(parse_duration), AfterValidator(_positive)]


class _BilingualIn(Strict):
    kk: str = Field(min_length=1)
    ru: str = Field(min_length=1)


class _GraphicIn(Strict):
    template: str = Field(min_length=1)
    data: dict[str, Any] = {}


class SegmentIn(Strict):
    id: str = Field(pattern=_SEGMENT_ID)
    kind: Kind
    title: _BilingualIn
    duration: Duration
    fixed: Clock | None = None
    soft: Clock | None = None
    region: str | None = None
    scene: str | None = None
    feed: Annotated[str, AfterValidator(_readable_url)] | None = None
    cue: str = ""
    graphics: list[_GraphicIn] = []
    video: str | None = Field(default=None, min_length=1)
    video_source: str | None = Field(default=None, min_length=1)

    def build(self) -> Segment:
        return Segment(
            id=self.id,
            kind=self.kind,
            title=Bilingual(self.title.kk, self.title.ru),
            duration=self.duration,
            fixed=self.fixed,
            soft=self.soft,
            region=self.region,
            scene=self.scene,
            feed=self.feed,
            cue=self.cue.strip("\n"),
            graphics=tuple(GraphicCue(g.template, g.data) for g in self.graphics),
            video=self.video,
            video_source=self.video_source,
        )


class _ShowIn(Strict):
    id: str | None = Field(default=None, pattern=_SEGMENT_ID)
    title: _BilingualIn
    date: Annotated[date, AfterValidator(_plausible_date)]
    zone: Zone
    start: Clock


class _RundownIn(Strict):
    show: _ShowIn
    segment: list[dict[str, Any]] = Field(min_length=1)


_HINTED = (
    "id", "kind", "title", "duration", "fixed", "soft", "date", "zone", "start", "graphics", "region", "scene", "feed",
    "cue", "video", "video_source", "show", "segment",
)
"""Fields whose problems get a hint: catalogue ``diag.rundown.hint.<field>`` (the innermost one named)."""


def _hint(field: str) -> Msg:
    if field == "kind":
        return Msg("diag.rundown.hint.kind", kinds=", ".join(k.value for k in Kind))
    return Msg(f"diag.rundown.hint.{field}")


def segment_dict(segment: Segment) -> dict[str, Any]:
    """The segment as the rundown file would write it (also how the store keeps it)."""
    row: dict[str, Any] = {
        "id": segment.id,
        "kind": segment.kind.value,
        "title": {"kk": segment.title.kk, "ru": segment.title.ru},
        "duration": format_duration(segment.duration),
        "cue": segment.cue,
        "graphics": [{"template": g.template, "data": dict(g.data)} for g in segment.graphics],
    }
    for name in ("fixed", "soft"):
        if (value := getattr(segment, name)) is not None:
            row[name] = value.isoformat()
    for name in ("region", "scene", "feed", "video", "video_source"):
        if (value := getattr(segment, name)) is not None:
            row[name] = value
    return row


def segment_from_dict(row: dict[str, Any]) -> Segment:
    return SegmentIn.model_validate(row).build()


def show_dict(show: Show) -> dict[str, Any]:
    """The show's header as the store keeps it beside the segments."""
    row: dict[str, Any] = {
        "id": show.id,
        "title": {"kk": show.title.kk, "ru": show.title.ru},
        "date": show.date.isoformat(),
        "zone": show.zone.key,
        "start": show.start.isoformat(),
    }
    if show.plan_date is not None:  # a plan on another day's clock: every reader of the store knows it
        row["plan_date"] = show.plan_date.isoformat()
    return row


def show_from_dict(row: dict[str, Any]) -> Show:
    return Show(
        row["id"],
        Bilingual(row["title"]["kk"], row["title"]["ru"]),
        date.fromisoformat(row["date"]),
        ZoneInfo(row["zone"]),
        time.fromisoformat(row["start"]),
        date.fromisoformat(row["plan_date"]) if row.get("plan_date") else None,
    )


class _Checker(TomlCheck):
    """A rundown's problems, each said of its segment (or of the show)."""

    def __init__(self, path: Path, text: str) -> None:
        super().__init__(path, text)
        raw_segments = self.table.get("segment", [])
        self.raw_segments: list[Any] = raw_segments if isinstance(raw_segments, list) else []
        """As written, so an index is the segment's place in the file (one that is not a table is refused)."""

    def error(self, where: KeyPath, message: str, hint: str = "") -> None:
        segment_id = self._segment_id(where)
        if segment_id:
            message = Msg("diag.rundown.in_segment", segment=segment_id, message=message)
        elif where[:1] == ("show",):
            message = Msg("diag.rundown.in_show", message=message)
        super().error(where, message, hint)

    def name(self, base: KeyPath, loc: KeyPath) -> str:
        """The key within its segment or the show, which the message names already ("" for the whole of it)."""
        where = base + loc
        inside = where[2:] if where[:1] == ("segment",) and len(where) >= 2 else where[1:] if where[:1] == ("show",) else where
        return ".".join(str(part) for part in inside)

    def hint(self, model: type[BaseModel], where: KeyPath) -> str:
        field = next((str(part) for part in reversed(where) if str(part) in _HINTED), "")
        return _hint(field) if field else ""

    def _segment_id(self, where: KeyPath) -> str | None:
        if len(where) >= 2 and where[0] == "segment" and isinstance(where[1], int):
            row = self.raw_segments[where[1]] if where[1] < len(self.raw_segments) else None
            ident = row.get("id") if isinstance(row, dict) else None
            return ident if isinstance(ident, str) else f"#{where[1] + 1}"
        return None


def load_rundown(path: Path) -> Rundown:
    """Parse and check a rundown file; raise DiagnosticsError listing every problem."""
    path = Path(path)
    return parse_rundown(path, read_text(path, Msg("diag.what.rundown"), Msg("diag.hint.check_path")))


def parse_rundown(path: Path, text: str) -> Rundown:
    check = _Checker(path, text)
    show: Show | None = None
    parsed = check.validate(_RundownIn, check.table)
    if parsed is not None:
        s = parsed.show
        show = Show(s.id or path.stem, Bilingual(s.title.kk, s.title.ru), s.date, s.zone, s.start)
    segments: list[tuple[int, Segment]] = []
    for index, row in enumerate(check.raw_segments):
        if not isinstance(row, dict):  # refused by _RundownIn, at its place
            continue
        segment = check.validate(SegmentIn, row, ("segment", index))
        if segment is not None:
            segments.append((index, _with_video_path(segment.build(), path.parent)))
    _check_segments(check, segments, show)
    return check.finish(Rundown(show, tuple(segment for _, segment in segments)) if show is not None else None)


def _with_video_path(segment: Segment, folder: Path) -> Segment:
    """A video file is named relative to the rundown file; the live plan keeps it absolute."""
    if segment.video is None:
        return segment
    try:
        where = (folder / Path(segment.video).expanduser()).resolve()
    except (OSError, RuntimeError, ValueError):  # too long, an unknown ~user, a NUL: no file is there
        where = folder / segment.video
    return replace(segment, video=str(where))


def _is_file(path: str) -> bool:
    try:
        return Path(path).is_file()
    except (OSError, ValueError):  # a name too long for the file system is no file either
        return False


def _check_video(check: _Checker, where: KeyPath, segment: Segment) -> None:
    """A video segment must have something to play: a file that is there, or an OBS source (never both)."""
    if segment.video and segment.video_source:
        check.error(where + ("video_source",), Msg("diag.rundown.video_twice"), Msg("diag.rundown.hint.video"))
    elif segment.video and not _is_file(segment.video):
        check.error(where + ("video",), Msg("diag.rundown.video_missing", path=segment.video),
                    Msg("diag.rundown.hint.video_missing"))
    elif segment.kind is Kind.VIDEO and not (segment.video or segment.video_source):
        check.error(where + ("kind",), Msg("diag.rundown.video_nothing"), Msg("diag.rundown.hint.video"))


def _check_segments(check: _Checker, segments: list[tuple[int, Segment]], show: Show | None) -> None:
    """Rules across segments: unique ids, known regions, reachable fixed starts."""
    first_index: dict[str, int] = {}
    known = regions()
    previous_fixed: tuple[Segment, datetime] | None = None
    for index, segment in segments:
        where: KeyPath = ("segment", index)
        if segment.id in first_index:
            first_line = check.locator.find(("segment", first_index[segment.id]))[0]
            check.error(where + ("id",), Msg("diag.rundown.duplicate_id", line=first_line), _hint("id"))
            continue
        first_index[segment.id] = index
        if segment.region is not None and segment.region not in known:
            check.error(
                where + ("region",),
                Msg("diag.rundown.unknown_region", region=repr(segment.region)),
                Msg("diag.rundown.hint.region"),
            )
        if segment.kind is Kind.LIVE and segment.region is None:
            check.error(where + ("kind",), Msg("diag.rundown.live_needs_region"), Msg("diag.rundown.hint.add_region"))
        _check_video(check, where, segment)
        if segment.fixed and segment.soft:
            check.error(where + ("soft",), Msg("diag.rundown.fixed_and_soft"), Msg("diag.rundown.hint.fixed_or_soft"))
        if segment.fixed and show is not None:
            at = show.at(segment.fixed)
            if previous_fixed is not None:
                before, before_at = previous_fixed
                if at <= before_at:
                    check.error(
                        where + ("fixed",),
                        Msg("diag.rundown.fixed_order", start=f"{segment.fixed:%H:%M:%S}", other=before.id,
                            other_start=f"{before_at:%H:%M:%S}"),
                        Msg("diag.rundown.hint.fixed_order"),
                    )
                    continue  # later fixed starts are compared with the last one in order
                if at < before_at + before.duration:
                    check.error(
                        where + ("fixed",),
                        Msg("diag.rundown.fixed_unreachable", start=f"{segment.fixed:%H:%M:%S}", other=before.id,
                            other_start=f"{before_at:%H:%M:%S}", until=f"{before_at + before.duration:%H:%M:%S}"),
                        Msg("diag.rundown.hint.fixed_unreachable"),
                    )
            previous_fixed = (segment, at)
