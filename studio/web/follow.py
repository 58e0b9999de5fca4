"""Following the show from a process that only reads: the prompters.

A ``Follower`` polls a ``ShowReader`` (studio/show/view.py), which takes no
lock and writes nothing: a prompter started before the producer console
shows the rundown file's plan until the console puts it in the store. The
reader's connection is made read-only as well (SQLite's query_only,
PostgreSQL's read-only transactions), so a write from a prompter process
would fail in the database itself.

``poll()`` is the 10 Hz heartbeat of both prompters: one cheap "store
changed?" (studio/store/db.py ``StoreChanges``) unless another process committed, then a new view
when the store changed or the wall clock moved to another second (the
countdown and the clock show whole seconds, so nothing else needs a redraw).
"""

from __future__ import annotations

import math
from datetime import datetime

from studio.show import Controller, ShowReader, ShowView

POLL = 0.1
"""Seconds between looks at the store: a take elsewhere shows within ~100 ms (target: 500 ms)."""


class NotReadOnly(ValueError):
    """A prompter was handed a controller that drives the switcher."""


class Follower:
    """The show as a prompter follows it, through a reader that cannot change it."""

    def __init__(self, show: ShowReader) -> None:
        if isinstance(show, Controller) and show.switcher is not None:
            raise NotReadOnly("a prompter follows the show: give it a reader of it, or a controller without a switcher")
        self._show = show
        show.store.read_only()
        self._second: int | None = None
        self._last: ShowView | None = None

    @property
    def show(self) -> ShowReader:
        """The reader followed: its store and its show, which the prompter's header names."""
        return self._show

    def refresh(self) -> bool:
        """Reload if another process wrote; True when something changed."""
        return self._show.refresh()

    def view(self, now: datetime | None = None) -> ShowView:
        self._last = self._show.view(now)
        return self._last

    def poll(self) -> ShowView | None:
        """A new view when the store changed or the clock's second moved; else None."""
        changed = self.refresh()
        now = self._show.clock()
        second = math.floor(now.timestamp())
        if not changed and second == self._second and self._last is not None:
            return None
        self._second = second
        return self.view(now)
