"""``studio observers add NAME [--qr] | link NAME [--qr] | revoke NAME | list``: the intake's per-observer tokens
and phone-form links (stored in studio/store/observers.py; the servers are studio/web/intake.py and form.py)."""

from __future__ import annotations

import ipaddress
import sys
from typing import Any, TextIO

from studio.errors import StudioError, report
from studio.desk.issued_list import issued_lines
from studio.i18n import FALLBACK, Msg
from studio.machine import default_operator, utc_now
from studio.store.desk import DeskStore
from studio.store.observers import add_observer, issue_link, list_observers, revoke_observer


def observers_command(args: Any, config: Any, desk: DeskStore, *, language: str = FALLBACK) -> int:
    """``studio observers add NAME | revoke NAME | list``; a refusal is said in ``language``, exit 2."""
    by = config.station.operator or default_operator()
    action = args.observers_command
    try:
        if action == "add":
            token = add_observer(desk.db, args.name, by=by, at=utc_now())
            print(token)  # alone on standard output: TOKEN=$(studio observers add NAME) keeps working
            print(Msg("observers.added", name=args.name.strip()).render(language), file=sys.stderr)
            form_link(desk, config.intake, args.name, language, qr=args.qr, out=sys.stderr)
        elif action == "link":
            form_link(desk, config.intake, args.name, language, qr=args.qr, out=sys.stdout)
        elif action == "revoke":
            revoke_observer(desk.db, args.name, by=by, at=utc_now())
            print(Msg("observers.revoked", name=args.name.strip()).render(language), file=sys.stderr)
        else:
            for line in issued_lines(list_observers(desk.db), language, config.station.zone):
                print(line)
    except StudioError as error:
        return report(error, language, sys.stderr)
    return 0


def form_link(desk: DeskStore, intake: Any, name: str, language: str, *, qr: bool, out: TextIO) -> None:
    """Issue ``name`` a new phone-form link and print it to ``out`` (with a QR code when ``qr``); a link
    phones cannot reach (no ``[intake] public_url``, a loopback intake) is said on standard error."""
    base = intake.public_url or f"http://{intake.host}:{intake.port}"
    url = f"{base.rstrip('/')}/r/{issue_link(desk.db, name)}"
    print(Msg("observers.form_link", name=name.strip()).render(language), file=sys.stderr)
    print(url, file=out)
    if qr:
        import segno  # only here: the QR code's one user

        segno.make(url, error="m").terminal(out=out, compact=True)
    if not intake.public_url and _unreachable(intake.host):
        print(Msg("observers.form_link_unreachable", host=base).render(language), file=sys.stderr)


def _unreachable(host: str) -> bool:
    """Whether a phone cannot open a link naming ``host`` (this machine only, or no address at all)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost"
    return address.is_loopback or address.is_unspecified
