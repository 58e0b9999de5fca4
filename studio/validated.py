"""The validated types studio's TOML files share: the strict base model, time zones, local times.

config.toml, the desk's import mappings, rundowns and graphics templates are all
checked by pydantic models built on these (studio/tomlcheck.py turns what they
refuse into ``FILE:LINE: error``). A refusal is a ``ValueError(Msg(...))``, so it is
said in the reader's language.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict

from studio.i18n import Msg


class Strict(BaseModel):
    """A table of a user's file: unknown keys are refused (with the nearest known one), values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


_ZONE_NAME = re.compile(r"[A-Za-z0-9_+-]{1,30}(?:/[A-Za-z0-9_+-]{1,30}){0,3}")
"""The shape of an IANA zone name (Asia/Almaty, America/Argentina/Buenos_Aires, Etc/GMT-5, UTC)."""


def parse_zone(value: Any, refusal: str = "diag.value.zone") -> ZoneInfo:
    """An IANA time zone ("Asia/Almaty"); ``refusal`` is the catalogue key that says a name is unknown."""
    if isinstance(value, ZoneInfo):
        return value
    name = str(value)
    # Only the shape of an IANA name reaches ZoneInfo: "=/==/==..." many levels deep makes it recurse until
    # RecursionError, and a name longer than a file name raises OSError.
    if not _ZONE_NAME.fullmatch(name):
        raise ValueError(Msg(refusal, value=repr(value)))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
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
