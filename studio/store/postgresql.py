"""The store on PostgreSQL: a thin dialect layer over psycopg 3 (issue 22).

Why this and not SQLAlchemy Core 2.x: the store is some 150 hand-written statements with ``?`` placeholders,
read through ``sqlite3.Row``, tuned for SQLite's hot paths (a take, a 100,000-row import). Core would have
every statement rewritten (its expression language, or ``text()`` with named parameters and its own Row),
would wrap SQLite too (a cost on every take, where SQLite must stay as fast as it is) and adds a large
dependency, while the parts that differ between the two databases (triggers that refuse, partial indexes,
the schema's history) are DDL written per database either way. So SQLite keeps its own ``sqlite3``
connection, untouched, and PostgreSQL gets :class:`PgDatabase`: the few members of ``sqlite3.Connection``
the repositories use (``execute``, ``executemany``, ``in_transaction``, rows read by name and by position),
with ``?`` turned into psycopg's ``%s``. A repository runs on both when its SQL is the common dialect
(``ON CONFLICT`` rather than ``INSERT OR REPLACE``, ``RETURNING id`` rather than ``lastrowid``,
``IS NOT DISTINCT FROM`` rather than ``IS ?``, integers rather than booleans in columns, every selected
column grouped or aggregated, the table named in an upsert's ``SET x = table.x + ...``). A statement that
fails aborts a PostgreSQL transaction, so a repository never catches a database error inside a write to
carry on: it says what it wants instead (``ON CONFLICT DO NOTHING``).

Transactions. A write is ``BEGIN READ WRITE`` then ``pg_advisory_xact_lock`` on one key: writers queue on it,
one at a time, as SQLite's ``BEGIN IMMEDIATE`` makes them, and under READ COMMITTED every statement after
the lock sees every commit before it, so the reads inside a write are current. SERIALIZABLE was the other
choice: it fails a conflicting transaction at commit and the action must then be run again, but an action's
effects (OBS, a graphic) are not all in the database, so nothing can rerun it safely. The session's default
is read-only, so a write outside ``write()`` (outside the lock) fails at once instead of racing.

Errors are raised in DB-API's vocabulary as the store speaks it today (``sqlite3.IntegrityError`` for a
constraint or a refusing trigger, ``StoreUnwritable`` for a write the server could not make), so a
repository's ``except`` clauses are the same on both databases.
"""

from __future__ import annotations

import itertools
import math
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from functools import lru_cache
from typing import Any, TypeVar

import psycopg
from psycopg import pq

from studio.errors import Kind
from studio.i18n import Msg
from studio.store.db import MIGRATIONS, PG_BASELINE, Migration, StoreError, StoreLost, StoreUnwritable
from studio.store.location import shown
from studio.store.pg_baseline import BASELINE

WRITE_LOCK = 0x73747564696F
"""The advisory lock every write transaction takes (b'studio'): one writer at a time, as on SQLite."""
CHANNEL = "studio_store"
"""Every write transaction notifies here when it commits; other connections listen (StoreChanges)."""

# A take's write is a dozen statements, each a round trip to the server: the lock goes with BEGIN, and the
# notification with COMMIT, in one round trip each (several statements without parameters are sent at once).
_WRITE_LOCK = f"SELECT pg_advisory_xact_lock({WRITE_LOCK})"
"""Taken in the same round trip as BEGIN: every writer queues on it."""
# Only a transaction that wrote has an xid: one that changed nothing moves no one's version, as on SQLite
# (a connection that opens an up-to-date store wakes nobody).
_ALWAYS_NOTIFY = f"SELECT pg_notify('{CHANNEL}', '')"
_NOTIFY = f"{_ALWAYS_NOTIFY} WHERE pg_current_xact_id_if_assigned() IS NOT NULL"
# Which transactions had ended, server-wide (xmin:xmax:running ids): two equal snapshots mean none ended between
# them, so nothing was committed (PgDatabase.ended). A write takes it in its lock's round trip, in a statement of
# its own after the lock (a statement's snapshot is taken as it starts).
_SNAPSHOT = "SELECT pg_current_snapshot()::text"

_PLACEHOLDER = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|\?")


@lru_cache(maxsize=1024)
def numbered(statement: str) -> str:
    """``?`` placeholders as PostgreSQL's own ``$1``, ``$2``...; a ``?`` inside quotes or a comment is left alone.
    The connection's cursors are psycopg's RawCursor, which sends them as they are: psycopg's ``%s`` would be
    parsed again on every execution of a statement with more than 50 parameters (an intake group's
    multi-row INSERT: some 1.3 ms each, a quarter of the writer's time)."""
    count = itertools.count(1)
    return _PLACEHOLDER.sub(lambda m: f"${next(count)}" if m[0] == "?" else m[0], statement)


class Row:
    """A row read by column name or by position, as ``sqlite3.Row`` is."""

    __slots__ = ("_values", "_index")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values, self._index = values, index

    def __getitem__(self, key: int | str) -> Any:
        return self._values[self._index[key] if isinstance(key, str) else key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return list(self._index)


def _rows(cursor: psycopg.Cursor[Any]) -> Any:
    index = {column.name: number for number, column in enumerate(cursor.description or ())}
    return lambda values: Row(values, index)


def _translated(error: psycopg.Error) -> Exception:
    """The server's own sentence (without psycopg's context lines), in the store's exception classes."""
    said = _reason(error)
    if isinstance(error, psycopg.IntegrityError):
        return sqlite3.IntegrityError(said)
    if isinstance(error, psycopg.OperationalError | psycopg.errors.ReadOnlySqlTransaction):
        return StoreUnwritable(Msg("store.error.write", reason=said))
    return error


T = TypeVar("T")

RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)
"""Seconds between attempts to reach a lost server, then every ``RETRY_DELAYS[-1]``: soon for a restart, calm for
an outage."""
LINK_OPTIONS: dict[str, Any] = {
    "connect_timeout": 5,
    # A network that drops silently is found within seconds, not TCP's quarter of an hour: a reply unacknowledged
    # for 10 s, or an idle link whose keepalives go unanswered (the doorbell's), breaks the connection.
    "tcp_user_timeout": 10_000,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
}


class Link:
    """Whether this process reaches the store's server. Its connections share one: the first to lose the server
    says so, and each opens again no sooner than the backoff allows, so a dead server costs no waiting after the
    first failure: every call until the next attempt is refused at once, with the reason and the seconds left."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reason: str | None = None  # None: reached
        self._failures = 0
        self._next_try = 0.0

    def lost(self, reason: str) -> None:
        """A connection found the server gone: the first to find out starts the wait; the others, finding out
        while it runs, change nothing but the reason."""
        with self._lock:
            if self.reason is None:
                self._next_try = time.monotonic() + RETRY_DELAYS[0]
                self._failures = 1
            self.reason = reason

    def attempt_failed(self, reason: str) -> None:
        """Opening a connection failed: the next attempt waits longer."""
        with self._lock:
            self.reason = reason
            self._next_try = time.monotonic() + RETRY_DELAYS[min(self._failures, len(RETRY_DELAYS) - 1)]
            self._failures += 1

    def reached(self) -> None:
        with self._lock:
            self.reason, self._failures, self._next_try = None, 0, 0.0

    def may_try(self) -> bool:
        return time.monotonic() >= self._next_try

    def retry_in(self) -> float:
        """Seconds until the next attempt (0 while the server is reached)."""
        return max(0.0, self._next_try - time.monotonic())

    def error(self) -> StoreLost:
        return StoreLost(Msg("store.error.lost", reason=self.reason or "?", seconds=max(1, math.ceil(self.retry_in()))))


class _Reopened:
    """A connection that is opened again after it was lost, as its ``Link`` allows; ``on_open`` runs on each new
    one (LISTEN again, say that something changed while it was away)."""

    def __init__(
        self, url: str, link: Link, on_open: Callable[[psycopg.Connection[Any]], None], **options: Any
    ) -> None:
        self.url, self.link, self._on_open, self._options = url, link, on_open, options
        self._connection: psycopg.Connection[Any] | None = None
        self._closed = False

    def current(self) -> psycopg.Connection[Any]:
        """The open connection, opened again if it was lost and the backoff allows; else StoreLost. While the
        link waits, even a connection that looks open is refused: a network that dropped silently would hold
        its caller until TCP gives up."""
        if self._closed:  # as sqlite3 says of a closed connection
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
        if self.link.reason is not None and not self.link.may_try():
            raise self.link.error()
        connection = self._connection
        if connection is not None and not connection.closed:
            return connection
        try:
            connection = psycopg.connect(self.url, autocommit=True, **LINK_OPTIONS, **self._options)
        except psycopg.ProgrammingError:
            raise unreadable(self.url) from None
        except psycopg.Error as error:
            self.link.attempt_failed(_reason(error))
            raise self.link.error() from None
        try:
            self._on_open(connection)
        except psycopg.Error as error:
            connection.close()
            self.link.attempt_failed(_reason(error))
            raise self.link.error() from None
        self._connection = connection
        self.link.reached()
        return connection

    def run(self, call: Callable[[psycopg.Connection[Any]], T], *, again: bool = True) -> T:
        """``call(connection)``, its errors in the store's classes: StoreLost when it cost the connection. A
        connection found dead while nobody knew the server was lost (one left idle through an outage the others
        have recovered from) is opened anew and ``call`` made once more, when ``again`` (it is safe to resend)."""
        connection = self.current()
        try:
            result = call(connection)
        except psycopg.Error as error:
            if connection.closed and again and self.link.reason is None:
                return self.run(call, again=False)
            raise self.failure(error, connection) from None
        if self.link.reason is not None:  # the server answers again (a connection that outlived the outage)
            self.link.reached()
        return result

    def failure(self, error: psycopg.Error, connection: psycopg.Connection[Any]) -> Exception:
        """``error`` of a call on ``connection`` in the store's classes: StoreLost when it cost the connection."""
        if not connection.closed:
            return _translated(error)
        self.link.lost(_reason(error))
        return self.link.error()

    def close(self) -> None:
        """Closed for good: a later call is refused, never quietly opened again."""
        self._closed = True
        if self._connection is not None:
            self._connection.close()


class PgDatabase:
    """One connection to the store's PostgreSQL database, seen as the part of ``sqlite3.Connection`` the
    repositories use. Autocommit: a read outside a transaction is its own; ``write()`` and ``snapshot()``
    open the transactions. A lost server is StoreLost; the connection is opened again on a later call, once
    the backoff allows (a transaction it was in is lost: nothing of it was kept)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.link = Link()
        self._begin_write = "BEGIN READ WRITE"
        self.backend_pid = 0  # the server process serving this connection now: its own notifications are not news
        self.locked_at: str | None = None  # the server's snapshot once this connection's write took the lock
        # Every execution planned for the table as it is: a generic plan kept from a new store's first minutes
        # (tables of a page, not analysed yet) scans whole tables once they have grown.
        self._reopened = _Reopened(
            url, self.link, self._opened, row_factory=_rows, cursor_factory=psycopg.RawCursor,
            options="-c default_transaction_read_only=on -c plan_cache_mode=force_custom_plan",
        )
        self._reopened.current()

    def _opened(self, connection: psycopg.Connection[Any]) -> None:
        self.backend_pid = connection.info.backend_pid

    @property
    def connection(self) -> psycopg.Connection[Any]:
        return self._reopened.current()

    def read_only(self, refuse: bool = True) -> None:
        """Every write transaction from now on is read-only (``refuse``): the server refuses its first write."""
        self._begin_write = "BEGIN READ ONLY" if refuse else "BEGIN READ WRITE"

    def execute(self, statement: str, parameters: Sequence[Any] | None = None) -> psycopg.Cursor[Any]:
        # Outside a transaction (a read of its own, or a BEGIN) a statement may be sent again on a new connection.
        again = not self.in_transaction
        if parameters is None:
            return self._reopened.run(lambda connection: connection.execute(statement), again=again)
        return self._reopened.run(lambda connection: connection.execute(numbered(statement), parameters), again=again)

    def executemany(self, statement: str, rows: Iterable[Sequence[Any]]) -> psycopg.Cursor[Any]:
        def many(connection: psycopg.Connection[Any]) -> psycopg.Cursor[Any]:
            cursor = connection.cursor()
            # One statement for many rows (an import's INSERTs) has one plan for all: planned once, not each time.
            # The setting is the write transaction's (outside one the connection writes nothing), undone with it if
            # it fails. A session-wide one was left behind when the status did not say idle (in a pipeline it says
            # active), and every later statement kept a generic plan: the intake's key lookup scanned every key.
            connection.execute("SET LOCAL plan_cache_mode = auto")
            cursor.executemany(numbered(statement), rows)
            connection.execute("SET LOCAL plan_cache_mode TO DEFAULT")
            return cursor  # its rowcount: the rows written

        return self._reopened.run(many, again=False)  # ``rows`` may be an iterator, read once

    def ended(self) -> str:
        """Which transactions had ended on the server: the same answer twice means nothing was committed between
        (any connection's, this one's too; another database's moves it as well, and then a state is read again
        for nothing). Inside a write, the one taken with its lock: no round trip, and no one else commits."""
        return self.locked_at if self.locked_at is not None else self.execute(_SNAPSHOT).fetchone()[0]

    @property
    def in_transaction(self) -> bool:
        return self.connection.info.transaction_status != pq.TransactionStatus.IDLE

    def close(self) -> None:
        self._reopened.close()

    def changes(self) -> PgChanges:
        """What tells this connection that another one committed."""
        return PgChanges(self)

    def doorbell(self, changes: PgChanges) -> PgDoorbell:
        """A Doorbell (studio/store/db.py) on a connection of its own, sharing this one's link to the server;
        what it hears moves ``changes`` too."""
        return PgDoorbell(self, changes)

    @contextmanager
    def write(self, together: bool = False) -> Iterator[None]:
        """One write transaction, alone (the advisory lock), whose reads are current; when it wrote, it
        notifies the other connections as it commits. Rolled back whole on any error. ``together``: the body's
        statements and the commit are sent without waiting for each answer and answered in one round trip (see
        ``pipeline``); a cursor's ``rowcount`` is then unknown until the end, so a body that reads one is not
        together."""
        # A write sent together writes (a take): its notification, which goes out only if it commits, is asked
        # with the lock, a statement fewer in its body's round trip.
        begin, commit = ((_ALWAYS_NOTIFY, _SNAPSHOT), ("COMMIT",)) if together else ((_SNAPSHOT,), (_NOTIFY, "COMMIT"))
        with self._transaction("; ".join((self._begin_write, _WRITE_LOCK, *begin)), commit, together) as began:
            while began.nextset():  # to the last statement's answer, the snapshot
                pass
            self.locked_at = began.fetchone()[0]
            try:
                yield
            finally:
                self.locked_at = None

    @contextmanager
    def pipeline(self) -> Iterator[None]:
        """The statements inside are sent without waiting for each answer, and answered in one round trip at the
        end (psycopg's pipeline mode); a cursor read inside costs a round trip of its own. Their errors come at
        the end, in the store's classes, as ``execute``'s do."""
        connection = self.connection
        try:
            with connection.pipeline():
                yield
        except psycopg.Error as error:
            raise self._reopened.failure(error, connection) from None

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Several reads that see one state of the store."""
        with self._transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", ("COMMIT",)):
            yield

    @contextmanager
    def _transaction(
        self, begin: str, commit: tuple[str, ...], together: bool = False
    ) -> Iterator[psycopg.Cursor[Any]]:
        """Yields the cursor of ``begin``'s statements."""
        began = self.execute(begin)
        connection = self.connection  # after BEGIN: a stale one is opened anew for it
        committing = False
        try:
            with self.pipeline() if together else nullcontext():
                yield began
                if together:  # in the body's round trip
                    committing = True
                    for statement in commit:
                        self.execute(statement)
            if not together:
                committing = True
                self.execute("; ".join(commit))  # several statements without parameters: one round trip
        except BaseException as error:
            if not connection.closed and connection.info.transaction_status != pq.TransactionStatus.IDLE:
                connection.execute("ROLLBACK")
            if committing and isinstance(error, StoreLost):
                # the server may have committed before the line went: only a look can tell
                raise StoreLost(Msg("store.error.lost_at_commit", reason=error.message.params["reason"])) from None
            raise


def connect(url: str) -> PgDatabase:
    """The store's database at ``url``, migrated. The password comes from the URL's environment
    (PGPASSWORD) or ~/.pgpass, never from a command line; no error shows the URL."""
    try:
        db = PgDatabase(url)
    except StoreLost as error:
        raise StoreError(Msg("store.error.server", reason=error.message.params["reason"])) from None
    try:
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def unreadable(url: str) -> StoreError:
    """The URL libpq could not parse: said without libpq's words, which quote the part it choked on (the
    password, perhaps)."""
    return StoreError(Msg("store.error.url", url=shown(url)), kind=Kind.REFUSED)


def _reason(error: psycopg.Error) -> str:
    """What the server or libpq said, on its first line (libpq names the host and port, never the password)."""
    return (error.diag.message_primary or str(error) or type(error).__name__).splitlines()[0]


def schema_version(db: PgDatabase) -> int:
    exists = db.execute("SELECT to_regclass('studio_schema') IS NOT NULL").fetchone()[0]
    return db.execute("SELECT version FROM studio_schema").fetchone()[0] if exists else 0


def migrate(db: PgDatabase) -> None:
    """Bring the schema to the newest: an empty database gets the baseline (SQLite's schema at version
    ``PG_BASELINE``, in one script), then the PostgreSQL side of every migration after it."""
    with db.write():
        version = schema_version(db)
        if version > len(MIGRATIONS):
            raise StoreError(Msg("store.error.newer", version=version, known=len(MIGRATIONS)), kind=Kind.REFUSED)
        if version == 0:
            db.execute(BASELINE)
            db.execute(
                "CREATE TABLE studio_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)"
            )
            db.execute("INSERT INTO studio_schema (id, version) VALUES (1, ?)", (PG_BASELINE,))
            version = PG_BASELINE
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            if not isinstance(migration, Migration):  # tests/store/test_migrations.py keeps this from shipping
                raise StoreError(Msg("store.error.no_postgresql_step", version=number), kind=Kind.INTERNAL)
            db.execute(migration.postgresql)
            db.execute("UPDATE studio_schema SET version = ?", (number,))


class PgChanges:
    """StoreChanges on PostgreSQL: LISTEN on a connection of its own; every write transaction NOTIFYs
    on commit. ``version()`` reads what has arrived in one round trip (a notification sent before its
    reply comes with it), so it never re-reads the store's tables; the writer's own notifications are not
    counted, as PRAGMA data_version does not count a connection's own commits. Each opening of the listener
    counts too: what was committed while the server was lost was never heard, so readers read all again."""

    def __init__(self, db: PgDatabase) -> None:
        self._db = db
        self._heard = 0
        self._counting = threading.Lock()  # the listener's thread and a doorbell's both count
        self._listener = _Reopened(db.url, db.link, self._listen)
        self._listener.current()

    def _listen(self, listener: psycopg.Connection[Any]) -> None:
        listener.add_notify_handler(self._note)
        listener.execute(f"LISTEN {CHANNEL}")
        self.heard()

    def _note(self, notification: psycopg.Notify) -> None:
        if notification.pid != self._db.backend_pid:
            self.heard()

    def heard(self) -> None:
        """Another connection committed (the listener heard it, or a doorbell did first)."""
        with self._counting:
            self._heard += 1

    def version(self) -> int:
        self._listener.run(lambda listener: listener.execute("SELECT 1"))
        return self._heard

    def close(self) -> None:
        self._listener.close()


class PgDoorbell:
    """A Doorbell on PostgreSQL: LISTEN on a connection of its own, waiting in the server's notifications. Another
    connection's commit rings it, and tells the store's ``PgChanges`` at once: the refresh the ring asks for must
    not depend on the listener having heard it too (each server process delivers notifications when it gets to
    them). A listener opened again after the server was lost rings at once: what was committed meanwhile was
    never heard."""

    def __init__(self, db: PgDatabase, changes: PgChanges) -> None:
        self._db, self._changes = db, changes
        self._opened = self._rung_for = 0
        self._listener = _Reopened(db.url, db.link, self._listen)
        self._listener.current()  # the first wait rings: a commit before this LISTEN was never heard

    def _listen(self, listener: psycopg.Connection[Any]) -> None:
        listener.execute(f"LISTEN {CHANNEL}")
        self._opened += 1

    def wait(self, timeout: float) -> bool:
        self._listener.current()  # opened again if it was lost: then it rings without waiting
        heard = self._rung_for == self._opened and self._listener.run(
            lambda listener: any(n.pid != self._db.backend_pid for n in listener.notifies(timeout=timeout, stop_after=1))
        )
        reopened, self._rung_for = self._rung_for != self._opened, self._opened
        if heard or reopened:
            self._changes.heard()
        return heard or reopened

    def close(self) -> None:
        self._listener.close()
