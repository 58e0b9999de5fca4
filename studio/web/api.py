"""The HTTP control API (``studio serve``): take, hold, skip and graphics from a Stream Deck or a script.

Who owns what (DESIGN.md, "Processes"): only the show process, the producer
console, talks to OBS. This process therefore has its own ``Controller``
with *no switcher* (``make_api`` refuses one) and writes only to the store.
Every call runs through that controller in one store transaction, so it
lands in the as-run and event logs like a take at the console.

Who acts: the person who started ``studio serve`` signed in (their
passphrase proved the name, studio/desk/operators.py) and answers for every
call; the event log names them. A token is a device (a Stream Deck, a
script), not a person: it proves only that the call came from something
given the token, so its name is the call's origin, ``api`` for the default
token and ``api:NAME`` for the others in ``[api] tokens``. The show process's
``Controller.refresh()`` sees the commit through ``PRAGMA data_version``
within a fraction of a second and makes its switcher follow the new on-air
segment; the prompters follow the same way.

Graphics go the same way: this process has the renderer (and with it the
desk's fact gate), so ``POST /graphics/take/{index}`` renders the armed
graphic and records it in the store; the show process's ``refresh()`` sees
the graphics change and shows them in OBS. ``GET /state`` also carries the
health snapshots the show process publishes (studio/store/health.py).

Protocol: JSON in and out. Errors are ``{"error": code, "message": text}``
with 400 (malformed body), 401 (missing or wrong bearer token), 404 (no
such route, segment or template name), 405, 409 (the controller refused: ``ControlError``),
413 (body over ``max_body``), 415 (a body that is not JSON). A refusal is
written to the event log as action ``refused``, and a graphics clear with
nothing to clear as ``unchanged``, so the log shows every action call,
done or not. Messages come from the catalogue, in the
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
from studio.store.health import read as read_health
from studio.web.openapi import SEGMENT_ID_PATTERN, TEMPLATE_PATTERN, document
from studio.rundown.model import Segment
from studio.web.state import STALE_AFTER, state_json

log = logging.getLogger("studio.web.api")

MAX_BODY = 16 * 1024
"""Bytes a request body may have; the largest real one is ~60."""

_SEGMENT_ID = re.compile(SEGMENT_ID_PATTERN)
_TEMPLATE = re.compile(TEMPLATE_PATTERN)
_PUBLIC = {("GET", "/openapi.json")}
_STATUS = {"unknown_segment": 404}  # every other ControlError is a refusal: 409
ORIGIN = web.RequestKey("origin", str)
"""Where a request came from, by its token's name: the origin written in the event log."""


def token_origin(name: str) -> str:
    return "api" if name == "api" else f"api:{name}"


class ApiError(Exception):
    """An answer other than 2xx: ``code`` names ``api.error.<code>`` or ``error.<code>``."""

    def __init__(self, status: int, code: str, key: str | None = None, **params: Any) -> None:
        super().__init__(code)
        self.status, self.code, self.key, self.params = status, code, key or f"api.error.{code}", params


def json_object(raw: bytes) -> dict[str, Any]:
    """A request body as a JSON object; refused with where it breaks (line, column), never a traceback."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except json.JSONDecodeError as error:
        raise ApiError(400, "bad_json", "api.error.bad_json_at", line=error.lineno, column=error.colno) from None
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "bad_json") from None
    if not isinstance(body, dict):
        raise ApiError(400, "not_an_object")
    return body


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
        controller.feed_check = published_feed_check(controller)  # no switcher here: what the show process saw
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
        """The bearer token first (the origin: its name), then the size of the body."""
        if (request.method, request.path) not in _PUBLIC:
            request[ORIGIN] = token_origin(self._token_name(request.headers.get("Authorization", "")))
        if request.content_length is not None and request.content_length > self.max_body:
            raise ApiError(413, "too_large", limit=self.max_body)
        return await handler(request)

    def _token_name(self, header: str) -> str:
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
        body = json_object(raw)
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
        call: Callable[[Controller], dict[str, Any]],
        **detail: Any,
    ) -> web.Response:
        """Run ``call`` on the worker thread; its result (``action`` and what it acted on) gets the new state."""
        origin = request[ORIGIN]
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(
                self.executor, self._run, origin, name, segment_id, call, _language(request), detail
            )
        except ControlError as error:
            raise ApiError(_STATUS.get(error.code, 409), error.code, f"error.{error.code}", **error.params) from None
        return self._json(result)

    def _run(
        self,
        origin: str,
        name: str,
        segment_id: str | None,
        call: Callable[[Controller], dict[str, Any]],
        language: str,
        detail: dict[str, Any],
    ) -> dict[str, Any]:
        """On the API's one worker thread: calls never overlap, so the origin can be set per call."""
        controller = self.controller
        controller.origin = origin
        try:
            result = call(controller)
        except ControlError as error:
            self._log("refused", segment_id, request=name, code=error.code, **detail)
            raise
        if result.pop("logged", True) is False:  # the controller changed nothing and logged nothing
            self._log("unchanged", segment_id, request=name, **detail)
        return result | {"state": self._snapshot(language)}

    def _log(self, action: str, segment_id: str | None, **detail: Any) -> None:
        """An API call the controller did not log itself: refused, or with nothing to change."""
        controller = self.controller
        with controller.store.write():
            controller.store.log(
                controller.show_id, controller.clock(), action, controller.operator, controller.origin, segment_id,
                **detail,
            )

    def _snapshot(self, language: str) -> dict[str, Any]:
        """The state, with the health the show process published (one small SQLite read)."""
        health = read_health(self.controller.store.db)
        return state_json(self.controller.view(), self.zone, health, Catalogue(language))

    def _state(self, language: str) -> dict[str, Any]:
        self.controller.refresh()  # another process may have taken since the last call
        return self._snapshot(language)

    @staticmethod
    def _json(value: Any) -> web.Response:
        return web.json_response(value, dumps=lambda data: json.dumps(data, ensure_ascii=False))

    @staticmethod
    def _segment(request: web.Request) -> str:
        segment_id = request.match_info["segment_id"]
        if len(segment_id) > 64 or not _SEGMENT_ID.match(segment_id):
            raise ApiError(404, "unknown_segment", "error.unknown_segment", segment=segment_id[:64])
        return segment_id

    @staticmethod
    def _template(request: web.Request) -> str:
        template = request.match_info["template"]
        if len(template) > 64 or not _TEMPLATE.match(template):
            raise ApiError(404, "unknown_template", template=template[:64])
        return template

    # --- routes -------------------------------------------------------------

    async def get_state(self, request: web.Request) -> web.Response:
        state = await asyncio.get_running_loop().run_in_executor(self.executor, self._state, _language(request))
        return self._json(state)

    async def get_document(self, request: web.Request) -> web.Response:
        return self._json(self.document)

    async def take_next(self, request: web.Request) -> web.Response:
        body = await self._body(request, ("expect_on_air", "confirm"))
        check = "expect_on_air" in body
        expect = body.get("expect_on_air")
        if expect is not None and not (isinstance(expect, str) and len(expect) <= 64 and _SEGMENT_ID.match(expect)):
            raise ApiError(400, "bad_field", field="expect_on_air")
        confirm = _confirm(body)
        return await self._act(
            request, "take_next", None, lambda c: _done("take", c.take_next(expect, check=check, confirm=confirm).id)
        )

    async def take(self, request: web.Request) -> web.Response:
        segment_id = self._segment(request)
        confirm = _confirm(await self._body(request, ("confirm",)))
        return await self._act(
            request, "take", segment_id, lambda c: _done("take", c.take(segment_id, confirm=confirm).id)
        )

    async def hold(self, request: web.Request) -> web.Response:
        segment_id = self._segment(request)
        await self._body(request)
        return await self._act(
            request, "hold", segment_id, lambda c: _done("hold" if c.hold(segment_id) else "unhold", segment_id)
        )

    async def skip(self, request: web.Request) -> web.Response:
        segment_id = self._segment(request)
        await self._body(request)
        return await self._act(
            request, "skip", segment_id, lambda c: _done("skip" if c.skip(segment_id) else "unskip", segment_id)
        )

    # graphics: the same controller methods as the console's g, c and ctrl+x

    async def graphic_take(self, request: web.Request) -> web.Response:
        index = int(request.match_info["index"])  # the route admits ASCII digits only
        await self._body(request)

        def take(controller: Controller) -> dict[str, Any]:
            graphic = controller.graphic_take(index)
            return _graphic("graphic_on", graphic.template, graphic.segment_id, 1)

        return await self._act(request, "graphic_take", None, take, index=index)

    async def graphic_clear(self, request: web.Request) -> web.Response:
        template = self._template(request)
        await self._body(request)

        def clear(controller: Controller) -> dict[str, Any]:
            return _graphic("graphic_off", template, None, int(controller.graphic_clear(template)))

        return await self._act(request, "graphic_clear", None, clear, template=template)

    async def graphics_clear_all(self, request: web.Request) -> web.Response:
        await self._body(request)
        return await self._act(
            request, "graphics_clear_all", None, lambda c: _graphic("graphics_off", None, None, c.graphics_clear_all())
        )

    async def close(self, app: web.Application) -> None:
        self.executor.shutdown(wait=True)


def _confirm(body: Mapping[str, Any]) -> bool:
    """The take's ``confirm``: take it even if its feed is down (the slate stands in until its picture)."""
    confirm = body.get("confirm", False)
    if not isinstance(confirm, bool):
        raise ApiError(400, "bad_field", field="confirm")
    return confirm


def published_feed_check(controller: Controller) -> Callable[[Segment], bool | None]:
    """Is a segment's feed up, as the show process last published it (its OBS health: the on-air
    and the cued feed's verdicts)? None when it did not say, or said it too long ago."""

    def check(segment: Segment) -> bool | None:
        health = read_health(controller.store.db).get("obs")
        if health is None or health.age(controller.clock()) > STALE_AFTER.total_seconds():
            return None
        for watched in (health.detail.get("feed") or {}, health.detail.get("cued") or {}):
            if watched.get("segment_id") == segment.id and watched.get("verdict") in ("alive", "dead"):
                return bool(watched["verdict"] == "alive")
        return None

    return check


def _done(action: str, segment_id: str) -> dict[str, Any]:
    """The result of a segment action (``ActionResult`` without its state)."""
    return {"action": action, "segment_id": segment_id}


def _graphic(action: str, template: str | None, segment_id: str | None, changed: int) -> dict[str, Any]:
    """The result of a graphics action (``GraphicResult`` without its state); nothing changed: not logged."""
    return {"action": action, "template": template, "segment_id": segment_id, "changed": changed, "logged": changed > 0}


def make_api(
    controller: Controller, tokens: Mapping[str, str], zone: tzinfo, *, max_body: int = MAX_BODY
) -> web.Application:
    """The control API as an aiohttp application acting as ``controller.operator`` (signed in by
    ``studio serve``); ``tokens`` maps a name (the origin logged) to its token."""
    api = ControlApi(controller, tokens, zone, max_body=max_body)
    app = web.Application(middlewares=[api.errors, api.guard], client_max_size=max_body)
    app.router.add_get("/state", api.get_state, allow_head=False)
    app.router.add_get("/openapi.json", api.get_document, allow_head=False)
    app.router.add_post("/take/next", api.take_next)
    app.router.add_post("/take/{segment_id}", api.take)
    app.router.add_post("/hold/{segment_id}", api.hold)
    app.router.add_post("/skip/{segment_id}", api.skip)
    app.router.add_post("/graphics/take/{index:[0-9]{1,9}}", api.graphic_take)
    app.router.add_post("/graphics/clear", api.graphics_clear_all)
    app.router.add_post("/graphics/clear/{template}", api.graphic_clear)
    app.on_cleanup.append(api.close)
    return app
