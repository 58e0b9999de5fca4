"""Without OBS installed, the OBS tests skip; under CI=true they fail instead."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONE_OBS_TEST = "tests/obs/test_obs_adapter.py::test_connect_reports_versions"


def run_without_obs(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PATH"] = str(tmp_path)  # an empty folder: neither obs nor Xvfb is found
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", ONE_OBS_TEST, "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_skips_with_a_reason_when_obs_is_missing(tmp_path: Path) -> None:
    run = run_without_obs(tmp_path, ci=None)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 skipped" in run.stdout
    assert "obs and Xvfb not found" in run.stdout and "apt-get install" in run.stdout


def test_fails_in_ci_when_obs_is_missing(tmp_path: Path) -> None:
    run = run_without_obs(tmp_path, ci="true")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 error" in run.stdout and "obs and Xvfb not found" in run.stdout
