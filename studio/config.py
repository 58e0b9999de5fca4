"""Station settings from config.toml, checked on load.

Errors name the file and line and say what to do: ``config.toml:12: error:
[station] language: ...``. Unknown keys are refused with the nearest valid one.
"""

from __future__ import annotations

import difflib
import tomllib
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from studio.diagnostics import Diagnostic, DiagnosticsError, toml_syntax_error
from studio.rundown.load import Clock, Zone
from studio.tomlpos import TomlLocator

Language = Literal["kk", "ru", "en"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Station(_Section):
    zone: Zone = Field(default=ZoneInfo("Asia/Almaty"), description="IANA time zone of local times")
    language: Language = Field(default="kk", description="interface language: kk, ru or en")
    operator: str = Field(default="", description="name written in the event log; empty: the login name")
    turnout_hours: list[Clock] = Field(
        default=[time(h) for h in (10, 12, 14, 16, 18, 20)],
        description="local times at which the commission publishes turnout",
    )


class StoreSettings(_Section):
    path: str = Field(default="", description="the SQLite store; empty: the user's data folder")


class Obs(_Section):
    """Filled by the OBS work."""


class YouTube(_Section):
    """Filled by the YouTube work."""


class Graphics(_Section):
    """Filled by the graphics work."""


class Config(_Section):
    station: Station = Station()
    store: StoreSettings = StoreSettings()
    keymap: dict[str, Annotated[str, Field(min_length=1)]] = Field(
        default={}, description="binding id = comma-separated keys, e.g. \"rundown.take_next\" = \"f1,space\""
    )
    obs: Obs = Obs()
    youtube: YouTube = YouTube()
    graphics: Graphics = Graphics()
    source: Path | None = Field(default=None, exclude=True)

    @field_validator("keymap")
    @classmethod
    def _keys_look_like_keys(cls, keymap: dict[str, str]) -> dict[str, str]:
        for binding, keys in keymap.items():
            if any(not key.strip() for key in keys.split(",")):
                raise ValueError(f"{binding!r}: empty key in {keys!r}")
        return keymap


_SECTIONS: dict[str, type[BaseModel]] = {
    "": Config,
    "station": Station,
    "store": StoreSettings,
    "obs": Obs,
    "youtube": YouTube,
    "graphics": Graphics,
}


def load_config(path: Path | None) -> Config:
    """Read and check the config; with no file, the defaults."""
    if path is None:
        return Config()
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DiagnosticsError(
            [Diagnostic(Path(path), 1, 0, f"cannot read the config: {error}", "check --config or $STUDIO_CONFIG")]
        ) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DiagnosticsError([toml_syntax_error(Path(path), error)]) from None
    try:
        return Config.model_validate(raw | {"source": path})
    except ValidationError as error:
        raise DiagnosticsError(_diagnostics(Path(path), text, error)) from None


def _diagnostics(path: Path, text: str, error: ValidationError) -> list[Diagnostic]:
    locator = TomlLocator(text)
    found = []
    for problem in error.errors():
        where = tuple(problem["loc"])
        line, _ = locator.find(where)
        section = str(where[0]) if len(where) > 1 else ""
        name = f"[{section}] {where[-1]}" if section else str(where[-1])
        hint = _describe(where)
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            known = list(_SECTIONS.get(section, Config).model_fields)
            known = [k for k in known if k != "source"]
            close = difflib.get_close_matches(str(where[-1]), known, n=1)
            message = "unknown key"
            hint = (f"did you mean '{close[0]}'? " if close else "") + "known keys: " + ", ".join(known)
        found.append(Diagnostic(path, line, 0, f"{name}: {message}", hint))
    return sorted(found, key=lambda d: d.line)


def _describe(where: tuple[Any, ...]) -> str:
    """The field's own description, as the hint for a bad value."""
    model: type[BaseModel] = Config
    for part in where:
        field = model.model_fields.get(str(part))
        if field is None:
            return ""
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
            continue
        return f"expected {field.description}" if field.description else ""
    return ""
