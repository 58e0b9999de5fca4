"""PostgreSQL's own side of the seam (studio/store/postgresql.py): placeholders, one writer at a time
whose reads are current, notifications only from writes that wrote."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from studio.store import open_store
from studio.store.desk import open_desk
from studio.store.postgresql import WRITE_LOCK, numbered


def test_question_marks_become_numbered_placeholders_outside_quotes_and_comments() -> None:
    assert numbered("SELECT ? FROM t WHERE a = ? AND b LIKE 'x?%' -- why? 100%\n AND c = \"q?\" AND d = ?") == (
        "SELECT $1 FROM t WHERE a = $2 AND b LIKE 'x?%' -- why? 100%\n AND c = \"q?\" AND d = $3"
    )
    assert numbered("SELECT 'it''s ?', ?") == "SELECT 'it''s ?', $1"


def test_a_statement_of_many_parameters_and_a_percent_sign_runs(pg_server) -> None:
    """More parameters than psycopg's cache of parsed statements holds (50), and a literal ``%``: sent as written."""
    store = open_store(pg_server.new_database())
    values = list(range(120))
    marks = ", ".join("?" * len(values))
    assert store.db.execute(f"SELECT '100%' || ?, array_length(ARRAY[{marks}], 1)", ["!", *values]).fetchone()[:] \
        == ("100%!", 120)
    store.close()


def test_a_second_writer_waits_for_the_first_and_reads_what_it_wrote(pg_server) -> None:
    """BEGIN IMMEDIATE's promise on PostgreSQL: the second write begins once the first has committed, and
    its reads see the first one's rows."""
    url = pg_server.new_database()
    first, second, watcher = open_store(url), open_store(url), open_store(url)
    seen: list[frozenset[str]] = []

    def second_writes() -> None:
        with second.write():
            seen.append(second.state("show").held)
            second.set_flag("show", "b", "held")

    with first.write():
        first.set_flag("show", "a", "held")
        waiting = threading.Thread(target=second_writes)
        waiting.start()
        while not watcher.db.execute(  # the second is queued on the writers' lock (no clock involved)
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = ?)",
            (WRITE_LOCK & 0xFFFFFFFF,),
        ).fetchone()[0]:
            pass
        assert seen == []
    waiting.join()
    assert seen == [frozenset({"a"})]
    assert first.state("show").held == {"a", "b"}
    assert first.changed_elsewhere() and second.changed_elsewhere() and watcher.changed_elsewhere()  # each wrote


def test_a_write_that_changed_nothing_wakes_nobody(pg_server) -> None:
    url = pg_server.new_database()
    writer, reader = open_store(url), open_store(url)
    with writer.write():
        writer.state("show")
    open_store(url).close()  # opening an up-to-date store migrates nothing
    assert not reader.changed_elsewhere()


def test_statements_sent_together_fail_as_each_would_and_keep_nothing(pg_server) -> None:
    """together() (psycopg's pipeline) answers its reads after the block, and a statement of it that fails raises
    the store's error as it would alone (sqlite3's IntegrityError), the write transaction kept none of it."""
    store = open_store(pg_server.new_database())
    insert = "INSERT INTO import_key (key, target, target_id, digest) VALUES (?, 'report', 1, 'd')"
    with store.write():
        with store.together():
            store.db.execute(insert, ("a",))
            asked = store.db.execute("SELECT key FROM import_key")
        assert [row[0] for row in asked] == ["a"]
    with pytest.raises(sqlite3.IntegrityError):
        with store.write():
            with store.together():
                store.db.execute(insert, ("b",))
                store.db.execute(insert, ("a",))  # its key is taken
    assert [row[0] for row in store.db.execute("SELECT key FROM import_key ORDER BY key")] == ["a"]
    store.close()


def test_a_write_together_commits_in_its_round_trip_and_fails_whole(pg_server) -> None:
    """write(together=True), a take's: its statements and the commit are answered in one round trip; a statement
    that fails raises the store's error and nothing of the write is kept, nor is anyone woken."""
    url = pg_server.new_database()
    store, reader = open_store(url), open_store(url)
    insert = "INSERT INTO import_key (key, target, target_id, digest) VALUES (?, 'report', 1, 'd')"
    with store.write(together=True):
        store.db.execute(insert, ("a",))
    assert not store.db.in_transaction and reader.changed_elsewhere()
    with pytest.raises(sqlite3.IntegrityError):
        with store.write(together=True):
            store.db.execute(insert, ("b",))
            store.db.execute(insert, ("a",))  # its key is taken
    with pytest.raises(ZeroDivisionError):  # the body's own failure: the statements sent are rolled back too
        with store.write(together=True):
            store.db.execute(insert, ("c",))
            1 / 0
    assert not reader.changed_elsewhere()
    assert [row[0] for row in reader.db.execute("SELECT key FROM import_key ORDER BY key")] == ["a"]
    store.close()
    reader.close()


def test_each_execution_is_planned_for_the_table_as_it_is(pg_server) -> None:
    """psycopg prepares a statement run five times, and PostgreSQL would then keep one generic plan, costed on the
    table as it was: on a new store (a page, never analysed yet) the intake's lookup of a group's keys became a scan
    of every key, 2-3 ms a group at 4,000 keys and growing with them. The store's connections plan every execution
    for its values and the table as it is (a custom plan), never a kept generic one."""
    store = open_desk(pg_server.new_database())
    for group in range(12):  # as the intake's groups come
        keys = [f"k-{group}-{n}" for n in range(16)]
        with store.write():
            assert store.used_keys_later(keys)() == ({}, {})
            store.add_keys([(key, "report", n, "d") for n, key in enumerate(keys)])
    plans = store.db.execute(
        "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%FROM import_key WHERE%'"
    ).fetchall()
    assert [tuple(row) for row in plans] == [(0, 7)]  # prepared at the fifth, run seven times more
    with store.write():  # one statement for many rows (an import's, 64 a statement): planned once, then as before
        store.add_keys([(f"many-{n}", "report", n, "d") for n in range(64 * 15)])
    plans = store.db.execute(  # the statement of 64 rows: its last parameter is $256
        "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%$256)'"
    ).fetchall()
    assert [tuple(row) for row in plans] == [(15 - 5, 5)]  # PostgreSQL plans the first five for their values
    assert store.db.execute("SHOW plan_cache_mode").fetchone()[0] == "force_custom_plan"
    with store.write(together=True), store.together():  # the intake's: one key's row, sent in a pipeline
        store.add_keys([("alone", "report", 1, "d")])
        store.db.execute("SELECT 1")  # a statement after it, in the same transaction
    assert store.db.execute("SHOW plan_cache_mode").fetchone()[0] == "force_custom_plan"
    with pytest.raises(sqlite3.IntegrityError), store.write():  # a row refused: the setting goes with the transaction
        store.add_keys([("alone", "report", 1, "d")])  # a key kept already
    assert store.db.execute("SHOW plan_cache_mode").fetchone()[0] == "force_custom_plan"
    store.close()
