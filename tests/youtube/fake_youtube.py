"""A fake YouTube Data API v3 (the live-streaming subset) for the real googleapiclient.

Runs an aiohttp server on 127.0.0.1 in its own thread and event loop, so the
adapter under test talks HTTP to it exactly as it would to Google: the same
paths, JSON error bodies, OAuth bearer tokens, token refresh, quota costs and
broadcast lifecycle rules. A stream turns `active` only when something really
publishes to the RTMP ingest: nginx-rtmp's `on_publish` callbacks land here.

Where Google's behaviour is documented it is copied (sources in the report to
the lead); where it is not, the choice is noted beside the code.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple, Self
from urllib.parse import unquote_plus

from aiohttp import web

log = logging.getLogger(__name__)

API = "/youtube/v3/"

# Google's published quota table (determine_quota_cost): every request, even an
# invalid one, costs its method's units; 10,000 units a day by default. Kept apart
# from studio.youtube.quota on purpose: the tests compare studio's ledger with what
# this server charged, which proves nothing if both read one table.
COSTS: dict[str, int] = {
    "liveBroadcasts.list": 1,
    "liveBroadcasts.insert": 50,
    "liveBroadcasts.update": 50,
    "liveBroadcasts.delete": 50,
    "liveBroadcasts.bind": 50,
    "liveBroadcasts.transition": 50,
    "liveStreams.list": 1,
    "liveStreams.insert": 50,
    "liveStreams.update": 50,
    "liveStreams.delete": 50,
    "videos.list": 1,
    "videos.update": 50,
}
DAILY_QUOTA = 10_000

ROUTES: dict[tuple[str, str], str] = {
    ("GET", "liveBroadcasts"): "liveBroadcasts.list",
    ("POST", "liveBroadcasts"): "liveBroadcasts.insert",
    ("PUT", "liveBroadcasts"): "liveBroadcasts.update",
    ("DELETE", "liveBroadcasts"): "liveBroadcasts.delete",
    ("POST", "liveBroadcasts/bind"): "liveBroadcasts.bind",
    ("POST", "liveBroadcasts/transition"): "liveBroadcasts.transition",
    ("GET", "liveStreams"): "liveStreams.list",
    ("POST", "liveStreams"): "liveStreams.insert",
    ("PUT", "liveStreams"): "liveStreams.update",
    ("DELETE", "liveStreams"): "liveStreams.delete",
    ("GET", "videos"): "videos.list",
    ("PUT", "videos"): "videos.update",
}

BROADCAST_PARTS = {"id", "snippet", "contentDetails", "status", "statistics", "monetizationDetails"}
STREAM_PARTS = {"id", "snippet", "cdn", "contentDetails", "status"}
VIDEO_PARTS = {"id", "snippet", "status", "liveStreamingDetails"}

# Domains and messages Google uses for the generic reasons tests inject.
DOMAINS = {
    "quotaExceeded": "youtube.quota",
    "rateLimitExceeded": "usageLimits",
    "userRateLimitExceeded": "usageLimits",
}
MESSAGES = {
    "backendError": "Backend Error",
    "quotaExceeded": 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.',
    "rateLimitExceeded": "Rate Limit Exceeded",
    "userRateLimitExceeded": "User Rate Limit Exceeded",
    "insufficientPermissions": "Request had insufficient authentication scopes.",
    "forbidden": "Forbidden",
}
UNAUTHENTICATED = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
    "or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)

LIFECYCLE = ("created", "ready", "testStarting", "testing", "liveStarting", "live", "complete", "revoked")
# broadcastStatus filter of liveBroadcasts.list. Google does not document where
# testing broadcasts fall; they have not started for viewers, so: upcoming.
STATUS_FILTER = {
    "all": set(LIFECYCLE),
    "active": {"liveStarting", "live"},
    "upcoming": {"created", "ready", "testStarting", "testing"},
    "completed": {"complete", "revoked"},
}
# Assignable video categories (videoCategories.list, regionCode=US).
CATEGORIES = {"1", "2", "10", "15", "17", "19", "20", "22", "23", "24", "25", "26", "27", "28", "29"}
DEFAULT_CATEGORY = "22"  # People & Blogs, what YouTube gives a new live broadcast's video
HEALTH = {"good", "ok", "bad", "noData", "revoked"}


class Call(NamedTuple):
    """One API request as the fake saw it (never the Authorization header)."""

    method: str  # "liveBroadcasts.transition", or "METHOD /path" when no such API method
    path: str
    params: dict[str, str]
    status: int


class ApiError(Exception):
    """An error the fake answers in Google's JSON shape."""

    def __init__(self, status: int, reason: str, message: str, domain: str = "global", **extra: str) -> None:
        super().__init__(f"{status} {reason}: {message}")
        self.status = status
        self.reason = reason
        self.message = message
        self.domain = domain
        self.extra = extra

    def body(self) -> dict[str, Any]:
        detail = {"message": self.message, "domain": self.domain, "reason": self.reason, **self.extra}
        return {"error": {"code": self.status, "message": self.message, "errors": [detail]}}


def broadcast_error(status: int, reason: str, message: str) -> ApiError:
    return ApiError(status, reason, message, "youtube.liveBroadcast")


def stream_error(status: int, reason: str, message: str) -> ApiError:
    return ApiError(status, reason, message, "youtube.liveStream")


def video_error(status: int, reason: str, message: str) -> ApiError:
    return ApiError(status, reason, message, "youtube.video")


@dataclass
class Fault:
    """An injected failure waiting for its request: the ``nth`` matching request from now (once the fake's
    clock reads ``from_time``, when given) and the ``times - 1`` after it fail. ``lost``: the method does
    what it was asked and only its answer is the error, as when Google's frontend fails after the backend
    acted (a retried insert then makes a second resource unless the client looks first)."""

    target: str
    status: int
    reason: str
    message: str
    times: int
    nth: int = 1
    from_time: datetime | None = None
    lost: bool = False

    def strikes(self, now: Callable[[], datetime]) -> bool:
        """Whether this matching request fails (counted: call once per request)."""
        if self.from_time is not None and now() < self.from_time:
            return False
        if self.nth > 1:
            self.nth -= 1
            return False
        self.times -= 1
        return True


@dataclass
class StreamState:
    """What the ingest says about a stream, and any health a test forced."""

    publishing: bool = False
    published_once: bool = False
    forced: dict[str, Any] | None = None
    changed_at: float = field(default_factory=time.time)


def now_rfc3339(at: float | None = None) -> str:
    """Google's timestamp format: RFC 3339, UTC, milliseconds, Z."""
    moment = datetime.fromtimestamp(time.time() if at is None else at, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def valid_rfc3339(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def new_id(length: int) -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(length)).decode()[:length]


def etag(resource: Mapping[str, Any]) -> str:
    return base64.urlsafe_b64encode(hashlib.sha1(json.dumps(resource, sort_keys=True).encode()).digest()).decode()[:27]


def parts_of(query: Mapping[str, str], allowed: set[str]) -> list[str]:
    """The `part` parameter: comma-separated or repeated; unknown names are 400 like Google's."""
    names = [p.strip() for p in query.get("part", "").split(",") if p.strip()]
    if not names:
        raise ApiError(400, "required", "Required parameter: part", "global", location="part", locationType="parameter")
    for name in names:
        if name not in allowed:
            raise ApiError(400, "unknownPart", name, "youtube.part", location="part", locationType="parameter")
    return names


def view(resource: Mapping[str, Any], parts: Sequence[str]) -> dict[str, Any]:
    """Only the requested parts, as Google answers (kind, etag and id always)."""
    shown = {"kind": resource["kind"], "etag": "", "id": resource["id"]}
    shown |= {p: json.loads(json.dumps(resource[p])) for p in parts if p != "id" and p in resource}
    shown["etag"] = etag(shown)
    return shown


def check_title(title: Any, error: Callable[[int, str, str], ApiError], required: str) -> None:
    """Titles: 1-100 characters, no < or > (Google's rule for broadcasts and videos)."""
    if not isinstance(title, str) or not title:
        raise error(400, required, "The resource must specify the snippet.title property.")
    if len(title) > 100 or "<" in title or ">" in title:
        raise error(400, "invalidTitle", "The snippet.title property must be 1-100 characters without < or >.")


def check_description(description: Any, error: Callable[[int, str, str], ApiError]) -> None:
    """Descriptions: at most 5000 BYTES of UTF-8 (Cyrillic counts double), no < or >."""
    if not isinstance(description, str):
        raise error(400, "invalidDescription", "The snippet.description property must be a string.")
    if len(description.encode()) > 5000 or "<" in description or ">" in description:
        raise error(400, "invalidDescription", "The snippet.description property must be at most 5000 bytes without < or >.")


def _basic_auth(request: web.Request) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    return unquote_plus(user), unquote_plus(password)


class FakeYouTube:
    """The fake server and its state; a sync API for tests, HTTP for the code under test."""

    def __init__(
        self,
        *,
        ingest_address: str = "rtmp://127.0.0.1:9/live2",
        starting_seconds: float = 0.3,
        quota_limit: int = DAILY_QUOTA,
        client_id: str = "fake-client.apps.googleusercontent.com",
        client_secret: str = "fake-client-secret",
    ) -> None:
        self.ingest_address = ingest_address
        self.starting_seconds = starting_seconds
        self.client_id = client_id
        self.client_secret = client_secret
        self.channel_id = "UC" + new_id(22)
        self._default_quota = quota_limit
        self._lock = threading.RLock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.port = 0
        self.reset()

    # ----- lifecycle -------------------------------------------------------

    def start(self) -> Self:
        """Serve on a free loopback port; returns once it accepts connections."""
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self.port = self._socket.getsockname()[1]
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), name="fake-youtube", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake YouTube did not start within 10 s")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._loop = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL: the client's api_endpoint; `url + "token"` is the OAuth token endpoint."""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def on_publish_url(self) -> str:
        return self.url + "rtmp/on_publish"

    @property
    def on_publish_done_url(self) -> str:
        return self.url + "rtmp/on_publish_done"

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        app = web.Application()
        app.router.add_post("/token", self._token)
        app.router.add_post("/rtmp/on_publish", self._on_publish)
        app.router.add_post("/rtmp/on_publish_done", self._on_publish_done)
        app.router.add_route("*", "/{tail:.*}", self._api)
        runner = web.AppRunner(app, access_log=None)  # the access log would be noise; tokens never reach it
        loop.run_until_complete(runner.setup())
        assert self._socket is not None
        loop.run_until_complete(web.SockSite(runner, self._socket).start())
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    # ----- test API ----------------------------------------------------------

    def reset(self) -> None:
        """Forget every resource, call, fault and token; issue one fresh token pair."""
        with self._lock:
            self.broadcasts: dict[str, dict[str, Any]] = {}
            self.streams: dict[str, dict[str, Any]] = {}
            self._stream_state: dict[str, StreamState] = {}
            self._settling: dict[str, tuple[float, str]] = {}
            self._video_extra: dict[str, dict[str, Any]] = {}
            self.calls: list[Call] = []
            self.units_spent = 0
            self.quota_limit = self._default_quota
            self.token_refreshes = 0
            self._faults: list[Fault] = []
            self._revoke_from: datetime | None = None
            # What ``from_time`` is compared with: a test sets the clock of the day it drives (a rehearsal's).
            self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
            self.access_token = "ya29.fake-" + secrets.token_urlsafe(24)
            self.refresh_token = "1//fake-" + secrets.token_urlsafe(24)
            self._access_tokens = {self.access_token}
            self._refresh_tokens = {self.refresh_token}
            self._codes: dict[str, str] = {}  # authorization code → PKCE challenge

    def revoke(self, *, from_time: datetime | None = None) -> None:
        """The user revoked the app: every access and refresh token stops working (now, or from the moment
        the fake's clock reads ``from_time``: the next request after it gets 401, the refresh invalid_grant)."""
        with self._lock:
            if from_time is not None and self.clock() < from_time:
                self._revoke_from = from_time
                return
            self._revoke_from = None
            self._access_tokens.clear()
            self._refresh_tokens.clear()

    def _revoke_when_due(self) -> None:
        if self._revoke_from is not None and self.clock() >= self._revoke_from:
            self.revoke()

    def expire_access_tokens(self) -> None:
        """Access tokens run out (after an hour at Google); refresh tokens still work."""
        with self._lock:
            self._access_tokens.clear()

    def set_quota_limit(self, units: int) -> None:
        with self._lock:
            self.quota_limit = units

    def fail_next(
        self, target: str, status: int = 500, reason: str = "backendError", times: int = 1, message: str | None = None,
        *, nth: int = 1, from_time: datetime | None = None, lost: bool = False,
    ) -> None:
        """The next `times` requests for `target` (method name like "liveBroadcasts.transition"
        or path like "/youtube/v3/liveBroadcasts/transition") fail with this error; quota is charged.
        ``nth``: the first to fail is the nth such request from now; ``from_time``: none fails before the
        fake's ``clock`` reads it; ``lost``: the method acts all the same, only its answer is the error."""
        with self._lock:
            self._faults.append(Fault(target, status, reason, message or MESSAGES.get(reason, reason), times, nth,
                                      from_time, lost))

    def set_health(self, stream_id: str, status: str, issues: Sequence[Mapping[str, str]] = ()) -> None:
        """Force a stream's healthStatus (e.g. "bad" with configurationIssues) until the next publish event.
        An issue looks like {"type": "bitrateLow", "severity": "error", "reason": ..., "description": ...}."""
        if status not in HEALTH:
            raise ValueError(f"health must be one of {sorted(HEALTH)}")
        with self._lock:
            state = self._stream_state[stream_id]
            state.forced = {"status": status, "configurationIssues": [dict(i) for i in issues]}
            state.changed_at = time.time()
            self._refresh_stream(stream_id)

    def broadcast(self, broadcast_id: str) -> dict[str, Any]:
        """A copy of the stored broadcast, starting states settled as a client would see them."""
        with self._lock:
            self._settle()
            return json.loads(json.dumps(self.broadcasts[broadcast_id]))

    def stream(self, stream_id: str) -> dict[str, Any]:
        with self._lock:
            return json.loads(json.dumps(self.streams[stream_id]))

    def video(self, video_id: str) -> dict[str, Any]:
        with self._lock:
            self._settle()
            return self._video(video_id)

    def stream_id_for_key(self, stream_name: str) -> str | None:
        with self._lock:
            return next((i for i, s in self.streams.items() if s["cdn"]["ingestionInfo"]["streamName"] == stream_name), None)

    # ----- HTTP: OAuth and nginx-rtmp ------------------------------------------

    async def _token(self, request: web.Request) -> web.Response:
        """Google's OAuth token endpoint, refresh_token grant only."""
        form = await request.post()
        with self._lock:
            self._revoke_when_due()
            if (form.get("client_id"), form.get("client_secret")) != (self.client_id, self.client_secret) and (
                _basic_auth(request) != (self.client_id, self.client_secret)  # RFC 6749 2.3.1: either way
            ):
                log.info("POST /token -> 401 invalid_client")
                return web.json_response({"error": "invalid_client", "error_description": "Unauthorized"}, status=401)
            if form.get("grant_type") == "authorization_code":
                return self._exchange_code(str(form.get("code", "")), str(form.get("code_verifier", "")))
            if form.get("grant_type") != "refresh_token":
                return web.json_response({"error": "unsupported_grant_type", "error_description": "Invalid grant_type"}, status=400)
            if form.get("refresh_token") not in self._refresh_tokens:
                log.info("POST /token -> 400 invalid_grant")
                return web.json_response({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}, status=400)
            token = "ya29.fake-" + secrets.token_urlsafe(24)
            self._access_tokens.add(token)
            self.access_token = token
            self.token_refreshes += 1
        log.info("POST /token -> 200 (fresh access token)")
        scope = "https://www.googleapis.com/auth/youtube"
        return web.json_response({"access_token": token, "expires_in": 3599, "scope": scope, "token_type": "Bearer"})

    def authorized_user(self) -> dict[str, str]:
        """The signed-in user as google-auth's Credentials take it (and as a token file holds it)."""
        return {
            "token": self.access_token,
            "refresh_token": self.refresh_token,
            "token_uri": self.url + "token",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }

    def issue_code(self, code_challenge: str) -> str:
        """What Google's consent page does when the user allows access: a one-time code bound to the PKCE challenge."""
        code = "4/fake-" + secrets.token_urlsafe(16)
        with self._lock:
            self._codes[code] = code_challenge
        return code

    def _exchange_code(self, code: str, verifier: str) -> web.Response:
        """The installed-app flow's second step (called with the lock held): code + PKCE verifier → tokens."""
        challenge = self._codes.pop(code, None)
        expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge is None or challenge != expected:
            return web.json_response({"error": "invalid_grant", "error_description": "Bad Request"}, status=400)
        self.access_token = "ya29.fake-" + secrets.token_urlsafe(24)
        self.refresh_token = "1//fake-" + secrets.token_urlsafe(24)
        self._access_tokens.add(self.access_token)
        self._refresh_tokens.add(self.refresh_token)
        return web.json_response({
            "access_token": self.access_token, "refresh_token": self.refresh_token, "expires_in": 3599,
            "scope": "https://www.googleapis.com/auth/youtube", "token_type": "Bearer",
        })

    async def _on_publish(self, request: web.Request) -> web.Response:
        """nginx-rtmp asks whether `name` may publish: only a known stream key may."""
        form = await request.post()
        with self._lock:
            stream_id = self.stream_id_for_key(str(form.get("name", "")))
            if stream_id is None:
                log.info("rtmp publish refused: unknown stream key")
                return web.Response(status=403, text="unknown stream key")
            state = self._stream_state[stream_id]
            state.publishing = state.published_once = True
            state.forced = None
            state.changed_at = time.time()
            self._refresh_stream(stream_id)
            self._auto_start(stream_id)
        log.info("rtmp publish started on stream %s", stream_id)
        return web.Response(text="ok")

    async def _on_publish_done(self, request: web.Request) -> web.Response:
        form = await request.post()
        with self._lock:
            stream_id = self.stream_id_for_key(str(form.get("name", "")))
            if stream_id is not None:
                state = self._stream_state[stream_id]
                state.publishing = False
                state.forced = None
                state.changed_at = time.time()
                self._refresh_stream(stream_id)
                log.info("rtmp publish ended on stream %s", stream_id)
        return web.Response(text="ok")

    # ----- HTTP: the API -----------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        body = await request.read()
        query = {key: ",".join(request.query.getall(key)) for key in request.query}
        with self._lock:
            status, payload, headers = self._dispatch(request.method, request.path, request.headers.get("Authorization", ""), query, body)
        log.info("%s %s -> %d", request.method, request.path, status)
        if payload is None:
            return web.Response(status=status, headers=headers)
        return web.json_response(payload, status=status, headers=headers)

    def _dispatch(
        self, http_method: str, path: str, authorization: str, query: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, Any] | None, dict[str, str]]:
        name = ROUTES.get((http_method, path.removeprefix(API))) if path.startswith(API) else None
        label = name or f"{http_method} {path}"
        params = dict(query)

        def answer(status: int, payload: dict[str, Any] | None, headers: dict[str, str] | None = None):
            self.calls.append(Call(label, path, params, status))
            return status, payload, headers or {}

        self._revoke_when_due()
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or token not in self._access_tokens:
            # Google cannot tell whose project an unknown token belongs to, so nothing is charged.
            error = ApiError(401, "authError", "Invalid Credentials", location="Authorization", locationType="header")
            payload = error.body()
            payload["error"] |= {"message": UNAUTHENTICATED, "status": "UNAUTHENTICATED"}
            return answer(401, payload, {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"'})
        if name is None:
            return answer(404, ApiError(404, "notFound", f"The fake has no method for {http_method} {path}").body())
        cost = COSTS[name]
        if self.units_spent + cost > self.quota_limit:
            return answer(403, ApiError(403, "quotaExceeded", MESSAGES["quotaExceeded"], DOMAINS["quotaExceeded"]).body())
        self.units_spent += cost
        fault = next((f for f in self._faults if f.target in (name, path) and f.strikes(self.clock)), None)
        if fault is not None:
            if fault.times <= 0:
                self._faults.remove(fault)
            error = ApiError(fault.status, fault.reason, fault.message, DOMAINS.get(fault.reason, "global"))
            if fault.lost:
                self._act(name, query, body)
            return answer(fault.status, error.body())
        return answer(*self._act(name, query, body))

    def _act(self, name: str, query: dict[str, str], body: bytes) -> tuple[int, dict[str, Any] | None]:
        """What the method does (the lock held): its status and answer."""
        try:
            resource = json.loads(body) if body else {}
        except ValueError:
            resource = None
        if not isinstance(resource, dict):
            return 400, ApiError(400, "parseError", "Parse Error").body()
        self._settle()
        handler = getattr(self, "_" + name.replace(".", "_"))
        try:
            return handler(query, resource)
        except ApiError as error:
            return error.status, error.body()

    # ----- lifecycle rules -----------------------------------------------------

    def _settle(self) -> None:
        """testStarting/liveStarting become testing/live once their time has passed."""
        now = time.monotonic()
        for broadcast_id, (due, target) in list(self._settling.items()):
            if now >= due:
                del self._settling[broadcast_id]
                self._enter(self.broadcasts[broadcast_id], target)

    def _enter(self, broadcast: dict[str, Any], status: str) -> None:
        broadcast["status"]["lifeCycleStatus"] = status
        if status == "live":
            broadcast["snippet"]["actualStartTime"] = now_rfc3339()
            broadcast["status"]["recordingStatus"] = "recording"
            broadcast["statistics"] = {"concurrentViewers": "0"}
        elif status == "complete":
            broadcast["snippet"]["actualEndTime"] = now_rfc3339()
            broadcast["status"]["recordingStatus"] = "recorded" if "actualStartTime" in broadcast["snippet"] else "notRecording"
            broadcast["statistics"] = {}

    def _begin(self, broadcast: dict[str, Any], target: str) -> None:
        """Go to testStarting/liveStarting now and settle into `target` after starting_seconds."""
        broadcast["status"]["lifeCycleStatus"] = "testStarting" if target == "testing" else "liveStarting"
        self._settling[broadcast["id"]] = (time.monotonic() + self.starting_seconds, target)

    def _auto_start(self, stream_id: str) -> None:
        """enableAutoStart: a ready broadcast goes live by itself when its stream turns active."""
        for broadcast in self.broadcasts.values():
            details = broadcast["contentDetails"]
            if details.get("boundStreamId") == stream_id and details.get("enableAutoStart") and broadcast["status"]["lifeCycleStatus"] == "ready":
                self._begin(broadcast, "live")

    def _stream_active(self, stream_id: str | None) -> bool:
        return stream_id is not None and stream_id in self.streams and self.streams[stream_id]["status"]["streamStatus"] == "active"

    def _refresh_stream(self, stream_id: str) -> None:
        stream, state = self.streams[stream_id], self._stream_state[stream_id]
        if state.publishing:
            stream_status, health = "active", {"status": "good", "configurationIssues": []}
        else:
            stream_status = "inactive" if state.published_once else "ready"
            health = {"status": "noData", "configurationIssues": []}
        health = state.forced or health
        stream["status"] = {
            "streamStatus": stream_status,
            "healthStatus": {**health, "lastUpdateTimeSeconds": str(int(state.changed_at))},
        }

    # ----- liveBroadcasts ------------------------------------------------------------

    def _get_broadcast(self, broadcast_id: str) -> dict[str, Any]:
        if broadcast_id not in self.broadcasts:
            raise broadcast_error(404, "liveBroadcastNotFound", "Broadcast not found")
        return self.broadcasts[broadcast_id]

    def _liveBroadcasts_list(self, query: dict[str, str], _: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        parts = parts_of(query, BROADCAST_PARTS)
        filters = [f for f in ("id", "mine", "broadcastStatus") if f in query]
        if not filters:
            raise ApiError(400, "missingRequiredParameter", "No filter selected. Expected one of: mine, id, broadcastStatus", "youtube.parameter")
        if "id" in query and len(filters) > 1:
            raise ApiError(400, "incompatibleParameters", "Incompatible parameters specified in the request: id, " + filters[1], "youtube.parameter")
        if "id" in query:
            wanted = query["id"].split(",")
            items = [self.broadcasts[i] for i in wanted if i in self.broadcasts]
        else:
            allowed = STATUS_FILTER.get(query.get("broadcastStatus", "all"))
            if allowed is None:
                raise ApiError(400, "invalidValue", "Invalid value for broadcastStatus", "youtube.parameter")
            items = [b for b in self.broadcasts.values() if b["status"]["lifeCycleStatus"] in allowed]
        return 200, self._page("youtube#liveBroadcastListResponse", items, parts, query, paged="id" not in query)

    def _page(self, kind: str, items: list[dict[str, Any]], parts: list[str], query: dict[str, str], paged: bool) -> dict[str, Any]:
        """A list response; filtered lists are paged with maxResults (default 5, like Google)."""
        start, size = 0, len(items)
        if paged:
            size = int(query.get("maxResults", "5"))
            if not 0 <= size <= 50:
                raise ApiError(400, "invalidValue", "Invalid value for maxResults", "youtube.parameter")
            token = query.get("pageToken")
            start = int(base64.urlsafe_b64decode(token).decode()) if token else 0
        page = items[start : start + size]
        response: dict[str, Any] = {"kind": kind, "etag": "", "pageInfo": {"totalResults": len(items), "resultsPerPage": size}}
        if paged and start + size < len(items):
            response["nextPageToken"] = base64.urlsafe_b64encode(str(start + size).encode()).decode()
        if paged and start > 0:
            response["prevPageToken"] = base64.urlsafe_b64encode(str(max(0, start - size)).encode()).decode()
        response["items"] = [view(item, parts) for item in page]
        response["etag"] = etag(response)
        return response

    def _broadcast_snippet(self, snippet: Mapping[str, Any]) -> dict[str, Any]:
        """Validated writable snippet fields; omitted ones are cleared, as Google's update does."""
        check_title(snippet.get("title"), broadcast_error, "titleRequired")
        description = snippet.get("description", "")
        check_description(description, broadcast_error)
        start = snippet.get("scheduledStartTime")
        if start is None:
            raise broadcast_error(400, "scheduledStartTimeRequired", "The liveBroadcast resource must specify the snippet.scheduledStartTime property.")
        if not valid_rfc3339(start):
            raise broadcast_error(400, "invalidScheduledStartTime", "snippet.scheduledStartTime is not a valid RFC 3339 date-time.")
        written = {"title": snippet["title"], "description": description, "scheduledStartTime": start}
        if "scheduledEndTime" in snippet:
            end = snippet["scheduledEndTime"]
            if not valid_rfc3339(end) or datetime.fromisoformat(end) <= datetime.fromisoformat(start):
                raise broadcast_error(400, "invalidScheduledEndTime", "The scheduled end time must follow the scheduled start time.")
            written["scheduledEndTime"] = end
        return written

    @staticmethod
    def _broadcast_status(status: Mapping[str, Any]) -> dict[str, Any]:
        privacy = status.get("privacyStatus")
        if privacy is None:
            raise broadcast_error(400, "privacyStatusRequired", "The liveBroadcast resource must specify a privacy status.")
        if privacy not in ("public", "unlisted", "private"):
            raise broadcast_error(400, "invalidPrivacyStatus", "Invalid status.privacyStatus.")
        written = {"privacyStatus": privacy}
        if "selfDeclaredMadeForKids" in status:
            written["selfDeclaredMadeForKids"] = bool(status["selfDeclaredMadeForKids"])
        return written

    @staticmethod
    def _broadcast_details(details: Mapping[str, Any]) -> dict[str, Any]:
        """contentDetails as written: defaults where the body says nothing (monitor stream on)."""
        monitor = {"enableMonitorStream": True, "broadcastStreamDelayMs": 0} | dict(details.get("monitorStream") or {})
        written = {
            "enableEmbed": True,
            "enableDvr": True,
            "recordFromStart": True,
            "enableClosedCaptions": False,
            "closedCaptionsType": "closedCaptionsDisabled",
            "enableContentEncryption": False,
            "startWithSlate": False,
            "latencyPreference": "normal",
            "enableLowLatency": False,
            "projection": "rectangular",
            "enableAutoStart": False,
            "enableAutoStop": False,
        }
        written |= {k: v for k, v in details.items() if k not in ("boundStreamId", "boundStreamLastUpdateTimeMs", "monitorStream")}
        written["monitorStream"] = {k: monitor[k] for k in ("enableMonitorStream", "broadcastStreamDelayMs")}
        return written

    def _liveBroadcasts_insert(self, query: dict[str, str], body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        parts = parts_of(query, BROADCAST_PARTS - {"statistics", "monetizationDetails"})
        # Google reads only the parts named in `part`: a snippet sent without part=snippet is ignored.
        snippet = self._broadcast_snippet(body.get("snippet", {}) if "snippet" in parts else {})
        status = self._broadcast_status(body.get("status", {}) if "status" in parts else {})
        details = self._broadcast_details(body.get("contentDetails", {}) if "contentDetails" in parts else {})
        broadcast_id = new_id(11)
        details["monitorStream"]["embedHtml"] = f'<iframe width="425" height="344" src="https://www.youtube.com/embed/{broadcast_id}?autoplay=1&livemonitor=1" frameborder="0" allowfullscreen></iframe>'
        broadcast = {
            "kind": "youtube#liveBroadcast",
            "id": broadcast_id,
            "snippet": {"publishedAt": now_rfc3339(), "channelId": self.channel_id, **snippet,
                        "thumbnails": {}, "liveChatId": "KicK" + new_id(36), "isDefaultBroadcast": False},
            "status": {"lifeCycleStatus": "created", "recordingStatus": "notRecording", "madeForKids": False,
                       "selfDeclaredMadeForKids": False, **status},
            "contentDetails": details,
            "statistics": {},
            "monetizationDetails": {},
        }
        self.broadcasts[broadcast_id] = broadcast
        self._video_extra[broadcast_id] = {"categoryId": DEFAULT_CATEGORY}
        return 200, view(broadcast, parts)

    def _liveBroadcasts_update(self, query: dict[str, str], body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        parts = parts_of(query, BROADCAST_PARTS - {"statistics", "monetizationDetails"})
        broadcast = self._get_broadcast(str(body.get("id", "")))
        lifecycle = broadcast["status"]["lifeCycleStatus"]
        if "snippet" in parts:
            snippet = self._broadcast_snippet(body.get("snippet", {}))
            kept = {k: v for k, v in broadcast["snippet"].items() if k not in ("title", "description", "scheduledStartTime", "scheduledEndTime")}
            broadcast["snippet"] = kept | snippet
        if "status" in parts:
            broadcast["status"] |= self._broadcast_status(body.get("status", {}))
        if "contentDetails" in parts:
            details = self._broadcast_details(body.get("contentDetails", {}))
            old = broadcast["contentDetails"]
            if lifecycle not in ("created", "ready") and details["monitorStream"]["enableMonitorStream"] != old["monitorStream"]["enableMonitorStream"]:
                raise broadcast_error(400, "invalidValue", "The monitor stream cannot be changed once the broadcast has started testing.")
            details["monitorStream"]["embedHtml"] = old["monitorStream"].get("embedHtml", "")
            for bound in ("boundStreamId", "boundStreamLastUpdateTimeMs"):
                if bound in old:
                    details[bound] = old[bound]
            broadcast["contentDetails"] = details
        return 200, view(broadcast, parts)

    def _liveBroadcasts_delete(self, query: dict[str, str], _: dict[str, Any]) -> tuple[int, None]:
        broadcast = self._get_broadcast(query.get("id", ""))
        if broadcast["status"]["lifeCycleStatus"] not in ("created", "ready", "complete", "revoked"):
            raise broadcast_error(403, "liveBroadcastDeletionNotAllowed", "The current status of the live broadcast does not allow it to be deleted.")
        del self.broadcasts[broadcast["id"]]
        self._video_extra.pop(broadcast["id"], None)
        return 204, None

    def _liveBroadcasts_bind(self, query: dict[str, str], _: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        parts = parts_of(query, BROADCAST_PARTS)
        broadcast = self._get_broadcast(query.get("id", ""))
        stream_id = query.get("streamId")
        if stream_id is not None and stream_id not in self.streams:
            raise broadcast_error(404, "liveStreamNotFound", "Stream not found")
        if broadcast["status"]["lifeCycleStatus"] not in ("created", "ready"):
            raise broadcast_error(403, "liveBroadcastBindingNotAllowed", "The current status of the live broadcast does not allow it to be bound to a stream.")
        details = broadcast["contentDetails"]
        if stream_id is None:  # bind without streamId unbinds
            details.pop("boundStreamId", None)
            details.pop("boundStreamLastUpdateTimeMs", None)
            broadcast["status"]["lifeCycleStatus"] = "created"
        else:
            details["boundStreamId"] = stream_id
            details["boundStreamLastUpdateTimeMs"] = now_rfc3339()
            broadcast["status"]["lifeCycleStatus"] = "ready"
        return 200, view(broadcast, parts)

    def _liveBroadcasts_transition(self, query: dict[str, str], _: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Google's rules; checks run redundant -> invalid -> stream inactive (order undocumented)."""
        parts = parts_of(query, BROADCAST_PARTS)
        target = query.get("broadcastStatus")
        if target not in ("testing", "live", "complete"):
            raise broadcast_error(400, "invalidValue", "Invalid value for broadcastStatus")
        broadcast = self._get_broadcast(query.get("id", ""))
        current = broadcast["status"]["lifeCycleStatus"]
        pending = self._settling.get(broadcast["id"], (0.0, ""))[1]
        if current == target or pending == target:
            raise broadcast_error(403, "redundantTransition", "Redundant transition")
        monitored = broadcast["contentDetails"]["monitorStream"]["enableMonitorStream"]
        allowed_from = {
            "testing": {"ready"} if monitored else set(),
            "live": {"testing"} if monitored else {"ready"},
            "complete": {"testing", "live"},
        }[target]
        if current not in allowed_from:
            raise broadcast_error(403, "invalidTransition", "Invalid transition")
        if target != "complete" and not self._stream_active(broadcast["contentDetails"].get("boundStreamId")):
            raise broadcast_error(403, "errorStreamInactive", "Stream is inactive")
        if target == "complete":
            self._enter(broadcast, "complete")
        else:
            self._begin(broadcast, target)
        return 200, view(broadcast, parts)

    # ----- liveStreams ------------------------------------------------------------------

    def _get_stream(self, stream_id: str) -> dict[str, Any]:
        if stream_id not in self.streams:
            raise stream_error(404, "liveStreamNotFound", "Stream not found")
        return self.streams[stream_id]

    def _liveStreams_list(self, query: dict[str, str], _: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        parts = parts_of(query, STREAM_PARTS)
        if "id" in query and "mine" in query:
            raise ApiError(400, "incompatibleParameters", "Incompatible parameters specified in the request: id, mine", "youtube.parameter")
        if "id" in query:
            items = [self.streams[i] for i in query["id"].split(",") if i in self.streams]
        elif query.get("mine") == "true":
            items = list(self.streams.values())
        else:
            raise ApiError(400, "missingRequiredParameter", "No filter selected. Expected one of: mine, id", "youtube.parameter")
        return 200, self._page("youtube#liveStreamListResponse", items, parts, query, paged="id" not in query)

    @staticmethod
    def _stream_writable(body: Mapping[str, Any], parts: Sequence[str]) -> tuple[dict[str, Any], dict[str, Any]]:
        """Validated snippet and cdn of a liveStreams insert/update (only the parts named)."""
        snippet = body.get("snippet", {}) if "snippet" in parts else {}
        check_title(snippet.get("title"), stream_error, "titleRequired")
        if "cdn" not in parts or not body.get("cdn"):
            raise stream_error(400, "cdnRequired", "The liveStream resource must specify the cdn part.")
        cdn = body["cdn"]
        for key, values in (("ingestionType", ("rtmp",)), ("resolution", ("240p", "360p", "480p", "720p", "1080p", "1440p", "2160p", "variable")), ("frameRate", ("30fps", "60fps", "variable"))):
            if key not in cdn:
                raise stream_error(400, f"{key}Required", f"The liveStream resource must specify cdn.{key}.")
            if cdn[key] not in values:  # the fake ingests RTMP only
                raise stream_error(400, "invalid" + key[0].upper() + key[1:], f"Invalid cdn.{key}.")
        written_snippet = {"title": snippet["title"], "description": snippet.get("description", "")}
        return written_snippet, {k: cdn[k] for k in ("ingestionType", "resolution", "frameRate")}

    def _liveStreams_insert(self, query: dict[str, str], body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        parts = parts_of(query, STREAM_PARTS)
        snippet, cdn = self._stream_writable(body, parts)
        stream_id = new_id(22) + str(int(time.time() * 1e6))
        key = "-".join(new_id(4).lower().replace("_", "x").replace("-", "y") for _ in range(5))
        reusable = bool((body.get("contentDetails") or {}).get("isReusable", True)) if "contentDetails" in parts else True
        stream = {
            "kind": "youtube#liveStream",
            "id": stream_id,
            "snippet": {"publishedAt": now_rfc3339(), "channelId": self.channel_id, **snippet, "isDefaultStream": False},
            "cdn": {**cdn, "format": "", "ingestionInfo": {
                "streamName": key,
                "ingestionAddress": self.ingest_address,
                "backupIngestionAddress": self.ingest_address + "?backup=1",
            }},
            "contentDetails": {"closedCaptionsIngestionUrl": f"http://127.0.0.1:{self.port}/closedcaption?cid={key}", "isReusable": reusable},
            "status": {},
        }
        self.streams[stream_id] = stream
        self._stream_state[stream_id] = StreamState()
        self._refresh_stream(stream_id)
        return 200, view(stream, parts)

    def _liveStreams_update(self, query: dict[str, str], body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        parts = parts_of(query, STREAM_PARTS)
        stream = self._get_stream(str(body.get("id", "")))
        snippet, cdn = self._stream_writable(body, parts)
        stream["snippet"] |= snippet
        stream["cdn"] |= cdn
        return 200, view(stream, parts)

    def _liveStreams_delete(self, query: dict[str, str], _: dict[str, Any]) -> tuple[int, None]:
        stream = self._get_stream(query.get("id", ""))
        in_use = any(
            b["contentDetails"].get("boundStreamId") == stream["id"] and b["status"]["lifeCycleStatus"] in ("testStarting", "testing", "liveStarting", "live")
            for b in self.broadcasts.values()
        )
        if in_use:
            raise stream_error(403, "liveStreamDeletionNotAllowed", "The live stream is bound to a broadcast that is testing or live.")
        del self.streams[stream["id"]]
        del self._stream_state[stream["id"]]
        return 204, None

    # ----- videos (a broadcast's id is its video's id) ---------------------------------

    def _video(self, video_id: str) -> dict[str, Any]:
        broadcast = self.broadcasts[video_id]
        snippet, status = broadcast["snippet"], broadcast["status"]
        extra = self._video_extra[video_id]
        lifecycle = status["lifeCycleStatus"]
        content = "live" if lifecycle == "live" else "none" if lifecycle in ("complete", "revoked") else "upcoming"
        video_snippet = {
            "publishedAt": snippet["publishedAt"],
            "channelId": snippet["channelId"],
            "title": snippet["title"],
            "description": snippet["description"],
            "thumbnails": {},
            "channelTitle": "Fake channel",
            **{k: v for k, v in extra.items() if k != "categoryId"},
            "categoryId": extra["categoryId"],
            "liveBroadcastContent": content,
            "localized": {"title": snippet["title"], "description": snippet["description"]},
        }
        details = {"scheduledStartTime": snippet["scheduledStartTime"]}
        details |= {k: snippet[k] for k in ("actualStartTime", "actualEndTime", "scheduledEndTime") if k in snippet}
        if lifecycle not in ("complete", "revoked"):
            details["activeLiveChatId"] = snippet["liveChatId"]
        if lifecycle == "live":
            details["concurrentViewers"] = "0"
        return {
            "kind": "youtube#video",
            "id": video_id,
            "snippet": video_snippet,
            "status": {"uploadStatus": "uploaded", "privacyStatus": status["privacyStatus"], "license": "youtube",
                       "embeddable": True, "publicStatsViewable": True, "madeForKids": status["madeForKids"]},
            "liveStreamingDetails": details,
        }

    def _videos_list(self, query: dict[str, str], _: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        parts = parts_of(query, VIDEO_PARTS)
        if "id" not in query:
            raise ApiError(400, "missingRequiredParameter", "No filter selected. Expected one of: id (the fake supports no other)", "youtube.parameter")
        items = [self._video(i) for i in query["id"].split(",") if i in self.broadcasts]
        return 200, self._page("youtube#videoListResponse", items, parts, query, paged=False)

    def _videos_update(self, query: dict[str, str], body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Google overwrites every mutable property of the parts named: omitted ones are cleared."""
        parts = parts_of(query, VIDEO_PARTS)
        video_id = str(body.get("id", ""))
        if video_id not in self.broadcasts:
            raise video_error(404, "videoNotFound", "The video that you are trying to update cannot be found.")
        broadcast = self.broadcasts[video_id]
        if "snippet" in parts:
            snippet = body.get("snippet") or {}
            if not snippet.get("title") or not snippet.get("categoryId"):
                raise ApiError(400, "invalidVideoMetadata", "The request metadata is invalid.", "youtube.video", location="body", locationType="other")
            check_title(snippet["title"], video_error, "invalidTitle")
            description = snippet.get("description", "")
            check_description(description, video_error)
            if str(snippet["categoryId"]) not in CATEGORIES:
                raise video_error(400, "invalidCategoryId", "The snippet.categoryId property specifies an invalid category ID.")
            broadcast["snippet"]["title"] = snippet["title"]
            broadcast["snippet"]["description"] = description
            extra = {"categoryId": str(snippet["categoryId"])}
            extra |= {k: snippet[k] for k in ("tags", "defaultLanguage", "defaultAudioLanguage") if k in snippet}
            self._video_extra[video_id] = extra
        if "status" in parts:
            privacy = (body.get("status") or {}).get("privacyStatus")
            if privacy not in ("public", "unlisted", "private"):
                raise video_error(400, "invalidPrivacyStatus", "Invalid status.privacyStatus.")
            broadcast["status"]["privacyStatus"] = privacy
        return 200, view(self._video(video_id), parts)


def youtube_client(fake: FakeYouTube, **credential_overrides: Any) -> Any:
    """The real googleapiclient YouTube client, pointed at the fake (static discovery, no network)."""
    from google.oauth2.credentials import Credentials
    from googleapiclient.discovery import build

    settings = fake.authorized_user() | credential_overrides
    return build(
        "youtube",
        "v3",
        credentials=Credentials(**settings),
        client_options={"api_endpoint": fake.url},
        static_discovery=True,
        cache_discovery=False,
    )
