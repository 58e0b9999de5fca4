"""The interface string catalogue: one flat key space, three languages.

Keys are dotted names (``error.take_conflict``) written as TOML dotted keys in
``en.toml``, ``ru.toml`` and ``kk.toml`` beside this module; the loader
flattens the tables back into one dict per language. Values are
``str.format`` templates with named fields only (``{segment}``).

A ``Catalogue`` holds the current language and can switch it at run time.
The interface uses the module's shared ``catalogue`` through ``t()``; other
front ends (a web prompter) make their own ``Catalogue(language)``.

The core does not know the user's language when it finds a problem (a rundown
line, a config key), so it says it as a ``Msg``: a key and its params, which
*is* a ``str`` (its English text, so logs, stored reasons and ``in`` checks
keep working) and renders in any language later (``msg.render("kk")``). A
``Msg`` given as a param to another is rendered in the same language.
This module has no Textual import and may be used by the core.
"""

from __future__ import annotations

import hashlib
import json
import string
import tomllib
from contextlib import suppress
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final, Iterable, Mapping

import platformdirs

LANGUAGES: Final = ("kk", "ru", "en")
"""Interface languages, in the order the language commands list them."""

FALLBACK: Final = "en"


class UnknownLanguage(ValueError):
    pass


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def messages(language: str) -> Mapping[str, str]:
    """Every template of one language, by flat key (read once)."""
    if language not in LANGUAGES:
        raise UnknownLanguage(f"no interface language {language!r}; use one of {', '.join(LANGUAGES)}")
    text = resources.files("studio.i18n").joinpath(f"{language}.toml").read_bytes()
    # tomllib is pure Python: a catalogue takes ~15 ms to parse, its JSON copy under 1.5 ms; every start reads two
    flat = _parsed(text)
    if flat is None:
        flat = _flatten(tomllib.loads(text.decode("utf-8")))
        _keep_parsed(text, flat)
    return flat


def _parsed_file(text: bytes) -> Path:
    """Where the parsed copy of a catalogue's ``text`` is kept: named by its hash, so an edit is never served stale."""
    return platformdirs.user_cache_path("studio") / "i18n" / f"{hashlib.blake2b(text, digest_size=16).hexdigest()}.json"


def _parsed(text: bytes) -> dict[str, str] | None:
    try:
        return json.loads(_parsed_file(text).read_bytes())
    except (OSError, ValueError):  # not kept yet, unreadable or torn: parse the TOML
        return None


def _keep_parsed(text: bytes, flat: dict[str, str]) -> None:
    target = _parsed_file(text)
    partial = target.with_suffix(f".{id(flat)}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(flat, ensure_ascii=False), "utf-8")
        partial.replace(target)  # atomic: another process never reads half a file
    except OSError:  # a read-only or full disk costs the next start 15 ms, nothing else
        with suppress(OSError):
            partial.unlink(missing_ok=True)


def params_of(template: str) -> frozenset[str]:
    """The named fields a template uses: ``"{a} of {b}"`` -> ``{"a", "b"}``."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


class _Keep(dict[str, Any]):
    """Format mapping that leaves an unknown field visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Catalogue:
    """The interface strings in one current language."""

    def __init__(self, language: str = FALLBACK) -> None:
        self._language = FALLBACK
        self.language = language

    @property
    def language(self) -> str:
        return self._language

    @language.setter
    def language(self, language: str) -> None:
        messages(language)  # refuses an unknown language before switching
        self._language = language

    def t(self, key: str, /, **params: Any) -> str:
        """The template for ``key`` in the current language, filled with ``params``.

        A key missing in the language falls back to English, then to the key
        itself, so a gap shows as text on screen instead of a crash on air.
        ``None`` params print as a dash.
        """
        template = messages(self._language).get(key)
        if template is None:
            template = messages(FALLBACK).get(key)
        if template is None:
            return key
        values = _Keep({name: self._value(value) for name, value in params.items()})
        try:
            return template.format_map(values)
        except (ValueError, IndexError):  # a broken template must not take the console down
            return template

    def _value(self, value: Any) -> Any:
        if value is None:
            return "—"
        return value.render(self._language) if isinstance(value, Msg) else value

    def native_name(self, language: str | None = None) -> str:
        """A language's name in that language (Қазақша, Русский, English)."""
        return messages(language or self._language)["language.name"]


class Msg(str):
    """A message for people, said once and shown in any language: ``Msg("diag.unknown_key")``.

    As a ``str`` it is the English text; ``key`` and ``params`` are kept so
    ``render(language)`` can say it in Kazakh or Russian. Params may be Msgs.
    """

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, /, **params: Any) -> Msg:
        self = super().__new__(cls, Catalogue(FALLBACK).t(key, **params))
        self.key, self.params = key, params
        return self

    def render(self, language: str = FALLBACK) -> str:
        """The message in ``language`` (an unknown language: English)."""
        return Catalogue(language if language in LANGUAGES else FALLBACK).t(self.key, **self.params)


class Joined(Msg):
    """Several messages said as one, ``separator`` between them, each in the language asked for
    (a refusal that names every reason: ``Joined(reasons, "; ")``)."""

    parts: tuple[str, ...]
    separator: str

    def __new__(cls, parts: Iterable[str], separator: str = "; ") -> Joined:
        said = tuple(parts)
        self = str.__new__(cls, separator.join(said))
        self.key, self.params = "diag.as_is", {"text": str(self)}
        self.parts, self.separator = said, separator
        return self

    def render(self, language: str = FALLBACK) -> str:
        return self.separator.join(render(part, language) for part in self.parts)


def render(text: str, language: str = FALLBACK) -> str:
    """``text`` in ``language`` when it is a ``Msg``; any other string as it is."""
    return text.render(language) if isinstance(text, Msg) else text


catalogue = Catalogue()
"""The catalogue the console uses; the app sets its language from the config."""


def t(key: str, /, **params: Any) -> str:
    """Translate with the shared catalogue."""
    return catalogue.t(key, **params)


def set_language(language: str) -> None:
    catalogue.language = language


__all__ = [
    "LANGUAGES",
    "Catalogue",
    "Joined",
    "Msg",
    "UnknownLanguage",
    "catalogue",
    "messages",
    "params_of",
    "render",
    "set_language",
    "t",
]
