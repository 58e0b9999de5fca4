"""``studio intake``: observers send reports over HTTP (tokens: studio/desk/observers.py).

Protocol: ``POST /reports`` with a JSON object ``{"region", "kind", "text",
"station"?, "attachments"?, "channel"?}`` and ``Authorization: Bearer
<token>``. The observer written on the report is the token's owner, never
the body (a body naming an observer is refused). The received time is the
server's. Each field is checked by the importer's own row rules
(``importer._row_parser``), so a file and an HTTP send are held to the same
rules; the one difference is that a refused send is answered, not
quarantined.

Answers: ``201 {"id", "group", "observer", "received_at"}`` only after the
report is committed. ``Idempotency-Key`` (recommended; scoped to the
token's owner): the same key with the same body replays the first 201
(header ``Idempotent-Replayed: true``) and adds nothing; with another body,
409. Errors are the control API's ``{"error", "message"}``: 400 (not JSON,
not an object, a field of the wrong type, an unknown field, a bad key), 401
(token missing, wrong or revoked), 413 (over ``[intake] max_body``), 415,
422 (the import rules refuse the report: unknown region, ...), 429 (over the
token's rate; ``Retry-After`` in seconds), 503 (the store is busy: retry
with the same key). ``GET /health`` needs no token.

Writes run on one thread with the one store connection. Reports that arrive
together are written in one transaction (group commit): each still gets its
own answer, and only once that transaction is committed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from aiohttp import web

from studio.desk.grouping import GroupingOptions
from studio.desk.importer import (  # the import's row rules, shared on purpose
    FIELDS,
    _Bad,
    _row_parser,
)
from studio.desk.mapping import Mapping
from studio.desk.outcome import digest, utc_now
from studio.store.desk import DeskStore, utc_text
from studio.store.observers import list_observers, token_hash, token_owner, token_table
from studio.web.api import ApiError, _error_response
from studio.web.commands import is_loopback

log = logging.getLogger("studio.desk.intake")

MAX_BODY = 64 * 1024
CHANNEL = "http"
BATCH_FILE = "intake: POST /reports"
"""The import_batch file of reports sent over HTTP (one batch per committed group)."""
MAX_GROUP = 512
"""Reports written in one transaction at most."""
RELOAD_SECONDS = 1.0
"""An unknown token reloads the token table at most this often (a new observer works within a second)."""

_OPTIONAL = object()
_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "region": ((str,), "a region id or name (text)"),
    "kind": ((str,), "turnout, violation, incident, queue or other (text)"),
    "text": ((str,), "text"),
    "station": ((int, str, type(None)), "a polling station number or null"),
    "attachments": ((list, type(None)), "a list of paths (text) or null"),
    "channel": ((str,), "text such as app or bot"),
}
_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


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
_PARSE = _row_parser(Mapping(channel=CHANNEL))


def check_report(body: Any, observer: str, received: datetime) -> tuple[Any, ...]:
    """The row for DeskStore.add_reports, or ApiError: 400 for the wrong shape,
    422 when the import rules refuse it (with their reason and hint)."""
    if not isinstance(body, dict):
        raise ApiError(400, "not_an_object")
    if "observer" in body:
        raise ApiError(400, "observer_in_body", "intake.error.observer_in_body")
    for name, value in body.items():
        if name not in _TYPES:
            raise ApiError(400, "unknown_field", field=str(name)[:64], allowed=", ".join(_TYPES))
        types, expected = _TYPES[name]
        if not isinstance(value, types) or isinstance(value, bool):
            raise ApiError(400, "bad_type", "intake.error.bad_type", field=name, expected=expected)
    station = body.get("station")
    if isinstance(station, int) and station < 1:
        raise ApiError(400, "bad_type", "intake.error.bad_type", field="station", expected=_TYPES["station"][1])
    attachments = body.get("attachments")
    if attachments is not None and not all(isinstance(path, str) for path in attachments):
        raise ApiError(400, "bad_type", "intake.error.bad_type", field="attachments", expected=_TYPES["attachments"][1])
    values = dict.fromkeys(FIELDS)
    values |= {
        "observer": observer,
        "channel": body.get("channel"),
        "received_at": utc_text(received),
        "region": body.get("region"),
        "station": None if station is None else str(station),
        "kind": body.get("kind"),
        "text": body.get("text"),
        "attachments": None if attachments is None else json.dumps(attachments, ensure_ascii=False),
    }
    try:
        _, _, row = _PARSE(tuple(values[name] for name in FIELDS), 0)
    except _Bad as bad:
        raise ApiError(422, "invalid_report", "intake.error.invalid", reason=bad.reason, hint=bad.hint) from None
    return row


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
    ) -> None:
        self.store, self.max_body, self.grouping, self.now = store, max_body, grouping, now
        self.buckets = TokenBuckets(rate, burst)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="intake-store")
        self.tokens: dict[str, tuple[str, bool]] = token_table(store.db)
        self.loaded = time.monotonic()
        self.pending: list[tuple[tuple[Any, ...], asyncio.Future[Any]]] = []
        self.wake: asyncio.Event | None = None
        self.writer: asyncio.Task[None] | None = None

    # --- middleware ------------------------------------------------------------

    @web.middleware
    async def errors(self, request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
        try:
            return await handler(request)
        except ApiError as error:
            headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
            if error.status in (429, 503):
                headers = {"Retry-After": str(error.params.get("seconds", 1))}
            return _error_response(request, error, headers)
        except web.HTTPException as error:
            if error.status < 400:
                raise
            params = {"method": request.method, "path": request.path}
            if error.status == 404:
                return _error_response(request, ApiError(404, "not_found", "intake.error.not_found", **params))
            if error.status == 405:
                allow = {"Allow": error.headers["Allow"]} if "Allow" in error.headers else None
                return _error_response(request, ApiError(405, "method_not_allowed", **params), allow)
            if error.status == 413:
                return _error_response(request, ApiError(413, "too_large", limit=self.max_body))
            return _error_response(request, ApiError(400, "bad_request", "api.error.bad_json"))
        except Exception:
            log.exception("unexpected error in %s %s", request.method, request.path)
            return _error_response(request, ApiError(500, "internal"))

    # --- tokens ----------------------------------------------------------------

    async def _observer(self, request: web.Request) -> tuple[str, str]:
        """(observer, token hash) of the request's bearer token, or 401."""
        scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            raise ApiError(401, "token_missing")
        hashed = token_hash(credentials.strip())
        entry = self.tokens.get(hashed)
        if entry is None and time.monotonic() - self.loaded >= RELOAD_SECONDS:
            self.loaded = time.monotonic()
            self.tokens = await self._call(lambda: token_table(self.store.db))
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

    async def _submit(self, item: tuple[Any, ...]) -> tuple[Any, ...]:
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
                    results = await self._call(lambda items=items: self._write(items))
                except sqlite3.Error as error:
                    log.warning("cannot write %d reports: %s", len(group), error)
                    results = [None] * len(group)
                except Exception:
                    log.exception("cannot write %d reports", len(group))
                    results = [None] * len(group)
                for (_, future), result in zip(group, results):
                    if not future.done():
                        future.set_result(result)

    def _write(self, items: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """On the store thread: one transaction for ``items`` (token hash, scoped key
        or None, body digest, row); an outcome for each, in order."""
        store, db = self.store, self.store.db
        outcomes: list[tuple[Any, ...]] = []
        with store.write():
            owners = {hashed: token_owner(db, hashed) for hashed in {item[0] for item in items}}
            known = store.known_keys(sorted({item[1] for item in items if item[1] is not None}))
            fresh: list[int] = []
            claimed: dict[str, int] = {}  # key -> the item that takes it in this transaction
            for n, (hashed, key, fingerprint, _) in enumerate(items):
                owner = owners[hashed]
                if owner is None or not owner[1]:  # revoked since the cache was read: the store decides
                    outcomes.append(("revoked", hashed))
                elif key is not None and key in known:
                    same = known[key][2] == fingerprint
                    outcomes.append(("replay", known[key][1]) if same else ("conflict",))
                elif key is not None and key in claimed:
                    same = items[claimed[key]][2] == fingerprint
                    outcomes.append(("replay", -claimed[key] - 1) if same else ("conflict",))
                else:
                    if key is not None:
                        claimed[key] = n
                    fresh.append(n)
                    outcomes.append(("created", -n - 1))
            ids: dict[int, int] = {}
            if fresh:
                batch = store.begin_batch("reports", BATCH_FILE, by="intake", at=self.now())
                added = store.add_reports([items[n][3] for n in fresh], batch=batch, grouping=self.grouping)
                ids = dict(zip(fresh, added.ids))
                store.add_keys(sorted((items[n][1], "report", ids[n], items[n][2]) for n in fresh if items[n][1]))
            # A negative id stands for "the report item -id-1 of this transaction".
            outcomes = [
                (kind, ids[-ref - 1] if ref < 0 else ref) if kind in ("created", "replay") else (kind, ref)
                for kind, *rest in outcomes
                for ref in (rest[0] if rest else None,)
            ]
            answers = _answers(db, [ref for kind, ref in outcomes if kind in ("created", "replay")])
        return [(kind, answers[ref]) if kind in ("created", "replay") else (kind, ref) for kind, ref in outcomes]

    # --- routes ----------------------------------------------------------------

    async def post_report(self, request: web.Request) -> web.Response:
        observer, hashed = await self._observer(request)
        wait = self.buckets.take(observer)
        if wait:
            raise ApiError(429, "rate_limited", "intake.error.rate_limited", seconds=max(1, math.ceil(wait)))
        key = request.headers.get("Idempotency-Key")
        if key is not None and not _KEY.match(key):
            raise ApiError(400, "bad_key", "intake.error.bad_key")
        if request.content_length is not None and request.content_length > self.max_body:
            raise ApiError(413, "too_large", limit=self.max_body)
        raw = await request.read()  # over client_max_size: 413 from aiohttp, answered as JSON
        if request.content_type != "application/json":
            raise ApiError(415, "bad_media_type")
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ApiError(400, "bad_json") from None
        row = check_report(body, observer, self.now())
        fingerprint = digest(json.dumps(body, sort_keys=True, ensure_ascii=False))
        scoped = None if key is None else "http:" + digest(f"{observer}\x1f{key}")
        outcome = await self._submit((hashed, scoped, fingerprint, row))
        if outcome is None:
            raise ApiError(503, "unavailable", "intake.error.unavailable", seconds=1)
        kind = outcome[0]
        if kind == "revoked":
            self.tokens[hashed] = (observer, False)
            raise ApiError(401, "token_revoked", "intake.error.token_revoked")
        if kind == "conflict":
            raise ApiError(409, "key_reused", "intake.error.key_reused", given=key)
        headers = {"Idempotent-Replayed": "true"} if kind == "replay" else None
        return web.json_response(outcome[1], status=201, headers=headers, dumps=_dumps)

    async def health(self, request: web.Request) -> web.Response:
        try:
            await self._call(lambda: self.store.db.execute("SELECT 1").fetchone())
        except sqlite3.Error:
            return web.json_response({"status": "store_unavailable"}, status=503)
        return web.json_response({"status": "ok"})


def _answers(db: sqlite3.Connection, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The 201 body of each report: the same for the first answer and every replay."""
    wanted = sorted(set(ids))
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for row in db.execute(
            f"SELECT id, group_id, observer, received_at FROM report WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ):
            found[row[0]] = {"id": row[0], "group": row[1], "observer": row[2], "received_at": row[3]}
    return found


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def make_intake(
    store: DeskStore, *, max_body: int = MAX_BODY, rate: float = 1.0, burst: int = 20, **options: Any
) -> web.Application:
    """The intake as an aiohttp application on ``store`` (which it then owns the writing of)."""
    server = IntakeServer(store, max_body=max_body, rate=rate, burst=burst, **options)
    app = web.Application(middlewares=[server.errors], client_max_size=max_body)
    app.router.add_post("/reports", server.post_report)
    app.router.add_get("/health", server.health, allow_head=False)
    app.on_startup.append(server.start)
    app.on_cleanup.append(server.close)
    return app


# --- the command (wired in studio/cli.py) --------------------------------------------


def intake_command(args: Any, config: Any, desk: DeskStore) -> int:
    """``studio intake [--host H] [--port N]``: serve until interrupted."""
    settings = config.intake
    host, port = args.host or settings.host, args.port or settings.port
    if not is_loopback(host):
        print(f"studio intake: warning: listening on {host}, not loopback: use TLS in front of it", file=sys.stderr)
    app = make_intake(desk, max_body=settings.max_body, rate=settings.rate, burst=settings.burst)
    active = sum(1 for t in list_observers(desk.db) if t.active)
    print(f"studio intake: http://{host}:{port}/reports ({active} observers with tokens)", file=sys.stderr)
    web.run_app(app, host=host, port=port, print=None, handle_signals=True)
    return 0

