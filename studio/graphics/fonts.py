"""The bundled fonts: loading, caching, and proof that they cover Kazakh.

Coverage is read from the font's character map with fontTools, not guessed
from rendering: a code point absent from the cmap is a box on air. Every
font a template names is checked at load against ``REQUIRED``; every text
drawn is checked against the same map before it is drawn (sanitize.py).

Text is laid out with Pillow's BASIC engine, not Raqm: Kazakh and Russian
need no complex shaping, BASIC gives the same pixels on every machine
whether or not libraqm is installed (golden images stay valid), and it has
no run-time dependency beyond FreeType, which Pillow's wheels bundle.
Lines are then composed from glyphs rasterised once per font and size,
placed and blended exactly as BASIC places and blends them, so a new text
costs pastes rather than FreeType rendering (``text_mask``).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from studio.i18n import Msg

# The nine Kazakh letters beyond Russian, upper and lower case.
KAZAKH_CYRILLIC = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
RUSSIAN_CYRILLIC = "".join(chr(c) for c in range(ord("А"), ord("я") + 1)) + "Ёё"
BASIC_LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# Kazakh Latin alphabet of 2021 beyond basic Latin: Ä Ğ Ñ Ö Ş Ū Ü, dotless ı and dotted İ (Q is basic).
KAZAKH_LATIN_2021 = "ÄäĞğQqÑñÖöŞşŪūÜüIıİi"
# What the shipped templates print around the words.
DIGITS_AND_MARKS = "0123456789%:;,.·—–-()/«»№'’\"!?+"

REQUIRED = KAZAKH_CYRILLIC + RUSSIAN_CYRILLIC + BASIC_LATIN + KAZAKH_LATIN_2021 + DIGITS_AND_MARKS


@dataclass(frozen=True, slots=True)
class FontFile:
    path: Path
    sha256: str
    cmap: frozenset[int]
    cap_height: float  # of the em: capitals are centred on a line by this, not by ascender/descender

    def missing(self, text: str = REQUIRED) -> str:
        """The characters of ``text`` this font has no glyph for, in order, without repeats."""
        seen: dict[str, None] = {}
        for char in text:
            if not char.isspace() and ord(char) not in self.cmap:
                seen.setdefault(char)
        return "".join(seen)


@cache
def font_file(path: Path) -> FontFile:
    """Read a font's character map and content hash once per process.

    Raises OSError for an unreadable file and ValueError for one that is not a font.
    """
    try:
        from fontTools.ttLib import TTFont, TTLibError  # 30 ms import; needed only when a template loads
    except ImportError:
        raise ValueError(Msg("diag.font.no_fonttools")) from None

    data = path.read_bytes()
    try:
        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap()
            os2 = font["OS/2"] if "OS/2" in font else None
            em = font["head"].unitsPerEm
            cap = getattr(os2, "sCapHeight", 0) or 0.7 * em
            kern = "kern" in font
    except (TTLibError, AssertionError, KeyError, ValueError, EOFError, OSError, IndexError) as error:
        raise ValueError(Msg("diag.font.not_a_font", detail=f"{type(error).__name__}: {error}")) from None
    except Exception as error:  # fontTools raises struct.error and others on garbage: all mean "not a font"
        raise ValueError(Msg("diag.font.not_a_font", detail=f"{type(error).__name__}: {error}")) from None
    if cmap is None:
        raise ValueError(Msg("diag.font.no_cmap"))
    if kern:
        raise ValueError(Msg("diag.font.kern"))
    return FontFile(path, hashlib.sha256(data).hexdigest(), frozenset(cmap), cap / em)


# One FreeType face is not safe to use from two threads at once; the show renders
# in worker threads. Held only on a cache miss, so it costs nothing in steady state.
_FREETYPE = threading.RLock()


@lru_cache(maxsize=4)
def truetype(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """A Pillow font at one pixel size; cached, since the fitter tries several sizes.

    Only a few: each is a FreeType face that maps the font file anew and reads its pages into memory
    (~0.2 MB each; a day's graphics used 16 sizes, a station's own texts may use many more), and a
    face is wanted again only for a letter not yet measured or drawn at its size (``advance``, ``glyph``).
    """
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=8192)
def advance(path: Path, size: int, char: str) -> int:
    """How far ``char`` moves the pen, in whole pixels (hinting rounds every advance)."""
    with _FREETYPE:
        return int(truetype(path, size).getlength(char))


@dataclass(frozen=True, slots=True)
class Glyph:
    mask: Image.Image | None  # antialiased coverage cropped to the ink; None for a space
    left: int  # of the mask, from the pen position on the baseline
    top: int


@lru_cache(maxsize=8192)
def glyph(path: Path, size: int, char: str) -> Glyph:
    """One letter rasterised once per font and size, for every text that uses it.

    Every new name or claim is mostly letters already drawn today, so a new
    lower third costs pastes of cached masks, not FreeType rendering (which
    loads each glyph three times per call: ~1.5 ms for a 20-letter name).
    """
    with _FREETYPE:
        font = truetype(path, size)
        ascent, descent = font.getmetrics()
        pad = size  # room for glyphs that overhang their advance (Қ's tail, accents)
        canvas = Image.new("L", (advance(path, size, char) + 2 * pad, ascent + descent + 2 * pad), 0)
        ImageDraw.Draw(canvas).text((pad, pad + ascent), char, font=font, fill=255, anchor="ls")
    box = canvas.getbbox()
    if box is None:
        return Glyph(None, 0, 0)
    return Glyph(canvas.crop(box), box[0] - pad, box[1] - pad - ascent)


def text_width(path: Path, size: int, text: str) -> int:
    """Advance width of ``text``: the sum of its letters' advances.

    Exactly what Pillow's BASIC layout measures, since it applies no
    kerning to fonts without a legacy 'kern' table (``font_file`` refuses
    those) and rounds each advance (tests/graphics/test_graphics_fonts.py).
    """
    return sum(advance(path, size, char) for char in text)


@lru_cache(maxsize=64)
def text_mask(path: Path, size: int, text: str, align: str) -> tuple[Image.Image, int, int]:
    """The antialiased coverage of ``text`` and its offset from the anchor point on its
    baseline: at the left end, the middle or the right end (``align`` "l", "m" or "r").

    Composed from cached glyphs at whole-pixel pen positions, as Pillow's
    BASIC layout places them; pasting 255 through each glyph's mask blends
    overlapping edges with the same rounding as FreeType drawing in Pillow,
    so the pixels are Pillow's own, to the value (test_graphics_fonts.py).
    Cached per string too: the location bug repeats its region names every
    minute. Few strings (~0.5 MB): the names in use stay, the bug's clock
    passes through once a minute. Masks are immutable once made (only read
    by ``paste``).
    """
    width = text_width(path, size, text)
    # Pillow rounds half a pixel up for a centred anchor; Python's round() would go to even.
    pen = -{"l": 0, "m": (width + 1) // 2, "r": width}[align]
    placed: list[tuple[Any, int, int, int, int]] = []  # each letter's mask (Pillow's core) and its box
    for char in text:
        letter = glyph(path, size, char)
        if letter.mask is not None:
            x, y = pen + letter.left, letter.top
            placed.append((letter.mask.im, x, y, x + letter.mask.width, y + letter.mask.height))
        pen += advance(path, size, char)
    if not placed:
        return Image.new("L", (1, 1), 0), 0, 0
    left, top = min(p[1] for p in placed), min(p[2] for p in placed)
    right, bottom = max(p[3] for p in placed), max(p[4] for p in placed)
    canvas = Image.new("L", (right - left, bottom - top), 0)
    core = canvas.im  # Image.paste's own call, without its checks per letter (a board pastes ~900 letters)
    for mask, x, y, x_end, y_end in placed:
        core.paste(255, (x - left, y - top, x_end - left, y_end - top), mask)
    return canvas, left, top


def clear_caches() -> None:
    """Forget every rasterised glyph and measured width, as in a process that has just started."""
    for cached in (text_mask, glyph, advance):
        cached.cache_clear()
