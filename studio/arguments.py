"""argparse, speaking the station's language: its help and its errors in kk, ru or en.

Help: every help text, description and epilog of studio's parsers is a ``Msg``
(a catalogue key, ``cli.help.*``), rendered when the help is printed by the
parser's formatter in the parser's language. argparse's own few words
(``usage:``, ``positional arguments``, ``options``, ``show this help message and
exit``) reach the same formatter in English; it recognises them and says them
from the catalogue (``cli.argparse.*``), so no gettext domain is needed.
Command names, flags, metavars and choices stay as they are in every language.

Errors: argparse words them in English (``the following arguments are required:
RUNDOWN``). ``ArgumentParser.error`` is where every one of them passes, already
formatted; the templates it uses are few and stable, so each is recognised here
and said again from the catalogue (``cli.arguments.*``). One argparse has not
worded before stays as it is.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from studio.i18n import Msg, render

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


_OWN_WORDS = {
    "usage: ": Msg("cli.argparse.usage"),
    "positional arguments": Msg("cli.argparse.positionals"),
    "options": Msg("cli.argparse.options"),
    "show this help message and exit": Msg("cli.argparse.help"),
}
"""What argparse itself writes into a help page (through gettext, in English), by its English."""


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter saying every text it is given in ``language``."""

    def __init__(self, prog: str, language: str) -> None:
        super().__init__(prog)
        self.language = language

    def _said(self, text: str) -> str:
        return render(_OWN_WORDS.get(text, text), self.language)

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, self._said("usage: ") if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        super().start_section(heading and self._said(heading))

    def _format_text(self, text: str) -> str:
        return super()._format_text(self._said(text))

    def _get_help_string(self, action: argparse.Action) -> str:
        # a catalogue text is not an argparse template: a % in it is a percent sign
        return self._said(action.help or "").replace("%", "%%")


class _Parser(argparse.ArgumentParser):
    language = "en"

    def _get_formatter(self) -> argparse.HelpFormatter:
        return _Formatter(self.prog, self.language)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {said(message).render(self.language)}\n")


def parser_in(language: str) -> type[argparse.ArgumentParser]:
    """An ArgumentParser class whose help and errors are said in ``language``; its sub-parsers are of the same class."""
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
