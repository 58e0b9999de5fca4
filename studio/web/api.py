"""The HTTP control API (``studio serve``): take, hold and skip from a Stream Deck or a script.

Who owns what (DESIGN.md, "Processes"): only the show process, the producer
console, talks to OBS. This process therefore has its own ``Controller``
with *no switcher* (``make_api`` refuses one) and writes only to the store.
Every call runs through that controller in one store transaction, with
origin ``api`` and the token's name as the operator, so it lands in the
as-run and event logs like a take at the console. The show process's
``Controller.refresh()`` sees the commit through ``PRAGMA data_version``
within a fraction of a second and makes its switcher follow the new on-air
segment; the prompters follow the same way.

Protocol: JSON in and out. Errors are ``{"error": code, "message": text}``
with 400 (malformed body), 401 (missing or wrong bearer token), 404 (no
such route or segment), 405, 409 (the controller refused: ``ControlError``),
413 (body over ``max_body``), 415 (a body that is not JSON). A refusal is
written to the event log as action ``refused``, so the log shows every
action call, done or not. Messages come from the catalogue, in the
``Accept-Language`` of the caller when studio speaks it, else English.
The token is compared in constant time and never appears in a response,
an error or a log line.

Controller calls are blocking (SQLite): they run one at a time on a single
worker thread, never on the event loop. ``GET /openapi.json`` (no token
needed) describes it all; tests/web/test_api_schemathesis.py keeps that
document true against a live server.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import tzinfo
from typing import Any, Callable, Mapping

from aiohttp import web

from studio.control import ControlError, Controller
from studio.i18n import LANGUAGES, Catalogue
from studio.web.openapi import SEGMENT_ID_PATTERN, document
from studio.web.state import state_json

log = logging.getLogger("studio.web.api")

MAX_BODY = 16 * 1024
"""Bytes a request body may have; the largest real one is ~60."""

_SEGMENT_ID = re.compile(SEGMENT_ID_PATTERN)
_PUBLIC = {("GET", "/openapi.json")}
_STATUS = {"unknown_segment": 404}  # every other ControlError is a refusal: 409
OPERATOR = web.RequestKey("operator", str)
"""The name of the token a request came with: the operator written in the event log."""


class ApiError(Exception):
    """An answer other than 2xx: ``code`` names ``api.error.<code>`` or ``error.<code>``."""

    def __init__(self, status: int, code: str, key: str | None = None, **params: Any) -> None:
        super().__init__(code)
        self.status, self.code, self.key, self.params = status, code, key or f"api.error.{code}", params


def _language(request: web.Request) -> str:
    """The caller's first Accept-Language that studio speaks; English otherwise."""
    for part in request.headers.get("Accept-Language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return "en"


def _error_response(request: web.Request, error: ApiError, headers: Mapping[str, str] | None = None) -> web.Response:
    message = Catalogue(_language(request)).t(error.key, **error.params)
    return web.json_response(
        {"error": error.code, "message": message},
        status=error.status,
        headers=headers,
        dumps=lambda value: json.dumps(value, ensure_ascii=False),
    )


class ControlApi:
    """The API's handlers around one switcher-less controller."""

    def __init__(
        self, controller: Controller, tokens: Mapping[str, str], zone: tzinfo, *, max_body: int = MAX_BODY
    ) -> None:
        if controller.switcher is not None:
            raise ValueError("the control API must not drive the switcher: only the show process talks to OBS")
        if not tokens:
            raise ValueError("the control API needs at least one token")
        self.controller = controller
        self.tokens = [(name, token.encode()) for name, token in tokens.items()]
        self.zone = zone
        self.max_body = max_body
        self.document = document(max_body)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="api-control")

    # --- middlewares ---------------------------------------------------------

    @web.middleware
    async def errors(self, request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
        """Every failure as a JSON error; nothing else ever leaves the server."""
        try:
            return await handler(request)
        except ApiError as error:
            headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
            return _error_response(request, error, headers)
        except web.HTTPException as error:
            if error.status < 400:
                raise
            params = {"method": request.method, "path": request.path}
            if error.status == 404:
                return _error_response(request, ApiError(404, "not_found", **params))
            if error.status == 405:
                allow = {"Allow": error.headers["Allow"]} if "Allow" in error.headers else None
                return _error_response(request, ApiError(405, "method_not_allowed", **params), allow)
            if error.status == 413:
                return _error_response(request, ApiError(413, "too_large", limit=self.max_body))
            return _error_response(request, ApiError(error.status, "bad_request", "api.error.bad_json"))
        except Exception:
            log.exception("unexpected error in %s %s", request.method, request.path)
            return _error_response(request, ApiError(500, "internal"))

    @web.middleware
    async def guard(self, request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
        """The bearer token first (operator: its name), then the size of the body."""
        if (request.method, request.path) not in _PUBLIC:
            request[OPERATOR] = self._operator(request.headers.get("Authorization", ""))
        if request.content_length is not None and request.content_length > self.max_body:
            raise ApiError(413, "too_large", limit=self.max_body)
        return await handler(request)

    def _operator(self, header: str) -> str:
        scheme, _, credentials = header.partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            raise ApiError(401, "token_missing")
        given = credentials.strip().encode()
        name = None
        for candidate, token in self.tokens:  # look at every token: the time taken says nothing
            if hmac.compare_digest(given, token) and name is None:
                name = candidate
        if name is None:
            raise ApiError(401, "token_wrong")
        return name

    # --- bodies --------------------------------------------------------------

    async def _body(self, request: web.Request, fields: tuple[str, ...] = ()) -> dict[str, Any]:
        raw = await request.read()  # over client_max_size: 413 from aiohttp, turned into JSON above
        if not raw.strip():
            return {}
        if request.content_type != "application/json":
            raise ApiError(415, "bad_media_type")
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ApiError(400, "bad_json") from None
        if not isinstance(body, dict):
            raise ApiError(400, "not_an_object")
        for key in body:
            if key not in fields:
                raise ApiError(400, "unknown_field", field=str(key)[:64], allowed=", ".join(fields) or "—")
        return body

    # --- calling the controller ------------------------------------------------

    async def _act(
        self,
        request: web.Request,
        name: str,
        segment_id: str | None,
        call: Callable[[Controller], tuple[str, str]],
    ) -> web.Response:
        operator = request[OPERATOR]
        loop = asyncio.get_running_loop()
        try:
            action, subject, state = await loop.run_in_executor(
                self.executor, self._run, operator, name, segment_id, call
            )
        except ControlError as error:
            raise ApiError(_STATUS.get(error.code, 409), error.code, f"error.{error.code}", **error.params) from None
        return self._json({"action": action, "segment_id": subject, "state": state})

    def _run(
        self, operator: str, name: str, segment_id: str | None, call: Callable[[Controller], tuple[str, str]]
    ) -> tuple[str, str, dict[str, Any]]:
        """On the API's one worker thread: calls never overlap, so the operator can be set per call."""
        controller = self.controller
        controller.operator = operator
        try:
            action, subject = call(controller)
        except ControlError as error:
            self._log_refusal(operator, name, segment_id, error)
            raise
        return action, subject, state_json(controller.view(), self.zone)

    def _log_refusal(self, operator: str, name: str, segment_id: str | None, error: ControlError) -> None:
        controller = self.controller
        with controller.store.write():
            controller.store.log(
                controller.show_id, controller.clock(), "refused", operator, controller.origin, segment_id,
                request=name, code=error.code,
            )

    def _state(self) -> dict[str, Any]:
        self.controller.refresh()  # another process may have taken since the last call
        return state_json(self.controller.view(), self.zone)

    @staticmethod
    def _json(value: Any) -> web.Response:
        return web.json_response(value, dumps=lambda data: json.dumps(data, ensure_ascii=False))

    @staticmethod
    def _segment(request: web.Request) -> str:
        segment_id = request.match_info["segment_id"]
        if len(segment_id) > 64 or not _SEGMENT_ID.match(segment_id):
            raise ApiError(404, "unknown_segment", "error.unknown_segment", segment=segment_id[:64])
        return segment_id

    # --- routes -------------------------------------------------------------

    async def get_state(self, request: web.Request) -> web.Response:
        state = await asyncio.get_running_loop().run_in_executor(self.executor, self._state)
        return self._json(state)

    async def get_document(self, request: web.Request) -> web.Response:
        return self._json(self.document)

    async def take_next(self, request: web.Request) -> web.Response:
        body = await self._body(request, ("expect_on_air",))
        check = "expect_on_air" in body
        expect = body.get("expect_on_air")
        if expect is not None and not (isinstance(expect, str) and len(expect) <= 64 and _SEGMENT_ID.match(expect)):
            raise ApiError(400, "bad_field", field="expect_on_air")
        return await self._act(
            request, "take_next", None, lambda c: ("take", c.take_next(expect, check=check).id)
        )

    async def take(self, request: web.Request) -> web.Response:
        segment_id = self._segment(request)
        await self._body(request)
        return await self._act(request, "take", segment_id, lambda c: ("take", c.take(segment_id).id))

    async def hold(self, request: web.Request) -> web.Response:
        segment_id = self._segment(request)
        await self._body(request)
        return await self._act(
            request, "hold", segment_id, lambda c: ("hold" if c.hold(segment_id) else "unhold", segment_id)
        )

    async def skip(self, request: web.Request) -> web.Response:
        segment_id = self._segment(request)
        await self._body(request)
        return await self._act(
            request, "skip", segment_id, lambda c: ("skip" if c.skip(segment_id) else "unskip", segment_id)
        )

    async def close(self, app: web.Application) -> None:
        self.executor.shutdown(wait=True)


def make_api(
    controller: Controller, tokens: Mapping[str, str], zone: tzinfo, *, max_body: int = MAX_BODY
) -> web.Application:
    """The control API as an aiohttp application; ``tokens`` maps a name (the operator logged) to its token."""
    api = ControlApi(controller, tokens, zone, max_body=max_body)
    app = web.Application(middlewares=[api.errors, api.guard], client_max_size=max_body)
    app.router.add_get("/state", api.get_state, allow_head=False)
    app.router.add_get("/openapi.json", api.get_document, allow_head=False)
    app.router.add_post("/take/next", api.take_next)
    app.router.add_post("/take/{segment_id}", api.take)
    app.router.add_post("/hold/{segment_id}", api.hold)
    app.router.add_post("/skip/{segment_id}", api.skip)
    app.on_cleanup.append(api.close)
    return app
