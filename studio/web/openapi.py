"""The control API's OpenAPI 3 document, served at ``/openapi.json``.

Kept true by tests/web/test_api_schemathesis.py, which runs schemathesis
against a live server: every answer must match what is written here.
"""

from __future__ import annotations

from typing import Any

SEGMENT_ID_PATTERN = "^[a-z0-9][a-z0-9_-]*$"

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

_SEGMENT_PARAMETER = {
    "name": "segment_id",
    "in": "path",
    "required": True,
    "description": "A segment id from the live rundown (`GET /state`, `rundown[].segment_id`).",
    "schema": {"type": "string", "pattern": SEGMENT_ID_PATTERN, "maxLength": 64},
}


def _action(summary: str, description: str, *, body: bool = False) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {
            "description": "Done, and written to the event log with origin `api`.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ActionResult"}}},
        },
        "400": _error("A malformed body: `bad_json`, `not_an_object`, `unknown_field`, `bad_field`."),
        "401": _UNAUTHORIZED,
        "404": _error("No such segment in the live rundown (`unknown_segment`)."),
        "409": _error(
            "The controller refused (`take_conflict`, `nothing_next`, `already_on_air`, `on_air_frozen`, ...); "
            "the message says why. The refusal is written to the event log too (action `refused`)."
        ),
        "413": _error("The body is larger than the limit (`too_large`)."),
        "415": _error("A body that is not `application/json` (`bad_media_type`)."),
    }
    operation: dict[str, Any] = {"summary": summary, "description": description, "responses": responses}
    if body:
        operation["requestBody"] = {
            "required": False,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TakeNextBody"}}},
        }
    else:
        operation["parameters"] = [_SEGMENT_PARAMETER]
    return operation


def document(max_body: int) -> dict[str, Any]:
    """The OpenAPI document; ``max_body`` is the body limit in bytes (answered with 413 above it)."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "studio control API",
            "version": "1",
            "description": (
                "Drives the show from a Stream Deck, a script or another tool. Every call goes through the "
                "show controller with origin `api` and is written to the event log; the show process (the "
                "producer console), which alone talks to OBS, follows within a fraction of a second. "
                "Every route but this document needs `Authorization: Bearer <token>`. "
                f"Request bodies are at most {max_body} bytes. "
                "Graphics endpoints (take, clear all) do not exist yet; the graphics work adds them."
            ),
        },
        "security": [{"bearer": []}],
        "paths": {
            "/state": {
                "get": {
                    "summary": "What is on air, what is next, the timings",
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
                    "(A segment whose id is `next` cannot be taken by id: this route answers.)",
                    body=True,
                )
            },
            "/take/{segment_id}": {
                "post": _action("Take a chosen segment", "In or out of order; a retake too.")
            },
            "/hold/{segment_id}": {
                "post": _action(
                    "Hold a segment or release it",
                    "A held segment is passed over by take next. The result's action says which: `hold` or `unhold`.",
                )
            },
            "/skip/{segment_id}": {
                "post": _action(
                    "Skip a segment or bring it back",
                    "The result's action says which: `skip` or `unskip`.",
                )
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.0",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": (
                        "A token from the environment variable named by `[api] token_env` (or `[api] tokens`); "
                        "its name is logged as the operator."
                    ),
                }
            },
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
                        }
                    },
                ),
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
                        "timing", "rundown", "graphics", "obs", "stream",
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
                        "graphics": {
                            "type": "array",
                            "maxItems": 0,
                            "items": {"type": "object"},
                            "description": "Graphics on air: always empty until the graphics work fills it.",
                        },
                        "obs": {
                            "type": "object",
                            "nullable": True,
                            "enum": [None],
                            "description": "OBS health: always null until the show process reports it (OBS work).",
                        },
                        "stream": _object(
                            ["health"],
                            {
                                "health": {
                                    "type": "string",
                                    "enum": ["unknown"],
                                    "description": "YouTube stream health: always `unknown` until the YouTube work "
                                    "reports it; more values will be added then.",
                                }
                            },
                        ),
                    },
                ),
            },
        },
    }
