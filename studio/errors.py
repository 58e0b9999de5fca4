"""One error family: every error studio expects carries a catalogue message and a kind.

A ``StudioError`` says what went wrong as a ``Msg`` (the catalogue has its
words in kk, ru and en; the code never writes the English twice) and what
kind of failure it is. Each front end maps the kind once, here: the command
line to an exit code, the HTTP APIs to a status, the consoles to a
notification severity. Subsystems keep their own subclasses (``ObsError``,
``RuleError``...) for what only they know, and are caught as ``StudioError``
by every front end.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Final, TextIO

from studio.i18n import FALLBACK, Msg


class Kind(StrEnum):
    REFUSED = "refused"  # the rules or the show's state say no: nothing is wrong with the request's shape
    NOT_FOUND = "not_found"  # it names something that does not exist
    CONFLICT = "conflict"  # someone else changed it since it was read
    UNAVAILABLE = "unavailable"  # a device or service cannot be reached now; trying again may work
    BAD_INPUT = "bad_input"  # the request, the arguments or a file are malformed
    INTERNAL = "internal"  # studio itself failed: a bug to report


EXIT_CODE: Final[dict[Kind, int]] = {kind: 70 if kind is Kind.INTERNAL else 2 for kind in Kind}
"""``studio`` exit codes: 2 for every expected failure, as argparse's usage errors and as studio has always
answered (the README promises it for ``studio fact``; 1 stays "ran, and found problems", as ``obs check``);
70 (EX_SOFTWARE) for studio's own failure."""

HTTP_STATUS: Final[dict[Kind, int]] = {
    Kind.REFUSED: 409, Kind.NOT_FOUND: 404, Kind.CONFLICT: 409, Kind.UNAVAILABLE: 503, Kind.BAD_INPUT: 400,
    Kind.INTERNAL: 500,
}

SEVERITY: Final[dict[Kind, str]] = {kind: "error" for kind in Kind}
"""Textual's notification severities: a failed action is an error to the person who asked for it, whatever
its kind (the consoles have always shown refusals so); "warning" is for notices that are no failure."""


class StudioError(Exception):
    """An expected failure: ``message`` says what happened and what to do, in any language.

    ``str(error)`` is the English text (logs, the event log); ``render(language)`` is
    what a person reads. ``code`` is the stable name of the failure (the catalogue key's
    last part unless given), which the HTTP APIs answer as ``error``.
    """

    kind: Kind = Kind.REFUSED

    def __init__(self, message: Msg | str, *, kind: Kind | None = None, code: str | None = None) -> None:
        self.message: Msg = message if isinstance(message, Msg) else Msg("diag.as_is", text=message)
        if kind is not None:
            self.kind = kind
        self.code = code or self.message.key.rpartition(".")[2]
        super().__init__(self.message)  # args[0] is the Msg: str(error) is its English, as before

    @classmethod
    def of(cls, key: str, /, *, kind: Kind | None = None, code: str | None = None, **params: Any) -> StudioError:
        """``StudioError.of("cli.error.no_rundown", path=...)``: the catalogue key and its params."""
        return cls(Msg(key, **params), kind=kind, code=code)

    def render(self, language: str = FALLBACK) -> str:
        return self.message.render(language)

    @property
    def exit_code(self) -> int:
        return EXIT_CODE[self.kind]

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.kind]

    @property
    def severity(self) -> str:
        return SEVERITY[self.kind]


class UsageError(StudioError):
    """A command that cannot run as asked (arguments, a missing file): the message says what to do."""

    kind = Kind.BAD_INPUT


def report(error: StudioError, language: str, stream: TextIO) -> int:
    """Print ``studio: error: ...`` in ``language`` (the one place it is written); return the exit code."""
    print(f"studio: error: {error.render(language)}", file=stream)
    return error.exit_code
