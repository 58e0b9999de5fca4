"""One fact id everywhere: shown as ``F105``, accepted as ``F105``, ``f105`` or ``105``.

The desk, ``studio fact``, ``studio render --fact`` and the exports all go
through these functions, so an id copied from one place works in every
other. The stored id is the plain number. A report (and the group it leads)
is shown as ``R12`` the same way.
"""

from __future__ import annotations

from studio.errors import Kind, StudioError
from studio.i18n import Msg

PREFIX = "F"
REPORT_PREFIX = "R"
CONFLICT_PREFIX = "C"


class FactIdError(StudioError, ValueError):
    """Text that is not a fact id; the message (a Msg) says what was given and the accepted forms."""

    kind = Kind.BAD_INPUT


def fact_label(fact_id: int) -> str:
    """The id as people see it: ``105`` -> ``"F105"``."""
    return f"{PREFIX}{int(fact_id)}"


def report_label(report_id: int) -> str:
    """A report's id (or its group's, the lead report's) as people see it: ``12`` -> ``"R12"``."""
    return f"{REPORT_PREFIX}{int(report_id)}"


def conflict_label(conflict_id: int) -> str:
    """A conflict between figures as people see it: ``3`` -> ``"C3"``."""
    return f"{CONFLICT_PREFIX}{int(conflict_id)}"


def parse_conflict_id(text: str | int) -> int:
    """``"C3"``, ``"c3"`` or ``3`` -> ``3``; anything else raises FactIdError."""
    number = _number(text, CONFLICT_PREFIX)
    if number is None:
        raise FactIdError(Msg("fact.id.bad_conflict", given=repr(str(text))))
    return number


def parse_fact_id(text: str | int) -> int:
    """``"F105"``, ``"f105"``, ``" 105 "`` or ``105`` -> ``105``; anything else raises FactIdError."""
    number = _number(text, PREFIX)
    if number is None:
        raise FactIdError(Msg("fact.id.bad", given=repr(str(text))))
    return number


def _number(text: str | int, prefix: str) -> int | None:
    """The id in ``text``, with or without its letter; None when it is not one."""
    if isinstance(text, int) and not isinstance(text, bool):
        number = str(text)
    else:
        number = str(text).strip()
        if number[:1] in (prefix, prefix.lower()):
            number = number[1:]
    # isdecimal() alone would take other scripts' digits; an id is ASCII 0-9.
    if not (number.isascii() and number.isdecimal()) or int(number) < 1:
        return None
    return int(number)
