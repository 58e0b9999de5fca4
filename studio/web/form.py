"""The observers' phone form, served by ``studio intake`` (issue 20 part 2).

Routes, each under the observer's own form link (studio/store/observers.py ``issue_link``):

- ``GET /r/<link>``: the page (studio/web/form_page.py), in Kazakh or Russian.
  A revoked link is a page that says so (410); an unknown one is the same
  404 page as any other unknown link, so the answer tells nothing about
  which links exist.
- ``POST /r/<link>/photos``: one photo as the raw body (a JPEG, PNG or
  WebP by its content, whatever its Content-Type says, at most ``[intake]
  max_photo`` bytes), stored without its EXIF location unless the query says
  ``location=shared`` (the observer shared it in that report; studio/desk/media.py);
  ``201 {"path"}`` names it for the report's ``attachments``. The same photo
  is the same path.
- ``POST /r/<link>/reports``: the report, exactly as ``POST /reports`` takes
  it (``IntakeServer.accept``: the same checks, Idempotency-Key, rate limit,
  grouping and answers), its channel set to ``form``.

The link is checked against the intake's tables, reread within RELOAD_SECONDS,
so revoking the observer stops the form within a second; a report already in
the writer's queue is refused in the store's transaction all the same. The
link is a secret in a URL: the pages say ``Referrer-Policy: no-referrer``, no
answer repeats it, and nothing here logs a request's path.
"""

from __future__ import annotations

import asyncio
import secrets
from functools import partial
from pathlib import Path

from aiohttp import web

from studio.desk.media import PHOTOS, MediaRefused, keep
from studio.web.form_page import render_form, render_notice
from studio.web.http import ApiError, accepted_language, json_response
from studio.store.observers import token_hash

CHANNEL = "form"
"""The channel of every report the form sends."""
PAGE_LANGUAGES = ("kk", "ru")
"""The form speaks the observers' languages (an English reader gets Russian)."""


def page_language(request: web.Request) -> str:
    """The first of the phone's languages the form speaks; Kazakh when none is."""
    language = accepted_language(request)
    return language if language in PAGE_LANGUAGES else ("ru" if language == "en" else PAGE_LANGUAGES[0])


def _page(text: str, *, status: int = 200, nonce: str) -> web.Response:
    headers = {
        "Content-Security-Policy": (
            f"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; connect-src 'self'; "
            "img-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        ),
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8", headers=headers)


class Form:
    """The form's handlers, on the intake's tables and writer (``server``: studio.web.intake.IntakeServer)."""

    def __init__(self, server, files: Path, *, max_photo: int) -> None:
        self.server, self.files, self.max_photo = server, files, max_photo

    async def _owner(self, request: web.Request) -> tuple[str, str, bool] | None:
        """(observer, token hash, still working) of the request's link, or None for an unknown one."""
        await self.server.refresh()
        entry = self.server.links.get(token_hash(request.match_info["link"]))
        if entry is None:
            return None
        observer, hashed, active = entry
        return observer, hashed, active and self.server.tokens.get(hashed, (observer, False))[1]

    async def _sender(self, request: web.Request) -> tuple[str, str]:
        """(observer, token hash) of a working link, or 404 / 401 as the intake answers for a token."""
        owner = await self._owner(request)
        if owner is None:
            raise ApiError(404, "not_found", "form.error.no_link")
        if not owner[2]:
            raise ApiError(401, "token_revoked", "form.error.link_revoked")
        return owner[0], owner[1]

    async def page(self, request: web.Request) -> web.Response:
        nonce, language = secrets.token_urlsafe(16), page_language(request)
        owner = await self._owner(request)
        if owner is None:
            return _page(render_notice("form.page.not_found", language, nonce), status=404, nonce=nonce)
        if not owner[2]:
            return _page(render_notice("form.page.revoked", language, nonce), status=410, nonce=nonce)
        return _page(render_form(owner[0], language, nonce, max_photo=self.max_photo), nonce=nonce)

    async def report(self, request: web.Request) -> web.Response:
        observer, hashed = await self._sender(request)
        return await self.server.accept(request, observer, hashed, channel=CHANNEL)

    async def photo(self, request: web.Request) -> web.Response:
        await self._sender(request)
        if request.content_length is not None and request.content_length > self.max_photo:
            raise ApiError(413, "too_large", "media.too_large", limit=self.max_photo // (1024 * 1024))
        data = await _read_at_most(request, self.max_photo)
        shared = request.query.get("location") == "shared"
        try:
            # Pillow's work runs beside the store's writer thread, not on it: a photo never delays a report.
            path = await asyncio.get_running_loop().run_in_executor(
                None, partial(keep, data, self.files, max_bytes=self.max_photo, taken=PHOTOS,
                              location_shared=shared)
            )
        except MediaRefused as refused:
            status = 413 if refused.code == "too_large" else 415
            raise ApiError(status, refused.code, refused.message.key, **refused.message.params) from None
        return json_response({"path": path}, status=201)


async def _read_at_most(request: web.Request, limit: int) -> bytes:
    """The body, read in chunks (the intake's own body limit is for JSON); 413 past ``limit`` bytes."""
    chunks, size = [], 0
    async for chunk in request.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "too_large", "media.too_large", limit=limit // (1024 * 1024))
        chunks.append(chunk)
    return b"".join(chunks)


def add_form(app: web.Application, server, files: Path, *, max_photo: int) -> None:
    """The form's routes on the intake's ``app``."""
    form = Form(server, files, max_photo=max_photo)
    app.router.add_get("/r/{link}", form.page, allow_head=False)
    app.router.add_post("/r/{link}/reports", form.report)
    app.router.add_post("/r/{link}/photos", form.photo)
