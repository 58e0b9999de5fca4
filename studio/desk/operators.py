"""``studio operators add NAME | revoke NAME | list``, and who a command acts as.

Operators are kept in studio/store/operators.py. Whoever can run studio on
the machine that holds the store manages operators (the first one cannot be
signed in by anybody); the entries say which login added or revoked each.

``operator_from_cli`` is the one way a command line that acts as someone
(``studio import-turnout``, ``studio serve``, ``studio fact``) learns who
that is: ``--operator NAME`` (else ``[station] operator``) proven by the
passphrase in ``$STUDIO_OPERATOR_KEY``, else asked for with ``getpass``
when standard input is a terminal, else refused. With ``[operators]
sign_in = false`` the name is taken as given and marked as not signed in.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
import sys
from typing import Any, Callable, Mapping, TextIO

from studio.errors import Kind
from studio.i18n import FALLBACK, Msg
from studio.desk.issued_list import issued_lines
from studio.machine import default_operator, utc_now
from studio.store.operators import (
    Operator,
    OperatorError,
    add_operator,
    list_operators,
    not_signed_in,
    revoke_operator,
    sign_in,
)

KEY_VARIABLE = "STUDIO_OPERATOR_KEY"


def _manager(config: Any) -> str:
    return config.station.operator or default_operator()


def operators_command(args: Any, config: Any, db: sqlite3.Connection, *, language: str = FALLBACK) -> int:
    """``studio operators add NAME | revoke NAME | list`` on the store's connection ``db``; OperatorError on refusal."""
    action = args.operators_command
    if action == "add":
        passphrase = add_operator(db, args.name, by=_manager(config), at=utc_now())
        print(passphrase)
        print(Msg("operators.added", name=args.name.strip()).render(language), file=sys.stderr)
    elif action == "revoke":
        revoke_operator(db, args.name, by=_manager(config), at=utc_now())
        print(Msg("operators.revoked", name=args.name.strip()).render(language), file=sys.stderr)
    else:
        for line in issued_lines(list_operators(db), language, config.station.zone):
            print(line)
    return 0


def wanted_name(config: Any, given: str | None) -> str:
    """The name someone says they are: ``--operator``, else ``[station] operator``; may be empty."""
    return (given or "").strip() or config.station.operator.strip()


def sign_in_off(config: Any, given: str | None) -> str | None:
    """With ``[operators] sign_in = false``: the name as given (else ``[station] operator``, else the
    login name), marked not signed in. None when sign-in is on."""
    if config.operators.sign_in:
        return None
    return not_signed_in(wanted_name(config, given) or default_operator()).who


def operator_from_environment(
    db: sqlite3.Connection, config: Any, given: str | None, environ: Mapping[str, str] | None = None
) -> Operator | None:
    """The operator proven by ``$STUDIO_OPERATOR_KEY`` for the wanted name; None when either is missing.
    OperatorError when the passphrase does not prove the name."""
    environ = os.environ if environ is None else environ
    name, passphrase = wanted_name(config, given), environ.get(KEY_VARIABLE, "")
    if not name or not passphrase:
        return None
    return sign_in(db, name, passphrase, at=utc_now())


def operator_from_cli(
    args: Any,
    db: sqlite3.Connection,
    config: Any,
    *,
    language: str = FALLBACK,
    environ: Mapping[str, str] | None = None,
    stdin: TextIO | None = None,
    ask: Callable[[str], str] = getpass.getpass,
) -> str:
    """The name a command's audit entries carry (see the module's docstring); OperatorError on refusal."""
    given = getattr(args, "operator", None)
    unproven = sign_in_off(config, given)
    if unproven is not None:
        return unproven
    name = wanted_name(config, given)
    if not name:
        raise OperatorError(Msg("operators.error.no_name"), kind=Kind.BAD_INPUT)
    proven = operator_from_environment(db, config, given, environ)
    if proven is not None:
        return proven.who
    if not (stdin or sys.stdin).isatty():
        raise OperatorError(
            Msg("operators.error.no_passphrase", name=name, variable=KEY_VARIABLE), kind=Kind.BAD_INPUT
        )
    passphrase = ask(Msg("operators.prompt", name=name).render(language))
    return sign_in(db, name, passphrase, at=utc_now()).who
