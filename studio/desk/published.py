"""Official figures as the press prints them, read exactly or refused.

Outlets print one release each their own way: «19,21», «68, 23» (a stray space
after the comma), «19.21%», «2 393 844». A reading keeps the figure exactly as
published (trailing zeros included) and never rounds; what it is not sure of is
refused with the column, the value and what to set in the mapping.

A bound («более 40%», «40%-дан астам», "over 40%") is not a figure. It is read
as a ``Bound`` and stored as one (in a fact's detail, its value left empty), so
nothing downstream can take it for a number: a board never draws it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Mapping
from urllib.parse import urlsplit

from studio.desk.text import name_key
from studio.i18n import Msg

Side = Literal["above", "below"]
SIDES: tuple[Side, ...] = ("above", "below")
BOUND, BOUND_PERCENT = "bound", "bound_percent"
"""The detail keys of a bound: its side and its percent as printed."""
COUNT_DIGITS = 12
"""No count of voters or ballots has more digits: a longer one is a slip (and Python reads at most 4300)."""

_SPACE = re.compile(r"\s+")  # any Unicode space: NBSP and the thin spaces of grouped digits too
_COUNT = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"[0-9][0-9\s]*(?:[.,]\s*[0-9]+)?")
# Kazakh puts the ablative on the number: «40%-дан астам», «40-тан астам»; the word is what counts.
_ABLATIVE = re.compile(r"^\s*-?\s*(?:дан|ден|тан|тен|нан|нен)(?![^\W\d_])", re.IGNORECASE)


class Unreadable(Exception):
    """A value that cannot be read: ``reason`` and ``hint`` are ``Msg`` (any language on screen)."""

    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason)
        self.reason, self.hint = reason, hint


@dataclass(frozen=True, slots=True)
class Bound:
    """«более 40%»: the figure lies above (or below) ``percent``; which figure, nobody published."""

    side: Side
    percent: Decimal

    @property
    def detail(self) -> tuple[tuple[str, str], ...]:
        return ((BOUND, self.side), (BOUND_PERCENT, str(self.percent)))


def bound_of(detail: Mapping[str, str]) -> Bound | None:
    """The bound a fact's detail records, if it records one."""
    side, percent = detail.get(BOUND), detail.get(BOUND_PERCENT)
    if side not in SIDES or percent is None:
        return None
    return Bound(side, Decimal(percent))  # type: ignore[arg-type]


def count(text: str | None, column: str) -> int | None:
    """A whole number such as «2393844» or «2 393 844»; empty: None."""
    cleaned = _SPACE.sub("", text or "")
    if not cleaned:
        return None
    if not _COUNT.fullmatch(cleaned):
        raise Unreadable(
            Msg("diag.official.not_count", column=repr(column), value=repr(text)), Msg("diag.official.hint.count")
        )
    if len(cleaned.lstrip("0")) > COUNT_DIGITS:
        raise Unreadable(
            Msg("diag.official.too_many", column=repr(column), value=repr(text)), Msg("diag.official.hint.count")
        )
    return int(cleaned)


def percent(text: str | None, column: str, mark: str) -> Decimal:
    """A percent such as «19.21», «19,21 %» or «68, 23» (with ``mark`` the decimal mark), exactly as printed."""
    number = _decimal(text or "", mark)
    if number is None:
        raise Unreadable(
            Msg("diag.official.not_percent", column=repr(column), value=repr(text or "")),
            _mark_hint(text or "", mark),
        )
    return _in_range(number, text or "", column)


def percent_or_bound(text: str | None, column: str, mark: str, words: Mapping[str, Side]) -> Decimal | Bound:
    """A percent, or a bound said with one of ``words`` (folded by ``bound_words``) before or after the number."""
    raw = text or ""
    number = _decimal(raw, mark)
    if number is not None:
        return _in_range(number, raw, column)
    found = list(_NUMBER.finditer(raw))
    if len(found) == 1:
        before, after = raw[: found[0].start()], raw[found[0].end() :].lstrip().removeprefix("%")
        before, after = name_key(before), name_key(_ABLATIVE.sub("", after))
        side = words.get(before or after) if bool(before) != bool(after) else None
        if side is not None:
            value = _decimal(found[0].group(), mark)
            if value is None:
                raise Unreadable(
                    Msg("diag.official.not_percent", column=repr(column), value=repr(raw)), _mark_hint(raw, mark)
                )
            return Bound(side, _in_range(value, raw, column))
        if before or after:
            raise Unreadable(
                Msg("diag.official.unknown_bound", column=repr(column), value=repr(raw), word=repr(before or after)),
                Msg("diag.official.hint.bound"),
            )
    raise Unreadable(Msg("diag.official.not_percent", column=repr(column), value=repr(raw)), _mark_hint(raw, mark))


def address(text: str, column: str) -> str:
    """The web address a figure was read from."""
    try:
        parts = urlsplit(text)
    except ValueError:  # "http://[x": a bracket that opens no IPv6 address
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise Unreadable(
            Msg("diag.official.not_address", column=repr(column), value=repr(text)), Msg("diag.official.hint.address")
        )
    return text


def bound_words(above: tuple[str, ...], below: tuple[str, ...]) -> dict[str, Side]:
    """Each word of a mapping's ``[bounds]``, folded as a cell's words are, with the side it says."""
    return {name_key(word): "below" for word in below} | {name_key(word): "above" for word in above}


def _decimal(text: str, mark: str) -> Decimal | None:
    """The number in ``text`` (spaces and one percent sign around it ignored), or None."""
    cleaned = _SPACE.sub("", text)
    cleaned = cleaned.removesuffix("%") if cleaned.endswith("%") else cleaned.removeprefix("%")
    whole, marked, fraction = cleaned.partition(mark)
    if not _COUNT.fullmatch(whole) or (marked and not _COUNT.fullmatch(fraction)):
        return None
    return Decimal(f"{whole}.{fraction}" if marked else whole)


def _in_range(number: Decimal, text: str, column: str) -> Decimal:
    if number > 100:
        raise Unreadable(
            Msg("diag.official.over_100", column=repr(column), value=repr(text)), Msg("diag.official.hint.over_100")
        )
    return number


def _mark_hint(text: str, mark: str) -> Msg:
    other = "," if mark == "." else "."
    if other in text and _decimal(text, other) is not None:
        return Msg("diag.official.hint.mark", mark=repr(mark), other=repr(other))
    return Msg("diag.official.hint.percent", example="19" + mark + "21")
