"""The shapes of studio's HTTP contract, as pydantic models: one description of each body.

The handlers check request bodies with them (studio/web/api.py), the
builder of ``GET /state`` fills them (studio/web/state.py), and the
components of every ``/openapi.json`` are generated from them
(studio/web/openapi.py), so what is documented, what is accepted and what
is answered cannot drift apart. The observers' report body is
``ReportBody`` in studio/desk/report_body.py, for the same reason.

Instants are ISO 8601 strings in the show's local zone
(``2026-03-15T09:58:00+05:00``); durations are whole seconds.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from studio.desk.report_body import PROBLEM_CODES
from studio.rundown.model import Kind
from studio.show.view import Status
from studio.store.health import STALE_AFTER  # a health snapshot older than this is ``stale``

SEGMENT_ID_PATTERN = "^[a-z0-9][a-z0-9_-]*$"
TEMPLATE_PATTERN = "^[a-z0-9][a-z0-9_-]*$"
KEY_PATTERN = r"^[\x21-\x7e]{1,200}$"
"""An Idempotency-Key: 1 to 200 visible ASCII characters."""


SegmentId = Annotated[str, StringConstraints(pattern=SEGMENT_ID_PATTERN, max_length=64)]
TemplateName = Annotated[str, StringConstraints(pattern=TEMPLATE_PATTERN, max_length=64)]
"""A graphic template's name: its file in overlays/ without ``.toml`` (``lower-third``)."""
GraphicIndex = Annotated[int, Field(ge=0, le=999_999_999)]
Instant = Annotated[
    str, WithJsonSchema({"type": "string", "format": "date-time", "description": "ISO 8601 in the show's local zone."})
]


CONFIRM = "Take it even if its feed is down or shows no picture yet (the slate stands in until it does)."


class Closed(BaseModel):
    """A JSON object with exactly these fields."""

    model_config = ConfigDict(extra="forbid")


# --- errors: every HTTP edge of studio answers a failure with this body --------------------------------


class Error(Closed):
    """A failure: a stable code and a message for people, in the caller's language."""

    error: str = Field(description="A stable code, e.g. `take_conflict`, `token_missing`, `too_large`.")
    message: str = Field(description="What went wrong and what to do, in the caller's language.")


# --- the control API's request bodies -------------------------------------------------------------


class TakeNextBody(Closed):
    """The optional body of `POST /take/next`."""

    model_config = ConfigDict(strict=True)

    expect_on_air: SegmentId | None = Field(
        default=None, description="The segment the caller believes is on air; null: nothing."
    )
    confirm: bool = Field(default=False, description=CONFIRM)


class TakeBody(Closed):
    """The optional body of `POST /take/{segment_id}`."""

    model_config = ConfigDict(strict=True)

    confirm: bool = Field(default=False, description=CONFIRM)


class NoBody(Closed):
    """The body of a route that takes none: empty, or `{}`."""

    model_config = ConfigDict(strict=True)


# --- GET /state ------------------------------------------------------------------------------------


class Title(Closed):
    """On-air text in Kazakh and Russian (English screens show the Russian)."""

    kk: str
    ru: str


class SegmentFields(Closed):
    segment_id: str
    title: Title
    kind: Kind
    region: str | None = Field(description="A region id (studio/regions.toml).")
    planned_s: int = Field(ge=0, description="Planned duration in seconds.")


class OnAir(SegmentFields):
    """The segment on air, as it was when taken."""

    started_at: Instant
    elapsed_s: int
    remaining_s: int = Field(description="Negative: over by that much.")
    overrun: bool
    taken_by: str
    origin: str = Field(description="Where the take came from: console, api, ...")


class Next(SegmentFields):
    """What take next would put on air."""

    expected_start: Instant | None


class Line(SegmentFields):
    """One segment of the live rundown."""

    status: Status
    fixed: bool = Field(description="Pinned to a local time.")
    planned_start: Instant
    expected_start: Instant | None


class NextFixed(Closed):
    """The next segment pinned to a local time, and how the show stands against it."""

    segment_id: str
    start: Instant
    backtime_s: int | None = Field(description="Positive: time to fill; negative: time to cut.")


class Timing(Closed):
    show_over_under_s: int = Field(description="Positive: the show runs over.")
    projected_end: Instant
    next_fixed: NextFixed | None
    next_turnout: Instant | None


class Show(Closed):
    id: str
    title: Title
    date: str = Field(json_schema_extra={"format": "date"})
    zone: str = Field(description="IANA zone, Asia/Almaty.")


class ArmedGraphic(Closed):
    index: GraphicIndex = Field(description="For /graphics/take/{index}.")
    template: str
    description: str = Field(description="Template and data, one line.")
    on_air: bool = Field(description="This template is on air now.")


class OnAirGraphic(Closed):
    template: str = Field(description="For /graphics/clear/{template}.")
    segment_id: str
    scene: str | None = Field(description="The OBS scene.")
    description: str


class Graphics(Closed):
    armed: list[ArmedGraphic] = Field(
        description="The on-air segment's graphics, in rundown order: what a button takes."
    )
    on_air: list[OnAirGraphic] = Field(
        description="Graphics on air now, in the order taken (a live inclusion's location bug too)."
    )
    under_slate: bool = Field(
        description="The fallback slate covers the programme: the graphics on air are under it, not seen."
    )


class SourceHealth(BaseModel):
    """A source's latest snapshot as its owner published it, plus `at`, `age_s` and `stale`."""

    model_config = ConfigDict(extra="allow")

    at: Instant = Field(description="When the snapshot was taken (ISO 8601, local zone).")
    age_s: int = Field(ge=0, description="Seconds since then.")
    stale: bool = Field(
        description=f"Older than {STALE_AFTER.seconds} s: the publisher has stopped (it writes at least every 5 s)."
    )


class ObsHealth(SourceHealth):
    """OBS as the show process (`studio run`) sees it: `connected`, `reason` (the link's last word),
    `wanted_scene`, `program_scene`, `preview_scene`, `in_sync` (OBS has applied the latest take),
    `error` (what OBS refused), `streaming`, `recording`, `stream_congestion` (0-1),
    `stream_dropped_frames`, `render_skipped_frames`, `encoder_skipped_frames`, `active_fps`,
    `cpu_percent`, `status_age` (seconds since OBS was read), `feed` (the watched on-air feed:
    `segment_id`, `input`, `verdict` starting/alive/dead/unknown, `reported`), `cued` (the next
    segment's feed, judged off air, the same fields), `awaiting_feed` (a live segment is taken and
    the slate shows until its feed's first frames). Published on every change and at least every 5 s."""


class Health(BaseModel):
    """Each source's latest health snapshot, by source; null when no process has published it
    (the reason is in `health_missing`). More sources may appear."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, SourceHealth | None] = Field(init=False)

    obs: ObsHealth | None
    youtube: SourceHealth | None


class State(Closed):
    """What is on air, what is next, the timings, the graphics and the health of the show."""

    show: Show
    revision: int = Field(description="Bumped by every change of the live plan.")
    now: Instant
    ended: bool
    on_air: OnAir | None
    next: Next | None
    timing: Timing
    rundown: list[Line]
    graphics: Graphics
    health: Health
    health_missing: dict[str, str] = Field(
        description="Why a source in `health` is null, by source, in the caller's language."
    )


# --- the control API's answers ----------------------------------------------------------------------


class ActionResult(Closed):
    """A segment action done: what it did and the state after it."""

    action: Literal["take", "hold", "unhold", "skip", "unskip"]
    segment_id: str
    state: State


class GraphicResult(Closed):
    """A graphics action done (or nothing to change: `changed` 0) and the state after it."""

    action: Literal["graphic_on", "graphic_off", "graphics_off"]
    template: str | None = Field(description="Null for all graphics.")
    segment_id: str | None = Field(description="The segment a graphic went on air over (graphic_on only).")
    changed: int = Field(ge=0, description="Graphics that went on or off.")
    state: State


# --- the observers' intake's answers (its request body is desk/report_body.py's ReportBody) -----------


class ReportProblem(Closed):
    """One thing wrong with a report's body."""

    field: str = Field(description="The body's field it is about: `text`, `region`, ... (an unknown field: its name).")
    code: Literal[PROBLEM_CODES] = Field(description="What kind of problem, stable for programs.")  # type: ignore[valid-type]
    message: str = Field(description="`<field>: what is wrong and what to do`, in the caller's Accept-Language.")


class ReportRefusal(Error):
    """A body whose fields are wrong: every problem at once."""

    error: Literal["invalid_report"]
    message: str = Field(description="Every problem in one sentence, in the caller's Accept-Language.")
    problems: list[ReportProblem] = Field(min_length=1, description="Each problem, in the body's field order.")


class StoreHealth(Closed):
    """Whether the intake can reach its store."""

    status: Literal["ok", "store_unavailable"]
