"""Reading the show: the console's view of it, and a reader that needs no writer.

``show_view`` is pure: the store's state, the plan and the time in; the
rundown lines with their status, what comes next and the timing out.

``ShowReader`` reads one show from the store, and from the rundown file until
a writer has put the plan in the store. It takes no lock and writes nothing,
so it works on a read-only SQLite connection: the prompters and ``studio
asrun export`` read the show with it. The controller is a reader that also
acts (studio/show/controller.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from typing import Sequence

from studio.machine import utc_now
from studio.onair import OnAirGraphic
from studio.rundown.load import segment_from_dict, show_from_dict
from studio.rundown.model import Rundown, Segment
from studio.rundown.next import next_segment
from studio.rundown.timing import OnAir, PlannedSlot, Span, Timing, compute, plan
from studio.show.ports import Clock
from studio.store import AsRunRow, ShowState, ShowStore
from studio.store.health import Health, read as read_health


class Status(StrEnum):
    PLAYED = "played"
    ON_AIR = "on_air"
    NEXT = "next"
    HELD = "held"
    SKIPPED = "skipped"
    PENDING = "pending"


@dataclass(frozen=True, slots=True)
class Line:
    """A rundown line as the console shows it."""

    segment: Segment
    status: Status
    planned: PlannedSlot
    expected_start: datetime | None


@dataclass(frozen=True, slots=True)
class ShowView:
    rundown: Rundown
    lines: tuple[Line, ...]
    on_air: AsRunRow | None
    on_air_segment: Segment | None
    next: Segment | None
    timing: Timing
    played: tuple[AsRunRow, ...]
    revision: int
    graphics: tuple[OnAirGraphic, ...] = ()  # on air now, in the order taken
    under_slate: bool = False  # the slate covers the on-air segment: its graphics are not visible

    @property
    def ended(self) -> bool:
        return self.on_air is None and bool(self.played) and self.next is None


def coming_next(segments: Sequence[Segment], state: ShowState) -> Segment | None:
    """The segment a take of "next" would put on air in ``state`` (studio/rundown/next.py decides)."""
    on_air = state.on_air.segment_id if state.on_air else None
    return next_segment(segments, on_air, state.played, state.held | state.skipped)


def _status(segment: Segment, state: ShowState, next_id: str | None, played: set[str]) -> Status:
    if state.on_air and segment.id == state.on_air.segment_id:
        return Status.ON_AIR
    if segment.id == next_id:
        return Status.NEXT
    if segment.id in state.skipped:
        return Status.SKIPPED
    if segment.id in state.held:
        return Status.HELD
    return Status.PLAYED if segment.id in played else Status.PENDING


def show_view(
    rundown: Rundown,
    state: ShowState,
    graphics: tuple[OnAirGraphic, ...],
    under_slate: bool,
    now: datetime,
    turnout_hours: Sequence[time] = (),
) -> ShowView:
    """The show as the console shows it at ``now``."""
    played_spans = [
        Span(row.segment_id, row.started_at, row.ended_at, row.planned)
        for row in state.played
        if row.ended_at is not None
    ]
    on_air = OnAir(state.on_air.segment_id, state.on_air.started_at, state.on_air.planned) if state.on_air else None
    timing = compute(rundown, played_spans, on_air, state.held | state.skipped, now, turnout_hours)
    upcoming = coming_next(rundown.segments, state)
    played_ids = {row.segment_id for row in state.played}
    lines = []
    for slot in plan(rundown):
        expected = timing.expected_for(slot.segment.id)
        status = _status(slot.segment, state, upcoming.id if upcoming else None, played_ids)
        lines.append(Line(slot.segment, status, slot, expected.start if expected else None))
    return ShowView(
        rundown=rundown,
        lines=tuple(lines),
        on_air=state.on_air,
        on_air_segment=rundown.get(state.on_air.segment_id) if state.on_air else None,
        next=upcoming,
        timing=timing,
        played=state.played,
        revision=state.revision,
        graphics=graphics,
        under_slate=under_slate,
    )


class ShowReader:
    """One show as the store has it: loaded at start, reloaded by ``refresh`` when another process wrote.

    ``rundown`` is the file's: it names the show, and its plan is shown until a writer
    (the console, the control API) puts one in the store.
    """

    def __init__(
        self, store: ShowStore, rundown: Rundown, *, clock: Clock = utc_now, turnout_hours: Sequence[time] = ()
    ) -> None:
        self.store = store
        self.show_id = rundown.show.id
        self.clock = clock
        self.turnout_hours = tuple(turnout_hours)
        self._file = rundown
        self._plan_cache: tuple[int, tuple[Segment, ...]] | None = None
        self._load()

    def _load(self) -> None:
        self.loaded_at = self.store.stamp()  # before the read: a commit during it moves it
        self.state = self.store.state(self.show_id)
        self.on_air_graphics = self.store.graphics(self.show_id)
        self.under_slate = self.store.under_slate(self.show_id)
        show = self.state.show
        self.rundown = Rundown(show_from_dict(show), self._parsed(self.state)) if show is not None else self._file

    def _parsed(self, state: ShowState) -> tuple[Segment, ...]:
        """The plan's segments, parsed once per plan revision: a take must not re-check the whole plan."""
        assert state.segments is not None
        if self._plan_cache is None or self._plan_cache[0] != state.revision:
            self._plan_cache = (state.revision, tuple(segment_from_dict(row) for row in state.segments))
        return self._plan_cache[1]

    def refresh(self) -> bool:
        """Reload if another process changed the store; True when something changed."""
        if not self.store.changed_elsewhere():
            return False
        try:
            self._load()
        except BaseException:  # a lost server, a locked file: the next refresh reads the change
            self.store.unread()
            raise
        return True

    def view(self, now: datetime | None = None) -> ShowView:
        return show_view(
            self.rundown, self.state, self.on_air_graphics, self.under_slate, now or self.clock(), self.turnout_hours
        )

    def health(self) -> dict[str, Health]:
        """What each process last published of what it runs (studio/store/health.py), by source: one small read."""
        return read_health(self.store.db)

    def asrun(self) -> tuple[AsRunRow, ...]:
        """The played record, closed rows and the on-air one, oldest first."""
        return self.state.played + ((self.state.on_air,) if self.state.on_air else ())
