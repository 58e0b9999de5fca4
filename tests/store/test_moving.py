"""Moving and keeping the store (issue 22, part 5; studio/store/moving.py): the sample day's SQLite store
copied into an empty PostgreSQL database and verified, a non-empty or dead target refused in one line, and
an online backup of each database taken while it is written to."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
from datetime import datetime, timezone
from pathlib import Path

import psycopg
import pytest

from studio.cli import main
from studio.desk.demo import load_demo
from studio.store import open_store
from studio.store.db import MIGRATIONS
from studio.store.desk import open_desk
from studio.store.moving import migrate_to_postgresql, redacted
from tests.pg_server import free_port

pytestmark = pytest.mark.postgresql
AT = datetime(2026, 3, 15, 7, 0, tzinfo=timezone.utc)


@pytest.fixture
def sample_day(tmp_path: Path) -> Path:
    """A SQLite store holding the sample day's desk (reports, sources, facts and their audit) and a take."""
    path = tmp_path / "day.db"
    load_demo(open_desk(path))
    show = open_store(path)
    with show.write():
        show.save_plan("day", {"title": "day"}, [])
        show.open_asrun("day", {"id": "open", "kind": "studio", "title": {"kk": "а", "ru": "а"}, "planned_s": 60},
                        AT, "anna", "console")
        row = show.state("day").on_air.id
        show.log("day", AT, "take", "anna", "console", "open", row=row)
    return path


def sqlite_counts(path: Path, tables) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables}


def test_the_sample_day_is_copied_whole_and_its_audit_chain_verified(sample_day, pg_server, capsys) -> None:
    url = pg_server.new_database()
    assert main(["--lang", "en", "--store", str(sample_day), "store", "migrate", "--to", url]) == 0
    said = capsys.readouterr().out
    assert "row counts verified" in said and "audit chain" in said

    with psycopg.connect(url) as target:
        tables = [r[0] for r in target.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'studio_schema'")]
        there = {t: target.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        audit = target.execute("SELECT * FROM fact_audit ORDER BY id").fetchall()
        version = target.execute("SELECT version FROM studio_schema").fetchone()[0]
    assert there == sqlite_counts(sample_day, tables)
    assert there["report"] > 0 and there["fact_audit"] > 0 and there["event"] > 0
    with sqlite3.connect(sample_day) as source:
        assert audit == source.execute("SELECT * FROM fact_audit ORDER BY id").fetchall()
    assert version == len(MIGRATIONS)

    # The identities go on past the copied ids: a new fact and event on PostgreSQL take new numbers.
    desk, show = open_desk(url), open_store(url)
    assert desk.facts()  # the sample day's facts read on PostgreSQL
    with show.write():
        show.log("day", AT, "note", "anna", "console")
    with psycopg.connect(url) as target:
        assert target.execute("SELECT count(DISTINCT id) = count(*) FROM event").fetchone()[0]


def test_a_non_empty_target_is_refused_and_left_as_it_was(sample_day, pg_server, capsys) -> None:
    url = pg_server.new_database()
    show = open_store(url)
    with show.write():
        show.set_flag("day", "open", "held")

    assert main(["--lang", "en", "--store", str(sample_day), "store", "migrate", "--to", url]) == 2
    said = capsys.readouterr().err.strip()
    assert said.count("\n") == 0 and "is not empty (table flag has rows)" in said
    with psycopg.connect(url) as target:
        assert target.execute("SELECT count(*) FROM report").fetchone()[0] == 0


def test_a_database_of_someone_else_is_refused_before_studio_touches_it(sample_day, pg_server, capsys) -> None:
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        admin.execute("CREATE DATABASE theirs")
    with psycopg.connect(pg_server.url("theirs"), autocommit=True) as theirs:
        theirs.execute("CREATE TABLE payroll (id int)")

    assert main(["--lang", "en", "--store", str(sample_day), "store", "migrate", "--to", pg_server.url("theirs")]) == 2
    assert "not a studio store (payroll)" in capsys.readouterr().err
    with psycopg.connect(pg_server.url("theirs")) as theirs:
        assert [r[0] for r in theirs.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")] == [
            "payroll"]


def test_a_broken_audit_chain_is_refused_and_nothing_is_copied(sample_day, pg_server, capsys) -> None:
    with sqlite3.connect(sample_day) as source:  # an entry that skips versions (inserting is allowed)
        fact, last = source.execute("SELECT fact_id, max(version) FROM fact_audit GROUP BY fact_id").fetchone()
        source.execute("INSERT INTO fact_audit (fact_id, version, at, who, action, why, before, after) "
                       "SELECT fact_id, version + 2, at, who, action, why, after, after FROM fact_audit "
                       "WHERE fact_id = ? AND version = ?", (fact, last))
    url = pg_server.new_database()
    assert main(["--lang", "en", "--store", str(sample_day), "store", "migrate", "--to", url]) == 70  # EX_SOFTWARE: to report
    assert f"the audit of fact {fact} is broken at version {last + 2}" in capsys.readouterr().err
    with psycopg.connect(url) as target:
        assert target.execute("SELECT count(*) FROM report").fetchone()[0] == 0


def test_a_dead_server_is_one_line_without_the_password(sample_day, capsys) -> None:
    url = f"postgresql://studio:hunter2@127.0.0.1:{free_port()}/day"
    assert main(["--lang", "en", "--store", str(sample_day), "store", "migrate", "--to", url]) == 2
    said = capsys.readouterr().err.strip()
    assert said.startswith("studio: error: cannot reach the store's PostgreSQL server") and "\n" not in said
    assert "hunter2" not in said


def test_a_missing_source_is_named(tmp_path, pg_server, capsys) -> None:
    missing = tmp_path / "nowhere.db"
    assert main(["--lang", "en", "--store", str(missing), "store", "migrate", "--to", pg_server.new_database()]) == 2
    assert f"there is no SQLite store at {missing}" in capsys.readouterr().err
    assert not missing.exists()


def test_a_password_is_never_shown() -> None:
    assert redacted("postgresql://desk:s3cret@db.example:5432/studio") == "postgresql://desk:***@db.example:5432/studio"
    assert redacted("postgresql://desk@db/studio?password=s3cret&sslmode=require") == (
        "postgresql://desk@db/studio?password=***&sslmode=require")
    assert redacted("postgresql://desk@db/studio") == "postgresql://desk@db/studio"


# --- backup ---------------------------------------------------------------------------------------------


def writing_meanwhile(location, stop: threading.Event) -> threading.Thread:
    """A show that goes on logging while the backup is taken."""
    def write() -> None:
        show = open_store(location)
        while not stop.is_set():
            with show.write():
                show.log("day", AT, "note", "anna", "console")

    thread = threading.Thread(target=write)
    thread.start()
    return thread


def test_a_sqlite_backup_taken_while_the_show_writes_opens_as_a_store(sample_day, tmp_path, capsys) -> None:
    copy = tmp_path / "backup.db"
    stop = threading.Event()
    writer = writing_meanwhile(sample_day, stop)
    try:
        assert main(["--lang", "en", "--store", str(sample_day), "store", "backup", str(copy)]) == 0
    finally:
        stop.set()
        writer.join()
    assert f"to {copy}" in capsys.readouterr().out
    with sqlite3.connect(copy) as backup:
        assert backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert backup.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        taken = backup.execute("SELECT count(*) FROM event").fetchone()[0]
    with sqlite3.connect(sample_day) as live:
        assert 1 <= taken <= live.execute("SELECT count(*) FROM event").fetchone()[0]
    assert open_desk(copy).facts()  # it opens as a store

    assert main(["--lang", "en", "--store", str(sample_day), "store", "backup", str(copy)]) == 2  # never written over
    assert "a backup never writes over a file" in capsys.readouterr().err


def test_a_postgresql_backup_is_pg_dump_and_restores(sample_day, pg_server, tmp_path, monkeypatch) -> None:
    from studio.store import moving

    url = pg_server.new_database()
    migrate_to_postgresql(sample_day, url)
    dump = tmp_path / "day.dump"
    started: list[tuple[list[str], dict[str, str]]] = []
    real_run = subprocess.run

    def noted(argv, **options):  # the real pg_dump, its command line and environment noted
        if Path(argv[0]).name == "pg_dump":
            started.append((argv, options["env"]))
        return real_run(argv, **options)

    monkeypatch.setattr(moving.subprocess, "run", noted)
    stop = threading.Event()
    writer = writing_meanwhile(url, stop)
    try:  # the fixture's server trusts its role: a password is accepted and unused, as pg_dump must get it
        moving.backup(url.replace("studio@", "studio:hunter2@"), dump)
    finally:
        stop.set()
        writer.join()
    [(argv, environment)] = started
    assert "hunter2" not in " ".join(argv) and environment["PGPASSWORD"] == "hunter2"

    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        admin.execute("CREATE DATABASE restored")
    restored = pg_server.url("restored")
    subprocess.run(["pg_restore", "--no-owner", f"--dbname={restored}", str(dump)], check=True, timeout=300)
    with psycopg.connect(restored) as db, psycopg.connect(url) as live:
        assert db.execute("SELECT count(*) FROM fact_audit").fetchone() == live.execute(
            "SELECT count(*) FROM fact_audit").fetchone()
        assert 1 <= db.execute("SELECT count(*) FROM event").fetchone()[0]
    assert open_desk(restored).facts()


# --- the README's role for desk machines ------------------------------------------------------------------


def desk_role_sql() -> str:
    """The ```sql block of the README's "A role for desk machines", as a reader copies it."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    section = readme.split("### A role for desk machines", 1)[1]
    return section.split("```sql\n", 1)[1].split("```", 1)[0]


def test_the_readme_desk_role_runs_the_desk_and_cannot_delete_the_audit(pg_server) -> None:
    url = pg_server.new_database()
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url, autocommit=True) as owner:
        owner.execute(desk_role_sql().replace("ON DATABASE studio ", f"ON DATABASE {name} "))
    desk_url = url.replace("studio@", "studio_desk@")

    load_demo(open_desk(desk_url))  # the sample day's desk, written as the desk role

    with psycopg.connect(desk_url, autocommit=True) as desk:
        assert desk.execute("SELECT count(*) FROM fact_audit").fetchone()[0] > 0
        for statement in ("DELETE FROM fact_audit", "TRUNCATE fact_audit", "DELETE FROM event",
                          "ALTER TABLE fact_audit DISABLE TRIGGER USER"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                desk.execute(statement)
