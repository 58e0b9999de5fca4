"""``studio observers add NAME [--qr] | link NAME [--qr] | revoke NAME | list``: the intake's per-observer tokens
and phone-form links (stored in studio/store/observers.py; the servers are studio/web/intake.py and form.py)."""

from __future__ import annotations

import ipaddress
import sys
from datetime import timedelta
from typing import Any, TextIO

from studio.errors import StudioError, report
from studio.desk.issued_list import issued_lines, local_stamp
from studio.i18n import FALLBACK, Msg
from studio.machine import default_operator, utc_now
from studio.store.desk import DeskStore
from studio.store.observers import add_observer, issue_link, list_observers, revoke_observer
from studio.store.telegram import bound_names, issue_code


def telegram_link(desk: DeskStore, config: Any, name: str, language: str) -> str:
    """A one-time ``https://t.me/BOT?start=CODE`` for observer ``name``; when it expires goes to stderr."""
    valid = timedelta(hours=config.bot.link_hours)
    at = utc_now()
    code = issue_code(desk.db, name, at=at, valid=valid)
    until = local_stamp(at + valid, config.station.zone)
    print(Msg("observers.link", until=until).render(language), file=sys.stderr)
    return f"https://t.me/{config.bot.username}?start={code}"


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
            if config.bot.username:  # the Telegram bot's one-time link (studio/telegram/); the token alone on stdout
                print(telegram_link(desk, config, args.name, language), file=sys.stderr)
        elif action == "link":
            form_link(desk, config.intake, args.name, language, qr=args.qr, out=sys.stdout)
        elif action == "revoke":
            revoke_observer(desk.db, args.name, by=by, at=utc_now())
            print(Msg("observers.revoked", name=args.name.strip()).render(language), file=sys.stderr)
        else:
            entries, bound = list_observers(desk.db), bound_names(desk.db)
            for entry, line in zip(entries, issued_lines(entries, language, config.station.zone)):
                accounts = bound.get(entry.name, 0) if entry.active else 0
                print(f"{line}\t{Msg('observers.bound', count=accounts).render(language)}" if accounts else line)
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
