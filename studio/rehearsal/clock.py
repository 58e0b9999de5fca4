"""The rehearsal's one clock: an instant of the show's own day, running ``speed`` times faster than the wall.

``now() = start + (monotonic elapsed since begin() x speed)``; before ``begin()`` it reads ``start`` (the
rehearsal sets itself up, then the day begins). The rehearsal process gives it to everything that reads
time (the controller, the graphics, the desk's writes, the intake's received times), so the whole process
lives on the simulated day. Monotonic: a wall clock set back or forward does not move it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from studio.store.show import RehearsalMark


@dataclass
class SimulatedClock:
    """``start``: the simulated instant at the first reading (timezone-aware); ``speed``: simulated
    seconds per real second; ``monotonic``: the real seconds it counts (tests give their own)."""

    start: datetime
    speed: float = 1.0
    monotonic: Callable[[], float] = time.monotonic
    _origin: float | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("the rehearsal's start must be timezone-aware")
        if not self.speed > 0:
            raise ValueError("the speed must be above 0")

    def begin(self) -> None:
        """The simulated day starts running now."""
        self._origin = self.monotonic()

    def __call__(self) -> datetime:
        return self.at(self.monotonic())

    def at(self, monotonic: float) -> datetime:
        """The simulated instant of a ``monotonic`` reading (one before ``begin`` lies before ``start``),
        once the day has begun; ``start`` before."""
        if self._origin is None:
            return self.start
        return self.start + timedelta(seconds=(monotonic - self._origin) * self.speed)

    def real_seconds(self, simulated: timedelta) -> float:
        """How long ``simulated`` lasts on the wall at this speed."""
        return simulated.total_seconds() / self.speed

    def real_until(self, instant: datetime) -> float:
        """Real seconds from now until the clock reads ``instant`` (0 when it is past)."""
        return max(0.0, self.real_seconds(instant - self()))


def following(mark: RehearsalMark, wall: Callable[[], datetime]) -> Callable[[], datetime]:
    """The rehearsal's clock as another process reads it (the trainee's console in ``--manual``): from the
    wall, since the day began (``mark.begun_at``) at the mark's speed. Another process has no monotonic
    origin to share; the wall is what both can read."""

    def now() -> datetime:
        return mark.simulated_start + (wall() - mark.begun_at) * mark.speed

    return now
