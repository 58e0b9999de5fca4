"""Moving and keeping a store (issue 22, part 5): a SQLite store copied into an empty PostgreSQL database
(``studio store migrate --to URL``), and a consistent online backup of either (``studio store backup PATH``).

The copy is one PostgreSQL write transaction: every table in foreign-key order (COPY, rows in primary-key
order, so a row that quotes an earlier one of its table comes after it), then every identity sequence set
past the copied ids, then the checks (each table's row count against the source, the audit chain on the
target); anything wrong rolls it all back and the target stays empty. The append-only triggers refuse
UPDATE, DELETE and TRUNCATE only, so inserting does not need them switched off (nor the superuser that
``session_replication_role`` would need). The source is read in one read transaction: a SQLite store may be
in use while it is copied.

No message shows a password: a URL is always shown through ``redacted``; pg_dump gets the password in its
environment (PGPASSWORD), never on its command line, where ``ps`` would show it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

from studio.errors import Kind
from studio.i18n import Msg
from studio.store.db import MIGRATIONS, StoreError, connect

_PASSWORD_IN_URL = re.compile(r"(://[^:/?#@]*:)[^@/?#]*@")
_PASSWORD_PARAMETER = re.compile(r"(password=)[^&\s]*", re.IGNORECASE)


def redacted(url: str) -> str:
    """``url`` with its password (``user:PASSWORD@`` or ``?password=``) shown as ``***``."""
    return _PASSWORD_PARAMETER.sub(r"\1***", _PASSWORD_IN_URL.sub(r"\1***@", url))


@dataclass(frozen=True)
class Moved:
    """What a migration copied: rows per table, and the audit chain it verified."""

    rows: dict[str, int]
    audit_entries: int
    audited_facts: int


def migrate_to_postgresql(source: Path, url: str) -> Moved:
    """Copy the SQLite store at ``source`` (brought to the newest schema, as opening it always does) into the
    empty PostgreSQL database at ``url`` (migrated to the same version). Raises StoreError, saying where,
    when the source is missing, the target is not empty or a check fails; the target is then left as it was."""
    from studio.store import postgresql  # psycopg loads only for a PostgreSQL target

    if not source.is_file():
        raise StoreError(Msg("store.move.no_source", path=str(source)), kind=Kind.NOT_FOUND)
    _refuse_foreign_tables(url)
    sqlite_db = connect(source)
    target = postgresql.connect(url)
    try:
        sqlite_db.execute("BEGIN")  # one read transaction: the state of one moment, writers go on
        with target.write():
            tables = _tables_in_order(target)
            _refuse_non_empty(target, tables, url)
            rows = {table: _copied(sqlite_db, target, table) for table in tables}
            _set_identities_past_ids(target)
            for table, copied in rows.items():
                there = target.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                if there != copied:
                    raise StoreError(Msg("store.move.count", table=table, source=copied, target=there),
                                     kind=Kind.INTERNAL)
            entries, facts = _verified_audit_chain(target)
        return Moved(rows, entries, facts)
    finally:
        sqlite_db.close()  # the read transaction ends with it
        target.close()


def _refuse_foreign_tables(url: str) -> None:
    """A database holding tables but no studio store is someone else's: refused before studio creates its
    tables in it."""
    import psycopg

    from studio.store.postgresql import _reason, unreadable

    try:
        with psycopg.connect(url, autocommit=True) as probe:
            tables = [row[0] for row in probe.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
    except psycopg.ProgrammingError:
        raise unreadable(url) from None
    except psycopg.Error as error:
        raise StoreError(Msg("store.error.server", reason=_reason(error))) from None
    if tables and "studio_schema" not in tables:
        raise StoreError(Msg("store.move.foreign", url=redacted(url), tables=", ".join(tables[:5])))


def _tables_in_order(target: Any) -> list[str]:
    """The store's tables, each after every table it references (a table referencing itself is ordered by
    its rows' ids instead)."""
    tables = [row[0] for row in target.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'studio_schema' "
        "ORDER BY tablename")]
    graph: dict[str, set[str]] = {table: set() for table in tables}
    for referencing, referenced in target.execute(
        "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint WHERE contype = 'f'"
    ):
        if referencing != referenced:
            graph[referencing].add(referenced)
    return list(TopologicalSorter(graph).static_order())


def _refuse_non_empty(target: Any, tables: list[str], url: str) -> None:
    for table in tables:
        if target.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]:
            raise StoreError(Msg("store.move.not_empty", url=redacted(url), table=table))


def _copied(source: sqlite3.Connection, target: Any, table: str) -> int:
    """Copy ``table``'s rows (the target's columns, by name); the number copied."""
    columns = [row[0] for row in target.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ? "
        "ORDER BY ordinal_position", (table,))]
    key = [row[0] for row in target.execute(
        "SELECT a.attname FROM pg_index AS i JOIN pg_attribute AS a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY (i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY a.attnum",
        (table,))]
    listed = ", ".join(f'"{column}"' for column in columns)  # names from the target's catalogue, not input
    order = f" ORDER BY {', '.join(key)}" if key else ""
    try:
        rows = source.execute(f"SELECT {listed} FROM {table}{order}")
    except sqlite3.OperationalError as error:  # a table or column the two schemas do not share
        raise StoreError(Msg("store.move.schema", table=table, reason=str(error)), kind=Kind.INTERNAL) from None
    copied = 0
    with target.connection.cursor().copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(tuple(row))
            copied += 1
    return copied


def _set_identities_past_ids(target: Any) -> None:
    """Each identity column's next value after the largest id copied, so a new row never reuses one."""
    for table, column in target.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND is_identity = 'YES'"
    ).fetchall():
        target.execute(
            f"SELECT setval(pg_get_serial_sequence(?, ?), max({column})) FROM {table} HAVING max({column}) IS NOT NULL",
            (table, column),
        )


def _verified_audit_chain(target: Any) -> tuple[int, int]:
    """Every fact's audit, as copied: versions 1, 2, ... up to the fact's own version, the first a creation
    (no before), each entry's before what the one ahead of it left (its after). Returns (entries, facts)."""
    versions = dict(target.execute("SELECT id, version FROM fact").fetchall())
    entries = target.execute("SELECT fact_id, version, before, after FROM fact_audit ORDER BY fact_id, version")
    chain: dict[int, tuple[int, Any]] = {}  # fact -> (last version seen, its after)
    count = 0
    for fact_id, version, before, after in entries:
        last, left = chain.get(fact_id, (0, None))
        said_before = None if before is None else json.loads(before)
        if version != last + 1 or said_before != left:
            raise StoreError(Msg("store.move.audit", fact=fact_id, version=version), kind=Kind.INTERNAL)
        chain[fact_id] = (version, json.loads(after))
        count += 1
    for fact_id, version in versions.items():
        if chain.get(fact_id, (0, None))[0] != version:
            raise StoreError(Msg("store.move.audit", fact=fact_id, version=version), kind=Kind.INTERNAL)
    return count, len(chain)


# --- backup -----------------------------------------------------------------------------------------------


def backup(location: Path | str, destination: Path) -> None:
    """A consistent copy of the store at ``location`` in the new file ``destination``, taken while the store
    is in use: SQLite's backup API (a SQLite file that opens as a store), or pg_dump's custom format for a
    PostgreSQL store (restored with pg_restore). Refuses to write over a file."""
    from studio.store.backends import is_url

    if destination.exists():
        raise StoreError(Msg("store.backup.exists", path=str(destination)))
    if is_url(location):
        _pg_dump(str(location), destination)
        return
    source = Path(location)
    if not source.is_file():
        raise StoreError(Msg("store.move.no_source", path=str(source)), kind=Kind.NOT_FOUND)
    partial = destination.with_name(destination.name + ".partial")
    try:
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as live, \
                closing(sqlite3.connect(partial)) as copy:
            live.backup(copy)  # one step: a read transaction of one moment; writers go on meanwhile
            version = copy.execute("PRAGMA user_version").fetchone()[0]
            checked = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if checked != "ok" or version != len(MIGRATIONS):
            raise StoreError(Msg("store.backup.bad_copy", path=str(destination), reason=f"{checked}, v{version}"),
                             kind=Kind.INTERNAL)
        partial.rename(destination)
    except sqlite3.Error as error:
        raise StoreError(Msg("store.error.open", path=str(source), reason=str(error))) from None
    finally:
        partial.unlink(missing_ok=True)


def _pg_dump(url: str, destination: Path) -> None:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    program = shutil.which("pg_dump")
    if program is None:
        raise StoreError(Msg("store.backup.no_pg_dump"), kind=Kind.UNAVAILABLE)
    settings = conninfo_to_dict(url)
    environment = dict(os.environ)
    if (password := settings.pop("password", None)) is not None:
        environment["PGPASSWORD"] = str(password)
    partial = destination.with_name(destination.name + ".partial")
    try:
        done = subprocess.run(
            [program, "--format=custom", "--no-password", f"--file={partial}", f"--dbname={make_conninfo(**settings)}"],
            env=environment, capture_output=True, text=True, timeout=3600,
        )
        if done.returncode != 0:
            said = (done.stderr.strip().splitlines() or ["exit status %d" % done.returncode])[-1]
            raise StoreError(Msg("store.backup.pg_dump", reason=redacted(said)), kind=Kind.UNAVAILABLE)
        partial.rename(destination)
    finally:
        partial.unlink(missing_ok=True)
