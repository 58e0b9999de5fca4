"""The HTTP contract: the documents' schemas are the models', and every studio server fails alike.

The control API, the intake and the browser prompter share one error
middleware (studio/web/http.py): each failure is ``{"error", "message"}``,
the message in the caller's language, never a traceback.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from pydantic import BaseModel

from studio.desk.report_body import ReportAccepted, ReportBody, ReportHeld
from studio.web.http import ApiError, json_errors, json_response, read_json
from studio.web.models import (
    ActionResult, Error, GraphicResult, ReportRefusal, State, StoreHealth, TakeBody, TakeNextBody,
)
from studio.web.openapi import document, intake_document
from tests.web.http_helpers import ServerThread, http

REF = "#/components/schemas/{model}"
WEB = Path(__file__).parents[2] / "studio" / "web"


def refs(node: Any) -> set[str]:
    """Every ``$ref`` anywhere in a JSON document."""
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(refs(value) for value in node))
    return set()


@pytest.mark.parametrize(
    ("built", "models"),
    [
        (
            document(16 * 1024),
            [(TakeNextBody, "validation"), (TakeBody, "validation"), (ActionResult, "serialization"), (GraphicResult, "serialization"),
             (State, "serialization"), (Error, "serialization")],
        ),
        (
            intake_document(max_body=64 * 1024, rate=1.0, burst=20),
            [(ReportBody, "validation"), (ReportAccepted, "serialization"), (ReportHeld, "serialization"),
             (ReportRefusal, "serialization"),
             (StoreHealth, "serialization"), (Error, "serialization")],
        ),
    ],
    ids=["control-api", "intake"],
)
def test_every_schema_of_a_document_is_a_models_own(built: dict, models: list[tuple[type[BaseModel], str]]) -> None:
    schemas = built["components"]["schemas"]
    written = set(schemas)
    for model, mode in models:
        schema = model.model_json_schema(ref_template=REF, mode=mode)  # type: ignore[arg-type]
        for name, used in schema.pop("$defs", {}).items():
            assert schemas[name] == used, name
            written.discard(name)
        assert schemas[model.__name__] == schema, model.__name__
        written.discard(model.__name__)
    assert written == set(), "components no model generated"
    assert {ref.removeprefix("#/components/schemas/") for ref in refs(built["paths"])} <= set(schemas)


def test_the_web_modules_import_no_private_names_from_each_other() -> None:
    private = []
    for path in sorted(WEB.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("studio"):
                private += [f"{path.name}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    assert private == []


@pytest.fixture
def failing_server():
    """A server with the shared middleware and routes that fail each way a handler can."""

    async def refused(request: web.Request) -> web.Response:
        raise ApiError(429, "rate_limited", "intake.error.rate_limited", seconds=3)

    async def broken(request: web.Request) -> web.Response:
        raise RuntimeError("/srv/secret/path: a bug")

    async def echo(request: web.Request) -> web.Response:
        return json_response(await read_json(request))

    app = web.Application(middlewares=[json_errors(max_body=10)], client_max_size=10)
    app.router.add_get("/refused", refused, allow_head=False)
    app.router.add_post("/broken", broken)
    app.router.add_post("/echo", echo)
    server = ServerThread(app)
    yield server.start()
    server.stop()


def test_an_api_error_carries_its_status_message_and_retry_after(failing_server) -> None:
    answer = http("GET", f"{failing_server}/refused", token=None, headers={"Accept-Language": "ru"})
    assert answer.status == 429 and answer.headers["Retry-After"] == "3"
    assert answer.body == {"error": "rate_limited", "message": "Слишком много отчётов с этого токена; повторите через 3 с."}


def test_a_bug_is_a_500_error_body_that_names_no_detail(failing_server, caplog) -> None:
    answer = http("POST", f"{failing_server}/broken", token=None)
    assert (answer.status, answer.body["error"]) == (500, "internal")
    assert "secret" not in answer.body["message"] and "Traceback" not in answer.body["message"]
    assert "a bug" in caplog.text  # the details go to the server log


def test_aiohttps_own_refusals_are_error_bodies_too(failing_server) -> None:
    too_large = http("POST", f"{failing_server}/echo", token=None, json_body={"text": "x" * 100})
    missing = http("GET", f"{failing_server}/nowhere", token=None, headers={"Accept-Language": "kk"})
    wrong = http("DELETE", f"{failing_server}/refused", token=None)
    assert (too_large.status, too_large.body["error"]) == (413, "too_large") and "10" in too_large.body["message"]
    assert (missing.status, missing.body["error"]) == (404, "not_found") and "жоқ" in missing.body["message"]
    assert (wrong.status, wrong.body["error"], wrong.headers["Allow"]) == (405, "method_not_allowed", "GET")
