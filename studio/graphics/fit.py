"""Fit text to its box: shrink, then wrap, then refuse. Never cut.

1. One line, from the box's ``size`` down to its ``min_size``.
2. Two lines, then three, ... up to ``max_lines``: for each count, the
   largest size from ``size`` down to ``min_size`` at which the words wrap
   into that many lines and the lines fit the box's height.
3. Otherwise :class:`TextDoesNotFit`, saying how many lines the text needs
   at the minimum size and roughly how long it may be.

Lines break only between words (no hyphenation, no mid-word breaks: a
broken Kazakh word reads as a different word), never inside a number
written in groups ("12 461 796") and never before a dash. The search uses word widths
measured once at the largest size and scaled, then measures every chosen
line exactly, so a fit that is accepted is a fit, and the search costs a
few measurements rather than one per size.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from studio.graphics.errors import TextDoesNotFit
from studio.graphics.fonts import text_width
from studio.i18n import Msg


@dataclass(frozen=True, slots=True)
class Fitted:
    size: int
    lines: tuple[str, ...]


_GROUP = re.compile(r"^\d{3}(?!\d)")


def _units(text: str) -> list[str]:
    """Words, with the spaces that must not break kept inside: "12 461 796" stays whole,
    and a dash stays at the end of the line before it, never starting a line."""
    units: list[str] = []
    for word in text.split(" "):
        if units and ((units[-1][-1:].isdigit() and _GROUP.match(word)) or word in ("—", "–")):
            units[-1] += " " + word
        else:
            units.append(word)
    return units


def _wrap(words: list[str], widths: list[float], space: float, limit: float) -> list[list[str]] | None:
    """Greedy wrap by estimated widths; None if one word alone is wider than ``limit``."""
    lines: list[list[str]] = []
    current: list[str] = []
    used = 0.0
    for word, width in zip(words, widths):
        if width > limit:
            return None
        if current and used + space + width <= limit:
            current.append(word)
            used += space + width
        else:
            if current:
                lines.append(current)
            current, used = [word], width
    if current:
        lines.append(current)
    return lines


def fit_text(
    text: str, font_path: Path, *, width: int, height: int, size: int, min_size: int, max_lines: int,
    line_height: float, template: str = "", box: str = "",
) -> Fitted:
    """The largest size and fewest lines at which ``text`` fits, or TextDoesNotFit."""
    def fits_height(lines: int, px: int) -> bool:
        return lines * round(px * line_height) <= height

    # 1. one line, shrinking
    top = size
    while top >= min_size and not fits_height(1, top):
        top -= 1
    if top >= min_size:
        full = text_width(font_path, top, text)
        candidate = top if full <= width else max(min_size, math.floor(top * width / full))
        while candidate >= min_size:
            if text_width(font_path, candidate, text) <= width:
                return Fitted(candidate, (text,))
            candidate -= 1
    # 2. wrapping, 2 .. max_lines lines
    words = _units(text)
    ref_widths = [text_width(font_path, size, word) for word in words]
    ref_space = text_width(font_path, size, " ")
    for count in range(2, max_lines + 1):
        px = size
        while px >= min_size and not fits_height(count, px):
            px -= 1
        while px >= min_size:
            scale = px / size
            wrapped = _wrap(words, [w * scale for w in ref_widths], ref_space * scale, width)
            if wrapped is not None and len(wrapped) <= count:
                lines = tuple(" ".join(line) for line in wrapped)
                if all(text_width(font_path, px, line) <= width for line in lines):
                    return Fitted(px, lines)
            px -= 1
    # 3. refuse, saying by how much
    widths = [text_width(font_path, min_size, word) for word in words]
    space = text_width(font_path, min_size, " ")
    wrapped = _wrap(words, widths, space, width)
    if wrapped is None:
        widest = max(zip(widths, words))[1]
        raise TextDoesNotFit(
            template, box,
            Msg("diag.graphics.word_too_wide", word=widest, width=width, min_size=min_size),
            Msg("diag.graphics.hint.word_too_wide"),
        )
    need = len(wrapped)
    total = sum(widths) + space * (len(words) - 1)
    allowed = max(1, int(len(text) * max_lines * width / total * 0.9))  # lines rarely fill edge to edge
    raise TextDoesNotFit(
        template, box,
        Msg("diag.graphics.too_many_lines", length=len(text), need=need, min_size=min_size, max_lines=max_lines),
        Msg("diag.graphics.hint.too_many_lines", allowed=allowed),
    )
