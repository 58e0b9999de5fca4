"""The ports of the show process: what the controller drives and what it is given.

The OBS adapter implements ``Switcher`` (studio/obs/switcher.py), ``RendererGraphics``
implements ``Graphics`` (studio/onair.py); tests give stand-ins. A new device goes
behind a port here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Protocol, Sequence

from studio.onair import OnAirGraphic, RenderedGraphic
from studio.rundown.model import GraphicCue, Segment

Clock = Callable[[], datetime]
"""The time now, timezone-aware (``studio.machine.utc_now``; tests move their own)."""


class Switcher(Protocol):
    """What puts a segment on the programme (the OBS adapter implements it)."""

    def take(self, segment: Segment, graphics: Sequence[OnAirGraphic] = ()) -> None:
        """Put ``segment`` on the programme with ``graphics`` over it, in one change."""

    def graphics(self, items: Sequence[OnAirGraphic]) -> None:
        """Show exactly these graphics over the on-air segment (an empty list clears them all)."""

    def slate(self) -> None:
        """Cut to the fallback slate (a dead feed must never leave the programme black)."""

    def end(self) -> None: ...

    def cue(self, segment: Segment | None) -> None:
        """Get the next segment ready (its feed playing off air), so a take cuts to a picture."""

    def feed_up(self, target: Segment) -> bool | None:
        """Pre-flight: is this segment's feed up? None when it has none or nobody can tell.
        False also for a feed that shows no frames yet: a take asks before going there."""

    def watch_slate(self, report: Callable[[bool], object]) -> None:
        """From now on, call ``report(True)`` when the slate goes up over the segment on the programme,
        whoever put it there (a dead feed), and ``report(False)`` when that segment's own picture is back.
        Called at most once per change, from any thread, never while holding a lock of the switcher's."""


class Graphics(Protocol):
    """What renders a graphic for air (through the fact gate)."""

    def render(self, cue: GraphicCue) -> RenderedGraphic:
        """Render ``cue``; raise studio.graphics.GraphicsError (FactRefused...) when it may not air."""
