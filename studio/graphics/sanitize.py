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

from studio.i18n import Msg

HARD_LIMIT = 1000  # no field on any template may allow more than this

LANGUAGES = {
    "kk": "Kazakh (Cyrillic letters, Latin allowed for names)",
    "ru": "Russian (Cyrillic letters, Latin allowed for names)",
    "kk-latn": "Kazakh in the Latin alphabet of 2021 (Latin letters only)",
    "any": "any letters the font covers",
}

_KEEP_SPACES = {"\u00a0", "\u202f"}  # no-break space, narrow no-break space
_WHITESPACE_CONTROLS = {"\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85"}

_NAMED = {  # what each refused character is: catalogue diag.text.char.<name>
    **{chr(c): "bidi_control" for c in range(0x202A, 0x202F)},
    **{chr(c): "bidi_isolate" for c in range(0x2066, 0x206A)},
    "\u200e": "bidi_mark", "\u200f": "bidi_mark", "\u061c": "bidi_mark",
    "\u200b": "zero_width", "\u200c": "zero_width", "\u200d": "zero_width", "\u2060": "zero_width",
    "\ufeff": "byte_order_mark", "\u00ad": "soft_hyphen",
}
_CATEGORIES = {"Cc": "control", "Cf": "format", "Co": "private_use", "Cn": "unassigned", "Cs": "surrogate"}


class Rejection(ValueError):
    """Why a text was refused, with what to do about it (Msgs: English as a ``str``)."""

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
        raise Rejection(Msg("diag.text.not_text", type=type(value).__name__), Msg("diag.text.hint.not_text"))
    limit = min(max_length, HARD_LIMIT)
    if len(value) > 4 * limit + 64:  # far too long: refuse before normalising or scanning
        raise Rejection(
            Msg("diag.text.too_long", length=len(value), limit=limit), Msg("diag.text.hint.far_too_long")
        )
    text = unicodedata.normalize("NFC", value)
    out: list[str] = []
    for position, char in enumerate(text, start=1):
        category = unicodedata.category(char)
        if char in _WHITESPACE_CONTROLS or category in ("Zl", "Zp") or (category == "Zs" and char not in _KEEP_SPACES):
            out.append(" ")
            continue
        if category[0] == "C":
            what = Msg(f"diag.text.char.{_NAMED.get(char) or _CATEGORIES[category]}")
            raise Rejection(
                Msg("diag.text.invisible", char=describe(char), what=what, position=position),
                Msg("diag.text.hint.invisible"),
            )
        if category[0] == "M":
            raise Rejection(
                Msg("diag.text.combining", char=describe(char), position=position), Msg("diag.text.hint.combining")
            )
        out.append(char)
    text = " ".join(part for part in "".join(out).split(" ") if part)  # split(" "): keep no-break spaces
    if len(text) > limit:
        raise Rejection(Msg("diag.text.too_long", length=len(text), limit=limit), Msg("diag.text.hint.too_long"))
    _check_words(text, language)
    if covered is not None:
        for position, char in enumerate(text, start=1):
            if char != " " and ord(char) not in covered:
                raise Rejection(
                    Msg("diag.text.no_glyph", char=describe(char), letter=char, position=position),
                    Msg("diag.text.hint.no_glyph"),
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
                raise Rejection(Msg("diag.text.mixed", word=joined, latin=latin), Msg("diag.text.hint.mixed"))
            allowed = {"kk": {"Cyrillic", "Latin"}, "ru": {"Cyrillic", "Latin"}, "kk-latn": {"Latin"}}.get(language)
            if allowed is not None and not scripts <= allowed:
                said = [Msg(f"diag.text.script.{name.lower()}") for name in sorted(scripts - allowed)]
                scripts_said = said[0]
                for more in said[1:]:
                    scripts_said = Msg("diag.text.list", first=scripts_said, more=more)
                raise Rejection(
                    Msg("diag.text.wrong_script", word=joined, scripts=scripts_said,
                        language=Msg(f"diag.text.language.{language.replace('-', '_')}")),
                    Msg("diag.text.hint.wrong_script"),
                )
            word = []
