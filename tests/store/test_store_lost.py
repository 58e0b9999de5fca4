"""The store's server lost and found again (issue 22, part 2), and the doorbell the show process waits on.

A server of this module's own is crashed (``pg_ctl stop -m immediate``: every connection cut, nothing said) and
started again: every call meanwhile is refused at once with StoreLost, whose message says why and when the next
attempt is; nothing of a write in flight is kept; once the server is back, the connections open again by
themselves and readers re-read everything (what was committed meanwhile was never heard).
"""

from __future__ import annotations

import sqlite3
import threading
import time
import pytest

from studio.store import open_store
from studio.store.db import StoreLost
from studio.store.postgresql import RETRY_DELAYS
from tests.pg_server import PgServer

pytestmark = pytest.mark.postgresql


@pytest.fixture
def server(own_pg_server: PgServer) -> PgServer:
    return own_pg_server


def until_reached(call, deadline: float = 30.0):
    """``call()`` once the link lets an attempt through and the server answers."""
    end = time.monotonic() + deadline
    while True:
        try:
            return call()
        except StoreLost:
            assert time.monotonic() < end, "the store was not reached again"
            time.sleep(0.05)


def test_a_lost_server_is_refused_at_once_and_reached_again_by_itself(server: PgServer) -> None:
    url = server.new_database()
    store, other = open_store(url), open_store(url)
    with store.write():
        store.set_flag("show", "a", "held")
    assert other.changed_elsewhere()
    server.crash()
    try:
        with pytest.raises(StoreLost) as lost:
            with store.write():
                store.set_flag("show", "b", "held")
        said = str(lost.value)
        assert "cannot be reached" in said and "what is on air stays on air" in said and url not in said
        started = time.monotonic()
        for _ in range(100):  # within the backoff: refused without touching the network
            with pytest.raises(StoreLost):
                store.state("show")
        assert time.monotonic() - started < 0.5
        assert lost.value.message.params["seconds"] >= 1
    finally:
        server.resume()
    assert until_reached(lambda: store.state("show")).held == {"a"}  # b was never kept
    assert until_reached(other.changed_elsewhere)  # the listener opened again: read all again
    with store.write():
        store.set_flag("show", "c", "held")
    assert other.changed_elsewhere() and other.state("show").held == {"a", "c"}


def test_a_commit_cut_off_by_the_lost_server_says_it_may_have_been_kept(server: PgServer) -> None:
    url = server.new_database()
    store = open_store(url)
    with pytest.raises(StoreLost) as lost:
        with store.write():
            store.set_flag("show", "a", "held")
            server.crash()
    server.resume()
    assert "may or may not have been kept" in str(lost.value) and url not in str(lost.value)


def test_a_write_together_cut_off_before_its_commit_keeps_nothing(server: PgServer) -> None:
    """Its statements are answered with the commit: the loss is heard there, so it says what a commit cut off says
    (may or may not have been kept), and a look finds nothing kept."""
    url = server.new_database()
    store = open_store(url)
    with pytest.raises(StoreLost) as lost:
        with store.write(together=True):
            store.set_flag("show", "a", "held")
            server.crash()
    server.resume()
    assert "may or may not have been kept" in str(lost.value) and url not in str(lost.value)
    assert until_reached(lambda: store.state("show")).held == frozenset()


def test_a_closed_store_is_never_opened_again(server: PgServer) -> None:
    store = open_store(server.new_database())
    store.close()
    with pytest.raises(sqlite3.ProgrammingError):  # as SQLite's
        store.state("show")


def test_attempts_back_off_while_the_server_stays_away(server: PgServer) -> None:
    store = open_store(server.new_database())
    server.crash()
    try:
        waits = []
        for _ in range(3):
            with pytest.raises(StoreLost):
                store.state("show")
            waits.append(store.db.link.retry_in())
            time.sleep(waits[-1] + 0.01)  # the next call is an attempt, and it fails
        assert waits == sorted(waits) and waits[-1] > RETRY_DELAYS[0]
    finally:
        server.resume()
    until_reached(lambda: store.state("show"))
    assert store.db.link.reason is None and store.db.link.retry_in() == 0


def test_the_doorbell_rings_on_another_connections_commit_and_after_the_server_returns(server: PgServer) -> None:
    url = server.new_database()
    store, writer = open_store(url), open_store(url)
    bell = store.doorbell()
    assert bell.wait(0.0)  # the first wait rings: a commit before the doorbell was opened was never heard
    assert not bell.wait(0.05)
    rang = []
    waiting = threading.Thread(target=lambda: rang.append((bell.wait(10.0), time.monotonic())))
    waiting.start()
    time.sleep(0.1)
    with writer.write():
        writer.set_flag("show", "a", "held")
    committed = time.monotonic()
    waiting.join()
    assert rang[0][0] and rang[0][1] - committed < 0.2
    server.crash()
    try:
        with pytest.raises(StoreLost):
            bell.wait(1.0)
    finally:
        server.resume()
    assert until_reached(lambda: bell.wait(0.0))  # opened again: it rings, since it heard nothing meanwhile
    assert not bell.wait(0.05)
    bell.close()


def test_the_sqlite_doorbell_rings_on_another_connections_commit(tmp_path) -> None:
    store, writer = open_store(tmp_path / "s.db"), open_store(tmp_path / "s.db")
    bell = store.doorbell()
    assert bell.wait(0.0) and not bell.wait(0.05)  # the first wait rings
    with writer.write():
        writer.set_flag("show", "a", "held")
    assert bell.wait(1.0)
    assert not bell.wait(0.05)
    bell.close()
