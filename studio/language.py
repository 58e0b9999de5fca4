"""The language a command's errors are printed in, chosen before anything else is read."""

from __future__ import annotations

import argparse
import os
import tomllib
from pathlib import Path

from studio.i18n import FALLBACK, LANGUAGES


def asked_language(args: argparse.Namespace, environ: dict[str, str] | None = None) -> str | None:
    """The language the person asked for this run: ``--lang``, else ``$STUDIO_LANG``; None: the config decides."""
    environ = dict(os.environ) if environ is None else environ
    for given in (getattr(args, "lang", None), environ.get("STUDIO_LANG", "").strip().lower()):
        if given in LANGUAGES:
            return given
    return None


def diagnostics_language(args: argparse.Namespace, environ: dict[str, str] | None = None) -> str:
    """The language errors are printed in: --lang, $STUDIO_LANG, the config's [station] language, English.

    The config is read without being checked (tomllib only): a config with an error
    elsewhere still says its language. No config file: the default, Kazakh. A config
    that cannot be read or parsed, or names no language studio speaks: English.
    """
    if asked := asked_language(args, environ):
        return asked
    from studio.config import Station
    from studio.paths import config_file

    path = config_file(getattr(args, "config", None))
    if path is None:
        return Station().language
    try:
        station = tomllib.loads(Path(path).read_text("utf-8")).get("station", {})
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):  # TOMLDecodeError is a ValueError
        return FALLBACK  # the config's own check says what is wrong with it
    language = station.get("language", Station().language) if isinstance(station, dict) else None
    return language if language in LANGUAGES else FALLBACK
