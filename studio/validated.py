"""The validated types studio's TOML files share: the strict base model, time zones, local times.

config.toml, the desk's import mappings, rundowns and graphics templates are all
checked by pydantic models built on these (studio/tomlcheck.py turns what they
refuse into ``FILE:LINE: error``). A refusal is a ``ValueError(Msg(...))``, so it is
said in the reader's language.
"""

from __future__ import annotations

from datetime import time
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict

from studio.i18n import Msg


class Strict(BaseModel):
    """A table of a user's file: unknown keys are refused (with the nearest known one), values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


def parse_zone(value: Any, refusal: str = "diag.value.zone") -> ZoneInfo:
    """An IANA time zone ("Asia/Almaty"); ``refusal`` is the catalogue key that says a name is unknown."""
    if isinstance(value, ZoneInfo):
        return value
    try:
        return ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
        raise ValueError(Msg(refusal, value=repr(value))) from None


def parse_clock(value: Any) -> time:
    """A local time of day: a TOML time (10:00:00) or a string ("10:00")."""
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(Msg("diag.value.clock", value=repr(value)))


Zone = Annotated[ZoneInfo, BeforeValidator(parse_zone)]
Clock = Annotated[time, BeforeValidator(parse_clock)]
