"""Following the show from a process that only reads: the prompters.

A ``Follower`` wraps a ``Controller`` that has no switcher and lets only
``refresh()`` and ``view()`` through. It also puts the controller's SQLite
connection into ``PRAGMA query_only``, so a write from a prompter process
fails in SQLite itself instead of reaching the show (the prompters never
take, hold or log anything).

One write can come before: ``Controller()`` itself loads the rundown file's
plan into the store when the show is not there yet (a prompter started
before the producer console), exactly as ``studio run`` would; after that,
nothing.

``poll()`` is the 10 Hz heartbeat of both prompters: one cheap
``PRAGMA data_version`` unless another process committed, then a new view
when the store changed or the wall clock moved to another second (the
countdown and the clock show whole seconds, so nothing else needs a redraw).
"""

from __future__ import annotations

import math
from datetime import datetime

from studio.show import Controller, ShowView

POLL = 0.1
"""Seconds between looks at the store: a take elsewhere shows within ~100 ms (target: 500 ms)."""


class NotReadOnly(ValueError):
    """A prompter was handed a controller that could drive the switcher."""


class Follower:
    """A read-only view of the show through a switcher-less controller."""

    def __init__(self, controller: Controller) -> None:
        if controller.switcher is not None:
            raise NotReadOnly("a prompter follows the show: give it a controller without a switcher")
        self._controller = controller
        controller.store.db.execute("PRAGMA query_only = ON")
        self._second: int | None = None
        self._last: ShowView | None = None

    def refresh(self) -> bool:
        """Reload if another process wrote; True when something changed."""
        return self._controller.refresh()

    def view(self, now: datetime | None = None) -> ShowView:
        self._last = self._controller.view(now)
        return self._last

    def poll(self) -> ShowView | None:
        """A new view when the store changed or the clock's second moved; else None."""
        changed = self.refresh()
        now = self._controller.clock()
        second = math.floor(now.timestamp())
        if not changed and second == self._second and self._last is not None:
            return None
        self._second = second
        return self.view(now)
