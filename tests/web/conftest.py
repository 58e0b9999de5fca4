"""Fixtures for the HTTP edges: servers on free loopback ports in a thread, a show on a
throwaway store, and "other processes" (controllers on their own connections)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from studio.rundown.load import load_rundown
from studio.rundown.model import Rundown
from studio.show import Controller
from studio.store import open_store
from tests.web.http_helpers import ALMATY, SHOW, Clock, Served, ServerThread


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 15, 9, 58, tzinfo=ALMATY))


@pytest.fixture
def store_path(store_location: Path | str) -> Path | str:
    """The show's store on each database (tests/conftest.py ``store_location``)."""
    return store_location


@pytest.fixture
def controllers(store_path: Path) -> Iterator[Callable[..., Controller]]:
    """``controllers(origin=..., clock=..., rundown=...)``: a controller on its own connection, as another
    process has. The first one built writes its rundown to the store; the others follow the store's plan."""
    stores = []

    def build(
        origin: str = "console",
        operator: str = "dana",
        clock: Callable[[], datetime] | None = None,
        rundown: Rundown | None = None,
        **kw: Any,
    ):
        store = open_store(store_path)
        stores.append(store)
        extra = {"clock": clock} if clock is not None else {}
        return Controller(store, rundown or load_rundown(SHOW), operator=operator, origin=origin, **extra, **kw)

    yield build
    for store in stores:
        store.close()


@pytest.fixture
def serve() -> Iterator[Callable[[web.Application], Served]]:
    servers: list[ServerThread] = []

    def start(app: web.Application) -> Served:
        server = ServerThread(app)
        servers.append(server)
        return Served(server.start(), app)

    yield start
    for server in servers:
        server.stop()
