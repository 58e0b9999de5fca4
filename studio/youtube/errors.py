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
    message is the step and the reason in detail (catalogue ``youtube.doing.*``, ``youtube.advice.*``), shown in
    English beside the summary: what one searches for, or tells Google."""

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


def _failed(code: str, doing: str, advice: Msg, *, status: int | None = None, reason: str | None = None) -> YouTubeError:
    """``doing`` (``youtube.doing.*``, or a text as it is): ``advice``, what went wrong and what to do."""
    return YouTubeError(code, Msg("youtube.advice.doing", doing=doing, advice=advice), status=status, reason=reason)


def from_response(status: int, content: bytes, doing: str) -> YouTubeError:
    reason, api_message = reason_of(content)
    if reason in _ADVICE:
        code, advice = _ADVICE[reason]
        return _failed(code, doing, Msg(f"youtube.advice.{advice}"), status=status, reason=reason)
    if status == 401:
        code, said = "auth", Msg("youtube.advice.auth")
    elif status >= 500:
        code, said = "server", Msg("youtube.advice.server", status=status)
    else:
        code = "request"
        said = Msg("youtube.advice.refused", status=status, reason=reason or "error",
                   detail=api_message[:200] or Msg("youtube.advice.no_detail"))
    return _failed(code, doing, said, status=status, reason=reason)


def revoked(doing: str) -> YouTubeError:
    return _failed("auth", doing, Msg("youtube.advice.revoked"))


def unreachable(doing: str, detail: str) -> YouTubeError:
    return _failed("network", doing, Msg("youtube.advice.unreachable", detail=detail))


def not_signed_in(token_file: str) -> YouTubeError:
    return YouTubeError("auth", Msg("youtube.advice.not_signed_in", path=token_file))
