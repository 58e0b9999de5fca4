"""One error type for YouTube, worded for the producer: what happened and what to do.

The API's error reasons (``{"error": {"errors": [{"reason": ...}]}}``) are mapped
here and nowhere else. No message ever carries a token or a stream key: they are
built from the reason and the status, never from the request.
"""

from __future__ import annotations

import json
from typing import Any

AUTH_FIX = "run `studio youtube auth` to sign in again"

RETRYABLE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "backendError", "internalError"})

_ADVICE: dict[str, tuple[str, str]] = {
    # reason: (code, message)
    "quotaExceeded": (
        "quota",
        "YouTube's daily quota for this Google project is used up; it resets at midnight Pacific time. "
        "Studio stops polling health; going live and ending still need a few calls: ask Google for more quota "
        "(Cloud Console > APIs > YouTube Data API v3 > Quotas) if the show cannot wait",
    ),
    "dailyLimitExceeded": ("quota", "YouTube's daily limit for this project is used up; it resets at midnight Pacific time"),
    "rateLimitExceeded": ("rate_limit", "YouTube asks to slow down (rate limit) and kept refusing after retries; wait a minute and try again"),
    "userRateLimitExceeded": ("rate_limit", "YouTube asks to slow down (rate limit) and kept refusing after retries; wait a minute and try again"),
    "invalidTransition": (
        "invalid_transition",
        "YouTube refused that change of the broadcast's state from where it is now; check `studio youtube status` "
        "(a broadcast goes ready → testing → live → complete, one step at a time)",
    ),
    "redundantTransition": ("redundant_transition", "the broadcast is already in that state"),
    "errorStreamInactive": (
        "stream_inactive",
        "YouTube is not receiving the stream: start streaming in OBS (studio does it on go live) and check the "
        "OBS panel for a connection to the ingest; then try again",
    ),
    "liveBroadcastNotFound": (
        "broadcast_not_found",
        "the show's broadcast is gone from the channel (deleted in YouTube Studio?); run `studio youtube schedule --new` "
        "to create another",
    ),
    "liveStreamNotFound": ("stream_not_found", "the stream bound to the broadcast is gone from the channel; run `studio youtube schedule --new`"),
    "videoNotFound": ("video_not_found", "YouTube has no video for this broadcast yet (or it was deleted)"),
    "insufficientPermissions": (
        "permission",
        "the signed-in Google account may not manage this channel's live streams; " + AUTH_FIX + " with the channel's owner or manager",
    ),
    "forbidden": ("permission", "YouTube refused the request for this account; " + AUTH_FIX + " with the channel's owner or manager"),
    "liveStreamingNotEnabled": (
        "not_enabled",
        "live streaming is not enabled on this channel: enable it in YouTube Studio (it can take 24 hours)",
    ),
    "authError": ("auth", "YouTube refused the sign-in; " + AUTH_FIX),
}


class YouTubeError(Exception):
    """An expected YouTube failure; ``code`` is stable, the text says what to do."""

    def __init__(self, code: str, message: str, *, status: int | None = None, reason: str | None = None) -> None:
        super().__init__(message)
        self.code, self.status, self.reason = code, status, reason

    def __repr__(self) -> str:
        return f"YouTubeError({self.code!r}, {str(self)!r})"


def reason_of(content: bytes) -> tuple[str | None, str]:
    """(first error reason, API message) from an error body; (None, "") when it is not Google's JSON."""
    try:
        body: Any = json.loads(content.decode("utf-8"))
        error = body["error"]
        errors = error.get("errors") or [{}]
        return errors[0].get("reason"), str(error.get("message", ""))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None, ""


def from_response(status: int, content: bytes, doing: str) -> YouTubeError:
    reason, api_message = reason_of(content)
    if reason in _ADVICE:
        code, message = _ADVICE[reason]
    elif status == 401:
        code, message = "auth", "YouTube refused the sign-in; " + AUTH_FIX
    elif status >= 500:
        code, message = "server", f"YouTube had a server error ({status}) and kept failing after retries; try again in a minute"
    else:
        code = "request"
        message = f"YouTube refused the request ({status} {reason or 'error'}: {api_message[:200] or 'no detail'})"
    return YouTubeError(code, f"{doing}: {message}", status=status, reason=reason)


def revoked(doing: str) -> YouTubeError:
    return YouTubeError("auth", f"{doing}: the YouTube sign-in has expired or was revoked; {AUTH_FIX}")


def unreachable(doing: str, detail: str) -> YouTubeError:
    return YouTubeError("network", f"{doing}: cannot reach YouTube ({detail}); check the network and try again")


def not_signed_in(token_file: str) -> YouTubeError:
    return YouTubeError("auth", f"not signed in to YouTube (no token at {token_file}); {AUTH_FIX}")
