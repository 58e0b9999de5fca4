"""Observers' intake tokens (table ``observer_token``, migration 4).

A token is 32 random bytes shown once by ``studio observers add``; the store
keeps only its SHA-256. Why not scrypt: scrypt (or any slow KDF) protects
guessable passwords; a 256-bit random token cannot be guessed, so a plain
hash already makes a stolen store useless for sending reports, and a hash
costs a microsecond where scrypt would cost tens of milliseconds on every
report (the intake must take 1,000 reports/s). Looking a hash up by value
leaks nothing about the token: its timing depends on the hash, which is not
invertible.

The phone form's link (``GET /r/<link>``, studio/web/form.py) is a secret of
its own, not the token: a URL is seen in a browser's history and on a QR
code, and it can only send through the form. It is 16 random bytes (a short
URL, a small QR code, still unguessable), kept as its SHA-256 beside the
token's; a new link replaces the old one, and revoking the token ends both.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
from collections.abc import Callable, Collection
from datetime import datetime

from studio.errors import Kind
from studio.i18n import Msg
from studio.store.db import immediate
from studio.store.intake import DeskError, utc_text
from studio.store.issued import Issued, issued, revoke

NAME = re.compile(r"^\S(?:.{0,62}\S)?$")
"""An observer's name: 1-64 characters, no leading or trailing space."""

PREFIX = "sto_"  # recognisable in a leaked paste; never part of the hash's secret


ObserverToken = Issued


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


LINK_BYTES = 16


def issue_link(db: sqlite3.Connection, name: str) -> str:
    """A new form link for ``name``'s working token (returned once; only its hash is stored); the link
    issued before it stops working."""
    link = secrets.token_urlsafe(LINK_BYTES)
    with immediate(db):
        cursor = db.execute(
            "UPDATE observer_token SET link_hash = ? WHERE name = ? AND revoked_at IS NULL",
            (token_hash(link), name.strip()),
        )
    if cursor.rowcount == 0:
        raise DeskError(Msg("observers.error.none_to_link", name=name.strip()))
    return link


def add_observer(db: sqlite3.Connection, name: str, *, by: str, at: datetime) -> str:
    """A new token for ``name`` (returned once; only its hash is stored).
    Refuses a name that already has a working token: revoke it first."""
    name = name.strip()
    if not NAME.match(name):
        raise DeskError(Msg("observers.error.name"), kind=Kind.BAD_INPUT)
    token = new_token()
    with immediate(db):
        if db.execute("SELECT 1 FROM observer_token WHERE name = ? AND revoked_at IS NULL", (name,)).fetchone():
            raise DeskError(Msg("observers.error.exists", name=name), kind=Kind.CONFLICT)
        db.execute(
            "INSERT INTO observer_token (name, hash, created_at, created_by) VALUES (?, ?, ?, ?)",
            (name, token_hash(token), utc_text(at), by),
        )
    return token


def revoke_observer(db: sqlite3.Connection, name: str, *, by: str, at: datetime) -> None:
    if not revoke(db, "observer_token", name, by=by, at=at):
        raise DeskError(Msg("observers.error.none_to_revoke", name=name.strip()))


def list_observers(db: sqlite3.Connection) -> list[ObserverToken]:
    """Every token ever issued, by name, the working one last."""
    return issued(db, "observer_token")


def token_table(db: sqlite3.Connection) -> dict[str, tuple[str, bool]]:
    """hash -> (observer, still working) for every token."""
    return {row[0]: (row[1], row[2] is None) for row in db.execute("SELECT hash, name, revoked_at FROM observer_token")}


def link_table(db: sqlite3.Connection) -> dict[str, tuple[str, str, bool]]:
    """link hash -> (observer, token hash, still working) for every form link issued."""
    return {
        row[0]: (row[1], row[2], row[3] is None)
        for row in db.execute("SELECT link_hash, name, hash, revoked_at FROM observer_token WHERE link_hash IS NOT NULL")
    }


def token_owner(db: sqlite3.Connection, digest: str) -> tuple[str, bool] | None:
    """(observer, still working) for a token's hash, or None."""
    return token_owners(db, [digest]).get(digest)


def token_owners(db: sqlite3.Connection, digests: Collection[str]) -> dict[str, tuple[str, bool]]:
    """(observer, still working) for each known token's hash, in one query: the intake asks it for a whole group
    of reports, and one round trip each would cap it on a database server."""
    return token_owners_later(db, digests)()


def token_owners_later(db: sqlite3.Connection, digests: Collection[str]) -> Callable[[], dict[str, tuple[str, bool]]]:
    """token_owners' query sent now, its answer read when the result is called: inside Connection.together() it
    goes to a database server in the same round trip as the others."""
    unique = sorted(set(digests))
    if not unique:
        return lambda: {}
    rows = db.execute(
        f"SELECT hash, name, revoked_at FROM observer_token WHERE hash IN ({', '.join('?' * len(unique))})", unique
    )
    return lambda: {row[0]: (row[1], row[2] is None) for row in rows}
