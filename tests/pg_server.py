"""A PostgreSQL server of the tests' own: initdb and pg_ctl in a temporary directory, on a free port.

Nothing depends on a system service. PostgreSQL refuses to run as root: as root (CI's containers), the
server runs as the ``postgres`` user the Debian package makes, in a directory of its own. Authentication
is ``trust`` for the one role, on the unix socket in the temporary directory and on 127.0.0.1 only: no
password exists, so none is on any command line. Each test gets an empty database of its own, copied
from a template migrated once (CREATE DATABASE ... TEMPLATE), so a test pays for a copy, not for the
migrations.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from studio.store import postgresql

ROLE = "studio"
TEMPLATE = "studio_template"


def binaries() -> Path | None:
    """Where initdb and pg_ctl are: on PATH, else Debian's /usr/lib/postgresql/<version>/bin."""
    if found := shutil.which("pg_ctl"):
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    return versions[-1].parent if versions else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PgServer:
    bin: Path
    home: Path  # the data directory and the socket, short enough for a socket's path (~100 bytes)
    port: int
    _numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str = "postgres") -> str:
        """Over TCP, as another machine would reach it."""
        return f"postgresql://{ROLE}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        data = self.home / "data"
        self._run("initdb", "-D", data, "-U", ROLE, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        # A store is two connections (its own and its listener's), and a test may leave its stores to the
        # garbage collector: room for a few hundred.
        self.resume()
        postgresql.connect(self._created(TEMPLATE)).close()  # migrated once; every test copies it

    def resume(self) -> None:
        """The server started on its data directory (again, after ``crash``)."""
        settings = f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400"
        self._run("pg_ctl", "-D", self.home / "data", "-l", self.home / "server.log", "-o", settings, "-w", "start")

    def crash(self) -> None:
        """The server gone at once, as a machine or a network fails: every connection is cut, nothing is said."""
        self._run("pg_ctl", "-D", self.home / "data", "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", self.home / "data", "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.home, ignore_errors=True)

    def _run(self, program: str, *arguments: object) -> None:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*as_postgres, self.bin / program, *map(str, arguments)],
                       check=True, capture_output=True, timeout=120)

    def new_database(self) -> str:
        """The URL of a new database holding an empty store at the newest schema."""
        return self._created(f"test_{next(self._numbers)}", template=TEMPLATE)

    def _created(self, name: str, template: str = "template0") -> str:
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self.url(name)


def started_server(attempts: int = 3) -> PgServer:
    """A running server in a new temporary directory; raises FileNotFoundError when PostgreSQL is not
    installed, RuntimeError with the server's words when it does not start."""
    where = binaries()
    if where is None:
        raise FileNotFoundError("PostgreSQL's initdb and pg_ctl are not installed (apt-get install postgresql)")
    home = Path(tempfile.mkdtemp(prefix="studio-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
    server = PgServer(where, home, free_port())
    try:
        server.start()
    except subprocess.CalledProcessError as error:
        log = home / "server.log"
        said = (error.stderr or b"").decode(errors="replace") + (log.read_text() if log.exists() else "")
        shutil.rmtree(home, ignore_errors=True)
        if attempts == 1:
            raise RuntimeError(f"PostgreSQL did not start: {said.strip()[-2000:]}") from None
        return started_server(attempts - 1)  # its free port may have been taken meanwhile (helpers run at once)
    return server


def every_row(db: Any) -> str:
    """Every row of every table as text, on either database (SQLite: its dump): what a secret must never be in."""
    if isinstance(db, sqlite3.Connection):
        return "\n".join(db.iterdump())
    tables = [row[0] for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    return "\n".join(repr(tuple(row)) for table in tables for row in db.execute(f"SELECT * FROM {table}"))
