"""Read a rundown file, check it whole, and report every problem at once.

Every message is a ``Msg`` (catalogue keys ``diag.rundown.*``, ``diag.value.*``):
English as a string, and said in Kazakh or Russian where it is shown.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
import tomllib
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from studio.diagnostics import (
    Diagnostic,
    DiagnosticsError,
    nearest_key_hint,
    toml_syntax_error,
    validation_message,
)
from studio.i18n import Msg
from studio.regions import regions
from studio.rundown.model import Bilingual, GraphicCue, Kind, Rundown, Segment, Show
from studio.tomlpos import KeyPath, TomlLocator

_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_SEGMENT_ID = r"^[a-z0-9][a-z0-9_-]*$"


def parse_duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    found = _DURATION.match(value) if isinstance(value, str) and value else None
    if not found:
        raise ValueError(Msg("diag.value.duration", value=repr(value)))
    hours, minutes, seconds = (int(part or 0) for part in found.groups())
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


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


def parse_clock(value: Any) -> time:
    """A local time of day: a TOML time (10:00:00) or a string ("10:00")."""
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(Msg("diag.value.clock", value=repr(value)))


def _zone(value: Any) -> ZoneInfo:
    if isinstance(value, ZoneInfo):
        return value
    try:
        return ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(Msg("diag.value.zone", value=repr(value))) from error


Duration = Annotated[timedelta, BeforeValidator(parse_duration), AfterValidator(_positive)]
Clock = Annotated[time, BeforeValidator(parse_clock)]
Zone = Annotated[ZoneInfo, BeforeValidator(_zone)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class _BilingualIn(_Strict):
    kk: str = Field(min_length=1)
    ru: str = Field(min_length=1)


class _GraphicIn(_Strict):
    template: str = Field(min_length=1)
    data: dict[str, Any] = {}


class SegmentIn(_Strict):
    id: str = Field(pattern=_SEGMENT_ID)
    kind: Kind
    title: _BilingualIn
    duration: Duration
    fixed: Clock | None = None
    soft: Clock | None = None
    region: str | None = None
    scene: str | None = None
    feed: str | None = None
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


class _ShowIn(_Strict):
    id: str | None = Field(default=None, pattern=_SEGMENT_ID)
    title: _BilingualIn
    date: date
    zone: Zone
    start: Clock


class _RundownIn(_Strict):
    show: _ShowIn
    segment: list[dict[str, Any]] = Field(min_length=1)


_HINTED = ("id", "kind", "title", "duration", "fixed", "soft", "date", "zone", "start", "graphics")
"""Fields whose problems get a hint: catalogue ``diag.rundown.hint.<field>``."""


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


def model_keys(where: KeyPath) -> list[str]:
    """The keys allowed in the table that holds ``where``."""
    tables = {"show": _ShowIn, "segment": SegmentIn, "title": _BilingualIn, "graphics": _GraphicIn}
    owner = next((str(p) for p in reversed(where[:-1]) if str(p) in tables), "")
    return list(tables[owner].model_fields) if owner else ["show", "segment"]


class _Checker:
    def __init__(self, path: Path, text: str, raw_segments: list[dict[str, Any]]) -> None:
        self.path = path
        self.raw_segments = raw_segments
        self._text = text
        self.diagnostics: list[Diagnostic] = []

    @functools.cached_property
    def locator(self) -> TomlLocator:
        """Built only when there is something to report: it costs as much as the parse."""
        return TomlLocator(self._text)

    def error(self, where: KeyPath, message: Msg, hint: str = "") -> None:
        line, column = self.locator.find(where)
        segment_id = self._segment_id(where)
        if segment_id:
            message = Msg("diag.rundown.in_segment", segment=segment_id, message=message)
        elif where[:1] == ("show",):
            message = Msg("diag.rundown.in_show", message=message)
        self.diagnostics.append(Diagnostic(self.path, line, column, message, hint))

    def validation(self, base: KeyPath, error: ValidationError) -> None:
        for problem in error.errors():
            where = base + tuple(problem["loc"])
            field = next((str(p) for p in reversed(where) if str(p) in _HINTED), "")
            names = ".".join(str(p) for p in problem["loc"]) or "table"
            hint: str = _hint(field) if field else ""
            if problem["type"] == "extra_forbidden":
                message = Msg("diag.value.extra_forbidden")
                hint = nearest_key_hint(str(where[-1]), model_keys(where))
            else:
                message = validation_message(problem)
            self.error(where, Msg("diag.setting", name=names, message=message), hint)

    def _segment_id(self, where: KeyPath) -> str | None:
        if len(where) >= 2 and where[0] == "segment" and isinstance(where[1], int):
            if where[1] < len(self.raw_segments):
                return str(self.raw_segments[where[1]].get("id", f"#{where[1] + 1}"))
            return f"#{where[1] + 1}"
        return None


def load_rundown(path: Path) -> Rundown:
    """Parse and check a rundown file; raise DiagnosticsError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        message = Msg("diag.unreadable", what=Msg("diag.what.rundown"), reason=str(error))
        raise DiagnosticsError([Diagnostic(path, 1, 1, message, Msg("diag.hint.check_path"))])
    return parse_rundown(path, text)


def parse_rundown(path: Path, text: str) -> Rundown:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DiagnosticsError([toml_syntax_error(path, error)]) from None
    raw_segments = raw.get("segment", [])
    check = _Checker(path, text, [s for s in raw_segments if isinstance(s, dict)] if isinstance(raw_segments, list) else [])
    show: Show | None = None
    try:
        parsed = _RundownIn.model_validate(raw)
    except ValidationError as error:
        check.validation((), error)
        parsed = None
    if parsed is not None:
        s = parsed.show
        show = Show(s.id or path.stem, Bilingual(s.title.kk, s.title.ru), s.date, s.zone, s.start)
    segments: list[tuple[int, Segment]] = []
    for index, row in enumerate(check.raw_segments):
        try:
            segments.append((index, _with_video_path(SegmentIn.model_validate(row).build(), path.parent)))
        except ValidationError as error:
            check.validation(("segment", index), error)
    _check_segments(check, segments, show)
    if check.diagnostics:
        raise DiagnosticsError(sorted(check.diagnostics, key=lambda d: (d.line, d.column)))
    assert show is not None
    return Rundown(show, tuple(segment for _, segment in segments))


def _with_video_path(segment: Segment, folder: Path) -> Segment:
    """A video file is named relative to the rundown file; the live plan keeps it absolute."""
    if segment.video is None:
        return segment
    return replace(segment, video=str((folder / Path(segment.video).expanduser()).resolve()))


def _check_video(check: _Checker, where: KeyPath, segment: Segment) -> None:
    """A video segment must have something to play: a file that is there, or an OBS source (never both)."""
    if segment.video and segment.video_source:
        check.error(where + ("video_source",), Msg("diag.rundown.video_twice"), Msg("diag.rundown.hint.video"))
    elif segment.video and not Path(segment.video).is_file():
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
