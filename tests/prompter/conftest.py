"""Fixtures for the prompter: a show on a throwaway store, a clock the test moves,
a prompter built the way the CLI builds it, and "another process" that takes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator
from zoneinfo import ZoneInfo

import pytest

from studio.config import Config
from studio.rundown.load import load_rundown
from studio.show import Controller, ShowReader
from studio.store import open_store
from studio.tui.prompter import PrompterApp, make_prompter
from tests.clock import Clock
from tests.prompter.prompter_helpers import SHOW

ALMATY = ZoneInfo("Asia/Almaty")
START = datetime(2026, 3, 15, 9, 58, tzinfo=ALMATY)


@pytest.fixture(autouse=True)
def no_discovered_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STUDIO_CONFIG", str(tmp_path / "absent-config.toml"))
    monkeypatch.setenv("STUDIO_STORE", str(tmp_path / "absent-store.db"))
    monkeypatch.setenv("HOME", str(tmp_path))  # the header's store is ~/studio.db in every screenshot


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def store_path(store_location: Path | str, tmp_path: Path) -> Path | str:
    """The show's store on each database (tests/conftest.py ``store_location``); on SQLite named as the
    screenshots show it (~/studio.db)."""
    return tmp_path / "studio.db" if isinstance(store_location, Path) else store_location


def prompter_config(language: str = "kk", size: int = 3, keymap: dict[str, str] | None = None) -> Config:
    return Config.model_validate(
        {"station": {"language": language, "operator": "aigerim"}, "prompter": {"size": size}, "keymap": keymap or {}}
    )


@pytest.fixture
def producer(store_path: Path, clock: Clock) -> Iterator[Controller]:
    """The producer's controller: another connection on the same store file, which takes."""
    store = open_store(store_path)
    yield Controller(store, load_rundown(SHOW), operator="dana", origin="console", clock=clock)
    store.close()


@pytest.fixture
def make(store_path: Path, clock: Clock, producer: Controller) -> Iterator[Callable[..., PrompterApp]]:
    """Build a prompter the way the CLI does, on its own store connection."""
    apps: list[PrompterApp] = []

    def build(language: str = "kk", *, live: bool = False, size: int = 3, **config: Any) -> PrompterApp:
        show = ShowReader(open_store(store_path), load_rundown(SHOW), clock=clock)
        app = make_prompter(show, prompter_config(language, size, **config), live=live)
        app.animation_level = "none"
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.follower._show.store.close()
