"""The controller: the one place that changes the show and orders its side effects.

It is a ``ShowReader`` (studio/show/view.py) that also acts: the commands
(commands.py), the plan edits (edits.py) and the on-air graphics
(graphics.py), over the machinery they share (playout.py). The show process
gives it the switcher; a process without one (the control API, a rehearsal)
only writes the store, and the show process follows it in ``refresh``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from studio.show.commands import Commands
from studio.show.edits import Edits
from studio.show.playout import row_key, serialised
from studio.show.view import ShowView
from studio.store import AsRunRow
from studio.store.health import Health


class Controller(Commands, Edits):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As ``Playout``: the store, the rundown file, and who acts, where, with what."""
        super().__init__(*args, **kwargs)
        if self.switcher is not None:
            self.switcher.watch_slate(self.slate_reported)

    @property
    def rehearsal(self) -> bool:
        """Without a switcher nothing goes to air: the rundown runs on its own."""
        return self.switcher is None

    @serialised
    def refresh(self) -> bool:
        """Reload if another process changed the store; True when something changed.

        A take made elsewhere (a second console, the control API) reaches air
        here: the process that owns the switcher follows the store's on-air row.
        """
        self._tick_bug_clock()
        if not super().refresh():
            if not self.pull_unrecorded:
                return False
            self._pull_withdrawn()  # off air already; recorded now that the store may take it
            return True
        row, graphics = self.state.on_air, self.on_air_graphics
        if row_key(row) != self.aired.row:
            self._air(self.rundown.get(row.segment_id) if row else None, row_key(row), graphics)
            self._cue_next()
        elif graphics != self.aired.graphics:
            self._air_graphics(graphics)
        self._pull_withdrawn()
        return True

    @serialised
    def view(self, now: datetime | None = None) -> ShowView:
        return super().view(now)

    @serialised
    def asrun(self) -> tuple[AsRunRow, ...]:
        return super().asrun()

    @serialised
    def health(self) -> dict[str, Health]:
        return super().health()
