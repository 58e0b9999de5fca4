"""One typed error for everything that can go wrong with OBS, worded for the operator."""

from __future__ import annotations

from typing import Literal

from studio.obs.redact import redact

Kind = Literal["refused", "auth", "timeout", "disconnected", "request", "not_installed", "protocol"]


class ObsError(Exception):
    """An expected OBS failure: its text says what happened and what to do.

    The text passes through the password redactor, so it is safe to show and log.
    """

    def __init__(
        self, kind: Kind, message: str, *, request_type: str | None = None, code: int | None = None
    ) -> None:
        self.kind: Kind = kind
        self.request_type = request_type
        self.code = code
        super().__init__(redact(message))

    def __repr__(self) -> str:
        return f"ObsError({self.kind!r}, {str(self)!r})"


def refused(host: str, port: int, detail: str) -> ObsError:
    return ObsError(
        "refused",
        f"cannot connect to OBS at {host}:{port} ({detail}): is OBS running, and is "
        f"obs-websocket enabled on port {port} (Tools > WebSocket Server Settings)?",
    )


def auth_failed(host: str, port: int, password_env: str, *, empty: bool) -> ObsError:
    if empty:
        what = f"OBS at {host}:{port} asks for a password but the env var {password_env} is empty or unset"
    else:
        what = f"OBS at {host}:{port} refused the password"
    return ObsError(
        "auth",
        f"{what}; set {password_env} to the password shown in OBS "
        "(Tools > WebSocket Server Settings > Show Connect Info)",
    )


def timed_out(host: str, port: int, timeout: float, doing: str) -> ObsError:
    return ObsError(
        "timeout",
        f"OBS at {host}:{port} did not answer {doing} within {timeout:g} s: "
        "is OBS frozen or the machine overloaded? studio will reconnect",
    )


def disconnected(host: str, port: int, detail: str) -> ObsError:
    return ObsError(
        "disconnected",
        f"lost the connection to OBS at {host}:{port} ({detail}); studio reconnects by itself",
    )


def request_failed(
    request_type: str, code: int | None, comment: str | None, *, position: str = ""
) -> ObsError:
    why = comment or "no reason given"
    return ObsError(
        "request",
        f"OBS refused {request_type}{position} (code {code}): {why}",
        request_type=request_type,
        code=code,
    )
