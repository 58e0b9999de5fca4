"""The OpenAPI documents served at ``/openapi.json``: the control API's (``document``)
and the observers' intake's (``intake_document``).

The control API's is written out here; the intake's is generated from the
pydantic models of the report (studio/desk/report_body.py) and of its answers
below, which the intake also uses to check bodies and build refusals. Both
are kept true by schemathesis against a live server
(tests/web/test_api_schemathesis.py, tests/desk/test_desk_intake_openapi.py):
every answer must match what is written here.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema

from studio.desk.report_body import PROBLEM_CODES, ReportAccepted, ReportBody

SEGMENT_ID_PATTERN = "^[a-z0-9][a-z0-9_-]*$"
TEMPLATE_PATTERN = "^[a-z0-9][a-z0-9_-]*$"
"""A graphic template's name: its file in overlays/ without ``.toml`` (``lower-third``)."""

_TITLE = {
    "type": "object",
    "description": "On-air text in Kazakh and Russian (English screens show the Russian).",
    "required": ["kk", "ru"],
    "additionalProperties": False,
    "properties": {"kk": {"type": "string"}, "ru": {"type": "string"}},
}
_INSTANT = {"type": "string", "format": "date-time", "description": "ISO 8601 in the show's local zone."}
_KIND = {"type": "string", "enum": ["studio", "briefing", "live", "video", "break"]}
_SEGMENT_FIELDS: dict[str, Any] = {
    "segment_id": {"type": "string"},
    "title": {"$ref": "#/components/schemas/Title"},
    "kind": {"$ref": "#/components/schemas/Kind"},
    "region": {"type": "string", "nullable": True, "description": "A region id (studio/regions.toml)."},
    "planned_s": {"type": "integer", "minimum": 0, "description": "Planned duration in seconds."},
}


def _object(required: list[str], properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "required": required,
        "additionalProperties": False,
        "properties": properties,
    }
    if description:
        schema["description"] = description
    return schema


def _error(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_UNAUTHORIZED = {
    "description": "No bearer token (`token_missing`) or a wrong one (`token_wrong`).",
    "headers": {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "`Bearer`"}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}

def _this_document(version: str) -> dict[str, Any]:
    """The route of the document itself: no token needed."""
    content = {"application/json": {"schema": {"type": "object"}}}
    return {
        "get": {
            "summary": "This document",
            "security": [],
            "responses": {"200": {"description": f"OpenAPI {version}", "content": content}},
        }
    }


def _bearer(description: str) -> dict[str, Any]:
    return {"bearer": {"type": "http", "scheme": "bearer", "description": description}}


def _path_parameter(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema}


_SEGMENT_PARAMETER = _path_parameter(
    "segment_id",
    "A segment id from the live rundown (`GET /state`, `rundown[].segment_id`).",
    {"type": "string", "pattern": SEGMENT_ID_PATTERN, "maxLength": 64},
)
_TEMPLATE_PARAMETER = _path_parameter(
    "template",
    "A graphic template's name (`GET /state`, `graphics.on_air[].template`), e.g. `lower-third`.",
    {"type": "string", "pattern": TEMPLATE_PATTERN, "maxLength": 64},
)
_INDEX_PARAMETER = _path_parameter(
    "index",
    "Which armed graphic of the on-air segment, from 0 (`GET /state`, `graphics.armed[].index`).",
    {"type": "integer", "minimum": 0, "maximum": 999999999},
)

_SEGMENT_REFUSALS = "`take_conflict`, `nothing_next`, `already_on_air`, `on_air_frozen`, ..."
_FEED_DOWN = (
    " A live segment whose feed the show process last saw down is refused with `feed_down` unless the body "
    "says `\"confirm\": true`; then the slate goes up at once and the programme cuts to the feed at its first frames."
)
_CONFIRM = {
    "type": "boolean",
    "description": "Take it even if its feed is down or shows no picture yet (the slate stands in until it does).",
}
_GRAPHIC_REFUSALS = (
    "`nothing_on_air`, `no_graphic` (no armed graphic with that index), `graphic_refused` (the fact gate or "
    "the renderer said no: the message says why), `no_graphics` (no renderer), `take_conflict` (the segment "
    "changed meanwhile)"
)


def _action(
    summary: str,
    description: str,
    *,
    parameter: dict[str, Any] | None = None,
    body: str | None = None,
    result: str = "ActionResult",
    not_found: str = "No such segment in the live rundown (`unknown_segment`).",
    refusals: str = _SEGMENT_REFUSALS,
) -> dict[str, Any]:
    """One POST operation: ``parameter`` in the path, an optional JSON ``body`` schema, its 200 ``result``."""
    responses: dict[str, Any] = {
        "200": {
            "description": "Done, and written to the event log with origin `api` (or `api:NAME`).",
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{result}"}}},
        },
        "400": _error("A malformed body: `bad_json`, `not_an_object`, `unknown_field`, `bad_field`."),
        "401": _UNAUTHORIZED,
        "409": _error(
            f"The controller refused ({refusals}); "
            "the message says why. The refusal is written to the event log too (action `refused`)."
        ),
        "413": _error("The body is larger than the limit (`too_large`)."),
        "415": _error("A body that is not `application/json` (`bad_media_type`)."),
    }
    if parameter is not None:
        responses["404"] = _error(not_found)
    operation: dict[str, Any] = {"summary": summary, "description": description, "responses": responses}
    if body is not None:
        operation["requestBody"] = {
            "required": False,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}},
        }
    if parameter is not None:
        operation["parameters"] = [parameter]
    return operation


def _graphics_action(summary: str, description: str, parameter: dict[str, Any] | None = None) -> dict[str, Any]:
    return _action(
        summary,
        description
        + " Takes no body (an empty one, or `{}`). Through the same controller method as the console's key.",
        parameter=parameter,
        result="GraphicResult",
        not_found="Not a template name (`unknown_template`).",
        refusals=_GRAPHIC_REFUSALS,
    )


def _health_source() -> dict[str, Any]:
    return {
        "type": "object",
        "nullable": True,
        "required": ["at", "age_s", "stale"],
        "additionalProperties": True,
        "description": (
            "The source's latest snapshot as its owner published it, plus `at`, `age_s` and `stale`; "
            "null when no process has published it (the reason is in `health_missing`)."
        ),
        "properties": {
            "at": _INSTANT | {"description": "When the snapshot was taken (ISO 8601, local zone)."},
            "age_s": {"type": "integer", "minimum": 0, "description": "Seconds since then."},
            "stale": {
                "type": "boolean",
                "description": "Older than 15 s: the publisher has stopped (it writes at least every 5 s).",
            },
        },
    }


_OBS_HEALTH = {
    "allOf": [_health_source()],
    "nullable": True,
    "description": (
        "OBS as the show process (`studio run`) sees it: `connected`, `reason` (the link's last word), "
        "`wanted_scene`, `program_scene`, `preview_scene`, `in_sync` (OBS has applied the latest take), "
        "`error` (what OBS refused), `streaming`, `recording`, `stream_congestion` (0-1), "
        "`stream_dropped_frames`, `render_skipped_frames`, `encoder_skipped_frames`, `active_fps`, "
        "`cpu_percent`, `status_age` (seconds since OBS was read), `feed` (the watched on-air feed: "
        "`segment_id`, `input`, `verdict` starting/alive/dead/unknown, `reported`), `cued` (the next "
        "segment's feed, judged off air, the same fields), `awaiting_feed` (a live segment is taken and "
        "the slate shows until its feed's first frames). Published on every "
        "change and at least every 5 s."
    ),
}


def document(max_body: int) -> dict[str, Any]:
    """The OpenAPI document; ``max_body`` is the body limit in bytes (answered with 413 above it)."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "studio control API",
            "version": "1",
            "description": (
                "Drives the show from a Stream Deck, a script or another tool. Every call goes through the "
                "show controller as the operator who signed in when `studio serve` started, with origin `api` (or "
                "`api:NAME` for a named token), and is written to the event log; the show process (the "
                "producer console), which alone talks to OBS, follows within a fraction of a second. "
                "Every route but this document needs `Authorization: Bearer <token>`. "
                f"Request bodies are at most {max_body} bytes. "
                "Graphics are rendered by this process (through the desk's fact gate) and shown by the show "
                "process; `GET /state` carries the OBS and stream health the show process publishes."
            ),
        },
        "security": [{"bearer": []}],
        "paths": {
            "/state": {
                "get": {
                    "summary": "What is on air, what is next, the timings, graphics and health",
                    "responses": {
                        "200": {
                            "description": "The live state.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/State"}}},
                        },
                        "401": _UNAUTHORIZED,
                    },
                }
            },
            "/take/next": {
                "post": _action(
                    "Take the next segment",
                    "With `expect_on_air` in the body (a segment id, or null for nothing on air) the take is "
                    "refused with `take_conflict` unless that is what is on air now: a screen that was behind "
                    "never skips a segment. Without it, the next segment is taken whatever is on air. "
                    "(A segment whose id is `next` cannot be taken by id: this route answers.)" + _FEED_DOWN,
                    body="TakeNextBody",
                )
            },
            "/take/{segment_id}": {
                "post": _action(
                    "Take a chosen segment", "In or out of order; a retake too." + _FEED_DOWN,
                    parameter=_SEGMENT_PARAMETER, body="TakeBody",
                )
            },
            "/hold/{segment_id}": {
                "post": _action(
                    "Hold a segment or release it",
                    "A held segment is passed over by take next. The result's action says which: `hold` or `unhold`.",
                    parameter=_SEGMENT_PARAMETER,
                )
            },
            "/skip/{segment_id}": {
                "post": _action(
                    "Skip a segment or bring it back",
                    "The result's action says which: `skip` or `unskip`.",
                    parameter=_SEGMENT_PARAMETER,
                )
            },
            "/graphics/take/{index}": {
                "post": _graphics_action(
                    "Put an armed graphic on air",
                    "Renders the on-air segment's armed graphic `index` (its `graphics` in the rundown, from 0) "
                    "and puts it on air over the segment, replacing the same template if it was up. A graphic "
                    "stating facts goes through the desk's gate: only verified facts reach air.",
                    _INDEX_PARAMETER,
                )
            },
            "/graphics/clear/{template}": {
                "post": _graphics_action(
                    "Take one graphic off air",
                    "`changed` is 1 when it was on air, 0 when it was not (nothing happens then; the call is "
                    "logged as `unchanged`).",
                    _TEMPLATE_PARAMETER,
                )
            },
            "/graphics/clear": {
                "post": _graphics_action(
                    "Every graphic off air (panic)",
                    "`changed` says how many were on air. Always safe to press.",
                )
            },
            "/openapi.json": _this_document("3.0"),
        },
        "components": {
            "securitySchemes": _bearer(
                "A token from the environment variable named by `[api] token_env` (or `[api] tokens`); "
                "its name is logged as the call's origin (`api`, or `api:NAME`); the operator logged is the "
                "one who signed in when `studio serve` started."
            ),
            "schemas": {
                "Title": _TITLE,
                "Kind": _KIND,
                "Error": _object(
                    ["error", "message"],
                    {
                        "error": {"type": "string", "description": "A stable code, e.g. `take_conflict`."},
                        "message": {"type": "string", "description": "What went wrong and what to do, for people."},
                    },
                ),
                "TakeNextBody": _object(
                    [],
                    {
                        "expect_on_air": {
                            "type": "string",
                            "nullable": True,
                            "pattern": SEGMENT_ID_PATTERN,
                            "description": "The segment the caller believes is on air; null: nothing.",
                        },
                        "confirm": _CONFIRM,
                    },
                ),
                "TakeBody": _object([], {"confirm": _CONFIRM}),
                "GraphicResult": _object(
                    ["action", "template", "segment_id", "changed", "state"],
                    {
                        "action": {"type": "string", "enum": ["graphic_on", "graphic_off", "graphics_off"]},
                        "template": {"type": "string", "nullable": True, "description": "Null for all graphics."},
                        "segment_id": {
                            "type": "string",
                            "nullable": True,
                            "description": "The segment a graphic went on air over (graphic_on only).",
                        },
                        "changed": {"type": "integer", "minimum": 0, "description": "Graphics that went on or off."},
                        "state": {"$ref": "#/components/schemas/State"},
                    },
                ),
                "Graphics": _object(
                    ["armed", "on_air"],
                    {
                        "armed": {
                            "type": "array",
                            "description": "The on-air segment's graphics, in rundown order: what a button takes.",
                            "items": _object(
                                ["index", "template", "description", "on_air"],
                                {
                                    "index": {"type": "integer", "minimum": 0, "description": "For /graphics/take/{index}."},
                                    "template": {"type": "string"},
                                    "description": {"type": "string", "description": "Template and data, one line."},
                                    "on_air": {"type": "boolean", "description": "This template is on air now."},
                                },
                            ),
                        },
                        "on_air": {
                            "type": "array",
                            "description": "Graphics on air now, in the order taken (a live inclusion's location bug too).",
                            "items": _object(
                                ["template", "segment_id", "scene", "description"],
                                {
                                    "template": {"type": "string", "description": "For /graphics/clear/{template}."},
                                    "segment_id": {"type": "string"},
                                    "scene": {"type": "string", "nullable": True, "description": "The OBS scene."},
                                    "description": {"type": "string"},
                                },
                            ),
                        },
                    },
                ),
                "Health": {
                    "type": "object",
                    "required": ["obs", "youtube"],
                    "description": "Each source's latest health snapshot, by source; more sources may appear.",
                    "properties": {"obs": _OBS_HEALTH, "youtube": _health_source()},
                    "additionalProperties": _health_source(),
                },
                "ActionResult": _object(
                    ["action", "segment_id", "state"],
                    {
                        "action": {"type": "string", "enum": ["take", "hold", "unhold", "skip", "unskip"]},
                        "segment_id": {"type": "string"},
                        "state": {"$ref": "#/components/schemas/State"},
                    },
                ),
                "OnAir": _object(
                    list(_SEGMENT_FIELDS)
                    + ["started_at", "elapsed_s", "remaining_s", "overrun", "taken_by", "origin"],
                    _SEGMENT_FIELDS
                    | {
                        "started_at": _INSTANT,
                        "elapsed_s": {"type": "integer"},
                        "remaining_s": {"type": "integer", "description": "Negative: over by that much."},
                        "overrun": {"type": "boolean"},
                        "taken_by": {"type": "string"},
                        "origin": {"type": "string", "description": "Where the take came from: console, api, ..."},
                    },
                    "The segment on air, as it was when taken.",
                ),
                "Next": _object(
                    list(_SEGMENT_FIELDS) + ["expected_start"],
                    _SEGMENT_FIELDS | {"expected_start": _INSTANT | {"nullable": True}},
                    "What take next would put on air.",
                ),
                "Line": _object(
                    list(_SEGMENT_FIELDS) + ["status", "fixed", "planned_start", "expected_start"],
                    _SEGMENT_FIELDS
                    | {
                        "status": {
                            "type": "string",
                            "enum": ["played", "on_air", "next", "held", "skipped", "pending"],
                        },
                        "fixed": {"type": "boolean", "description": "Pinned to a local time."},
                        "planned_start": _INSTANT,
                        "expected_start": _INSTANT | {"nullable": True},
                    },
                ),
                "Timing": _object(
                    ["show_over_under_s", "projected_end", "next_fixed", "next_turnout"],
                    {
                        "show_over_under_s": {"type": "integer", "description": "Positive: the show runs over."},
                        "projected_end": _INSTANT,
                        "next_fixed": _object(
                            ["segment_id", "start", "backtime_s"],
                            {
                                "segment_id": {"type": "string"},
                                "start": _INSTANT,
                                "backtime_s": {
                                    "type": "integer",
                                    "nullable": True,
                                    "description": "Positive: time to fill; negative: time to cut.",
                                },
                            },
                        )
                        | {"nullable": True},
                        "next_turnout": _INSTANT | {"nullable": True},
                    },
                ),
                "State": _object(
                    [
                        "show", "revision", "now", "ended", "on_air", "next",
                        "timing", "rundown", "graphics", "health", "health_missing",
                    ],
                    {
                        "show": _object(
                            ["id", "title", "date", "zone"],
                            {
                                "id": {"type": "string"},
                                "title": {"$ref": "#/components/schemas/Title"},
                                "date": {"type": "string", "format": "date"},
                                "zone": {"type": "string", "description": "IANA zone, Asia/Almaty."},
                            },
                        ),
                        "revision": {"type": "integer", "description": "Bumped by every change of the live plan."},
                        "now": _INSTANT,
                        "ended": {"type": "boolean"},
                        "on_air": {"allOf": [{"$ref": "#/components/schemas/OnAir"}], "nullable": True},
                        "next": {"allOf": [{"$ref": "#/components/schemas/Next"}], "nullable": True},
                        "timing": {"$ref": "#/components/schemas/Timing"},
                        "rundown": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}},
                        "graphics": {"$ref": "#/components/schemas/Graphics"},
                        "health": {"$ref": "#/components/schemas/Health"},
                        "health_missing": {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                            "description": "Why a source in `health` is null, by source, in the caller's language.",
                        },
                    },
                ),
            },
        },
    }


# --- the observers' intake (studio intake): its document, generated from the report's model --------------

KEY_PATTERN = r"^[\x21-\x7e]{1,200}$"
"""An Idempotency-Key: 1 to 200 visible ASCII characters."""


class IntakeError(BaseModel):
    """Every refusal but a refused body: a stable code and a message for people."""

    model_config = ConfigDict(extra="forbid")

    error: str = Field(description="A stable code: `token_missing`, `too_large`, `rate_limited`, ...")
    message: str = Field(description="What went wrong and what to do, in the caller's Accept-Language.")


class ReportProblem(BaseModel):
    """One thing wrong with a report's body."""

    model_config = ConfigDict(extra="forbid")

    field: str = Field(description="The body's field it is about: `text`, `region`, ... (an unknown field: its name).")
    code: Literal[PROBLEM_CODES] = Field(description="What kind of problem, stable for programs.")  # type: ignore[valid-type]
    message: str = Field(description="`<field>: what is wrong and what to do`, in the caller's Accept-Language.")


class ReportRefusal(BaseModel):
    """A body whose fields are wrong: every problem at once."""

    model_config = ConfigDict(extra="forbid")

    error: Literal["invalid_report"]
    message: str = Field(description="Every problem in one sentence, in the caller's Accept-Language.")
    problems: list[ReportProblem] = Field(min_length=1, description="Each problem, in the body's field order.")


def _answer(description: str, model: type[BaseModel], headers: dict[str, str] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}},
    }
    if headers:
        answer["headers"] = {name: {"schema": {"type": "string"}, "description": text} for name, text in headers.items()}
    return answer


def intake_document(*, max_body: int, rate: float, burst: int) -> dict[str, Any]:
    """The intake's OpenAPI 3.1 document; the schemas are generated from the pydantic models."""
    _, generated = models_json_schema(
        [
            (ReportBody, "validation"),
            (ReportAccepted, "serialization"),
            (IntakeError, "serialization"),
            (ReportRefusal, "serialization"),
        ],
        ref_template="#/components/schemas/{model}",
    )
    retry = {"Retry-After": "Seconds to wait before sending again (with the same Idempotency-Key)."}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "studio intake: observers' reports",
            "version": "1",
            "description": (
                "Observers (or their apps and chat bots) send what they see on referendum day; each report "
                "lands in the verification desk's queue, grouped with similar ones, and nothing reaches air "
                "before the desk has verified it. Every route but this document and `/health` needs "
                "`Authorization: Bearer <token>`, one token per observer (`studio observers add NAME` prints "
                f"it once). Request bodies are at most {max_body} bytes; a token may send {rate:g} reports a "
                f"second on average and {burst} at once."
            ),
        },
        "security": [{"bearer": []}],
        "paths": {
            "/reports": {
                "post": {
                    "summary": "Send one observer report",
                    "description": (
                        "The observer is the owner of the token, never a field of the body. The received time "
                        "is the intake's. A body that breaks any rule is refused with every problem at once "
                        "(422); nothing is stored then."
                    ),
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "description": (
                                "Recommended: a key of this send (e.g. the phone's message id), scoped to the "
                                "observer. A retry with the same key and body replays the first answer and adds "
                                "nothing; the same key with another body is refused (409)."
                            ),
                            "schema": {"type": "string", "pattern": KEY_PATTERN},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReportBody"}}},
                    },
                    "responses": {
                        "201": _answer(
                            "Stored (committed) and queued at the desk.",
                            ReportAccepted,
                            {"Idempotent-Replayed": "`true` when this is the replay of an earlier send's answer."},
                        ),
                        "400": _answer(
                            "Not JSON (`bad_json`), not a JSON object (`not_an_object`) or a bad Idempotency-Key "
                            "(`bad_key`).",
                            IntakeError,
                        ),
                        "401": _answer(
                            "No bearer token (`token_missing`), a wrong one (`token_wrong`) or a revoked one "
                            "(`token_revoked`).",
                            IntakeError,
                            {"WWW-Authenticate": "`Bearer`"},
                        ),
                        "409": _answer(
                            "The Idempotency-Key was used for another body (`key_reused`).", IntakeError
                        ),
                        "413": _answer(f"The body is larger than {max_body} bytes (`too_large`).", IntakeError),
                        "415": _answer("A body that is not `application/json` (`bad_media_type`).", IntakeError),
                        "422": _answer("The report's fields are wrong: every problem at once.", ReportRefusal),
                        "429": _answer("Over the token's rate (`rate_limited`).", IntakeError, retry),
                        "503": _answer("The store is busy (`unavailable`): retry with the same key.", IntakeError, retry),
                    },
                }
            },
            "/health": {
                "get": {
                    "summary": "Whether the intake can reach its store",
                    "security": [],
                    "responses": {
                        "200": {"description": "`{\"status\": \"ok\"}`", "content": {"application/json": {"schema": _STATUS}}},
                        "503": {
                            "description": "`{\"status\": \"store_unavailable\"}`",
                            "content": {"application/json": {"schema": _STATUS}},
                        },
                    },
                }
            },
            "/openapi.json": _this_document("3.1"),
        },
        "components": {
            "securitySchemes": _bearer(
                "The observer's token from `studio observers add NAME`; its owner is the report's observer."
            ),
            "schemas": generated["$defs"],
        },
    }


_STATUS = {
    "type": "object",
    "required": ["status"],
    "additionalProperties": False,
    "properties": {"status": {"type": "string", "enum": ["ok", "store_unavailable"]}},
}
