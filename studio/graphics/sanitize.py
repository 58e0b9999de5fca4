"""On-air text hygiene: what may be drawn, and what is refused.

Decision: **reject, never strip.** Text reaches a graphic from the desk or the
producer; if it carries an invisible or direction-changing character, the
text on screen would differ from the text that was checked (a bidi override
can turn "19,21" into "12,91"; a zero-width joiner hides inside a name and
defeats every comparison). Silently stripping would change verified words
without anyone seeing it, so the graphic is refused with the character's
code point, its name and its position, and the operator fixes the source.

What is *normalised* (harmless, changes no reading):

- Unicode NFC, so "й" typed as и + combining breve is one letter;
- tab, newline, carriage return, the line/paragraph separators and the
  typographic spaces (U+2000–U+200A, U+3000, ...) become one plain space;
  runs of spaces collapse and the ends are trimmed. No-break spaces
  (U+00A0, U+202F) are kept: they bind "19,21 %" together.

What is *refused*:

- control characters (C0, DEL, C1);
- every format character (Unicode category Cf), which includes the bidi
  embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069, the marks
  U+200E, U+200F, U+061C, the zero-width characters U+200B–U+200D, U+2060,
  U+FEFF, and the soft hyphen;
- private-use, unassigned and surrogate code points;
- combining marks left after NFC (stacked "Zalgo" marks overflow any box;
  Kazakh and Russian need none once composed);
- a word that mixes Latin and Cyrillic letters ("Aлматы" with a Latin A):
  a typo from a switched keyboard layout, or a homoglyph trick;
- letters outside the field's language (see ``LANGUAGES``);
- any character the font has no glyph for: it would print as a box on air;
- text longer than the field's ``max_length``. Anything over
  ``HARD_LIMIT`` characters is refused before any other work, so a
  5,000-character paste costs microseconds, not a layout search.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container

HARD_LIMIT = 1000  # no field on any template may allow more than this

LANGUAGES = {
    "kk": "Kazakh (Cyrillic letters, Latin allowed for names)",
    "ru": "Russian (Cyrillic letters, Latin allowed for names)",
    "kk-latn": "Kazakh in the Latin alphabet of 2021 (Latin letters only)",
    "any": "any letters the font covers",
}

_KEEP_SPACES = {"\u00a0", "\u202f"}  # no-break space, narrow no-break space
_WHITESPACE_CONTROLS = {"\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85"}

_NAMED = {
    **{chr(c): "a bidi control that can reorder text on screen" for c in range(0x202A, 0x202F)},
    **{chr(c): "a bidi isolate that can reorder text on screen" for c in range(0x2066, 0x206A)},
    "\u200e": "a bidi mark", "\u200f": "a bidi mark", "\u061c": "a bidi mark",
    "\u200b": "an invisible zero-width character", "\u200c": "an invisible zero-width character",
    "\u200d": "an invisible zero-width character", "\u2060": "an invisible zero-width character",
    "\ufeff": "an invisible byte-order mark", "\u00ad": "an invisible soft hyphen",
}


class Rejection(ValueError):
    """Why a text was refused, with what to do about it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def describe(char: str) -> str:
    name = unicodedata.name(char, "unnamed")
    return f"U+{ord(char):04X} {name}"


def _script(char: str) -> str:
    code = ord(char)
    if 0x0400 <= code <= 0x052F or 0x1C80 <= code <= 0x1C8F or 0x2DE0 <= code <= 0x2DFF or 0xA640 <= code <= 0xA69F:
        return "Cyrillic"
    if code <= 0x024F or 0x1E00 <= code <= 0x1EFF:
        return "Latin"
    if 0x0370 <= code <= 0x03FF:
        return "Greek"
    return "other"


def clean(value: object, *, max_length: int, language: str = "any", covered: Container[int] | None = None) -> str:
    """Return ``value`` normalised for air, or raise :class:`Rejection`."""
    if not isinstance(value, str):
        raise Rejection(f"expected text, got {type(value).__name__}", "write the value as a quoted string")
    limit = min(max_length, HARD_LIMIT)
    if len(value) > 4 * limit + 64:  # far too long: refuse before normalising or scanning
        raise Rejection(
            f"{len(value)} characters; this field allows at most {limit}",
            "shorten the text; long statements belong in the presenter's script, not on a graphic",
        )
    text = unicodedata.normalize("NFC", value)
    out: list[str] = []
    for position, char in enumerate(text, start=1):
        category = unicodedata.category(char)
        if char in _WHITESPACE_CONTROLS or category in ("Zl", "Zp") or (category == "Zs" and char not in _KEEP_SPACES):
            out.append(" ")
            continue
        if category[0] == "C":
            what = _NAMED.get(char) or {
                "Cc": "a control character",
                "Cf": "an invisible format character",
                "Co": "a private-use character",
                "Cn": "an unassigned code point",
                "Cs": "a lone surrogate",
            }[category]
            raise Rejection(
                f"contains {describe(char)}, {what}, at character {position}",
                "remove it at the source and enter the text again; on-air text is refused, never silently altered",
            )
        if category[0] == "M":
            raise Rejection(
                f"contains the combining mark {describe(char)} at character {position}",
                "type the letter as one precomposed character (e.g. Ә, not А + mark); stacked marks are refused",
            )
        out.append(char)
    text = " ".join(part for part in "".join(out).split(" ") if part)  # split(" "): keep no-break spaces
    if len(text) > limit:
        raise Rejection(
            f"{len(text)} characters; this field allows at most {limit}",
            "shorten the text; a graphic is read in seconds",
        )
    _check_words(text, language)
    if covered is not None:
        for position, char in enumerate(text, start=1):
            if char != " " and ord(char) not in covered:
                raise Rejection(
                    f"the font has no glyph for {describe(char)} ('{char}') at character {position}; it would print as a box",
                    "replace the character, or use a template whose font covers it",
                )
    return text


def _check_words(text: str, language: str) -> None:
    word: list[str] = []
    for char in text + " ":
        if char.isalpha():
            word.append(char)
            continue
        if word:
            scripts = {_script(c) for c in word}
            joined = "".join(word)
            if "Latin" in scripts and "Cyrillic" in scripts:
                latin = "".join(c for c in joined if _script(c) == "Latin")
                raise Rejection(
                    f"the word '{joined}' mixes Latin and Cyrillic letters (Latin: '{latin}')",
                    "retype the word in one alphabet; look-alike letters (А/A, О/O, С/C, Қ/K) are a keyboard-layout slip",
                )
            allowed = {"kk": {"Cyrillic", "Latin"}, "ru": {"Cyrillic", "Latin"}, "kk-latn": {"Latin"}}.get(language)
            if allowed is not None and not scripts <= allowed:
                raise Rejection(
                    f"the word '{joined}' has {', '.join(sorted(scripts - allowed))} letters; "
                    f"this field is {LANGUAGES[language]}",
                    "write the text in the field's language",
                )
            word = []
