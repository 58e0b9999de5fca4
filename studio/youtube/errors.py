"""One error type for YouTube, worded for the producer: what happened and what to do.

The API's error reasons (``{"error": {"errors": [{"reason": ...}]}}``) are mapped
here and nowhere else. No message ever carries a token or a stream key: they are
built from the reason and the status, never from the request.
"""

from __future__ import annotations

import json
from typing import Any

from studio.errors import Kind, StudioError
from studio.i18n import FALLBACK, Msg

AUTH_FIX = "run `studio youtube auth` to sign in again"

RETRYABLE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "backendError", "internalError"})

_ADVICE: dict[str, tuple[str, str]] = {
    # reason: (code, what to do: catalogue youtube.advice.<key>)
    "quotaExceeded": ("quota", "quota"),
    "dailyLimitExceeded": ("quota", "daily_limit"),
    "rateLimitExceeded": ("rate_limit", "rate_limit"),
    "userRateLimitExceeded": ("rate_limit", "rate_limit"),
    "invalidTransition": ("invalid_transition", "invalid_transition"),
    "redundantTransition": ("redundant_transition", "redundant_transition"),
    "errorStreamInactive": ("stream_inactive", "stream_inactive"),
    "liveBroadcastNotFound": ("broadcast_not_found", "broadcast_not_found"),
    "liveStreamNotFound": ("stream_not_found", "stream_not_found"),
    "videoNotFound": ("video_not_found", "video_not_found"),
    "insufficientPermissions": ("permission", "permission"),
    "forbidden": ("permission", "forbidden"),
    "liveStreamingNotEnabled": ("not_enabled", "not_enabled"),
    "authError": ("auth", "auth"),
}

_KIND: dict[str, Kind] = {
    "quota": Kind.UNAVAILABLE, "rate_limit": Kind.UNAVAILABLE, "server": Kind.UNAVAILABLE,
    "network": Kind.UNAVAILABLE, "timeout": Kind.UNAVAILABLE, "obs": Kind.UNAVAILABLE,
    "broadcast_not_found": Kind.NOT_FOUND, "stream_not_found": Kind.NOT_FOUND, "video_not_found": Kind.NOT_FOUND,
    "no_broadcast": Kind.NOT_FOUND, "config": Kind.BAD_INPUT,
}
"""Each code's kind; every other code (auth, permission, a refused transition...) is refused."""


class YouTubeError(StudioError):
    """An expected YouTube failure; ``code`` is stable (``youtube.error.<code>`` says it to a person), the
    message is YouTube's step and reason, kept in English beside it (what one searches for, or tells Google)."""

    def __init__(
        self, code: str, message: Msg | str, *, status: int | None = None, reason: str | None = None
    ) -> None:
        super().__init__(message, kind=_KIND.get(code, Kind.REFUSED), code=code)
        self.status, self.reason = status, reason

    def render(self, language: str = FALLBACK) -> str:
        return Msg("youtube.cli_error", summary=Msg(f"youtube.error.{self.code}"), detail=str(self)).render(language)

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
        code, advice = _ADVICE[reason]
        return YouTubeError(code, Msg("youtube.advice.doing", doing=doing, advice=Msg(f"youtube.advice.{advice}")),
                            status=status, reason=reason)
    if status == 401:
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
