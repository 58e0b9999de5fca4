"""Pure timing maths for a live rundown: the plan, the on-air clock, backtimes.

Nothing here reads a clock or touches I/O: the caller passes ``now`` and the
as-run record in, and gets immutable figures out, so the same inputs always
give the same answer and every rule can be tested with exact seconds.

Conventions, shared by every function:

* Instants are timezone-aware datetimes; they compare and subtract across
  zones, so ``now`` may be UTC while the show is in Asia/Almaty.
* A segment with a ``fixed`` time is pinned: its start is the show-day instant
  of that local time (``Show.at``; after midnight means the next day) and is
  never moved by the segments before it. How early or late the flow arrives
  there is reported separately (``PlannedSlot.miss``, ``Expected.backtime``).
* Every other segment starts when the previous one ends, so the segments after
  a fixed one flow from its fixed start plus its duration, even when the flow
  arrived late (the late arrival is the director's cut, not a moved start).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Iterable, Mapping, Sequence

from studio.rundown.model import Rundown, Segment, Show
from studio.rundown.next import last_finished, upcoming

_ZERO = timedelta(0)


# --------------------------------------------------------------------- plan


@dataclass(frozen=True, slots=True)
class PlannedSlot:
    """Where a segment sits in the plan, before anything has been played."""

    segment: Segment
    start: datetime
    end: datetime
    fixed: bool
    # Fixed segments only: planned arrival minus the fixed start.
    # Positive: the plan overruns into it (cut); negative: a gap (fill).
    miss: timedelta | None


def plan(rundown: Rundown) -> list[PlannedSlot]:
    """Lay the segments end to end from the show's start, pinning fixed ones."""
    show = rundown.show
    slots: list[PlannedSlot] = []
    arrival = show.starts_at
    for segment in rundown.segments:
        pinned = _pinned(show, segment)
        if pinned is None:
            start, miss = arrival, None
        else:
            start, miss = pinned, arrival - pinned
        end = start + segment.duration
        slots.append(PlannedSlot(segment, start, end, pinned is not None, miss))
        arrival = end
    return slots


def span(duration: timedelta | None) -> str:
    """A length of time as every screen shows it: ``4:05``, ``1:02:03``; whole seconds, rounded down, never signed."""
    if duration is None:
        return "—"
    total = int(abs(duration).total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


def _pinned(show: Show, segment: Segment) -> datetime | None:
    """The instant a fixed segment must start at, or None if it floats."""
    return None if segment.fixed is None else show.at(segment.fixed)


# ------------------------------------------------------------------ as-run


@dataclass(frozen=True, slots=True)
class Span:
    """A segment that has been played and closed, from the as-run record."""

    segment_id: str
    started_at: datetime
    ended_at: datetime
    planned: timedelta

    @property
    def deviation(self) -> timedelta:
        """How much longer (positive) or shorter it ran than planned."""
        return (self.ended_at - self.started_at) - self.planned


@dataclass(frozen=True, slots=True)
class OnAir:
    """The segment currently on air: when it went on and what it was given."""

    segment_id: str
    started_at: datetime
    planned: timedelta


# ---------------------------------------------------------------- forecast


@dataclass(frozen=True, slots=True)
class Expected:
    """When a not-yet-played segment is now expected to run."""

    segment_id: str
    start: datetime
    end: datetime
    fixed: bool
    # Fixed segments only: fixed start minus expected arrival.
    # Positive: time to fill before it; negative: time to cut to make it.
    backtime: timedelta | None


@dataclass(frozen=True, slots=True)
class Timing:
    """Everything the clocks and the rundown table show at one instant."""

    now: datetime
    on_air_elapsed: timedelta | None
    on_air_remaining: timedelta | None  # planned - elapsed; negative = overrun
    on_air_over: timedelta | None  # elapsed - planned; positive = over
    show_over_under: timedelta  # played deviations + on-air overrun; + = over
    expected: tuple[Expected, ...]
    next_fixed: Expected | None
    projected_end: datetime
    next_turnout: datetime | None
    # Built once so the table can look up each row without a linear scan.
    _by_id: Mapping[str, Expected] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {item.segment_id: item for item in self.expected}
        object.__setattr__(self, "_by_id", by_id)

    def expected_for(self, segment_id: str) -> Expected | None:
        """The forecast for one remaining segment; None if played, on air or held."""
        return self._by_id.get(segment_id)


def compute(
    rundown: Rundown,
    played: Sequence[Span],
    on_air: OnAir | None,
    excluded: frozenset[str],
    now: datetime,
    turnout_hours: Sequence[time] = (),
) -> Timing:
    """Forecast the rest of the show from the as-run record and the clock.

    The forecast resumes after the on-air segment, or after the most recently
    finished span when nothing is on air, or at the top of the show when
    nothing has run. Segments already played or in ``excluded`` (held or
    skipped) are left out; the others chain end to end, fixed ones pinned.
    Which segments remain is ``next.upcoming``'s answer, the console's too.
    """
    show = rundown.show
    last = last_finished(played)
    elapsed = remaining = over = None
    if on_air is not None:
        elapsed = now - on_air.started_at
        remaining = on_air.planned - elapsed
        over = -remaining
        resume_at = max(now, on_air.started_at + on_air.planned)
    elif last is not None:
        resume_at = max(now, last.ended_at)
    else:
        resume_at = max(now, show.starts_at)
    rest = upcoming(rundown.segments, on_air.segment_id if on_air else None, played, excluded)
    expected = _forecast(show, rest, resume_at, now)

    # Usually the last segment's end; a pinned segment the flow has overrun
    # can end earlier than what precedes it, and the show cannot finish
    # before the on-air segment does, so take the latest end seen.
    projected_end = resume_at
    for item in expected:
        if item.end > projected_end:
            projected_end = item.end

    return Timing(
        now=now,
        on_air_elapsed=elapsed,
        on_air_remaining=remaining,
        on_air_over=over,
        show_over_under=_over_under(played, over),
        expected=expected,
        next_fixed=next((item for item in expected if item.fixed), None),
        projected_end=projected_end,
        next_turnout=_next_turnout(show, turnout_hours, now),
    )


def _forecast(
    show: Show, segments: Iterable[Segment], arrival: datetime, now: datetime
) -> tuple[Expected, ...]:
    """Chain the remaining segments from ``arrival``, pinning fixed ones.

    A floating segment starts at the previous expected end, but never before
    ``now``: that only bites after a fixed segment whose whole slot is already
    in the past (the flow blew through it), and nothing unplayed can start in
    the past. A fixed segment keeps its time regardless; its backtime says by
    how much the flow misses it.
    """
    out: list[Expected] = []
    for segment in segments:
        pinned = _pinned(show, segment)
        if pinned is None:
            start = arrival if arrival >= now else now
            backtime = None
        else:
            start, backtime = pinned, pinned - arrival
        arrival = start + segment.duration
        out.append(Expected(segment.id, start, arrival, pinned is not None, backtime))
    return tuple(out)


def _over_under(played: Sequence[Span], on_air_over: timedelta | None) -> timedelta:
    """How far the show runs over (positive) or under its plan so far.

    An on-air segment counts only once it is past its planned length: until
    then it may still end on time, so its remaining time is not yet "under".
    """
    total = sum((span.deviation for span in played), _ZERO)
    if on_air_over is not None and on_air_over > _ZERO:
        total += on_air_over
    return total


def _next_turnout(show: Show, hours: Sequence[time], now: datetime) -> datetime | None:
    """The first turnout announcement strictly after ``now``, if any remain."""
    later = [at for at in (show.at(hour) for hour in hours) if at > now]
    return min(later, default=None)
