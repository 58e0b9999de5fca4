"""One TOML file checked whole, every problem reported at once at ``FILE:LINE[:COL]``.

config.toml, the desk's import mappings, rundowns and graphics templates are read
the same way: ``read_text`` (an unreadable file is one diagnostic), then a
``TomlCheck`` parses the text (a syntax error names its line and column, and stops
there) and checks tables with pydantic models (studio/validated.py). Each refusal
becomes a Diagnostic at its key's line; an unknown key gets the nearest known key
of its table as the hint. A loader adds its own checks with ``error()`` and ends
with ``finish()``, which raises DiagnosticsError listing every problem in file order.

What differs between files is said by a subclass: how a key is named in a message
(``name``), the hint of a refused value (``hint``), the catalogue key that lists the
known keys (``LISTING``), and whether diagnostics give a column (``COLUMNS``).
"""

from __future__ import annotations

import functools
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from studio.diagnostics import Diagnostic, DiagnosticsError, nearest_hint
from studio.i18n import FALLBACK, Msg, messages
from studio.tomlpos import KeyPath, TomlLocator

Model = TypeVar("Model", bound=BaseModel)
Value = TypeVar("Value")


def read_text(path: Path, what: Msg, hint: Msg) -> str:
    """The file's text; DiagnosticsError ``cannot read the WHAT: REASON`` with ``hint`` when it cannot be read."""
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        message = Msg("diag.unreadable", what=what, reason=str(reason))
        raise DiagnosticsError([Diagnostic(path, 1, 0, message, hint)]) from None


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


def _syntax_error(path: Path, error: Exception) -> Diagnostic:
    """Turn tomllib's message, which ends "(at line L, column C)", into a Diagnostic.

    tomllib's own words (``Expected '=' after a key``) are Python's and stay English.
    """
    message = str(error)
    found = _TOML_POSITION.search(message)
    line, column = (int(found[1]), int(found[2])) if found else (1, 1)
    return Diagnostic(
        path, line, column, Msg("diag.toml_syntax", detail=_TOML_POSITION.sub("", message)), Msg("diag.hint.toml_syntax")
    )


def _listed(values: Any) -> str:
    return ", ".join(str(value) for value in values) if isinstance(values, (list, tuple)) else str(values)


def _validation_message(problem: Mapping[str, Any]) -> str:
    """One pydantic error as a Msg: studio's own (a validator raised ``ValueError(Msg(...))``),
    else the catalogue's ``diag.value.<type>`` with pydantic's context, else pydantic's English text."""
    kind = str(problem.get("type", ""))
    context = dict(problem.get("ctx") or {})
    error = context.pop("error", None)
    if kind == "value_error" and error is not None and error.args and isinstance(error.args[0], Msg):
        return error.args[0]
    key = f"diag.value.{kind}"
    if key in messages(FALLBACK):
        return Msg(key, **{name: _listed(value) for name, value in context.items()})
    return Msg("diag.value.other", detail=str(problem.get("msg", "")).removeprefix("Value error, "))


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model an annotation holds: itself, or inside ``list[...]`` or ``... | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
        return next(filter(None, map(_model_in, typing.get_args(annotation))), None)
    return None


def owner(model: type[BaseModel], loc: KeyPath) -> type[BaseModel]:
    """The model whose table holds the last key of ``loc`` (relative to ``model``)."""
    for part in loc[:-1]:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        inner = _model_in(field.annotation) if field is not None else None
        if inner is not None:
            model = inner
    return model


DEEPEST = 16
"""Tables and arrays inside each other, at most: studio's files need four."""


def _too_deep_at(table: dict[str, Any]) -> KeyPath | None:
    """The path to the first value nested beyond DEEPEST, found without recursion."""
    pending: list[tuple[KeyPath, Any]] = [((), table)]
    while pending:
        path, value = pending.pop()
        if len(path) > DEEPEST:
            return path
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        pending.extend((path + (key,), inner) for key, inner in items)
    return None


class TomlCheck:
    LISTING = "diag.hint.known_keys"
    COLUMNS = True

    def __init__(self, path: Path, text: str) -> None:
        """Parse ``text``; a TOML syntax error raises DiagnosticsError at once."""
        self.path = path
        self.text = text
        self.diagnostics: list[Diagnostic] = []
        try:
            self.table: dict[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise DiagnosticsError([_syntax_error(path, error)]) from None
        except RecursionError:  # tomllib recurses once per level: a hostile file ends it
            self.table = {}
            self._too_deep(())
        if (deep := _too_deep_at(self.table)) is not None:
            self._too_deep(deep)

    def _too_deep(self, where: KeyPath) -> None:
        """Nothing of a file nested beyond DEEPEST is checked further (each check would recurse as deep)."""
        line = self.locator.find(where[:1])[0] if where else 1
        raise DiagnosticsError([Diagnostic(self.path, line, 0, Msg("diag.too_deep", most=DEEPEST),
                                           Msg("diag.hint.too_deep"))])

    @functools.cached_property
    def locator(self) -> TomlLocator:
        """Built only when there is something to report: it costs as much as the parse."""
        return TomlLocator(self.text)

    def error(self, where: KeyPath, message: str, hint: str = "") -> None:
        """Record one problem at the key ``where``."""
        line, column = self.locator.find(where)
        self.diagnostics.append(Diagnostic(self.path, line, column if self.COLUMNS else 0, message, hint))

    def validate(
        self, model: type[Model], value: Any, base: KeyPath = (), context: dict[str, Any] | None = None
    ) -> Model | None:
        """``value`` (the table at ``base``) checked by ``model``; None when refused, every problem recorded."""
        try:
            return model.model_validate(value, context=context)
        except ValidationError as error:
            for problem in error.errors():
                loc = tuple(problem["loc"])
                if problem["type"] == "extra_forbidden":
                    message = Msg("diag.value.extra_forbidden")
                    hint = self.nearest(str(loc[-1]), self.known_keys(owner(model, loc)))
                else:
                    message, hint = _validation_message(problem), self.hint(model, base + loc)
                name = self.name(base, loc)
                self.error(base + loc, Msg("diag.setting", name=name, message=message) if name else message, hint)
            return None

    def name(self, base: KeyPath, loc: KeyPath) -> str:
        """How the key at ``base + loc`` is named in its message; "" when the message names it already."""
        return ".".join(str(part) for part in base + loc) or "file"

    def hint(self, model: type[BaseModel], where: KeyPath) -> str:
        """The hint of a value refused at ``where``; "" for none."""
        return ""

    def nearest(self, word: str, known: list[str]) -> Msg:
        """The hint of a name that is not one of ``known``: the closest, and the list (``LISTING``)."""
        return nearest_hint(word, known, self.LISTING)

    def known_keys(self, table: type[BaseModel]) -> list[str]:
        """The keys a user may write in ``table``."""
        return list(table.model_fields)

    def finish(self, value: Value | None) -> Value:
        """``value`` when nothing was found wrong; else DiagnosticsError listing every problem in file order."""
        if self.diagnostics or value is None:
            raise DiagnosticsError(sorted(self.diagnostics, key=lambda d: (d.line, d.column)))
        return value
