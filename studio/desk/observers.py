"""``studio observers add NAME | revoke NAME | list``: the intake's per-observer tokens
(stored in studio/store/observers.py; the server is studio/web/intake.py)."""

from __future__ import annotations

import sys
from typing import Any

from studio.errors import StudioError, report
from studio.i18n import FALLBACK
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
            print(f"the token of {args.name.strip()}: shown this once, only its hash is kept", file=sys.stderr)
        elif action == "revoke":
            revoke_observer(desk.db, args.name, by=by, at=utc_now())
            print(f"revoked the token of {args.name.strip()}", file=sys.stderr)
        else:
            for entry in list_observers(desk.db):
                state = "active" if entry.active else f"revoked {entry.revoked_at:%Y-%m-%d %H:%M} by {entry.revoked_by}"
                print(f"{entry.name}\t{state}\tissued {entry.created_at:%Y-%m-%d %H:%M} by {entry.created_by}")
    except StudioError as error:
        return report(error, language, sys.stderr)
    return 0
