"""What every show operation shares: the lock, the store's current state, the event log, the switcher.

The operations themselves live one kind to a module (commands.py, edits.py,
graphics.py) as parts of ``Playout``; studio/show/controller.py puts them
together. Every action runs in one store transaction that re-reads the live
state first, so several studio processes can act on one show without
stepping on each other. The state is committed before the switcher is asked
to act and before the caller is told the action is done.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, Callable, Sequence, TypeVar

from studio.errors import Kind, StudioError
from studio.i18n import Msg
from studio.machine import default_operator, utc_now
from studio.onair import OnAirGraphic
from studio.rundown.load import segment_dict, show_dict
from studio.rundown.model import Rundown, Segment
from studio.show.ports import Clock, Graphics, Switcher
from studio.show.view import ShowReader
from studio.store import AsRunRow, ShowState, ShowStore

_KIND = {
    "unknown_segment": Kind.NOT_FOUND,
    "take_conflict": Kind.CONFLICT,
    "fact_changed": Kind.CONFLICT,
    "bad_duration": Kind.BAD_INPUT,
}
"""Every other refusal is Kind.REFUSED: the show's state says no."""


class ControlError(StudioError):
    """An action that cannot be done: ``code`` names its catalogue message, ``error.<code>``, and ``params`` fill it."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(Msg(f"error.{code}", **params), kind=_KIND.get(code, Kind.REFUSED), code=code)
        self.params = params


Method = TypeVar("Method", bound=Callable[..., Any])

RowKey = tuple[str, datetime]
"""An as-run row as a take knows it before reading it back: its segment and its start."""


def row_key(row: AsRunRow | None) -> RowKey | None:
    return (row.segment_id, row.started_at) if row is not None else None


@dataclass(frozen=True)
class Aired:
    """What the switcher was last asked to show: the on-air row and the graphics over it. A refresh compares the
    store with this, not with the state it read before: an action's own re-read after its commit may bring
    another machine's take with it, and that take must still reach air."""

    row: RowKey | None
    graphics: tuple[OnAirGraphic, ...]


def serialised(method: Method) -> Method:
    """Run a controller method under its lock: workers call it from several threads."""

    @functools.wraps(method)
    def locked(self: Playout, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    return locked  # type: ignore[return-value]


class Playout(ShowReader):
    """A reader of the show that may change it. Building one puts the rundown file's plan in the store
    when the show is not there yet."""

    def __init__(
        self,
        store: ShowStore,
        rundown: Rundown,
        *,
        operator: str | None = None,
        origin: str = "console",
        switcher: Switcher | None = None,
        clock: Clock = utc_now,
        turnout_hours: Sequence[time] = (),
        graphics: Graphics | None = None,
        feed_check: Callable[[Segment], bool | None] | None = None,
    ) -> None:
        """``feed_check``: is a segment's feed up (the switcher's feed_up by default)? A process
        without the switcher (the control API) gives what the show process published."""
        self.operator = operator or default_operator()
        self.origin = origin
        self.switcher = switcher
        self.renderer = graphics
        self.feed_check = feed_check or (switcher.feed_up if switcher is not None else None)
        self._lock = threading.RLock()
        with store.write():
            if store.state(rundown.show.id).segments is None:
                store.save_plan(rundown.show.id, show_dict(rundown.show), [segment_dict(s) for s in rundown.segments])
                store.log(rundown.show.id, clock(), "plan", self.operator, origin, source="file")
        super().__init__(store, rundown, clock=clock, turnout_hours=turnout_hours)
        self.aired = Aired(row_key(self.state.on_air), self.on_air_graphics)  # the switcher shows the store

    @serialised
    def close(self) -> None:
        """Close the store once no worker is inside the controller: a thread still reading it (a console's
        refresh finishing after the app ended) must never meet a closed SQLite connection, which crashes."""
        self.store.close()

    def _log(self, at: datetime, action: str, segment_id: str | None = None, **detail: Any) -> None:
        self.store.log(self.show_id, at, action, self.operator, self.origin, segment_id, **detail)

    def _current(self) -> tuple[ShowState, list[Segment]]:
        state = self.store.state(self.show_id)
        return state, list(self._parsed(state))

    def _switch(self, act: Callable[[Switcher], None]) -> None:
        if self.switcher is not None:
            act(self.switcher)

    def _air(self, segment: Segment | None, row: RowKey | None, graphics: Sequence[OnAirGraphic] = ()) -> None:
        """The switcher takes ``segment`` (the as-run ``row``) with ``graphics``; None: the show is over."""
        self.aired = Aired(row, tuple(graphics))
        self._switch(lambda switcher: switcher.take(segment, graphics) if segment else switcher.end())

    def _air_graphics(self, graphics: Sequence[OnAirGraphic]) -> None:
        """The switcher shows exactly ``graphics`` over the segment on air."""
        self.aired = Aired(self.aired.row, tuple(graphics))
        self._switch(lambda switcher: switcher.graphics(graphics))

    def _editable(self, state: ShowState, segments: list[Segment], segment_id: str) -> int:
        """Index of a segment that may change: it exists and is not on air."""
        index = next((i for i, s in enumerate(segments) if s.id == segment_id), None)
        if index is None:
            raise ControlError("unknown_segment", segment=segment_id)
        if state.on_air and state.on_air.segment_id == segment_id:
            raise ControlError("on_air_frozen", segment=segment_id)
        return index
