"""A TOML settings file checked by a pydantic model, its errors naming file, line and key.

config.toml and the desk's import mappings are read the same way: every problem at
once, ``FILE:LINE: error: [section] key: ...``, with the nearest valid key or the
field's own description as the hint. Every message is a ``Msg`` (studio/diagnostics.py):
the field descriptions too, from the catalogue's ``diag.field.<model>.<field>`` (the
model's English ``description`` when the catalogue has none).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from studio.diagnostics import (
    Diagnostic,
    DiagnosticsError,
    nearest_key_hint,
    toml_syntax_error,
    validation_message,
)
from studio.i18n import FALLBACK, Msg, messages
from studio.tomlpos import TomlLocator

Model = TypeVar("Model", bound=BaseModel)


def _said(key: str, english: str) -> str:
    """``Msg(key)`` when the catalogue has it, else the English text given."""
    return Msg(key) if key in messages(FALLBACK) else english


def read_settings(
    path: Path, model: type[Model], *, what: str, hint: str, extra: dict[str, Any] | None = None
) -> Model:
    """Read, parse and check one file; raise DiagnosticsError listing every problem.

    ``what`` names the file for people (``config``, ``mapping``: catalogue ``diag.what.<what>``),
    ``hint`` what to check when it cannot be read (``diag.hint.unreadable.<what>``).
    """
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        message = Msg("diag.unreadable", what=_said(f"diag.what.{what}", f"the {what}"), reason=str(reason))
        raise DiagnosticsError([Diagnostic(Path(path), 1, 0, message, _said(f"diag.hint.unreadable.{what}", hint))]) from None
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
        if problem["type"] == "extra_forbidden":
            message = Msg("diag.value.extra_forbidden")
            hint = nearest_key_hint(str(where[-1]), [key for key in owner.model_fields if key not in hidden])
        else:
            message = validation_message(problem)
        found.append(Diagnostic(path, line, 0, Msg("diag.setting", name=name, message=message), hint))
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
        if not field.description:
            return model, ""
        described = _said(f"diag.field.{model.__name__.lower()}.{part}", field.description)
        return model, Msg("diag.hint.expected", what=described)
    return model, ""
