"""A benchmark's figures, kept: each beside the baseline measured in the same run, and their ratio.

Every bench prints its figures for a person and hands them to ``figure()``. When ``make bench`` runs them,
``$STUDIO_BENCH_RESULTS`` names one JSON file for the whole run (bench/results/), and each figure is added
to it; without it (a bench run by hand) nothing is written. ``bench/compare.py OLD NEW`` says what moved.
Ratios, not milliseconds, are what compare across runs: machines and their load differ.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

RESULTS = "STUDIO_BENCH_RESULTS"


def figure(bench: str, name: str, value: float, baseline: float, unit: str, *, target: str = "",
           met: bool | None = None) -> None:
    """One figure of ``bench``: ``value`` against ``baseline`` (the same measure of the floor it is judged by)."""
    path = os.environ.get(RESULTS)
    if not path:
        return
    results = Path(path)
    record = json.loads(results.read_text("utf-8")) if results.exists() else {"run": _run(), "figures": {}}
    record["figures"][f"{bench}/{name}"] = {
        "value": round(value, 4), "baseline": round(baseline, 4),
        "ratio": round(value / baseline, 4) if baseline else None, "unit": unit, "target": target, "met": met,
    }
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", "utf-8")


def _run() -> dict[str, object]:
    """What the figures were measured on: the commit, the machine and how busy it was."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).parent, check=False).stdout.strip()
    return {"commit": commit or None, "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(), "load_average": os.getloadavg()[0], "python": platform.python_version()}
