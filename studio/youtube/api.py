"""The YouTube Data API v3 client: sign-in, one ``call`` with quota, retries and plain errors.

googleapiclient builds the client from the discovery document it ships (no
network), so pointing ``endpoint`` at a local server (the tests' fake) exercises
the real client. Every attempt is charged to the ledger before it is sent:
Google charges failed requests too. 5xx answers, rate limits and network errors
are retried with exponential backoff and full jitter, a bounded number of times.
A rate limit refuses the request unread; a 5xx or a dropped connection may come
after YouTube acted: a call that creates something is sent again only once a
look (``made``) has not found what the lost answer may have made.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from pathlib import Path
from typing import Any, Callable, Protocol

import google.auth.exceptions
import httplib2
from google.auth.transport.requests import Request
from google.oauth2.credentials import Credentials
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from studio.i18n import Msg
from studio.youtube import errors
from studio.youtube.errors import YouTubeError

SCOPES = ("https://www.googleapis.com/auth/youtube",)
"""Manage the channel's broadcasts and streams, and edit a video's description (chapters)."""

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
TRIES = 5
BACKOFF_BASE = 1.0  # seconds; attempt n waits up to base * 2**n
BACKOFF_CAP = 16.0


class Ledger(Protocol):
    def charge(self, method: str) -> None: ...


class TokenFile:
    """The OAuth token on disk, readable by its owner only (0600), replaced atomically."""

    def __init__(self, path: Path, token_uri: str = GOOGLE_TOKEN_URI) -> None:
        self.path, self.token_uri = path, token_uri

    def load(self) -> Credentials:
        try:
            info = json.loads(self.path.read_text(encoding="utf-8"))
            # google-auth always points a loaded file at Google's endpoint; the configured one wins here.
            credentials = Credentials.from_authorized_user_info(info, scopes=list(SCOPES))
            if self.token_uri == GOOGLE_TOKEN_URI:
                return credentials
            moved = credentials.with_token_uri(self.token_uri)
            moved.expiry = credentials.expiry  # which with_token_uri() drops: an expired token would be sent
            return moved
        except FileNotFoundError:
            raise errors.not_signed_in(str(self.path)) from None
        except (ValueError, OSError) as e:
            # ValueError from google-auth names the missing field, never the token's value.
            raise YouTubeError(
                "auth", Msg("youtube.advice.token_unreadable", path=str(self.path), detail=type(e).__name__)
            ) from None

    def save(self, credentials: Credentials) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(credentials.to_json())
        os.chmod(temporary, 0o600)  # the umask cannot widen it, but an existing file kept its mode
        os.replace(temporary, self.path)


class YouTubeApi:
    """Blocking: call from a worker thread, never from the UI's event loop. One call at a time."""

    def __init__(
        self,
        credentials: Credentials,
        ledger: Ledger,
        *,
        endpoint: str | None = None,
        token_file: TokenFile | None = None,
        timeout: float = 20.0,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._credentials, self._ledger, self._token_file = credentials, ledger, token_file
        self._sleep, self._jitter = sleep, jitter
        self._lock = threading.RLock()  # httplib2 connections are not thread-safe; ``made`` calls again
        http = AuthorizedHttp(credentials, http=httplib2.Http(timeout=timeout))
        self._service = build(
            "youtube",
            "v3",
            http=http,
            static_discovery=True,
            cache_discovery=False,
            client_options={"api_endpoint": endpoint} if endpoint else None,
        )

    def __repr__(self) -> str:
        return "YouTubeApi(signed in)" if self._credentials.refresh_token else "YouTubeApi(no refresh token)"

    def call(
        self, method: str, doing: str, *, made: Callable[[], dict[str, Any] | None] | None = None, **params: Any
    ) -> dict[str, Any]:
        """Run ``resource.verb`` (e.g. ``liveBroadcasts.insert``) with ``params``; YouTubeError on failure.

        ``made``, for a call that creates something: after an attempt whose answer is lost (a 5xx, a
        dropped connection), it looks for what that attempt may have created (None: nothing); what it
        finds is the call's answer, and only when it finds nothing is the request sent again.
        """
        resource, verb = method.split(".")
        with self._lock:
            self._refresh_if_expired(doing)
            for attempt in range(TRIES):
                request = getattr(getattr(self._service, resource)(), verb)(**params)
                self._ledger.charge(method)
                token_before = self._credentials.token
                try:
                    result = request.execute(num_retries=0)
                except HttpError as e:
                    reason, _ = errors.reason_of(e.content)
                    failure, lost = errors.from_response(e.resp.status, e.content, doing), e.resp.status >= 500
                    if not (lost or e.resp.status == 429 or reason in errors.RETRYABLE_REASONS):
                        raise failure from None
                except google.auth.exceptions.RefreshError:
                    raise errors.revoked(doing) from None
                except (OSError, httplib2.HttpLib2Error) as e:
                    failure, lost = errors.unreachable(doing, type(e).__name__), True
                else:
                    self._keep_refreshed(token_before)
                    return dict(result or {})
                look = made if lost else None
                if attempt == TRIES - 1 and look is None:
                    raise failure
                self._sleep(min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt) * self._jitter())
                if look is not None and (found := look()) is not None:
                    return found
            raise failure  # the last attempt's answer was lost, and it made nothing

    def _refresh_if_expired(self, doing: str) -> None:
        """Refresh before the request, not on its 401: that answer would be charged for nothing."""
        if self._credentials.valid or not self._credentials.refresh_token:
            return
        token_before = self._credentials.token
        try:
            self._credentials.refresh(Request())
        except google.auth.exceptions.RefreshError:
            raise errors.revoked(doing) from None
        except google.auth.exceptions.TransportError as e:
            raise errors.unreachable(doing, type(e).__name__) from None
        self._keep_refreshed(token_before)

    def _keep_refreshed(self, token_before: str | None) -> None:
        if self._token_file is not None and self._credentials.token != token_before:
            self._token_file.save(self._credentials)
