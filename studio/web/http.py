"""What every HTTP edge of studio shares: one error body, one error middleware, JSON in and out.

The control API (``studio serve``), the observers' intake (``studio intake``)
and the browser prompter (``studio prompter --web``) answer every failure the
same way: ``{"error": code, "message": text}`` (the ``Error`` model in
studio/web/models.py), the message from the catalogue in the caller's
language, never a traceback and never a secret. Any ``StudioError`` raised
from a handler is answered with the status of its kind (studio/errors.py);
``ApiError`` is the family's member for what only HTTP says (a token, a
media type, a rate...). ``json_errors`` turns those, aiohttp's own 404/405/413
and anything unexpected (500, logged) into that body.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web

from studio.errors import Kind, StudioError
from studio.i18n import FALLBACK, LANGUAGES, Msg

log = logging.getLogger("studio.web")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Middleware = Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]


_KIND_OF_STATUS: dict[int, Kind] = {
    401: Kind.REFUSED, 404: Kind.NOT_FOUND, 405: Kind.NOT_FOUND, 409: Kind.CONFLICT, 429: Kind.UNAVAILABLE,
    500: Kind.INTERNAL, 503: Kind.UNAVAILABLE,
}
"""The kind of a status an ApiError answers with; any other 4xx (400, 413, 415...) is bad input."""


class ApiError(StudioError):
    """An answer other than 2xx: ``code`` names ``api.error.<code>`` unless ``key`` names another message.

    ``status`` is the answer's, HTTP-only ones included (401, 405, 413, 415, 429); ``headers`` go out with
    it; 401 adds ``WWW-Authenticate: Bearer`` and a ``seconds`` parameter on 429 or 503 adds ``Retry-After``.
    """

    def __init__(
        self, status: int, code: str, key: str | None = None, *, headers: Mapping[str, str] | None = None, **params: Any
    ) -> None:
        kind = _KIND_OF_STATUS.get(status, Kind.BAD_INPUT)
        super().__init__(Msg(key or f"api.error.{code}", **params), kind=kind, code=code)
        self.status = status
        self.headers = dict(headers or {})
        if status == 401:
            self.headers["WWW-Authenticate"] = "Bearer"
        if status in (429, 503) and "seconds" in params:
            self.headers["Retry-After"] = str(params["seconds"])

    @property
    def http_status(self) -> int:
        return self.status


def dumps(value: Any) -> str:
    """JSON with the Kazakh and Russian letters as they are."""
    return json.dumps(value, ensure_ascii=False)


def json_response(value: Any, *, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    return web.json_response(value, status=status, headers=headers, dumps=dumps)


def accepted_language(request: web.Request) -> str:
    """The caller's first Accept-Language that studio speaks; English otherwise."""
    for part in request.headers.get("Accept-Language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return FALLBACK


def error_response(error: StudioError, language: str) -> web.Response:
    """The ``Error`` body of any error of the family, with its status (an ApiError's own, else its kind's)."""
    headers = (error.headers or None) if isinstance(error, ApiError) else None
    return json_response({"error": error.code, "message": error.render(language)}, status=error.http_status,
                         headers=headers)


def json_errors(
    *,
    max_body: int,
    not_found: str = "api.error.not_found",
    not_allowed: str = "api.error.method_not_allowed",
    language: Callable[[web.Request], str] = accepted_language,
) -> Middleware:
    """The middleware that makes every failure an ``Error`` body. ``not_found`` and ``not_allowed``
    are the messages of an unknown route and method (they say where to look on this server)."""

    def from_aiohttp(request: web.Request, error: web.HTTPException) -> ApiError:
        where = {"method": request.method, "path": request.path}
        if error.status == 404:
            return ApiError(404, "not_found", not_found, **where)
        if error.status == 405:
            allow = {"Allow": error.headers["Allow"]} if "Allow" in error.headers else None
            return ApiError(405, "method_not_allowed", not_allowed, headers=allow, **where)
        if error.status == 413:
            return ApiError(413, "too_large", limit=max_body)
        return ApiError(error.status, "bad_request", "api.error.bad_json")

    @web.middleware
    async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except StudioError as error:
            return error_response(error, language(request))
        except web.HTTPException as error:
            if error.status < 400:
                raise
            return error_response(from_aiohttp(request, error), language(request))
        except Exception:
            resource = request.match_info.route.resource  # the route, not the path: a path can hold a secret
            log.exception("unexpected error in %s %s", request.method, resource.canonical if resource else "?")
            return error_response(ApiError(500, "internal"), language(request))

    return errors


def bearer_token(request: web.Request) -> str:
    """The request's bearer token, or 401 ``token_missing``."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise ApiError(401, "token_missing")
    return credentials.strip()


def json_object(raw: bytes) -> dict[str, Any]:
    """A request body as a JSON object; refused with where it breaks (line, column), never a traceback."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except json.JSONDecodeError as error:
        raise ApiError(400, "bad_json", "api.error.bad_json_at", line=error.lineno, column=error.colno) from None
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "bad_json") from None
    except RecursionError:  # "[[[[..." past the decoder's recursion: no body of studio's is nested like that
        raise ApiError(400, "bad_json", "api.error.too_deep") from None
    if not isinstance(body, dict):
        raise ApiError(400, "not_an_object")
    return body


async def read_json(request: web.Request, *, optional: bool = False) -> dict[str, Any]:
    """The body as a JSON object (415 unless it is ``application/json``); ``optional``: an empty body is ``{}``."""
    raw = await request.read()  # over client_max_size: 413 from aiohttp, answered as JSON by json_errors
    if optional and not raw.strip():
        return {}
    if request.content_type != "application/json":
        raise ApiError(415, "bad_media_type")
    return json_object(raw)
