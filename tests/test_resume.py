"""Killing studio mid-segment loses nothing: a restarted console resumes it.

The console runs for real in a pseudo-terminal; the take is a key press.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from studio.store import open_store
from studio.store.operators import add_operator
from tests.conftest import STATION_CONFIG
from tests.terminal import Terminal

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "data" / "small.toml"
ELAPSED = re.compile(r"10:00 ішінен 0:(\d\d) өтті")


def console(store: Path, key: str | None = None) -> Terminal:
    """``studio run --operator dana`` with the station's test config (sign-in on); ``key``: in $STUDIO_OPERATOR_KEY.
    The show is today's (a plan of another day would be asked about first): the small show dated today."""
    env = dict(os.environ) | {"STUDIO_STORE": str(store), "STUDIO_CONFIG": str(STATION_CONFIG)}
    env.pop("STUDIO_OPERATOR_KEY", None)
    if key is not None:
        env["STUDIO_OPERATOR_KEY"] = key
    today = datetime.now(ZoneInfo("Asia/Almaty")).date()
    rundown = store.with_name("small.toml")
    rundown.write_text(SMALL.read_text("utf-8").replace("date = 2026-03-15", f"date = {today}"), "utf-8")
    return Terminal([sys.executable, "-m", "studio", "run", str(rundown), "--operator", "dana"], env=env, cwd=ROOT)


def add_dana(store: Path) -> str:
    writer = open_store(store)
    try:
        return add_operator(writer.db, "dana", by="admin", at=datetime.now(UTC))
    finally:
        writer.close()


def wait_on_air(store: Path, timeout: float = 20.0):
    reader = open_store(store)
    deadline = time.monotonic() + timeout
    while (on_air := reader.state("small").on_air) is None:
        assert time.monotonic() < deadline, "the take never reached the store"
        time.sleep(0.05)
    return on_air


def test_killed_mid_segment_resumes_with_true_elapsed_time(tmp_path: Path) -> None:
    store = tmp_path / "show.db"
    passphrase = add_dana(store)
    with console(store) as first:
        first.wait_for("Құпиясөз")  # no key given: the sign-in screen comes first
        first.type(passphrase + "\r")
        first.wait_for("Қонақтармен сұхбат")  # signed in: the rundown is drawn
        first.type(" ")  # take next
        taken = wait_on_air(store)
        assert (taken.segment_id, taken.taken_by) == ("open", "dana")
        drawn = len(first.text)
        first.wait_for("10:00 ішінен 0:02 өтті", after=drawn)  # the elapsed clock runs on screen
        first.kill(signal.SIGKILL)
    killed_at = time.time()
    time.sleep(1.0)
    with console(store, key=passphrase) as second:  # the key proves dana: no sign-in screen
        second.wait_for("Қонақтармен сұхбат")
        resumed = open_store(store).state("small").on_air
        assert (resumed.id, resumed.segment_id, resumed.started_at) == (taken.id, "open", taken.started_at)
        # the restarted console counts from the original start, not from its own
        elapsed = int(time.time() - taken.started_at.timestamp())
        assert elapsed >= int(time.time() - killed_at) + 2
        # A clock from the original start shows at least ``elapsed`` (one from the restart would show less); which
        # second is drawn first depends on how busy the machine is, so any of them at or past it will do.
        deadline = time.monotonic() + 60
        while max(map(int, ELAPSED.findall(second.text)), default=0) < elapsed:
            assert time.monotonic() < deadline, f"no elapsed time of {elapsed} s or more drawn:\n{second.text[-800:]}"
            second.pump(0.1)
