"""The OpenAPI documents served at ``/openapi.json``: the control API's (``document``)
and the observers' intake's (``intake_document``).

Only the table of paths is written here. Every schema under ``components``
is generated from the pydantic models the servers check bodies with and
answer with (studio/web/models.py, studio/desk/report_body.py), so the
document cannot drift from what is accepted and answered. Both are kept
true by schemathesis against a live server (tests/web/test_api_schemathesis.py,
tests/desk/test_desk_intake_openapi.py).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from studio.desk.report_body import ReportAccepted, ReportBody, ReportHeld
from studio.web.models import (
    KEY_PATTERN,
    ActionResult,
    Error,
    GraphicIndex,
    GraphicResult,
    ReportRefusal,
    SegmentId,
    State,
    StoreHealth,
    TakeBody,
    TakeNextBody,
    TemplateName,
)

VERSION = "3.1.0"
_REF = "#/components/schemas/{model}"


def _components(models: list[tuple[type[BaseModel], JsonSchemaMode]]) -> dict[str, Any]:
    """The schemas of ``models`` and of every model they use, by name; requests are ``validation``."""
    _, generated = models_json_schema(models, ref_template=_REF)
    return generated["$defs"]


def _json(model: type[BaseModel] | None) -> dict[str, Any]:
    schema = {"$ref": _REF.format(model=model.__name__)} if model is not None else {"type": "object"}
    return {"application/json": {"schema": schema}}


def _answer(description: str, model: type[BaseModel] | None = Error, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """One response: its JSON body is ``model`` (an ``Error`` unless said); ``headers`` by name, with what they say."""
    answer: dict[str, Any] = {"description": description, "content": _json(model)}
    if headers:
        answer["headers"] = {name: {"schema": {"type": "string"}, "description": text} for name, text in headers.items()}
    return answer


def _this_document() -> dict[str, Any]:
    """The route of the document itself: no token needed."""
    return {"get": {"summary": "This document", "security": [], "responses": {"200": _answer(f"OpenAPI {VERSION}", None)}}}


def _bearer(description: str) -> dict[str, Any]:
    return {"bearer": {"type": "http", "scheme": "bearer", "description": description}}


def _path_parameter(name: str, description: str, kind: Any) -> dict[str, Any]:
    schema = TypeAdapter(kind).json_schema()
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema}


# --- the control API (studio serve) ------------------------------------------------------------------

_UNAUTHORIZED = _answer(
    "No bearer token (`token_missing`) or a wrong one (`token_wrong`).", headers={"WWW-Authenticate": "`Bearer`"}
)
_SEGMENT_PARAMETER = _path_parameter(
    "segment_id", "A segment id from the live rundown (`GET /state`, `rundown[].segment_id`).", SegmentId
)
_TEMPLATE_PARAMETER = _path_parameter(
    "template",
    "A graphic template's name (`GET /state`, `graphics.on_air[].template`), e.g. `lower-third`.",
    TemplateName,
)
_INDEX_PARAMETER = _path_parameter(
    "index", "Which armed graphic of the on-air segment, from 0 (`GET /state`, `graphics.armed[].index`).", GraphicIndex
)

_SEGMENT_REFUSALS = "`take_conflict`, `nothing_next`, `already_on_air`, `on_air_frozen`, ..."
_FEED_DOWN = (
    " A live segment whose feed the show process last saw down is refused with `feed_down` unless the body "
    "says `\"confirm\": true`; then the slate goes up at once and the programme cuts to the feed at its first frames."
)
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
    body: type[BaseModel] | None = None,
    result: type[BaseModel] = ActionResult,
    not_found: str = "No such segment in the live rundown (`unknown_segment`).",
    refusals: str = _SEGMENT_REFUSALS,
) -> dict[str, Any]:
    """One POST operation: ``parameter`` in the path, an optional JSON ``body``, its 200 ``result``."""
    responses: dict[str, Any] = {
        "200": _answer("Done, and written to the event log with origin `api` (or `api:NAME`).", result),
        "400": _answer("A malformed body: `bad_json`, `not_an_object`, `unknown_field`, `bad_field`."),
        "401": _UNAUTHORIZED,
        "409": _answer(
            f"The controller refused ({refusals}); "
            "the message says why. The refusal is written to the event log too (action `refused`)."
        ),
        "413": _answer("The body is larger than the limit (`too_large`)."),
        "415": _answer("A body that is not `application/json` (`bad_media_type`)."),
    }
    operation: dict[str, Any] = {"summary": summary, "description": description, "responses": responses}
    if parameter is not None:
        responses["404"] = _answer(not_found)
        operation["parameters"] = [parameter]
    if body is not None:
        operation["requestBody"] = {"required": False, "content": _json(body)}
    return operation


def _graphics_action(summary: str, description: str, parameter: dict[str, Any] | None = None) -> dict[str, Any]:
    return _action(
        summary,
        description
        + " Takes no body (an empty one, or `{}`). Through the same controller method as the console's key.",
        parameter=parameter,
        result=GraphicResult,
        not_found="Not a template name (`unknown_template`).",
        refusals=_GRAPHIC_REFUSALS,
    )


def document(max_body: int) -> dict[str, Any]:
    """The control API's document; ``max_body`` is the body limit in bytes (answered with 413 above it)."""
    return {
        "openapi": VERSION,
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
                    "responses": {"200": _answer("The live state.", State), "401": _UNAUTHORIZED},
                }
            },
            "/take/next": {
                "post": _action(
                    "Take the next segment",
                    "With `expect_on_air` in the body (a segment id, or null for nothing on air) the take is "
                    "refused with `take_conflict` unless that is what is on air now: a screen that was behind "
                    "never skips a segment. Without it, the next segment is taken whatever is on air. "
                    "(A segment whose id is `next` cannot be taken by id: this route answers.)" + _FEED_DOWN,
                    body=TakeNextBody,
                )
            },
            "/take/{segment_id}": {
                "post": _action(
                    "Take a chosen segment", "In or out of order; a retake too." + _FEED_DOWN,
                    parameter=_SEGMENT_PARAMETER, body=TakeBody,
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
            "/openapi.json": _this_document(),
        },
        "components": {
            "securitySchemes": _bearer(
                "A token from the environment variable named by `[api] token_env` (or `[api] tokens`); "
                "its name is logged as the call's origin (`api`, or `api:NAME`); the operator logged is the "
                "one who signed in when `studio serve` started."
            ),
            "schemas": _components(
                [
                    (TakeNextBody, "validation"),
                    (TakeBody, "validation"),
                    (ActionResult, "serialization"),
                    (GraphicResult, "serialization"),
                    (Error, "serialization"),
                ]
            ),
        },
    }


# --- the observers' intake (studio intake) -----------------------------------------------------------------


def intake_document(*, max_body: int, rate: float, burst: int) -> dict[str, Any]:
    """The intake's document."""
    retry = {"Retry-After": "Seconds to wait before sending again (with the same Idempotency-Key)."}
    return {
        "openapi": VERSION,
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
                    "requestBody": {"required": True, "content": _json(ReportBody)},
                    "responses": {
                        "201": _answer(
                            "Stored (committed) and queued at the desk.",
                            ReportAccepted,
                            {"Idempotent-Replayed": "`true` when this is the replay of an earlier send's answer."},
                        ),
                        "202": _answer(
                            "Stored (committed), but its region could not be placed with certainty (a bare "
                            "Almaty, a district, a name the gazetteer does not know): held in the desk's \"needs a "
                            "region\" queue until a person names its unit, never guessed. Not an error: do not "
                            "send it again.",
                            ReportHeld,
                            {"Idempotent-Replayed": "`true` when this is the replay of an earlier send's answer."},
                        ),
                        "400": _answer(
                            "Not JSON (`bad_json`), not a JSON object (`not_an_object`) or a bad Idempotency-Key "
                            "(`bad_key`)."
                        ),
                        "401": _answer(
                            "No bearer token (`token_missing`), a wrong one (`token_wrong`) or a revoked one "
                            "(`token_revoked`).",
                            headers={"WWW-Authenticate": "`Bearer`"},
                        ),
                        "409": _answer("The Idempotency-Key was used for another body (`key_reused`)."),
                        "413": _answer(f"The body is larger than {max_body} bytes (`too_large`)."),
                        "415": _answer("A body that is not `application/json` (`bad_media_type`)."),
                        "422": _answer("The report's fields are wrong: every problem at once.", ReportRefusal),
                        "429": _answer("Over the token's rate (`rate_limited`).", headers=retry),
                        "503": _answer("The store is busy (`unavailable`): retry with the same key.", headers=retry),
                    },
                }
            },
            "/health": {
                "get": {
                    "summary": "Whether the intake can reach its store",
                    "security": [],
                    "responses": {
                        "200": _answer('`{"status": "ok"}`', StoreHealth),
                        "503": _answer('`{"status": "store_unavailable"}`', StoreHealth),
                    },
                }
            },
            "/openapi.json": _this_document(),
        },
        "components": {
            "securitySchemes": _bearer(
                "The observer's token from `studio observers add NAME`; its owner is the report's observer."
            ),
            "schemas": _components(
                [
                    (ReportBody, "validation"),
                    (ReportAccepted, "serialization"),
                    (ReportHeld, "serialization"),
                    (Error, "serialization"),
                    (ReportRefusal, "serialization"),
                    (StoreHealth, "serialization"),
                ]
            ),
        },
    }
