"""What observers' tokens and operators' passphrases have in common: issued to a name, one working
at a time, revoked and never deleted, listed with who issued and revoked each."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from studio.store.db import immediate
from studio.store.intake import utc_text

Table = Literal["observer_token", "operator"]


@dataclass(frozen=True, slots=True)
class Issued:
    name: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    revoked_by: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def revoke(db: sqlite3.Connection, table: Table, name: str, *, by: str, at: datetime) -> bool:
    """Revoke the working one of ``name``; False when it has none."""
    with immediate(db):
        cursor = db.execute(
            f"UPDATE {table} SET revoked_at = ?, revoked_by = ? WHERE name = ? AND revoked_at IS NULL",
            (utc_text(at), by, name.strip()),
        )
    return cursor.rowcount > 0


def issued(db: sqlite3.Connection, table: Table) -> list[Issued]:
    """Every one ever issued, by name, the working one last."""
    return [
        Issued(
            row[0],
            datetime.fromisoformat(row[1]),
            row[2],
            None if row[3] is None else datetime.fromisoformat(row[3]),
            row[4],
        )
        for row in db.execute(
            f"SELECT name, created_at, created_by, revoked_at, revoked_by FROM {table} "
            "ORDER BY name, revoked_at IS NULL, id"
        )
    ]
