"""The fake Telegram Bot API (one per session, reset for every test) and ``studio bot`` running against it."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from studio.machine import utc_now
from studio.store.desk import DeskStore, open_desk
from studio.store.observers import add_observer
from studio.store.telegram import issue_code
from studio.telegram.bot import BotSettings, TelegramBot
from tests.observer_bot.fake_telegram import FakeTelegram

ZONE = ZoneInfo("Asia/Almaty")
PATIENCE = 120.0
"""How long a test waits for an outcome before it calls it missing: generous, a loaded machine is slow."""


def eventually(check: Callable[[], Any], what: str) -> Any:
    """``check()``'s first truthy value; fails after PATIENCE naming ``what``. An outcome, not a timing."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.02)
    pytest.fail(f"never happened: {what}")


class RunningBot:
    """``TelegramBot.run`` on a thread of its own, as ``studio bot`` runs it; ``kill()`` cancels it mid-step."""

    def __init__(self, bot: TelegramBot) -> None:
        self.bot = bot
        self.error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        started = threading.Event()
        self._thread = threading.Thread(target=self._main, args=(started,), name="studio-bot", daemon=True)
        self._thread.start()
        started.wait(10)

    def _main(self, started: threading.Event) -> None:
        async def main() -> None:
            self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
            self._task = asyncio.current_task()
            started.set()
            await self.bot.run(self._stop)

        try:
            asyncio.run(main())
        except asyncio.CancelledError:
            pass
        except BaseException as error:  # noqa: BLE001 - handed to the test
            self.error = error

    def stop(self) -> None:
        assert self._loop is not None and self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(PATIENCE)

    def kill(self) -> None:
        """Cancel the bot wherever it is, as a crash would stop it (the store's transaction is all or nothing)."""
        assert self._loop is not None and self._task is not None
        self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(PATIENCE)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()


@pytest.fixture(scope="session")
def telegram_server() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def fake_telegram(telegram_server: FakeTelegram) -> FakeTelegram:
    telegram_server.reset()
    return telegram_server


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DeskStore]:
    desk = open_desk(tmp_path / "store" / "studio.db")
    yield desk
    desk.close()


@pytest.fixture
def start_bot(fake_telegram: FakeTelegram, store: DeskStore) -> Iterator[Callable[..., RunningBot]]:
    """Start ``studio bot`` on its own store connection (as its own process would have)."""
    running: list[RunningBot] = []
    connections: list[DeskStore] = []

    def start(token: str | None = None, now: Callable[[], datetime] = utc_now, **settings: Any) -> RunningBot:
        options = {"api_url": fake_telegram.api_url, "file_url": fake_telegram.file_url, "poll_seconds": 1,
                   "rate": 1000.0, "burst": 1000} | settings
        connection = open_desk(store.path)
        connections.append(connection)
        bot = TelegramBot(connection, token or fake_telegram.token, BotSettings(**options), zone=ZONE, now=now)
        running.append(RunningBot(bot))
        return running[-1]

    yield start
    for bot in running:
        if bot.alive:
            bot.stop()
    for connection in connections:
        connection.close()


@pytest.fixture
def observer(store: DeskStore, fake_telegram: FakeTelegram) -> Callable[..., str]:
    """An observer with a token and a fresh one-time code: its start code."""

    def make(name: str = "Айгерім", *, valid: timedelta = timedelta(hours=72), at: datetime | None = None) -> str:
        add_observer(store.db, name, by="coordinator", at=utc_now())
        return issue_code(store.db, name, at=at or utc_now(), valid=valid)

    return make


@pytest.fixture
def bound(start_bot, observer, fake_telegram: FakeTelegram) -> Callable[..., RunningBot]:
    """A running bot with user ``user`` registered as observer ``name`` (language chosen)."""

    def make(user: int = 501, name: str = "Айгерім", language: str = "ru", **settings: Any) -> RunningBot:
        code = observer(name)
        bot = start_bot(**settings)
        fake_telegram.message(user, f"/start {code}")
        eventually(lambda: any("Choose" in t or "Выберите" in t or "таңдаңыз" in t for t in fake_telegram.texts(user)),
                   "the language question after registration")
        fake_telegram.press(user, f"lang:{language}")
        eventually(lambda: len(fake_telegram.texts(user)) >= 4, "the language answer and the menu")
        return bot

    return make
