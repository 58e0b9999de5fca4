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
``Controller.refresh()`` sees the commit through the store's change signal
(``PRAGMA data_version`` on SQLite, LISTEN/NOTIFY on PostgreSQL) within a
fraction of a second and makes its switcher follow the new on-air segment;
the prompters follow the same way.

Graphics go the same way: this process has the renderer (and with it the
desk's fact gate), so ``POST /graphics/take/{index}`` renders the armed
graphic and records it in the store; the show process's ``refresh()`` sees
the graphics change and shows them in OBS. ``GET /state`` also carries the
health snapshots the show process publishes (studio/store/health.py).

Protocol: JSON in and out, in the shapes of studio/web/models.py (bodies
are checked with those models, answers built from them). Errors are
``{"error": code, "message": text}`` (studio/web/http.py) with 400
(malformed body), 401 (missing or wrong bearer token), 404 (no such route,
segment or template name), 405, 409 (the controller refused:
``ControlError``), 413 (body over ``max_body``), 415 (a body that is not
JSON); any other ``StudioError`` with its kind's status. A refusal is written to the event log as action ``refused``, and a
graphics clear with nothing to clear as ``unchanged``, so the log shows
every action call, done or not. Messages come from the catalogue, in the
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
from concurrent.futures import ThreadPoolExecutor
from datetime import tzinfo
from typing import Any, Callable, Mapping, NamedTuple, TypeVar

from aiohttp import web
from pydantic import BaseModel, TypeAdapter, ValidationError

from studio.i18n import Catalogue
from studio.rundown.model import Segment
from studio.show import ControlError, Controller
from studio.store.health import read as read_health
from studio.web.http import ApiError, accepted_language, bearer_token, json_errors, json_response, read_json
from studio.web.models import (
    ActionResult,
    Closed,
    GraphicResult,
    NoBody,
    SegmentId,
    State,
    TakeBody,
    TakeNextBody,
    TemplateName,
)
from studio.web.openapi import document
from studio.web.state import state

MAX_BODY = 16 * 1024
"""Bytes a request body may have; the largest real one is ~60."""

_SEGMENT_ID = TypeAdapter(SegmentId)
_TEMPLATE = TypeAdapter(TemplateName)
Body = TypeVar("Body", bound=Closed)
_PUBLIC = {("GET", "/openapi.json")}
ORIGIN = web.RequestKey("origin", str)
"""Where a request came from, by its token's name: the origin written in the event log."""


def token_origin(name: str) -> str:
    return "api" if name == "api" else f"api:{name}"


def _valid(adapter: TypeAdapter[str], value: str) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


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

    # --- middleware ----------------------------------------------------------

    @web.middleware
    async def guard(self, request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
        """The bearer token first (the origin: its name), then the size of the body."""
        if (request.method, request.path) not in _PUBLIC:
            request[ORIGIN] = token_origin(self._token_name(request))
        if request.content_length is not None and request.content_length > self.max_body:
            raise ApiError(413, "too_large", limit=self.max_body)
        return await handler(request)

    def _token_name(self, request: web.Request) -> str:
        given = bearer_token(request).encode()
        name = None
        for candidate, token in self.tokens:  # look at every token: the time taken says nothing
            if hmac.compare_digest(given, token) and name is None:
                name = candidate
        if name is None:
            raise ApiError(401, "token_wrong")
        return name

    # --- bodies --------------------------------------------------------------

    @staticmethod
    async def _body(request: web.Request, model: type[Body] = NoBody) -> Body:
        """The body (none, or ``{}``, is every field left out) checked against ``model``."""
        body = await read_json(request, optional=True)
        fields = tuple(model.model_fields)
        for key in body:
            if key not in fields:
                raise ApiError(400, "unknown_field", field=str(key)[:64], allowed=", ".join(fields) or "—")
        try:
            return model.model_validate(body)
        except ValidationError as error:
            raise ApiError(400, "bad_field", field=str(error.errors()[0]["loc"][0])) from None

    # --- calling the controller ------------------------------------------------

    async def _act(
        self,
        request: web.Request,
        name: str,
        segment_id: str | None,
        call: Callable[[Controller], Done],
        **detail: Any,
    ) -> web.Response:
        """Run ``call`` on the worker thread; what it did is answered with the new state."""
        origin = request[ORIGIN]
        loop = asyncio.get_running_loop()
        # A ControlError is a StudioError: json_errors answers it by its kind (409 a refusal, 404 no such segment).
        result = await loop.run_in_executor(
            self.executor, self._run, origin, name, segment_id, call, accepted_language(request), detail
        )
        return _json(result)

    def _run(
        self,
        origin: str,
        name: str,
        segment_id: str | None,
        call: Callable[[Controller], Done],
        language: str,
        detail: dict[str, Any],
    ) -> BaseModel:
        """On the API's one worker thread: calls never overlap, so the origin can be set per call."""
        controller = self.controller
        controller.origin = origin
        try:
            done = call(controller)
        except ControlError as error:
            self._log("refused", segment_id, request=name, code=error.code, **detail)
            raise
        if not done.logged:  # the controller changed nothing and logged nothing
            self._log("unchanged", segment_id, request=name, **detail)
        return done.answer(**done.fields, state=self._snapshot(language))

    def _log(self, action: str, segment_id: str | None, **detail: Any) -> None:
        """An API call the controller did not log itself: refused, or with nothing to change."""
        controller = self.controller
        with controller.store.write():
            controller.store.log(
                controller.show_id, controller.clock(), action, controller.operator, controller.origin, segment_id,
                **detail,
            )

    def _snapshot(self, language: str) -> State:
        """The state, with the health the show process published (one small SQLite read)."""
        health = read_health(self.controller.store.db)
        return state(self.controller.view(), self.zone, health, Catalogue(language))

    def _state(self, language: str) -> State:
        self.controller.refresh()  # another process may have taken since the last call
        return self._snapshot(language)

    @staticmethod
    def _segment(request: web.Request) -> str:
        segment_id = request.match_info["segment_id"]
        if not _valid(_SEGMENT_ID, segment_id):
            raise ApiError(404, "unknown_segment", "error.unknown_segment", segment=segment_id[:64])
        return segment_id

    @staticmethod
    def _template(request: web.Request) -> str:
        template = request.match_info["template"]
        if not _valid(_TEMPLATE, template):
            raise ApiError(404, "unknown_template", template=template[:64])
        return template

    # --- routes -------------------------------------------------------------

    async def get_state(self, request: web.Request) -> web.Response:
        language = accepted_language(request)
        return _json(await asyncio.get_running_loop().run_in_executor(self.executor, self._state, language))

    async def get_document(self, request: web.Request) -> web.Response:
        return json_response(self.document)

    async def take_next(self, request: web.Request) -> web.Response:
        body = await self._body(request, TakeNextBody)
        check = "expect_on_air" in body.model_fields_set
        expect, confirm = body.expect_on_air, body.confirm
        return await self._act(
            request, "take_next", None, lambda c: _done("take", c.take_next(expect, check=check, confirm=confirm).id)
        )

    async def take(self, request: web.Request) -> web.Response:
        segment_id = self._segment(request)
        confirm = (await self._body(request, TakeBody)).confirm
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

        def take(controller: Controller) -> Done:
            graphic = controller.graphic_take(index)
            return _graphic("graphic_on", graphic.template, graphic.segment_id, 1)

        return await self._act(request, "graphic_take", None, take, index=index)

    async def graphic_clear(self, request: web.Request) -> web.Response:
        template = self._template(request)
        await self._body(request)

        def clear(controller: Controller) -> Done:
            return _graphic("graphic_off", template, None, int(controller.graphic_clear(template)))

        return await self._act(request, "graphic_clear", None, clear, template=template)

    async def graphics_clear_all(self, request: web.Request) -> web.Response:
        await self._body(request)
        return await self._act(
            request, "graphics_clear_all", None, lambda c: _graphic("graphics_off", None, None, c.graphics_clear_all())
        )

    async def close(self, app: web.Application) -> None:
        self.executor.shutdown(wait=True)


class Done(NamedTuple):
    """What a call did: its answer's model and fields but the state; ``logged``: by the controller."""

    answer: type[ActionResult] | type[GraphicResult]
    fields: dict[str, Any]
    logged: bool = True


def published_feed_check(controller: Controller) -> Callable[[Segment], bool | None]:
    """Is a segment's feed up, as the show process last published it (its OBS health: the on-air
    and the cued feed's verdicts)? None when it did not say, or said it too long ago."""

    def check(segment: Segment) -> bool | None:
        health = read_health(controller.store.db).get("obs")
        if health is None or health.stale(controller.clock()):
            return None
        for watched in (health.detail.get("feed") or {}, health.detail.get("cued") or {}):
            if watched.get("segment_id") == segment.id and watched.get("verdict") in ("alive", "dead"):
                return bool(watched["verdict"] == "alive")
        return None

    return check


def _done(action: str, segment_id: str) -> Done:
    """A segment action done."""
    return Done(ActionResult, {"action": action, "segment_id": segment_id})


def _graphic(action: str, template: str | None, segment_id: str | None, changed: int) -> Done:
    """A graphics action; nothing changed: the controller logged nothing."""
    fields = {"action": action, "template": template, "segment_id": segment_id, "changed": changed}
    return Done(GraphicResult, fields, logged=changed > 0)


def _json(model: BaseModel) -> web.Response:
    return json_response(model.model_dump(mode="json"))


def make_api(
    controller: Controller, tokens: Mapping[str, str], zone: tzinfo, *, max_body: int = MAX_BODY
) -> web.Application:
    """The control API as an aiohttp application acting as ``controller.operator`` (signed in by
    ``studio serve``); ``tokens`` maps a name (the origin logged) to its token."""
    api = ControlApi(controller, tokens, zone, max_body=max_body)
    app = web.Application(middlewares=[json_errors(max_body=max_body), api.guard], client_max_size=max_body)
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
