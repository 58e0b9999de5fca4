"""The one entry point: ``studio [--config PATH] [--store PATH] COMMAND``; the one place errors are printed.

The arguments are parsed in studio/commands/parser.py, each command runs in
its function in studio/commands/; what they raise is said here.

Expected failures (a broken file, an unopenable store) print what is wrong
and what to do, and exit 2; never a traceback.

Errors are printed in the station's language (``diagnostics_language``):
``--lang``, else ``$STUDIO_LANG``, else the config's ``[station] language``,
read leniently so that a config with errors in it still names its language;
English when the config cannot be read at all or names no valid language.
The ``error:`` and ``hint:`` markers stay English for editors and scripts.
``--lang`` (or ``$STUDIO_LANG``) is also the language of every screen the
command opens: the console, the desk, the prompter.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence

from studio.arguments import language_asked
from studio.commands.common import DEFAULT_RUNDOWN, Quit, default_rundown
from studio.commands.parser import parser
from studio.diagnostics import DiagnosticsError
from studio.errors import StudioError, report
from studio.language import diagnostics_language


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser(diagnostics_language(language_asked(argv))).parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        if getattr(args, "rundown", None) is DEFAULT_RUNDOWN:
            args.rundown = default_rundown(args)
        return handler(args)
    except DiagnosticsError as error:
        print(error.render(diagnostics_language(args)), file=sys.stderr)
        return 2
    except StudioError as error:
        return report(error, diagnostics_language(args), sys.stderr)
    except Quit:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
