"""One list of migrations for both databases: PostgreSQL's baseline is SQLite's schema at PG_BASELINE, and
every migration after it says its change for both."""

from __future__ import annotations

import sqlite3
from pathlib import Path


from studio.store import open_store
from studio.store.db import MIGRATIONS, PG_BASELINE, Migration, _statements

def test_every_migration_after_the_baseline_speaks_both_databases() -> None:
    assert all(isinstance(m, str) for m in MIGRATIONS[:PG_BASELINE])
    late = [n for n, m in enumerate(MIGRATIONS[PG_BASELINE:], start=PG_BASELINE + 1) if not isinstance(m, Migration)]
    assert not late, f"migrations {late} need Migration(sqlite=..., postgresql=...) (studio/store/db.py)"


def _sqlite_at_baseline(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:PG_BASELINE]:
        for statement in _statements(script):  # type: ignore[arg-type]  # str before the baseline (above)
            db.execute(statement)
    return db


def test_the_postgresql_baseline_is_sqlites_schema_at_that_version(tmp_path: Path, pg_server) -> None:
    """The same tables with the same columns in the same order, the same views, indexes and refusing
    triggers (PostgreSQL adds one refusing TRUNCATE beside every DELETE one)."""
    lite = _sqlite_at_baseline(tmp_path / "s.db")
    pg = open_store(pg_server.new_database()).db

    def sqlite_names(kind: str) -> set[str]:
        rows = lite.execute("SELECT name FROM sqlite_master WHERE type = ? AND sql IS NOT NULL", (kind,))
        return {name for (name,) in rows}

    tables = sqlite_names("table")
    pg_tables = {r[0] for r in pg.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert pg_tables == tables | {"studio_schema"}
    for table in tables:
        columns = [r[1] for r in lite.execute(f"PRAGMA table_info({table})")]
        pg_columns = [r[0] for r in pg.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            (table,),
        )]
        assert pg_columns == columns, table
    assert {r[0] for r in pg.execute("SELECT viewname FROM pg_views WHERE schemaname = 'public'")} == sqlite_names("view")
    pg_indexes = {r[0] for r in pg.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")}
    assert sqlite_names("index") <= pg_indexes
    pg_triggers = {r[0] for r in pg.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
    truncates = {name for name in pg_triggers if name.endswith("_never_truncated")}
    assert pg_triggers - truncates == sqlite_names("trigger")
    assert len(truncates) == len({r[0] for r in lite.execute(
        "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%BEFORE DELETE%'")})
