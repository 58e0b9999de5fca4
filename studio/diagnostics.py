"""Errors that point at a place in a file the user edits, and say what to do.

A diagnostic prints as ``FILE:LINE:COL: error: MESSAGE`` and, when there is
one, ``  hint: HINT`` on the next line: the layout compilers use, so editors
and CI can jump to the place. ``error:`` and ``hint:`` stay as they are in
every language (tools look for them); the message and the hint are said in
the user's language: they are ``studio.i18n.Msg`` (a catalogue key and its
params; as a ``str``, the English text) and ``render(language)`` says them
in Kazakh, Russian or English. A plain ``str`` message is shown as it is.

Which language: the CLI's ``--lang``, else ``$STUDIO_LANG``, else the
config's ``[station] language`` (studio/language.py ``diagnostics_language``); the
console renders in its current interface language.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from studio.i18n import FALLBACK, Msg, render


_INVISIBLE = ("Cc", "Cf", "Zl", "Zp")
"""Control and format characters (NUL, newlines, right-to-left marks) and line separators."""


def one_line(text: str) -> str:
    """``text`` with each invisible character written as its escape (``\\x00``, ``\\u202e``): what a file
    holds cannot break a diagnostic's one line, nor turn the text after it around."""
    if text.isprintable():
        return text
    return "".join(
        char.encode("unicode_escape").decode("ascii") if unicodedata.category(char) in _INVISIBLE else char
        for char in text
    )


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: Path
    line: int
    column: int  # 0 when only the line matters
    message: str  # a Msg wherever studio can say it in every language
    hint: str = ""

    @property
    def code(self) -> str:
        """The message's stable catalogue key (``diag.rundown.duplicate_id``); "" for a plain text."""
        return self.message.key if isinstance(self.message, Msg) else ""

    def render(self, language: str = FALLBACK) -> str:
        """``FILE:LINE[:COL]: error: MESSAGE`` (and ``  hint: HINT``) in ``language``."""
        where = f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"
        text = f"{where}: error: {one_line(render(self.message, language))}"
        return f"{text}\n  hint: {one_line(render(self.hint, language))}" if self.hint else text

    def __str__(self) -> str:
        return self.render(FALLBACK)


class DiagnosticsError(Exception):
    """One or more problems in a user's file, all reported at once."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics

    def render(self, language: str = FALLBACK) -> str:
        return "\n".join(d.render(language) for d in self.diagnostics)


def nearest(word: str, known: list[str]) -> str | None:
    """The one of ``known`` that ``word`` most likely misspells, if any is close."""
    import difflib  # only when there is an unknown name

    close = difflib.get_close_matches(word, known, n=1)
    return close[0] if close else None


def nearest_hint(word: str, known: list[str], listing: str = "diag.hint.known_keys") -> Msg:
    """``did you mean 'x'? known keys: ...``: the hint of a name that is not one of ``known``.

    ``listing`` is the catalogue key that lists them (``known keys: {known}``, ``fields: {known}``).
    """
    close = nearest(word, known)
    listed = Msg(listing, known=", ".join(known) or Msg("diag.template.none"))
    return Msg("diag.hint.did_you_mean", word=close, known=listed) if close else listed
