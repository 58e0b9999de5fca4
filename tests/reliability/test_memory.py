"""Memory over a rehearsed day: RSS stays under MAX_RSS, and grows under GROWTH from an early hour to the last
(each hour's highest sample).

`make soak` (STUDIO_SOAK_DAY=1) rehearses the whole sample day from 07:00 at 60x, eighteen hours in about twenty
minutes, and compares its first hour with its last. `make test` rehearses from 17:00 at 1200x: there RSS steps up
at the first uses of things (the first turnout board's fonts, the 18:00 burst of reports; seconds apart at that
speed), so it compares the hour two thirds into the run, after them, with the last: a leak grows with time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.paths import sample_rundown

ROOT = Path(__file__).resolve().parents[2]
MAX_RSS = 200 * 1024 * 1024
GROWTH = 0.10
WHOLE_DAY = os.environ.get("STUDIO_SOAK_DAY") == "1"
SPEED, START = (60, "07:00") if WHOLE_DAY else (1200, "17:00")


@pytest.mark.timeout(3600 if WHOLE_DAY else 300)  # the whole day at 60x takes some twenty minutes
def test_rss_stays_bounded_and_flat_over_a_rehearsed_day(tmp_path: Path) -> None:
    env = os.environ | {"XDG_DATA_HOME": str(tmp_path / "data"), "STUDIO_STORE": str(tmp_path / "show.db"),
                        "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "studio", "--lang", "en", "rehearse", str(sample_rundown()),
                           "--no-obs", "--auto", "--speed", str(SPEED), "--start", START, "--seed", "5"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=3600, check=False)
    assert done.returncode == 0, done.stderr
    [report] = (tmp_path / "data" / "studio").glob("rehearsal-*.json")
    samples = [(s["wall"] * SPEED / 3600, s["bytes"]) for s in json.loads(report.read_text("utf-8"))["memory"]["rss"]
               if s["bytes"] is not None]
    hours = samples[-1][0]
    assert hours > 2, f"a day of {hours:.1f} simulated hours is too short to compare its first and last hours"
    early = 0 if WHOLE_DAY else hours * 2 / 3
    first = max(rss for hour, rss in samples if early <= hour <= early + 1)
    last = max(rss for hour, rss in samples if hour >= hours - 1)
    peak = max(rss for _, rss in samples)
    print(f"\n{hours:.1f} simulated hours at {SPEED}x: RSS hour {early:.0f}-{early + 1:.0f} {first / 2**20:.0f} MB, last hour "
          f"{last / 2**20:.0f} MB ({last / first - 1:+.1%}), peak {peak / 2**20:.0f} MB")
    assert peak < MAX_RSS
    assert last <= first * (1 + GROWTH), "memory grows over the day"
