"""Shared fixtures: throwaway stores, a controllable clock, no developer config."""

from __future__ import annotations

import asyncio
import inspect
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# No time limit per example in any property test: hypothesis's default deadline (200 ms) is a timing threshold,
# and a busy 2-core machine breaks it. Speed is the benchmarks' business (bench/).
settings.register_profile("studio", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("studio")

from tests.clock import Clock

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "data" / "small.toml"
STATION_CONFIG = ROOT / "tests" / "data" / "station.toml"


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no asyncio plugin is installed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True


@pytest.fixture(autouse=True)
def notifications_outlast_a_busy_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """A notification stays until the test has looked: on a loaded 2-core CI machine more than its 5-10 s can pass
    between the action and the look (a snapshot, a search of the notifications)."""
    from textual.app import App

    notify = App.notify

    def lasting(self, message, *, title="", severity="information", timeout=None, markup=True):  # type: ignore[no-untyped-def]
        return notify(self, message, title=title, severity=severity, timeout=600, markup=markup)

    monkeypatch.setattr(App, "notify", lasting)


@pytest.fixture(autouse=True)
def no_developer_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never read the developer's config or write their store or their shared files folder."""
    monkeypatch.delenv("STUDIO_FILES", raising=False)
    monkeypatch.setenv("STUDIO_CONFIG", str(STATION_CONFIG))
    monkeypatch.setenv("STUDIO_STORE", str(tmp_path / "default-store.db"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 15, 4, 30, tzinfo=UTC))  # 09:30 in Almaty


@pytest.fixture
def small_rundown():
    from studio.rundown.load import load_rundown

    return load_rundown(SMALL)


@pytest.fixture
def run_python(tmp_path: Path):
    """Run Python code in a fresh interpreter with a clean home."""

    def run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
        environment = os.environ | {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "c")} | env
        return subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=environment, cwd=ROOT, timeout=60
        )

    return run


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """In CI a skipped real-OBS, PostgreSQL or wheel test is a failure: CI must prove the real thing."""
    outcome = yield
    report = outcome.get_result()
    marker = next((m for m in ("obs", "postgresql", "wheel") if item.get_closest_marker(m)), None)
    if marker is None and {"pg_server", "own_pg_server"} & set(getattr(item, "fixturenames", ())):
        marker = "postgresql"
    if os.environ.get("CI") == "true" and report.skipped and marker:
        report.outcome = "failed"
        report.longrepr = f"{marker} test skipped in CI: {report.longrepr}"


# --- the store on both databases (issue 22) -----------------------------------------------------------------


def _served():
    """A PostgreSQL server of the tests' own (tests/pg_server.py), stopped after; skipped where PostgreSQL is
    not installed, a failure in CI."""
    from tests.pg_server import started_server

    try:
        server = started_server()
    except (FileNotFoundError, RuntimeError) as error:
        pytest.skip(f"no PostgreSQL server: {error}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_server():
    """The session's (the xdist worker's) own PostgreSQL server."""
    yield from _served()


@pytest.fixture(scope="module")
def own_pg_server():
    """A server of the module's own, for tests that crash it: crashing the session's would cut every other
    test's stores."""
    yield from _served()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a new, empty store is, on each database in turn: a SQLite file's path, or a PostgreSQL URL
    (a database of its own on the session's server). Harlequin parametrises its adapters the same way."""
    if request.param == "sqlite":
        return tmp_path / "s.db"
    return request.getfixturevalue("pg_server").new_database()


# --- real OBS (tests/obs, tests/rehearsal) ----------------------------------------------------------------


@pytest.fixture(scope="session")
def obs(tmp_path_factory: pytest.TempPathFactory):
    """The session's real OBS (640x360), one for tests/obs and tests/rehearsal (tests/obs/obs_process.py)."""
    from tests.obs.obs_process import PASSWORD_ENV, started_obs

    process = started_obs(tmp_path_factory.mktemp("obs"), PASSWORD_ENV)
    yield process
    process.stop()
    os.environ.pop(PASSWORD_ENV, None)
