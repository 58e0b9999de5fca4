"""The bundled fonts: loading, caching, and proof that they cover Kazakh.

Coverage is read from the font's character map with fontTools, not guessed
from rendering: a code point absent from the cmap is a box on air. Every
font a template names is checked at load against ``REQUIRED``; every text
drawn is checked against the same map before it is drawn (sanitize.py).

Text is laid out with Pillow's BASIC engine, not Raqm: Kazakh and Russian
need no complex shaping, BASIC gives the same pixels on every machine
whether or not libraqm is installed (golden images stay valid), and it has
no run-time dependency beyond FreeType, which Pillow's wheels bundle.
"""

from __future__ import annotations

import hashlib
import math
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

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
        raise ValueError("fontTools is not installed (pip install fonttools): it reads which letters "
                         "a font covers, so a missing glyph fails here and not on air") from None

    data = path.read_bytes()
    try:
        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap()
            os2 = font["OS/2"] if "OS/2" in font else None
            em = font["head"].unitsPerEm
            cap = getattr(os2, "sCapHeight", 0) or 0.7 * em
    except (TTLibError, AssertionError, KeyError, ValueError, EOFError, OSError, IndexError) as error:
        raise ValueError(f"not a TrueType/OpenType font ({type(error).__name__}: {error})") from None
    except Exception as error:  # fontTools raises struct.error and others on garbage: all mean "not a font"
        raise ValueError(f"not a TrueType/OpenType font ({type(error).__name__}: {error})") from None
    if cmap is None:
        raise ValueError("the font has no Unicode character map")
    return FontFile(path, hashlib.sha256(data).hexdigest(), frozenset(cmap), cap / em)


# One FreeType face is not safe to use from two threads at once; the show renders
# in worker threads. Held only on a cache miss, so it costs nothing in steady state.
_FREETYPE = threading.RLock()


@lru_cache(maxsize=512)
def truetype(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """A Pillow font at one pixel size; cached, since the fitter tries several sizes."""
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=4096)
def text_width(path: Path, size: int, text: str) -> float:
    """Advance width of ``text``. Cached: FreeType loads every glyph again on each call,
    and a show measures the same names, regions and labels all day."""
    with _FREETYPE:
        return truetype(path, size).getlength(text)


@lru_cache(maxsize=256)
def text_mask(path: Path, size: int, text: str, anchor: str) -> tuple[Image.Image, int, int]:
    """The antialiased coverage of ``text`` and its offset from the anchor point.

    Cached for the same reason as ``text_width``: rasterising glyphs is most of
    the cost of a lower third, and the location bug repeats its region names
    every minute. Masks are immutable once made (only read by ``paste``).
    """
    width = text_width(path, size, text)  # measured already by the fitter: no second glyph pass
    with _FREETYPE:
        font = truetype(path, size)
        ascent, descent = font.getmetrics()
        pad = size  # room for glyphs that overhang their advance (Қ's tail, italics, accents)
        x = pad + round({"l": 0.0, "m": width / 2, "r": width}[anchor[0]])  # whole pixels: stable goldens
        y = pad + ascent
        canvas = Image.new("L", (math.ceil(width) + 2 * pad, ascent + descent + 2 * pad), 0)
        ImageDraw.Draw(canvas).text((x, y), text, font=font, fill=255, anchor=anchor)
    box = canvas.getbbox() or (0, 0, 1, 1)
    return canvas.crop(box), box[0] - x, box[1] - y
