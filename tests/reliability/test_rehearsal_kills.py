"""SIGKILL of a running rehearsal at random moments: started again with the same command, it picks up exactly.

`studio rehearse --no-obs --auto` plays the sample day on a store of its own (``--store``). At seeded random
moments after it says its day runs, it is killed with SIGKILL, whatever it is doing (issuing the observers'
tokens, a take, a desk verdict, a burst of reports), and started again with the same command. After every kill:
``PRAGMA integrity_check`` is ok; everything the store held at the kill before is still there, unchanged
(as-run, events, reports, the facts' audit: committed means acknowledged); and the restarted rehearsal says it
picked up with exactly what the store has on air (the segment, since when, the graphics). At the end of the day:
every report of the scenario is in the store once, no take, graphic, import or desk act was done twice, and the
report says it was picked up after each kill. ``STUDIO_REHEARSAL_KILLS`` kills (20 in ``make test``, 100 in
``make soak``); the figures are printed, none is a threshold.
"""

from __future__ import annotations

import json
import os
import queue
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from studio.paths import sample_rundown

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("STUDIO_REHEARSAL_KILLS", "20"))
SPEED, START = (600, "17:00") if KILLS <= 30 else (300, "07:00")  # the kills end well before the day does
DELAY = (0.05, 1.6)  # real seconds from the moment the rehearsal's day runs (again) to the kill
SET_UP = 0.2  # the share of kills while it sets up (its observers' tokens, the intake), not yet running
LINE_WAIT = 120.0  # real seconds a start may take on a loaded machine
ZONE = ZoneInfo("Asia/Almaty")
STARTED = re.compile(r"^rehearsal of ")
PICKED_UP = re.compile(r"picked up at (\S+) of the day, where its store stopped \(resume (\d+)\): "
                       r"on air (.+?); graphics on air: (.*)$")


class Rehearsal:
    """One `studio rehearse` process, its standard output read line by line."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.spawned = time.perf_counter()
        self.process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, encoding="utf-8")
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.said: list[str] = []
        self.stderr = ""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, pattern: re.Pattern[str]) -> re.Match[str]:
        deadline = time.monotonic() + LINE_WAIT
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None:
                self.process.wait(10)
                raise AssertionError(f"the rehearsal ended ({self.process.returncode}) before saying {pattern.pattern}:"
                                     f"\n{chr(10).join(self.said)}\n{self.process.stderr.read() if self.process.stderr else ''}")
            self.said.append(line)
            found = pattern.search(line)
            if found:
                return found

    def kill(self) -> bool:
        """SIGKILL; False when it had ended by itself already (its day was over)."""
        if self.process.poll() is not None:
            return False
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        return self.process.returncode == -signal.SIGKILL

    def finish(self, timeout: float) -> None:
        _, self.stderr = self.process.communicate(timeout=timeout)
        assert self.process.returncode == 0, self.stderr


def local(text: str) -> str:
    return f"{datetime.fromisoformat(text).astimezone(ZONE):%H:%M:%S}"


def held(store: Path) -> dict[str, set[tuple[object, ...]]]:
    """What the store holds that must never change once committed (an open as-run row: what it started with)."""
    with sqlite3.connect(store) as db:
        return {
            "asrun": {row for row in db.execute("SELECT id, segment_id, started_at, taken_by FROM asrun")},
            "asrun_closed": {row for row in db.execute(
                "SELECT id, segment_id, started_at, ended_at, undone FROM asrun WHERE ended_at IS NOT NULL")},
            "event": {row for row in db.execute("SELECT id, at, action, segment_id, who, detail FROM event")},
            "report": {row for row in db.execute("SELECT id, observer, received_at, region, kind, text FROM report")},
            "fact_audit": {row for row in db.execute("SELECT id, fact_id, version, at, who, action FROM fact_audit")},
        }


def on_air(store: Path) -> tuple[str, list[str]]:
    """What the store has on air, said as the rehearsal says it."""
    with sqlite3.connect(store) as db:
        row = db.execute("SELECT segment_id, started_at FROM asrun WHERE ended_at IS NULL AND undone = 0").fetchone()
        graphics = sorted(template for (template,) in db.execute("SELECT template FROM graphic"))
    return ("nothing yet" if row is None else f"{row[0]} since {local(row[1])}"), graphics


def day_seconds(clock: str) -> int:
    """Seconds into the rehearsed day of a local HH:MM:SS (the day runs past midnight)."""
    seconds = sum(int(part) * unit for part, unit in zip(clock.split(":"), (3600, 60, 1)))
    start = sum(int(part) * unit for part, unit in zip(START.split(":"), (3600, 60)))
    return seconds - start + (86400 if seconds < start else 0)


def begun_at(store: Path) -> str | None:
    """The wall's moment the rehearsal's day runs from: written each time it (re)starts running."""
    with sqlite3.connect(store) as db:
        row = db.execute("SELECT begun_at FROM rehearsal").fetchone()
    return None if row is None else row[0]


def wait_running(store: Path, before: str | None, rehearsal: Rehearsal) -> None:
    deadline = time.monotonic() + LINE_WAIT
    while begun_at(store) == before:
        assert rehearsal.process.poll() is None, f"the rehearsal ended ({rehearsal.process.returncode})"
        assert time.monotonic() < deadline, "the rehearsal's day did not run"
        time.sleep(0.01)


def integrity(store: Path) -> str:
    with sqlite3.connect(store) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def doubled(store: Path) -> list[str]:
    """Every act the day did twice, by what the store holds."""
    found: list[str] = []
    with sqlite3.connect(store) as db:
        segments = [row[0] for row in db.execute("SELECT segment_id FROM asrun WHERE undone = 0")]
        found += [f"{segment} taken {n} times" for segment, n in Counter(segments).items() if n > 1]
        takes = db.execute("SELECT COUNT(*) FROM event WHERE action = 'take'").fetchone()[0]
        if takes != len(segments):
            found.append(f"{takes} take events for {len(segments)} as-run rows")
        cues = {segment["id"]: Counter(cue["template"] for cue in segment.get("graphics", []))
                for segment in json.loads(db.execute("SELECT segments FROM plan").fetchone()[0])}
        rows = db.execute("SELECT segment_id, started_at, ended_at FROM asrun WHERE undone = 0").fetchall()
        events = db.execute("SELECT segment_id, at, json_extract(detail, '$.template') FROM event"
                            " WHERE action IN ('graphic_on', 'graphic_refused')").fetchall()
        for segment, began, ended in rows:
            began_at, ended_at = datetime.fromisoformat(began), ended and datetime.fromisoformat(ended)
            aired = Counter(template for where, at, template in events if where == segment
                            and began_at <= datetime.fromisoformat(at) and (ended_at is None
                                                                            or datetime.fromisoformat(at) <= ended_at))
            found += [f"{segment}: {template} aired {n} times for {cues[segment][template]} cues"
                      for template, n in aired.items() if n > cues[segment][template]]
        batches = [row[0].rsplit("/", 1)[-1] for row in db.execute("SELECT file FROM import_batch WHERE kind = 'turnout'")]
        found += [f"{name} imported {n} times" for name, n in Counter(batches).items() if n > 1]
        judged = db.execute("SELECT report_id, COUNT(*) FROM fact_report GROUP BY report_id HAVING COUNT(*) > 1").fetchall()
        found += [f"report {report} is evidence of {n} facts" for report, n in judged]
        verified = db.execute("SELECT region, as_of, COUNT(*) FROM fact WHERE status = 'verified'"
                              " GROUP BY kind, region, as_of HAVING COUNT(*) > 1").fetchall()
        found += [f"{region} {as_of} verified {n} times" for region, as_of, n in verified]
    return found


@pytest.mark.timeout(3600 if KILLS > 30 else 900)
def test_a_killed_rehearsal_picks_up_exactly_where_its_store_stopped(tmp_path: Path) -> None:
    store = tmp_path / "rehearsal.db"
    env = os.environ | {"XDG_DATA_HOME": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "studio", "--lang", "en", "rehearse", str(sample_rundown()), "--no-obs", "--auto",
            "--speed", str(SPEED), "--start", START, "--seed", "11", "--store", str(store)]
    rng = random.Random(18)
    began = time.perf_counter()
    rehearsal = Rehearsal(argv, env)
    rehearsal.wait_for(STARTED)
    running_from = begun_at(store)  # the mark's, until the day runs
    before: dict[str, set[tuple[object, ...]]] = {}
    resumes: list[float] = []  # real seconds from a restart to the line that says what it picked up
    running: list[float] = []  # ... to its day running again
    last_picked_up, in_set_up = 0, 0
    try:
        for kill in range(1, KILLS + 1):
            if rng.random() < SET_UP:
                time.sleep(rng.uniform(0, 0.3))
                in_set_up += 1
            else:
                wait_running(store, running_from, rehearsal)
                if kill > 1:
                    running.append(time.perf_counter() - rehearsal.spawned)
                time.sleep(rng.uniform(*DELAY))
            assert rehearsal.kill(), f"the day ended after {kill - 1} kills: give the rehearsal a longer day"
            running_from = begun_at(store)
            assert integrity(store) == "ok"
            now = held(store)
            for table, rows in before.items():
                assert rows <= now[table], f"kill {kill}: {table} rows committed before are gone or changed"
            before = now
            wanted = on_air(store)
            rehearsal = Rehearsal(argv, env)
            picked = rehearsal.wait_for(PICKED_UP)
            resumes.append(time.perf_counter() - rehearsal.spawned)
            assert int(picked[2]) == kill
            graphics = [] if picked[4] == "-" else sorted(picked[4].split(", "))
            assert (picked[3], graphics) == wanted, f"kill {kill}: it picked up another on-air state than its store's"
            assert day_seconds(picked[1]) >= last_picked_up  # the day never runs back
            last_picked_up = day_seconds(picked[1])
        rehearsal.finish(timeout=900)
    finally:
        if rehearsal.process.poll() is None:
            rehearsal.kill()
    assert integrity(store) == "ok"
    now = held(store)
    for table, rows in before.items():
        assert rows <= now[table], f"{table} rows committed before the last kill are gone or changed"
    assert doubled(store) == []
    [report_file] = (tmp_path / "data" / "studio").glob("rehearsal-*.json")
    found = json.loads(report_file.read_text("utf-8"))
    assert len(found["rehearsal"]["resumed"]["at"]) == KILLS
    reports = found["reports"]
    assert reports["received_in_store"] == reports["planned"] == len(now["report"]), "a report lost or doubled"
    assert found["takes"]["in_event_log"] == len(now["asrun"]) > 0
    print(f"\n{KILLS} kills of a running rehearsal survived ({in_set_up} while it set up; {SPEED}x from {START}, the"
          f" last at {found['rehearsal']['resumed']['at'][-1][11:19]} of the day; {time.perf_counter() - began:.0f} s"
          f" real): {found['takes']['in_event_log']} takes, {reports['received_in_store']} reports, "
          f"{len(now['event'])} events, {len(now['fact_audit'])} desk acts, none lost or doubled. From a restart: "
          f"on-air state said in {statistics.median(resumes):.2f} s (median; max {max(resumes):.2f} s), the day running"
          f" again in {statistics.median(running):.2f} s (median; max {max(running):.2f} s)")
