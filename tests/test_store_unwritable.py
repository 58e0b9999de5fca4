"""A store that cannot be written mid-show: a full disk, a read-only file.

SQLite itself refuses, as it would on a real disk: ``PRAGMA max_page_count`` at the file's size is a full
disk (SQLITE_FULL), ``PRAGMA query_only`` a file that cannot be written (SQLITE_READONLY). The take is
refused in a sentence, nothing half-written is kept, the air stays as it is, the file stays whole, and
the show goes on when the store can be written again. A retracted figure comes off air even then.
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from studio.show import Controller
from studio.store import open_store
from studio.store.db import StoreUnwritable
from tests.test_control import RecordingSwitcher
from tests.test_onair_control import StandInGraphics, retract, rundown, verified_fact  # noqa: F401 (rundown: a fixture)

FULL_DISK = "STUDIO_TEST_FULL_DISK"


def disk_full(db: sqlite3.Connection) -> Callable[[], None]:
    """No file of this process may grow (RLIMIT_FSIZE, SIGXFSZ ignored): write() fails with EFBIG, the way a
    full disk fails it. Only in the subprocess these scenarios run in (the limit is the whole process's)."""
    path = Path(db.execute("PRAGMA database_list").fetchone()[2])
    grown = max(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (grown, hard))
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def read_only(db: sqlite3.Connection) -> Callable[[], None]:
    db.execute("PRAGMA query_only = ON")
    return lambda: db.execute("PRAGMA query_only = OFF")


def test_on_a_full_disk_too(tmp_path) -> None:
    """The scenario below with the disk full, in a subprocess: the file-size limit would stop pytest's own files."""
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "--basetemp",
         str(tmp_path / "run"), f"{__file__}::test_a_take_the_store_refuses_leaves_the_air_and_the_file_as_they_were"],
        capture_output=True, text=True, cwd=Path(__file__).parents[1], timeout=120, check=False,
        env=os.environ | {FULL_DISK: "1"},
    )
    assert ran.returncode == 0 and "1 passed" in ran.stdout, ran.stdout + ran.stderr


def test_a_take_the_store_refuses_leaves_the_air_and_the_file_as_they_were(tmp_path, small_rundown, clock) -> None:
    failure = disk_full if os.environ.get(FULL_DISK) else read_only
    switcher = RecordingSwitcher()
    controller = Controller(open_store(tmp_path / "show.db"), small_rundown, switcher=switcher, clock=clock)
    controller.take_next()
    events = len(controller.store.events("small"))
    writable_again = failure(controller.store.db)
    for _ in range(40):  # a flood of refused writes (the full disk's journal must not grow past the limit)
        with pytest.raises(StoreUnwritable) as refused:
            controller.take_next()
    said = refused.value.render("en")
    assert said.startswith("the store cannot be written (") and "what is on air stays" in said
    assert switcher.calls == ["take open"]  # OBS was never told: the air is as it was
    assert controller.view().on_air.segment_id == "open" and len(controller.store.events("small")) == events
    writable_again()
    assert controller.store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    controller.take_next()  # the show goes on
    assert controller.view().on_air.segment_id != "open" and switcher.calls[-1] != "take open"


def test_a_retracted_figure_comes_off_air_even_when_the_store_cannot_say_so(tmp_path, rundown, clock) -> None:
    path = tmp_path / "show.db"
    fact = verified_fact(path, clock)
    switcher = RecordingSwitcher()
    controller = Controller(open_store(path), rundown, switcher=switcher, graphics=StandInGraphics([fact]), clock=clock)
    controller.take_next()
    controller.graphic_take(0)
    retract(path, fact, clock)  # the desk's own connection could write
    writable_again = read_only(controller.store.db)  # the show process's cannot
    with pytest.raises(StoreUnwritable):
        controller.refresh()
    assert switcher.shown == []  # off air at once
    writable_again()
    controller.refresh()  # and recorded once the store takes it
    assert controller.on_air_graphics == ()
    assert [e.action for e in controller.store.events("small")].count("graphic_pulled") == 1

