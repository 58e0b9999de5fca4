"""``studio observers add NAME | revoke NAME | list``: the intake's per-observer tokens
(stored in studio/store/observers.py; the server is studio/web/intake.py)."""

from __future__ import annotations

import sys
from typing import Any

from studio.errors import StudioError, report
from studio.desk.issued_list import issued_lines
from studio.i18n import FALLBACK, Msg
from studio.machine import default_operator, utc_now
from studio.store.desk import DeskStore
from studio.store.observers import add_observer, list_observers, revoke_observer


def observers_command(args: Any, config: Any, desk: DeskStore, *, language: str = FALLBACK) -> int:
    """``studio observers add NAME | revoke NAME | list``; a refusal is said in ``language``, exit 2."""
    by = config.station.operator or default_operator()
    action = args.observers_command
    try:
        if action == "add":
            token = add_observer(desk.db, args.name, by=by, at=utc_now())
            print(token)
            print(Msg("observers.added", name=args.name.strip()).render(language), file=sys.stderr)
        elif action == "revoke":
            revoke_observer(desk.db, args.name, by=by, at=utc_now())
            print(Msg("observers.revoked", name=args.name.strip()).render(language), file=sys.stderr)
        else:
            for line in issued_lines(list_observers(desk.db), language, config.station.zone):
                print(line)
    except StudioError as error:
        return report(error, language, sys.stderr)
    return 0
