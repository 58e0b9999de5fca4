"""Errors that point at a place in a file the user edits, and say what to do."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: Path
    line: int
    column: int  # 0 when only the line matters
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"
        text = f"{where}: error: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class DiagnosticsError(Exception):
    """One or more problems in a user's file, all reported at once."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


def toml_syntax_error(path: Path, error: Exception) -> Diagnostic:
    """Turn tomllib's message, which ends "(at line L, column C)", into a Diagnostic."""
    message = str(error)
    found = _TOML_POSITION.search(message)
    line, column = (int(found[1]), int(found[2])) if found else (1, 1)
    return Diagnostic(
        path,
        line,
        column,
        f"TOML syntax: {_TOML_POSITION.sub('', message)}",
        "fix the syntax at this place; strings need quotes, times look like 10:00:00",
    )
