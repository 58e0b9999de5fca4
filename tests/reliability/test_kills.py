"""SIGKILL of the show's processes at random moments, mid-request: nothing acknowledged is ever lost.

`studio serve` (the control API's show process: takes) and `studio intake` (observers' reports) run on one
store, driven as fast as they answer. At a seeded random moment one of them is killed with SIGKILL, whatever
it is doing, and started again. After every restart: each take and report that was acknowledged (200/201)
is in the store, in order; the restarted process says exactly what the store says is on air; and
``PRAGMA integrity_check`` is ok. ``STUDIO_KILLS`` kills (20 in ``make test``, 100 in ``make soak``).
"""

from __future__ import annotations

import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
from datetime import UTC, datetime
from pathlib import Path

from studio.paths import sample_rundown
from studio.store.desk import open_desk
from studio.store.observers import add_observer
from tests.web.http_helpers import TOKEN, http

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("STUDIO_KILLS", "20"))
STUDIO_SEGMENTS = ("studio-observers", "studio-lawyer")  # taken in turn: one is always not on air
UP_WAIT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Service:
    """One studio process on a fixed port, started again after each kill."""

    def __init__(self, argv: list[str], port: int, env: dict[str, str]) -> None:
        self.argv, self.port, self.env = argv, port, env
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "studio", *self.argv, "--port", str(self.port)],
                                        cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + UP_WAIT
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                assert self.process.poll() is None, f"{self.argv} exited {self.process.returncode} at start"
                assert time.monotonic() < deadline, f"{self.argv} did not start"
                time.sleep(0.05)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


class Driver(threading.Thread):
    """Takes and reports as fast as the processes answer; remembers what they acknowledged."""

    def __init__(self, api: Service, intake: Service, observer_token: str) -> None:
        super().__init__(daemon=True)
        self.api, self.intake, self.observer_token = api, intake, observer_token
        self.takes: list[str] = []
        self.reports: list[int] = []
        self.between = threading.Lock()  # held for one take and one report: the checks run between two
        self.done = threading.Event()

    def run(self) -> None:
        number = 0
        while not self.done.is_set():
            with self.between:
                number += 1
                self._one(number)

    def _one(self, number: int) -> None:
        segment = STUDIO_SEGMENTS[number % 2]
        try:
            taken = http("POST", f"{self.api.url}/take/{segment}", json_body={})
            if taken.status == 200:
                self.takes.append(segment)
            sent = http("POST", f"{self.intake.url}/reports", token=self.observer_token, json_body={
                "region": "astana", "station": number, "kind": "violation", "text": f"Хабар {number}"})
            if sent.status == 201:
                self.reports.append(sent.body["id"])
        except (OSError, urllib.error.URLError):  # the process is dead or starting: not acknowledged
            time.sleep(0.02)


def as_run(store: Path) -> list[str]:
    with sqlite3.connect(store) as db:
        return [row[0] for row in db.execute("SELECT segment_id FROM asrun WHERE undone = 0 ORDER BY started_at, id")]


def stored_reports(store: Path) -> set[int]:
    with sqlite3.connect(store) as db:
        return {row[0] for row in db.execute("SELECT id FROM report")}


def is_subsequence(wanted: list[str], found: list[str]) -> bool:
    rest = iter(found)
    return all(any(item == other for other in rest) for item in wanted)


def test_sigkill_at_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    store = tmp_path / "show.db"
    config = tmp_path / "config.toml"
    config.write_text('[station]\nlanguage = "en"\noperator = "producer"\n[operators]\nsign_in = false\n', "utf-8")
    desk = open_desk(store)
    observer = add_observer(desk.db, "aigerim", by="desk", at=datetime.now(UTC))
    desk.close()
    env = os.environ | {"PYTHONPATH": str(ROOT), "STUDIO_API_TOKEN": TOKEN}
    common = ["--config", str(config), "--store", str(store)]
    api = Service([*common, "serve", str(sample_rundown())], free_port(), env)
    intake = Service([*common, "intake"], free_port(), env)
    api.start()
    intake.start()
    driver = Driver(api, intake, observer)
    driver.start()
    rng = random.Random(17)
    try:
        for _ in range(KILLS):
            time.sleep(rng.uniform(0.05, 0.6))  # mid-request: the driver never pauses
            victim = rng.choice((api, intake))
            victim.kill()
            victim.start()
            with driver.between:
                with sqlite3.connect(store) as db:
                    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                state = http("GET", f"{api.url}/state").body  # the show process says what the store says
                rows = as_run(store)
                assert (state["on_air"] or {}).get("segment_id") == (rows[-1] if rows else None)
    finally:
        driver.done.set()
        driver.join(15)
        api.stop()
        intake.stop()
    rows, reports = as_run(store), stored_reports(store)
    assert len(driver.takes) > KILLS and len(driver.reports) > KILLS  # the driver kept working between kills
    assert is_subsequence(driver.takes, rows), "an acknowledged take is missing from the as-run"
    assert set(driver.reports) <= reports, f"acknowledged reports lost: {sorted(set(driver.reports) - reports)}"
    print(f"\n{KILLS} kills survived: {len(driver.takes)} takes and {len(driver.reports)} reports acknowledged, "
          f"none lost; as-run {len(rows)} rows, reports {len(reports)}")
