"""What comes next: the one rule that the console's "next" and the timing forecast share.

Pure: the caller passes the running order and what the as-run record says, and
gets the segments still to come. The controller takes the first of them (the
console's NEXT line, ``take_next``, the switcher's cue); ``timing.compute``
forecasts all of them. Both asking here is what keeps them from disagreeing.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from studio.rundown.model import Segment


class Finished(Protocol):
    """A segment that has been played and closed: timing's ``Span``, the store's as-run row."""

    @property
    def segment_id(self) -> str: ...

    @property
    def ended_at(self) -> datetime | None: ...


F = TypeVar("F", bound=Finished)


def last_finished(played: Sequence[F]) -> F | None:
    """The most recently finished one (the last one listed wins a tie)."""
    latest = None
    for item in played:
        if latest is None or item.ended_at >= latest.ended_at:  # type: ignore[operator]  # closed rows have an end
            latest = item
    return latest


def resume_index(segments: Sequence[Segment], on_air: str | None, played: Sequence[Finished]) -> int:
    """Where the rest of the show starts in ``segments``: just after the on-air segment.

    When nothing is on air, or the on-air segment is not in the running order
    (an ad-hoc insert), just after the most recently finished one; at the top
    when nothing has run or that one is gone from the running order too.
    """
    ids = [segment.id for segment in segments]
    last = last_finished(played)
    for anchor in (on_air, last.segment_id if last is not None else None):
        if anchor in ids:
            return ids.index(anchor) + 1
    return 0


def upcoming(
    segments: Sequence[Segment], on_air: str | None, played: Sequence[Finished], excluded: Collection[str]
) -> list[Segment]:
    """The segments still to come, in running order, from ``resume_index`` on: those already played
    and those ``excluded`` (held or skipped) are left out."""
    done = set(excluded).union(item.segment_id for item in played)
    if on_air is not None:
        done.add(on_air)
    return [segment for segment in segments[resume_index(segments, on_air, played) :] if segment.id not in done]


def next_segment(
    segments: Sequence[Segment], on_air: str | None, played: Sequence[Finished], excluded: Collection[str]
) -> Segment | None:
    """The segment a take of "next" puts on air: the first of ``upcoming``; None when the rundown is done."""
    return next(iter(upcoming(segments, on_air, played, excluded)), None)
