"""make bench's record: figures kept beside their same-run baselines, and bench/compare.py saying what moved."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from record import RESULTS, figure  # noqa: E402


def recorded(path: Path, monkeypatch, *figures: tuple[str, float, float]) -> Path:
    monkeypatch.setenv(RESULTS, str(path))
    for name, value, baseline in figures:
        figure("bench", name, value, baseline, "ms", target="a target", met=True)
    return path


def compare(*args: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "bench" / "compare.py"), *map(str, args)],
                          capture_output=True, text=True, check=False)


def test_a_figure_is_kept_with_its_baseline_and_ratio_and_the_run(tmp_path, monkeypatch) -> None:
    path = recorded(tmp_path / "results" / "run.json", monkeypatch, ("p50", 30.0, 20.0))
    record = json.loads(path.read_text("utf-8"))
    assert record["figures"]["bench/p50"] == {"value": 30.0, "baseline": 20.0, "ratio": 1.5, "unit": "ms",
                                              "target": "a target", "met": True}
    assert record["run"]["cpus"] and "load_average" in record["run"]


def test_without_the_variable_nothing_is_written(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(RESULTS, raising=False)
    monkeypatch.chdir(tmp_path)
    figure("bench", "p50", 1.0, 1.0, "ms")
    assert list(tmp_path.iterdir()) == []


def test_compare_says_worse_better_new_and_gone_and_fails_on_worse(tmp_path, monkeypatch) -> None:
    old = recorded(tmp_path / "old.json", monkeypatch, ("steady", 10, 10), ("slower", 10, 10), ("faster", 10, 10),
                   ("gone", 1, 1))
    new = recorded(tmp_path / "new.json", monkeypatch, ("steady", 20, 19.5), ("slower", 12, 10), ("faster", 8, 10),
                   ("added", 1, 1))
    said = compare(old, new)
    lines = {line.split()[0]: line for line in said.stdout.splitlines()[2:]}
    assert lines["bench/slower"].endswith("worse") and lines["bench/faster"].endswith("better")
    assert lines["bench/steady"].rstrip().endswith("+3%")  # x1.00 -> x1.03: noise, not a move
    assert lines["bench/added"].endswith("new") and lines["bench/gone"].endswith("gone")
    assert said.returncode == 1
    assert compare(old, old).returncode == 0


def test_compare_refuses_what_is_not_a_record(tmp_path) -> None:
    (tmp_path / "other.json").write_text('{"x": 1}', "utf-8")
    said = compare(tmp_path / "other.json", tmp_path / "other.json")
    assert said.returncode == 2 and "not files written by make bench" in said.stderr and "Traceback" not in said.stderr
    assert compare(tmp_path / "absent.json", tmp_path / "other.json").returncode == 2
