"""Which database a store is in: a path is a SQLite file, a ``postgresql://`` URL a PostgreSQL database."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from studio.store.db import connect
from studio.store.location import is_url


def open_database(location: Path | str) -> sqlite3.Connection | Any:
    """The store's database at ``location``, created and migrated when needed: a ``sqlite3.Connection``,
    or a ``studio.store.postgresql.PgDatabase`` (which speaks the same subset)."""
    if is_url(location):
        # psycopg and libpq load only for a PostgreSQL store; a SQLite one never pays for them.
        from studio.store import postgresql

        return postgresql.connect(str(location))
    return connect(Path(location))
