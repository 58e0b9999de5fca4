"""The show process follows another machine's commits as they happen, not on its next tick.

A thread waits on the store's doorbell (studio/store/db.py ``Doorbell``: PostgreSQL's LISTEN, or SQLite's
data_version read often) and calls ``on_change`` when it rings: the console then refreshes, so a take or a
retraction made on another desk reaches OBS within milliseconds. While the server cannot be reached the thread
pauses and tries again (the connection's link paces the attempts); the refresh says so on the health line.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable

from studio.store.db import Connection, StoreError

log = logging.getLogger(__name__)

WAIT = 1.0
"""Seconds one wait may block: how long ``stop`` may take."""
LOST_PAUSE = 0.5
"""Seconds between attempts while the store is lost (the link refuses sooner ones at no cost)."""
SWITCH_INTERVAL = 0.001
"""Seconds a thread may hold the GIL before another waiting one gets it, in the show process (Python's default is
0.005). The store watch and OBS's switcher make one round trip at a time, and after each they wait for the GIL
behind the screen's drawing: at 5 ms a refresh of a dozen round trips took up to a quarter of a second
(bench/store_follow.py)."""


class StoreWatch:
    def __init__(self, store: Connection, on_change: Callable[[], object]) -> None:
        self.store, self.on_change = store, on_change
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="store-watch", daemon=True)

    def start(self) -> StoreWatch:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=WAIT + 1)

    def _run(self) -> None:
        bell = None
        try:
            while not self._stopped.is_set():
                try:
                    bell = bell or self.store.doorbell()
                    if bell.wait(WAIT) and not self._stopped.is_set():
                        self.on_change()
                except (StoreError, sqlite3.Error):  # the server lost, or the file gone: the refresh tells the producer
                    self._stopped.wait(LOST_PAUSE)
                except Exception:  # noqa: BLE001  the console's own refresh meets it too, and shows it: keep following
                    log.exception("following the store failed")
                    self._stopped.wait(LOST_PAUSE)
        finally:
            if bell is not None:
                bell.close()
