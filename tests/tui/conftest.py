"""Fixtures for the console: a small show on a throwaway store, a clock the test moves."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from studio.config import Config
from studio.rundown.load import load_rundown
from studio.show import Controller
from studio.show.services import ShowServices
from studio.store import open_store
from studio.tui import StudioApp
from tests.clock import Clock
from tests.settling import settled

SHOW = Path(__file__).parent / "show.toml"
ALMATY = ZoneInfo("Asia/Almaty")
START = datetime(2026, 3, 15, 9, 58, tzinfo=ALMATY)


@pytest.fixture(autouse=True)
def no_discovered_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the developer's own config and store out of every test."""
    monkeypatch.setenv("STUDIO_CONFIG", str(tmp_path / "absent-config.toml"))
    monkeypatch.setenv("STUDIO_STORE", str(tmp_path / "absent-store.db"))
    monkeypatch.setenv("HOME", str(tmp_path))  # the header's store is ~/studio.db in every screenshot


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes screenshots depend on when they were taken."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def rundown_file(tmp_path: Path) -> Path:
    """A copy of the test show that a test may edit."""
    path = tmp_path / "show.toml"
    shutil.copy(SHOW, path)
    return path


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A console test runs on each database (issue 22); a screenshot on the SQLite file only, as its header
    names the store (~/studio.db) and its snapshot's name must not change."""
    if "store_path" in metafunc.fixturenames and "snap_compare" not in metafunc.fixturenames:
        databases = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
        metafunc.parametrize("store_path", databases, indirect=True)


@pytest.fixture
def store_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """The console's store: ~/studio.db, or a database of its own on the session's PostgreSQL server."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return tmp_path / "studio.db"
    return request.getfixturevalue("pg_server").new_database()


def make_config(language: str = "en", keymap: dict[str, str] | None = None, operator: str = "aigerim") -> Config:
    return Config.model_validate({"station": {"language": language, "operator": operator}, "keymap": keymap or {}})


@pytest.fixture
def make(rundown_file: Path, store_path: Path, clock: Clock) -> Iterator[Callable[..., StudioApp]]:
    """Build a console the way the CLI does, on the test store and clock."""
    apps: list[StudioApp] = []

    def build(
        language: str = "en",
        *,
        keymap: dict[str, str] | None = None,
        live: bool = False,
        obs: Any = None,
        youtube: Any = None,
        graphics: Any = None,
    ) -> StudioApp:
        config = make_config(language, keymap)
        controller = Controller(
            open_store(store_path),
            load_rundown(rundown_file),
            operator=config.station.operator or None,
            origin="console",
            clock=clock,
            switcher=obs,
            graphics=graphics,
            turnout_hours=config.station.turnout_hours,
        )
        services = ShowServices(controller, store_path, switcher=obs, youtube=youtube)
        app = StudioApp(services, config, rundown_path=rundown_file, live=live)
        app.animation_level = "none"
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.controller.close()


@pytest.fixture
def second_terminal(rundown_file: Path, store_path: Path, clock: Clock) -> Iterator[Callable[[], Controller]]:
    """Another studio process on the same store file (its own SQLite connection)."""
    stores = []

    def build() -> Controller:
        store = open_store(store_path)
        stores.append(store)
        return Controller(store, load_rundown(rundown_file), operator="dana", origin="console-2", clock=clock)

    yield build
    for store in stores:
        store.close()


async def _settle(pilot: Pilot[Any]) -> None:
    await settled(pilot, rounds=3)


@pytest.fixture
def settle() -> Callable[[Pilot[Any]], Any]:
    """``await settle(pilot)``: let workers finish and their messages land
    (an action's worker, then the view refresh it asks for)."""
    return _settle
