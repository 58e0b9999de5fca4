"""One typed error for everything that can go wrong with OBS, worded for the operator.

The words are a ``studio.i18n.Msg`` (``error.message``; catalogue ``obs.error.*``):
``str(error)`` is the English text, ``error.render(language)`` says it in Kazakh
or Russian. Every text, English or not, passes through the password redactor,
both when the error is made and again whenever it is rendered, so it is safe to
show and log in any language.
"""

from __future__ import annotations

from typing import Any, Literal

from studio.errors import Kind, StudioError
from studio.i18n import FALLBACK, Msg
from studio.obs.redact import redact

Failure = Literal["refused", "auth", "timeout", "disconnected", "request", "protocol"]

_KIND: dict[Failure, Kind] = {"auth": Kind.REFUSED, "request": Kind.REFUSED}
"""The family's kind of each failure; every other one (OBS not there, too slow, gone, odd) is unavailable."""


class ObsMsg(Msg):
    """A ``Msg`` whose params and every rendering pass through the password redactor."""

    def __new__(cls, key: str, /, **params: Any) -> ObsMsg:
        safe = {name: redact(value) if isinstance(value, str) and not isinstance(value, Msg) else value
                for name, value in params.items()}
        return super().__new__(cls, key, **safe)  # type: ignore[return-value]

    def render(self, language: str = FALLBACK) -> str:
        return redact(super().render(language))


class ObsError(StudioError):
    """An expected OBS failure: its text says what happened and what to do.

    ``failure`` says which (OBS refused the connection, the password, a request...);
    ``request_type`` and ``request_code`` name the refused request and OBS's status code.
    The text passes through the password redactor, so it is safe to show and log:
    ``message`` keeps it as an ObsMsg (a plain text given by a caller becomes one too,
    shown as it is in every language).
    """

    def __init__(
        self, failure: Failure, message: str, *, request_type: str | None = None, request_code: int | None = None
    ) -> None:
        said = message if isinstance(message, ObsMsg) else ObsMsg(
            message.key, **message.params) if isinstance(message, Msg) else ObsMsg("obs.error.text", text=message)
        super().__init__(said, kind=_KIND.get(failure, Kind.UNAVAILABLE))
        self.failure: Failure = failure
        self.request_type = request_type
        self.request_code = request_code

    def __repr__(self) -> str:
        return f"ObsError({self.failure!r}, {str(self)!r})"


def refused(host: str, port: int, detail: str) -> ObsError:
    return ObsError("refused", ObsMsg("obs.error.refused", host=host, port=port, detail=detail))


def auth_failed(host: str, port: int, password_env: str, *, empty: bool) -> ObsError:
    key = "obs.error.auth_empty" if empty else "obs.error.auth_refused"
    return ObsError("auth", ObsMsg(key, host=host, port=port, variable=password_env))


def timed_out(host: str, port: int, timeout: float, doing: str) -> ObsError:
    """``doing``: studio's own step as a Msg (``obs.error.doing.*``), or a request type (GetVersion) as it is."""
    return ObsError("timeout", ObsMsg("obs.error.timeout", host=host, port=port, timeout=f"{timeout:g}", doing=doing))


def disconnected(host: str, port: int, detail: str) -> ObsError:
    return ObsError("disconnected", ObsMsg("obs.error.disconnected", host=host, port=port, detail=detail))


def request_failed(
    request_type: str, code: int | None, comment: str | None, *, position: str = ""
) -> ObsError:
    why = comment or ObsMsg("obs.error.no_reason")
    return ObsError(
        "request",
        ObsMsg("obs.error.request", request=request_type, position=position, code=f"{code}", reason=why),
        request_type=request_type,
        request_code=code,
    )
