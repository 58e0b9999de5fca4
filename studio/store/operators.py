"""Operators who sign in (tables ``operator`` and ``sign_in_failure``, migration 8).

Four eyes means two people: the name in the audit is the one a passphrase
proves, never a typed one. ``studio operators add NAME`` prints a generated
passphrase once; the store keeps only ``hashlib.scrypt`` of it with the
operator's own salt and the cost parameters it was made with (n=2^15, r=8:
about 0.1 s and 32 MB a try, so a copied store file is no list of passphrases).

Passphrase: 16 symbols drawn by ``secrets`` from 32 that cannot be mistaken
for one another (no i, l, o, 1), shown in groups of four:
``k7mq-3xzp-bd9e-w2hn``. That is 80 bits: out of reach even offline against
the slow hash, and short enough to type at a desk. Case, spaces and hyphens
do not count when it is typed back.

A burst of wrong passphrases is slowed down, for every process at once and
across restarts (the counter is in the store): the first ``FREE_FAILURES``
wrong ones in a row for a name cost nothing more than the hash; after each
further one, no passphrase for that name is even checked for 1 s, then 2, 4,
... up to ``MAX_WAIT``. A success resets it.

Nothing here writes the passphrase or its hash into an error, a log or an
export; errors are catalogue messages naming the operator only.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from studio.desk.model import NOT_SIGNED_IN
from studio.errors import Kind, StudioError
from studio.i18n import Msg
from studio.store.db import immediate
from studio.store.intake import utc_text
from studio.store.issued import Issued, issued, revoke

NAME = re.compile(r"^\w(?:[\w .'-]{0,62}[\w.])?$")
"""An operator's name: 1-64 letters (any script), digits, spaces, dots, hyphens, apostrophes."""

ALPHABET = "abcdefghjkmnpqrstuvwxyz023456789"
"""32 symbols (5 bits each) with none that reads as another."""
assert len(set(ALPHABET)) == 32

SYMBOLS = 16
GROUP = 4

FREE_FAILURES = 3
MAX_WAIT = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class ScryptCost:
    n: int = 2**15
    r: int = 8
    p: int = 1

    @property
    def maxmem(self) -> int:
        return 2 * 128 * self.n * self.r * self.p  # twice what scrypt needs: OpenSSL refuses an exact fit


DEFAULT_COST = ScryptCost()


@dataclass(frozen=True, slots=True)
class Operator:
    """Who acts: a name, and whether a passphrase proved it."""

    name: str
    signed_in: bool

    @property
    def who(self) -> str:
        """The name written into the audit and the event log; marked when nobody proved it."""
        return self.name if self.signed_in else self.name + NOT_SIGNED_IN


class OperatorError(StudioError):
    """Sign-in or operator management refused; ``message`` is a catalogue message naming no secret."""


def not_signed_in(name: str) -> Operator:
    """The operator when sign-in is off: the name as typed, marked in every audit entry."""
    return Operator(name.strip().removesuffix(NOT_SIGNED_IN), signed_in=False)


def new_passphrase() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(SYMBOLS))
    return "-".join(symbols[i : i + GROUP] for i in range(0, SYMBOLS, GROUP))


def _normalised(passphrase: str) -> bytes:
    return re.sub(r"[\s-]+", "", passphrase).lower().encode("utf-8", "surrogateescape")


def _hash(passphrase: str, salt: bytes, cost: ScryptCost) -> bytes:
    return hashlib.scrypt(_normalised(passphrase), salt=salt, n=cost.n, r=cost.r, p=cost.p, maxmem=cost.maxmem, dklen=32)


def _checked_name(name: str) -> str:
    name = name.strip()
    if not NAME.match(name):
        raise OperatorError(Msg("operators.error.name", name=name[:64]), kind=Kind.BAD_INPUT)
    return name


def add_operator(
    db: sqlite3.Connection, name: str, *, by: str, at: datetime, cost: ScryptCost = DEFAULT_COST
) -> str:
    """A new passphrase for ``name``, returned once; only its slow hash is stored.
    Refuses a name that already has a working passphrase: revoke it first."""
    name = _checked_name(name)
    passphrase = new_passphrase()
    salt = secrets.token_bytes(16)
    digest = _hash(passphrase, salt, cost)  # ~0.1 s: outside the write lock
    with immediate(db):
        if db.execute("SELECT 1 FROM operator WHERE name = ? AND revoked_at IS NULL", (name,)).fetchone():
            raise OperatorError(Msg("operators.error.exists", name=name), kind=Kind.CONFLICT)
        db.execute(
            "INSERT INTO operator (name, salt, scrypt_n, scrypt_r, scrypt_p, hash, created_at, created_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (name, salt, cost.n, cost.r, cost.p, digest, utc_text(at), by),
        )
    return passphrase


def revoke_operator(db: sqlite3.Connection, name: str, *, by: str, at: datetime) -> None:
    if not revoke(db, "operator", name, by=by, at=at):
        raise OperatorError(Msg("operators.error.none_to_revoke", name=name.strip()), kind=Kind.NOT_FOUND)


def list_operators(db: sqlite3.Connection) -> list[Issued]:
    """Every passphrase ever issued, by name, the working one last."""
    return issued(db, "operator")


def has_operators(db: sqlite3.Connection) -> bool:
    """Whether anyone can sign in at all (a newcomer's store has nobody yet)."""
    return db.execute("SELECT 1 FROM operator WHERE revoked_at IS NULL LIMIT 1").fetchone() is not None


def sign_in(db: sqlite3.Connection, name: str, passphrase: str, *, at: datetime) -> Operator:
    """The operator ``passphrase`` proves ``name`` to be, or OperatorError.

    Blocks for the hash (~0.1 s): never call it on an event loop.
    """
    name = name.strip()
    if not name:
        raise OperatorError(Msg("operators.error.no_name"), kind=Kind.BAD_INPUT)
    waiting = _still_locked(db, name, at)
    if waiting is not None:
        raise OperatorError(Msg("operators.error.slowed", name=name, seconds=waiting))
    row = db.execute(
        "SELECT salt, scrypt_n, scrypt_r, scrypt_p, hash FROM operator WHERE name = ? AND revoked_at IS NULL",
        (name,),
    ).fetchone()
    if row is None:
        revoked = db.execute("SELECT 1 FROM operator WHERE name = ?", (name,)).fetchone()
        _failed(db, name, at)
        raise OperatorError(Msg("operators.error.revoked" if revoked else "operators.error.unknown", name=name))
    if not passphrase.strip():
        raise OperatorError(Msg("operators.error.empty_passphrase", name=name), kind=Kind.BAD_INPUT)
    salt, n, r, p, stored = row
    if not hmac.compare_digest(_hash(passphrase, salt, ScryptCost(n, r, p)), stored):
        _failed(db, name, at)
        raise OperatorError(Msg("operators.error.wrong", name=name))
    with immediate(db):
        db.execute("DELETE FROM sign_in_failure WHERE name = ?", (name,))
    return Operator(name, signed_in=True)


def _still_locked(db: sqlite3.Connection, name: str, at: datetime) -> int | None:
    """Whole seconds until ``name`` may try again, or None when it may now."""
    row = db.execute("SELECT locked_until FROM sign_in_failure WHERE name = ?", (name,)).fetchone()
    if row is None:
        return None
    left = (datetime.fromisoformat(row[0]) - at).total_seconds()
    return ceil(left) if left > 0 else None


def wait_after(failures: int) -> timedelta:
    """How long a name is locked after its ``failures``-th wrong passphrase in a row."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(MAX_WAIT, timedelta(seconds=2 ** (failures - FREE_FAILURES)))


def _failed(db: sqlite3.Connection, name: str, at: datetime) -> None:
    with immediate(db):  # one transaction: two processes failing at once both count
        row = db.execute("SELECT failures FROM sign_in_failure WHERE name = ?", (name,)).fetchone()
        failures = (row[0] if row else 0) + 1
        db.execute(
            "INSERT INTO sign_in_failure (name, failures, last_at, locked_until) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at,"
            " locked_until = excluded.locked_until",
            (name, failures, utc_text(at), utc_text(at + wait_after(failures))),
        )
