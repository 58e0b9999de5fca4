"""``studio intake``: observers send reports over HTTP (tokens: studio/desk/observers.py).

Protocol: ``POST /reports`` with a JSON object (``ReportBody`` in
studio/desk/report_body.py: ``region``, ``kind``, ``text``, ``station``?,
``attachments``?, ``channel``?) and ``Authorization: Bearer <token>``; the
observers' phone form (``GET /r/<link>``, studio/web/form.py) sends through
the same ``accept``;
``GET /openapi.json`` (no token) is the document, generated from that model.
The observer written on the report is the token's owner, never the body (a
body naming an observer is refused). The received time is the server's. The
values are held to the importer's own rules, so a file and an HTTP send obey
one set of rules; the one difference is that a refused send is answered, not
quarantined.

Answers: ``201 {"id", "group", "observer", "received_at"}`` only after the
report is committed; ``202 {"held", "observer", "received_at", "region", "why",
"suggestions"}`` (``ReportHeld``) when its region could not be placed with
certainty (studio/desk/gazetteer.py): it is committed too, held in the desk's
"needs a region" queue until a person names its unit, never guessed. ``Idempotency-Key`` (recommended; scoped to the
token's owner): the same key with the same body replays the first 201
(header ``Idempotent-Replayed: true``) and adds nothing; with another body,
409. Errors are studio's ``{"error", "message"}`` (studio/web/http.py): 400 (not JSON,
not an object, a bad key), 401 (token missing, wrong or revoked), 413 (over
``[intake] max_body``), 415, 422 (``invalid_report``: the body's fields are
wrong; ``problems`` lists every one, each as ``{"field", "code",
"message"}``), 429 (over the token's rate; ``Retry-After`` in seconds), 503
(the store is busy: retry with the same key). ``GET /health`` needs no token.

Writes run on one thread with the one store connection. Reports that arrive
together are written in one transaction (group commit, ``write_sends``):
each still gets its own answer, and only once that transaction is committed.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from aiohttp import web

from studio.config import Intake
from studio.desk.grouping import GroupingOptions
from studio.desk.report_body import ReportRefused, Send, make_send, write_sends
from studio.i18n import Catalogue
from studio.language import diagnostics_language
from studio.machine import utc_now
from studio.store.desk import DeskStore
from studio.store.observers import link_table, list_observers, token_hash, token_table
from studio.web.commands import serve_site
from studio.web.form import add_form
from studio.web.http import ApiError, accepted_language, bearer_token, json_errors, json_response, read_json
from studio.web.models import KEY_PATTERN, ReportProblem, ReportRefusal, StoreHealth
from studio.web.openapi import intake_document

log = logging.getLogger("studio.desk.intake")

MAX_BODY = 64 * 1024
MAX_PHOTO = Intake.model_fields["max_photo"].default
"""The largest photo the phone form takes unless told (``[intake] max_photo``)."""
MAX_GROUP = 512
"""Reports written in one transaction at most."""
RELOAD_SECONDS = 1.0
"""The token table is reread when a request comes this long after the last read: a new observer works, and a
revoked one is refused (401, before its body is read), within a second."""

_KEY = re.compile(KEY_PATTERN)


class TokenBuckets:
    """A token bucket per observer: ``rate`` per second, at most ``burst`` at once."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self.buckets: dict[str, tuple[float, float]] = {}

    def take(self, name: str) -> float:
        """0 when ``name`` may send now (one token taken), else the seconds to wait."""
        now = self.clock()
        tokens, last = self.buckets.get(name, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self.buckets[name] = (tokens - 1.0, now)
            return 0.0
        self.buckets[name] = (tokens, now)
        return (1.0 - tokens) / self.rate


_GROUPING = GroupingOptions()


def _refusal(request: web.Request, refused: ReportRefused) -> web.Response:
    """422 with every problem of the body, in the caller's language."""
    language = accepted_language(request)
    problems = [
        ReportProblem(field=p.field, code=p.code, message=p.message.render(language)) for p in refused.problems
    ]
    message = Catalogue(language).t("intake.error.refused", problems="; ".join(p.message for p in problems))
    body = ReportRefusal(error="invalid_report", message=message, problems=problems)
    return json_response(body.model_dump(), status=422)


class IntakeServer:
    """The handlers, the token cache, the rate limits and the one writer."""

    def __init__(
        self,
        store: DeskStore,
        *,
        max_body: int = MAX_BODY,
        rate: float = 1.0,
        burst: int = 20,
        grouping: GroupingOptions = _GROUPING,
        now: Callable[[], datetime] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store, self.max_body, self.grouping, self.now, self.monotonic = store, max_body, grouping, now, monotonic
        self.document = intake_document(max_body=max_body, rate=rate, burst=burst)
        self.buckets = TokenBuckets(rate, burst)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="intake-store")
        self.tokens: dict[str, tuple[str, bool]] = token_table(store.db)
        self.links: dict[str, tuple[str, str, bool]] = link_table(store.db)  # the phone form's (studio/web/form.py)
        self.loaded = monotonic()
        self.pending: list[tuple[Send, asyncio.Future[Any]]] = []
        self.wake: asyncio.Event | None = None
        self.writer: asyncio.Task[None] | None = None

    # --- tokens ----------------------------------------------------------------

    async def refresh(self) -> None:
        """Reread the tokens and the form links when the last read is RELOAD_SECONDS old."""
        if self.monotonic() - self.loaded >= RELOAD_SECONDS:
            self.loaded = self.monotonic()  # before the await: the requests meanwhile use the tables they have
            self.tokens, self.links = await self._call(lambda: (token_table(self.store.db), link_table(self.store.db)))

    async def _observer(self, request: web.Request) -> tuple[str, str]:
        """(observer, token hash) of the request's bearer token, or 401."""
        hashed = token_hash(bearer_token(request))
        await self.refresh()
        entry = self.tokens.get(hashed)
        if entry is None:
            raise ApiError(401, "token_wrong")
        if not entry[1]:
            raise ApiError(401, "token_revoked", "intake.error.token_revoked")
        return entry[0], hashed

    # --- the writer ------------------------------------------------------------

    async def _call(self, function: Callable[[], Any]) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, function)

    async def start(self, app: web.Application) -> None:
        self.wake = asyncio.Event()
        self.writer = asyncio.create_task(self._write_loop(), name="intake-writer")

    async def close(self, app: web.Application) -> None:
        if self.writer is not None:
            self.writer.cancel()
            try:
                await self.writer
            except asyncio.CancelledError:
                pass
        for _, future in self.pending:
            if not future.done():
                future.set_exception(ApiError(503, "unavailable", "intake.error.unavailable", seconds=1))
        self.executor.shutdown(wait=True)

    async def _submit(self, item: Send) -> tuple[str, Any] | None:
        assert self.wake is not None, "the intake app is not started"
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.pending.append((item, future))
        self.wake.set()
        return await future

    async def _write_loop(self) -> None:
        assert self.wake is not None
        while True:
            await self.wake.wait()
            self.wake.clear()
            while self.pending:
                group, self.pending = self.pending[:MAX_GROUP], self.pending[MAX_GROUP:]
                try:
                    items = [item for item, _ in group]
                    results = await self._call(
                        lambda items=items: write_sends(self.store, items, at=self.now(), grouping=self.grouping)
                    )
                except sqlite3.Error as error:
                    log.warning("cannot write %d reports: %s", len(group), error)
                    results = [None] * len(group)
                except Exception:
                    log.exception("cannot write %d reports", len(group))
                    results = [None] * len(group)
                for (_, future), result in zip(group, results):
                    if not future.done():
                        future.set_result(result)

    # --- routes ----------------------------------------------------------------

    async def post_report(self, request: web.Request) -> web.Response:
        observer, hashed = await self._observer(request)
        return await self.accept(request, observer, hashed)

    async def accept(
        self, request: web.Request, observer: str, hashed: str, channel: str | None = None
    ) -> web.Response:
        """A report body from ``observer`` (token hash ``hashed``), checked and stored as every channel's is;
        ``channel`` set: the channel written, whatever the body says (the phone form's)."""
        wait = self.buckets.take(observer)
        if wait:
            raise ApiError(429, "rate_limited", "intake.error.rate_limited", seconds=max(1, math.ceil(wait)))
        key = request.headers.get("Idempotency-Key")
        if key is not None and not _KEY.match(key):
            raise ApiError(400, "bad_key", "intake.error.bad_key")
        if request.content_length is not None and request.content_length > self.max_body:
            raise ApiError(413, "too_large", limit=self.max_body)
        body = await read_json(request)
        if channel is not None:
            body["channel"] = channel
        try:
            send = make_send(body, observer, self.now(), key=key, token=hashed)
        except ReportRefused as refused:
            return _refusal(request, refused)
        outcome = await self._submit(send)
        if outcome is None:
            raise ApiError(503, "unavailable", "intake.error.unavailable", seconds=1)
        kind = outcome[0]
        if kind == "revoked":
            self.tokens[hashed] = (observer, False)
            raise ApiError(401, "token_revoked", "intake.error.token_revoked")
        if kind == "conflict":
            raise ApiError(409, "key_reused", "intake.error.key_reused", given=key)
        headers = {"Idempotent-Replayed": "true"} if kind in ("replay", "held_replay") else None
        return json_response(outcome[1], status=202 if kind.startswith("held") else 201, headers=headers)

    async def openapi(self, request: web.Request) -> web.Response:
        return json_response(self.document)

    async def health(self, request: web.Request) -> web.Response:
        try:
            await self._call(lambda: self.store.db.execute("SELECT 1").fetchone())
        except sqlite3.Error:
            return json_response(StoreHealth(status="store_unavailable").model_dump(), status=503)
        return json_response(StoreHealth(status="ok").model_dump())


def make_intake(
    store: DeskStore,
    *,
    max_body: int = MAX_BODY,
    rate: float = 1.0,
    burst: int = 20,
    max_photo: int = MAX_PHOTO,
    **options: Any,
) -> web.Application:
    """The intake as an aiohttp application on ``store`` (which it then owns the writing of), with the
    observers' phone form (studio/web/form.py) under ``/r/``."""
    server = IntakeServer(store, max_body=max_body, rate=rate, burst=burst, **options)
    errors = json_errors(max_body=max_body, not_found="intake.error.not_found")
    app = web.Application(middlewares=[errors], client_max_size=max_body)
    app.router.add_post("/reports", server.post_report)
    app.router.add_get("/health", server.health, allow_head=False)
    app.router.add_get("/openapi.json", server.openapi, allow_head=False)
    add_form(app, server, store.files, max_photo=max_photo)
    app.on_startup.append(server.start)
    app.on_cleanup.append(server.close)
    return app


# --- the command (wired in studio/commands/desk.py) --------------------------------------------


def intake_command(args: Any, config: Any, desk: DeskStore) -> int:
    """``studio intake [--host H] [--port N]``: serve until interrupted."""
    settings = config.intake
    host, port = args.host or settings.host, args.port or settings.port
    app = make_intake(
        desk, max_body=settings.max_body, rate=settings.rate, burst=settings.burst, max_photo=settings.max_photo
    )
    active = sum(1 for t in list_observers(desk.db) if t.active)
    serve_site(app, host, port, "intake", diagnostics_language(args), observers=active)
    return 0
