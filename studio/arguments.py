"""argparse, speaking the station's language: its errors say what is wrong in kk, ru or en.

argparse words its errors in English (``the following arguments are required:
RUNDOWN``). ``ArgumentParser.error`` is where every one of them passes, already
formatted; the templates it uses are few and stable, so each is recognised here
and said again from the catalogue (``cli.arguments.*``). One argparse has not
worded before stays as it is. Help texts stay English: they are the reference
the README quotes.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from studio.i18n import Msg

_TEMPLATES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), key)
    for pattern, key in (
        (r"the following arguments are required: (?P<names>.+)", "required"),
        (r"unrecognized arguments: (?P<given>.+)", "unrecognized"),
        (r"argument (?P<name>\S+): invalid choice: (?P<given>.+?) \(choose from (?P<choices>.+)\)", "invalid_choice"),
        (r"argument (?P<name>\S+): invalid \S+ value: (?P<given>.+)", "invalid_value"),
        (r"argument (?P<name>\S+): expected one argument", "expected_one"),
        (r"argument (?P<name>\S+): expected at least one argument", "expected_some"),
        (r"argument (?P<name>\S+): not allowed with argument (?P<other>.+)", "not_together"),
        (r"one of the arguments (?P<names>.+) is required", "one_of"),
        (r"ambiguous option: (?P<given>\S+) could match (?P<choices>.+)", "ambiguous"),
    )
)


def said(message: str) -> Msg:
    """argparse's English error as a catalogue message; one it never worded before, as it is."""
    for pattern, key in _TEMPLATES:
        if found := pattern.fullmatch(message):
            return Msg(f"cli.arguments.{key}", **found.groupdict())
    return Msg("diag.as_is", text=message)


class _Parser(argparse.ArgumentParser):
    language = "en"

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {said(message).render(self.language)}\n")


def parser_in(language: str) -> type[argparse.ArgumentParser]:
    """An ArgumentParser class whose errors are said in ``language``; its sub-parsers are of the same class."""
    return type("ArgumentParser", (_Parser,), {"language": language})


def language_asked(argv: Sequence[str]) -> argparse.Namespace:
    """``--lang`` and ``--config`` read ahead of the rest, so an error in the rest is said in the right language.

    Each is read on its own: ``--config`` given without a path still lets ``--lang`` be heard.
    """
    asked = argparse.Namespace(lang=None, config=None)
    for option, kind in (("--lang", str), ("--config", Path)):
        ahead = argparse.ArgumentParser(add_help=False, exit_on_error=False)
        ahead.add_argument(option, type=kind)  # an unknown language is left to the full parser to refuse
        try:
            vars(asked).update(vars(ahead.parse_known_args(argv)[0]))
        except argparse.ArgumentError:
            continue  # the full parser says what is wrong with it
    return asked
