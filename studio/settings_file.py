"""A TOML settings file checked by a pydantic model, its errors naming file, line and key.

config.toml and the desk's import mappings are read the same way (studio/tomlcheck.py):
every problem at once, ``FILE:LINE: error: [section] key: ...``, with the nearest valid
key or the field's own description as the hint. Every message is a ``Msg``
(studio/diagnostics.py): the field descriptions too, from the catalogue's
``diag.field.<model>.<field>`` (the model's English ``description`` when the catalogue
has none).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from studio.i18n import FALLBACK, Msg, messages
from studio.tomlcheck import TomlCheck, read_text
from studio.tomlpos import KeyPath

Model = TypeVar("Model", bound=BaseModel)


def _said(key: str, english: str) -> str:
    """``Msg(key)`` when the catalogue has it, else the English text given."""
    return Msg(key) if key in messages(FALLBACK) else english


def read_settings(
    path: Path, model: type[Model], *, what: str, extra: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
) -> Model:
    """Read, parse and check one file; raise DiagnosticsError listing every problem.

    ``what`` names the file for people (``config``, ``mapping``: catalogue ``diag.what.<what>``,
    and ``diag.hint.unreadable.<what>`` says what to check when it cannot be read). ``extra``
    are values the program adds (the file's own path): not keys a user writes. ``context`` is pydantic's
    validation context, for validators that need to know where the file is.
    """
    path = Path(path)
    text = read_text(path, Msg(f"diag.what.{what}"), Msg(f"diag.hint.unreadable.{what}"))
    check = _SettingsCheck(path, text, frozenset(extra or ()))
    return check.finish(check.validate(model, check.table | (extra or {}), context=context))


class _SettingsCheck(TomlCheck):
    COLUMNS = False

    def __init__(self, path: Path, text: str, hidden: frozenset[str]) -> None:
        super().__init__(path, text)
        self.hidden = hidden

    def name(self, base: KeyPath, loc: KeyPath) -> str:
        """``[section] key``, or ``key`` at the top."""
        return f"[{loc[0]}] {loc[-1]}" if len(loc) > 1 else str(loc[-1])

    def known_keys(self, table: type[BaseModel]) -> list[str]:
        return [key for key in table.model_fields if key not in self.hidden]

    def hint(self, model: type[BaseModel], where: KeyPath) -> str:
        """The description of the first plain field on the way to ``where``; for a section, its keys."""
        for part in where:
            field = model.model_fields.get(str(part))
            if field is None:
                return ""
            annotation = field.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                model = annotation
                continue
            if not field.description:
                return ""
            return Msg("diag.hint.expected", what=_said(f"diag.field.{model.__name__.lower()}.{part}", field.description))
        if where:  # the section itself, not a table
            return Msg("diag.hint.section", section=str(where[-1]), known=", ".join(self.known_keys(model)))
        return ""
