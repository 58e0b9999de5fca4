"""A TOML settings file checked by a pydantic model, its errors naming file, line and key.

config.toml and the desk's import mappings are read the same way: every problem at
once, ``FILE:LINE: error: [section] key: ...``, with the nearest valid key or the
field's own description as the hint.
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from studio.diagnostics import Diagnostic, DiagnosticsError, toml_syntax_error
from studio.tomlpos import TomlLocator

Model = TypeVar("Model", bound=BaseModel)


def read_settings(
    path: Path, model: type[Model], *, what: str, hint: str, extra: dict[str, Any] | None = None
) -> Model:
    """Read, parse and check one file; raise DiagnosticsError listing every problem."""
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise DiagnosticsError([Diagnostic(Path(path), 1, 0, f"cannot read the {what}: {reason}", hint)]) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DiagnosticsError([toml_syntax_error(Path(path), error)]) from None
    try:
        return model.model_validate(raw | (extra or {}))
    except ValidationError as error:
        hidden = frozenset(extra or ())
        raise DiagnosticsError(_diagnostics(Path(path), text, error, model, hidden)) from None


def _diagnostics(
    path: Path, text: str, error: ValidationError, root: type[BaseModel], hidden: frozenset[str]
) -> list[Diagnostic]:
    locator = TomlLocator(text)
    found = []
    for problem in error.errors():
        where = tuple(problem["loc"])
        line, _ = locator.find(where)
        section = str(where[0]) if len(where) > 1 else ""
        name = f"[{section}] {where[-1]}" if section else str(where[-1])
        owner, hint = _walk(root, where)
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            known = [key for key in owner.model_fields if key not in hidden]
            close = difflib.get_close_matches(str(where[-1]), known, n=1)
            message = "unknown key"
            hint = (f"did you mean '{close[0]}'? " if close else "") + "known keys: " + ", ".join(known)
        found.append(Diagnostic(path, line, 0, f"{name}: {message}", hint))
    return sorted(found, key=lambda d: d.line)


def _walk(root: type[BaseModel], where: tuple[Any, ...]) -> tuple[type[BaseModel], str]:
    """The model that holds the key at ``where``, and the description of the first plain field on the way."""
    model = root
    for part in where:
        field = model.model_fields.get(str(part))
        if field is None:
            return model, ""
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
            continue
        return model, f"expected {field.description}" if field.description else ""
    return model, ""
