"""The show controller: the one place that changes the show and orders side effects.

Every action runs in one store transaction that re-reads the live state
first, so several studio processes can act on one show without stepping on
each other. The state is committed before the switcher is asked to act and
before the caller is told the action is done; the switcher is told after.
"""

from __future__ import annotations

import functools
import getpass
import logging
import threading
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Callable, Protocol, Sequence
from zoneinfo import ZoneInfo

from studio.i18n import Msg
from studio.onair import (
    LOCATION_BUG,
    GraphicRefused,
    Graphics,
    OnAirGraphic,
    RenderedGraphic,
    describe,
    location_bug,
    stated_facts,
)
from studio.rundown.load import segment_dict, segment_from_dict
from studio.rundown.model import Bilingual, GraphicCue, Rundown, Segment, Show
from studio.rundown.timing import OnAir, PlannedSlot, Span, Timing, compute, plan
from studio.store import AsRunRow, ShowState, ShowStore, Withdrawn
from studio.store.show import SLATE_OFF, SLATE_ON

log = logging.getLogger(__name__)


def _serialised(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run a controller method under its lock: workers call it from several threads."""

    @functools.wraps(method)
    def locked(self: Controller, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    return locked


def utc_now() -> datetime:
    return datetime.now(UTC)


def default_operator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "producer"


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


FEED_LOST = "feed lost"
"""The as-run note of a live inclusion whose feed died on air."""


class ControlError(Exception):
    """An action that cannot be done; ``code`` names the catalogue message."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


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


def show_dict(show: Show) -> dict[str, Any]:
    return {
        "id": show.id,
        "title": {"kk": show.title.kk, "ru": show.title.ru},
        "date": show.date.isoformat(),
        "zone": show.zone.key,
        "start": show.start.isoformat(),
    }


def show_from_dict(row: dict[str, Any]) -> Show:
    return Show(
        row["id"],
        Bilingual(row["title"]["kk"], row["title"]["ru"]),
        date.fromisoformat(row["date"]),
        ZoneInfo(row["zone"]),
        time.fromisoformat(row["start"]),
    )


PICKABLE = ("fact-card", "debunk-card")
"""Templates the producer may arm with any fact picked from the desk; the gate still decides at the take."""


def picked_fact(cue: GraphicCue) -> bool:
    """Whether ``cue`` is a fact or debunk card naming one fact and nothing else."""
    return cue.template in PICKABLE and set(cue.data) == {"fact"} and bool(str(cue.data["fact"]).strip())


def _by_template(withdrawn: Sequence[Withdrawn]) -> dict[str, Msg]:
    """Each graphic to pull, with why (every fact that no longer stands, in one message)."""
    reasons: dict[str, Msg] = {}
    for fact in withdrawn:
        earlier = reasons.get(fact.template)
        reasons[fact.template] = fact.reason if earlier is None else Msg("onair.withdrawn.more", first=earlier,
                                                                          more=fact.reason)
    return reasons


def _position_after_anchor(segments: Sequence[Segment], state: ShowState) -> int:
    """Index just after the on-air segment, else after the last played one, else 0."""
    anchor = state.on_air or (state.played[-1] if state.played else None)
    ids = [s.id for s in segments]
    return ids.index(anchor.segment_id) + 1 if anchor and anchor.segment_id in ids else 0


def _next_after(segments: Sequence[Segment], state: ShowState) -> Segment | None:
    """The first segment after the on-air (or last played) one not yet played, held or skipped."""
    start = _position_after_anchor(segments, state)
    done = {row.segment_id for row in state.played} | state.held | state.skipped
    if state.on_air:
        done.add(state.on_air.segment_id)
    return next((s for s in segments[start:] if s.id not in done), None)


class Controller:
    def __init__(
        self,
        store: ShowStore,
        rundown: Rundown,
        *,
        operator: str | None = None,
        origin: str = "console",
        switcher: Switcher | None = None,
        clock: Callable[[], datetime] = utc_now,
        turnout_hours: Sequence[time] = (),
        graphics: Graphics | None = None,
        feed_check: Callable[[Segment], bool | None] | None = None,
    ) -> None:
        """``feed_check``: is a segment's feed up (the switcher's feed_up by default)? A process
        without the switcher (the control API) gives what the show process published."""
        self.store = store
        self.show_id = rundown.show.id
        self.operator = operator or default_operator()
        self.origin = origin
        self.switcher = switcher
        self.clock = clock
        self.turnout_hours = tuple(turnout_hours)
        self.renderer = graphics
        self._clock_failed = ""  # the location bug's minute that would not render: not tried again
        self.feed_check = feed_check or (switcher.feed_up if switcher is not None else None)
        self._lock = threading.RLock()
        self._plan_cache: tuple[int, tuple[Segment, ...]] | None = None
        with store.write():
            if store.state(self.show_id).segments is None:
                store.save_plan(self.show_id, show_dict(rundown.show), [segment_dict(s) for s in rundown.segments])
                store.log(self.show_id, clock(), "plan", self.operator, origin, source="file")
        self._load()
        if switcher is not None:
            switcher.watch_slate(self.slate_reported)

    @property
    def rehearsal(self) -> bool:
        """Without a switcher nothing goes to air: the rundown runs on its own."""
        return self.switcher is None

    # --- reading -----------------------------------------------------------

    def _load(self) -> None:
        self.state = self.store.state(self.show_id)
        self.on_air_graphics = self.store.graphics(self.show_id)
        self.under_slate = self.store.under_slate(self.show_id)
        assert self.state.show is not None
        self.rundown = Rundown(show_from_dict(self.state.show), self._parsed(self.state))

    def _parsed(self, state: ShowState) -> tuple[Segment, ...]:
        """The plan's segments, parsed once per plan revision: a take must not re-check the whole plan."""
        assert state.segments is not None
        if self._plan_cache is None or self._plan_cache[0] != state.revision:
            self._plan_cache = (state.revision, tuple(segment_from_dict(row) for row in state.segments))
        return self._plan_cache[1]

    @_serialised
    def refresh(self) -> bool:
        """Reload if another process changed the store; True when something changed.

        A take made elsewhere (a second console, the control API) reaches air
        here: the process that owns the switcher follows the store's on-air row.
        """
        self._tick_bug_clock()
        if not self.store.changed_elsewhere():
            return False
        before, graphics_before = self.state.on_air, self.on_air_graphics
        self._load()
        after, graphics = self.state.on_air, self.on_air_graphics
        if (before.id if before else None) != (after.id if after else None):
            segment = self.rundown.get(after.segment_id) if after else None
            self._switch(lambda switcher: switcher.take(segment, graphics) if segment else switcher.end())
            self._cue_next()
        elif graphics != graphics_before:
            self._switch(lambda switcher: switcher.graphics(graphics))
        self._pull_withdrawn()
        return True

    def _tick_bug_clock(self) -> None:
        """The location bug's local time follows the clock while it is on air (issue 15).

        On a new minute the show process (the one with the switcher) redraws it and swaps its file:
        the same graphic with the same facts (none), so the as-run counts no new take; the log says
        ``graphic_redrawn``. OBS's image source shows the new file from the next frame. A station
        whose bug shows no clock gets the same file back: only the record's minute moves on.
        """
        if self.switcher is None or self.renderer is None:
            return
        bug = next((g for g in self.on_air_graphics if g.template == LOCATION_BUG), None)
        segment = self.rundown.get(bug.segment_id) if bug is not None else None
        now = self.clock()
        cue = location_bug(segment, now, self.rundown.show.zone) if segment is not None else None
        if bug is None or cue is None or describe(cue) in (bug.description, self._clock_failed):
            return
        try:
            rendered = self.renderer.render(cue)
        except GraphicRefused as error:  # the bug stays up at its last minute; tried again at the next one
            self._clock_failed = describe(cue)
            log.warning("the location bug's clock could not be redrawn: %s", error)
            return
        redrawn = replace(bug, file=rendered.path, placement=rendered.placement, canvas=rendered.canvas,
                          description=describe(cue))
        with self.store.write():
            if not self.store.swap_graphic_file(self.show_id, bug.template, bug.file, redrawn):
                return  # taken off or retaken meanwhile
            if redrawn.file != bug.file:
                self._log(now, "graphic_redrawn", segment.id, template=bug.template, file=redrawn.file,
                          replaces=bug.file, reason="clock")
        self._load()
        if redrawn.file != bug.file:
            graphics = self.on_air_graphics
            self._switch(lambda switcher: switcher.graphics(graphics))

    @_serialised
    def view(self, now: datetime | None = None) -> ShowView:
        now = now or self.clock()
        state, rundown = self.state, self.rundown
        played_spans = [
            Span(row.segment_id, row.started_at, row.ended_at, row.planned)
            for row in state.played
            if row.ended_at is not None
        ]
        on_air = OnAir(state.on_air.segment_id, state.on_air.started_at, state.on_air.planned) if state.on_air else None
        timing = compute(rundown, played_spans, on_air, state.held | state.skipped, now, self.turnout_hours)
        next_segment = _next_after(rundown.segments, state)
        played_ids = {row.segment_id for row in state.played}
        lines = []
        for slot in plan(rundown):
            segment = slot.segment
            if state.on_air and segment.id == state.on_air.segment_id:
                status = Status.ON_AIR
            elif next_segment and segment.id == next_segment.id:
                status = Status.NEXT
            elif segment.id in state.skipped:
                status = Status.SKIPPED
            elif segment.id in state.held:
                status = Status.HELD
            elif segment.id in played_ids:
                status = Status.PLAYED
            else:
                status = Status.PENDING
            expected = timing.expected_for(segment.id)
            lines.append(Line(segment, status, slot, expected.start if expected else None))
        return ShowView(
            rundown=rundown,
            lines=tuple(lines),
            on_air=state.on_air,
            on_air_segment=rundown.get(state.on_air.segment_id) if state.on_air else None,
            next=next_segment,
            timing=timing,
            played=state.played,
            revision=state.revision,
            graphics=self.on_air_graphics,
            under_slate=self.under_slate,
        )

    @_serialised
    def asrun(self) -> tuple[AsRunRow, ...]:
        """The played record, closed rows and the on-air one, oldest first."""
        return self.state.played + ((self.state.on_air,) if self.state.on_air else ())

    # --- actions -----------------------------------------------------------

    def _log(self, at: datetime, action: str, segment_id: str | None = None, **detail: Any) -> None:
        self.store.log(self.show_id, at, action, self.operator, self.origin, segment_id, **detail)

    def _current(self) -> tuple[ShowState, list[Segment]]:
        state = self.store.state(self.show_id)
        return state, list(self._parsed(state))

    @_serialised
    def take_next(self, expect_on_air: str | None = None, *, check: bool = False, confirm: bool = False) -> Segment:
        """Take the next segment. With ``check``, refuse if the on-air segment is not ``expect_on_air``
        (another terminal took in the meantime), so a double press never skips a segment.
        ``confirm``: take it even if its feed is down (see _take)."""
        return self._take(None, expect_on_air, check, confirm)

    @_serialised
    def take(self, segment_id: str, *, confirm: bool = False) -> Segment:
        """Take a chosen segment, in or out of order (a retake too)."""
        return self._take(segment_id, None, False, confirm)

    def _target(
        self, state: ShowState, segments: Sequence[Segment], segment_id: str | None, expect_on_air: str | None,
        check: bool,
    ) -> Segment:
        """The segment a take would put on air, or ControlError why it cannot."""
        current = state.on_air.segment_id if state.on_air else None
        if check and current != expect_on_air:
            raise ControlError(
                "take_conflict", f"someone else took '{current}' meanwhile; look again and retake", segment=current
            )
        if segment_id is None:
            target = _next_after(segments, state)
            if target is None:
                raise ControlError("nothing_next", "nothing left to take: the rundown is done")
        else:
            target = next((s for s in segments if s.id == segment_id), None)
            if target is None:
                raise ControlError("unknown_segment", f"no segment '{segment_id}' in the rundown", segment=segment_id)
        if target.id == current and state.on_air and state.on_air.note != FEED_LOST:
            # the one retake allowed: back to a live feed that was lost and has returned
            raise ControlError("already_on_air", f"'{target.id}' is already on air", segment=target.id)
        return target

    def _take(self, segment_id: str | None, expect_on_air: str | None, check: bool, confirm: bool) -> Segment:
        """A take. One whose feed is known to be down, or shows no frames yet, is refused
        (``feed_down``) unless ``confirm``: then the switcher puts the slate up at once and
        cuts to the feed at its first frames. The feed is asked before the store is locked
        (a probe may take ~0.4 s)."""
        if not confirm and self.feed_check is not None:
            state, segments = self._current()
            target = self._target(state, segments, segment_id, expect_on_air, check)
            if target.feed and self.feed_check(target) is False:
                raise ControlError("feed_down", f"the feed of '{target.id}' is down or shows nothing yet; "
                                   "confirm to take it onto the slate until its picture comes", segment=target.id)
        with self.store.write():
            state, segments = self._current()
            current = state.on_air.segment_id if state.on_air else None
            target = self._target(state, segments, segment_id, expect_on_air, check)
            now = self.clock()
            if state.on_air:
                self.store.close_asrun(state.on_air.id, now)
            self.store.set_flag(self.show_id, target.id, None)  # taking a held segment releases it
            snapshot = segment_dict(target) | {"planned_s": int(target.duration.total_seconds())}
            self.store.open_asrun(self.show_id, snapshot, now, self.operator, self.origin)
            self._log(now, "take", target.id, previous=current, **({"confirmed_feed_down": True} if confirm else {}))
            self._clear_graphics(now, "take")
            bug = self._location_bug(target, now)
            if bug is not None:
                self._put_graphic(now, *bug)
            graphics = self.store.graphics(self.show_id)
        # Committed: now to air at once, and only then re-read the store for the view.
        self._switch(lambda switcher: switcher.take(target, graphics))
        self._load()
        self._cue_next()
        return target

    def _cue_next(self) -> None:
        upcoming = _next_after(self.rundown.segments, self.state)
        self._switch(lambda switcher: switcher.cue(upcoming))

    @_serialised
    def resume_air(self) -> None:
        """At start-up of the show process: put back on air what the store says is on air,
        less any graphic whose facts the desk changed while the process was away."""
        self._pull_withdrawn()
        on_air, segment = self.state.on_air, None
        if on_air is not None:
            segment = self.rundown.get(on_air.segment_id)
        if segment is not None and on_air is not None:
            graphics = self.on_air_graphics
            self._switch(
                lambda switcher: switcher.slate() if on_air.note == FEED_LOST else switcher.take(segment, graphics)
            )
        self._cue_next()

    @_serialised
    def preflight(self) -> bool | None:
        """Is the next segment's feed up (False: a take asks first)? May block a moment: call it from a worker."""
        upcoming = _next_after(self.rundown.segments, self.state)
        if self.feed_check is None or upcoming is None or not upcoming.feed:
            return None
        return self.feed_check(upcoming)

    def _switch(self, act: Callable[[Switcher], None]) -> None:
        if self.switcher is not None:
            act(self.switcher)

    @_serialised
    def undo_take(self) -> None:
        """Put back what was on air before the last take, with its original start."""
        with self.store.write():
            state, _ = self._current()
            if state.on_air is None:
                raise ControlError("nothing_to_undo", "nothing on air to undo")
            self.store.undo_asrun(state.on_air.id)
            previous = state.played[-1] if state.played else None
            if previous and previous.ended_at == state.on_air.started_at:
                self.store.close_asrun(previous.id, None)
            self._log(self.clock(), "undo", state.on_air.segment_id, restored=previous.segment_id if previous else None)
            self._clear_graphics(self.clock(), "undo")
        self._load()
        restored = self.rundown.get(self.state.on_air.segment_id) if self.state.on_air else None
        self._switch(lambda switcher: switcher.take(restored) if restored else switcher.end())

    @_serialised
    def feed_lost(self, segment_id: str) -> bool:
        """The on-air live feed died: note it in the as-run log and put the slate up.

        Returns False (and does nothing) if that segment is no longer on air,
        so a late alarm about an earlier segment never pulls the current one.
        """
        with self.store.write():
            state, _ = self._current()
            if state.on_air is None or state.on_air.segment_id != segment_id:
                return False
            self.store.note_asrun(state.on_air.id, FEED_LOST)
            self._log(self.clock(), "feed_lost", segment_id)
        self._load()
        self._switch(lambda switcher: switcher.slate())
        return True

    @_serialised
    def slate_reported(self, covering: bool) -> None:
        """The switcher's word (Switcher.watch_slate): the slate went up over the on-air segment, or its picture
        is back. Logged once per change (``slate_on``, ``slate_off``) with the graphics it hides or shows again,
        so that every process, the as-run and the provenance export say those graphics were not visible."""
        with self.store.write():
            state = self.store.state(self.show_id)
            if state.on_air is None or self.store.under_slate(self.show_id) == covering:
                return  # the show is over, or the store knows already (a restarted process puts the slate back)
            graphics = [graphic.template for graphic in self.store.graphics(self.show_id)]
            self._log(self.clock(), SLATE_ON if covering else SLATE_OFF, state.on_air.segment_id, graphics=graphics)
        self._load()

    @_serialised
    def end_show(self) -> None:
        with self.store.write():
            state, _ = self._current()
            if state.on_air is None:
                raise ControlError("nothing_on_air", "nothing is on air")
            now = self.clock()
            self.store.close_asrun(state.on_air.id, now)
            self._log(now, "end", state.on_air.segment_id)
            self._clear_graphics(now, "end")
        self._load()
        self._switch(lambda switcher: switcher.end())

    # --- graphics ----------------------------------------------------------

    @_serialised
    def armed(self) -> tuple[GraphicCue, ...]:
        """The on-air segment's graphics from the rundown, in order (the console arms one)."""
        segment = self.rundown.get(self.state.on_air.segment_id) if self.state.on_air else None
        return segment.graphics if segment else ()

    @_serialised
    def preview(self, armed: int | GraphicCue) -> RenderedGraphic:
        """Render the armed graphic (the on-air segment's graphic ``armed``, or a picked fact card) off air,
        for the console to look at before the take.

        Nothing is written to the store and the switcher is not told; the renderer writes the file
        a take would reuse. The fact gate refuses as it would at the take (ControlError).
        Pillow and the desk: call from a worker.
        """
        return self._render(self._armed_cue(self.state, armed)[1])

    def _armed_cue(self, state: ShowState, armed: int | GraphicCue) -> tuple[Segment, GraphicCue]:
        """The segment on air in ``state`` and the graphic armed over it: its graphic number ``armed``, or a
        fact or debunk card the producer picked from the desk (PICKABLE); ControlError when it cannot be armed."""
        segment = self.rundown.get(state.on_air.segment_id) if state.on_air else None
        if segment is None:
            raise ControlError("nothing_on_air", "nothing is on air")
        if isinstance(armed, GraphicCue):
            if armed not in segment.graphics and not picked_fact(armed):
                raise ControlError("not_pickable", f"only a fact or debunk card naming one fact can be picked, "
                                   f"not {describe(armed)}", template=armed.template)
            return segment, armed
        index = armed
        if not 0 <= index < len(segment.graphics):
            raise ControlError("no_graphic", f"'{segment.id}' has no graphic {index + 1}", segment=segment.id)
        return segment, segment.graphics[index]

    def _render(self, cue: GraphicCue) -> RenderedGraphic:
        if self.renderer is None:
            raise ControlError("no_graphics", "no graphics renderer in this process: graphics cannot go to air")
        try:
            return self.renderer.render(cue)
        except GraphicRefused as error:
            raise ControlError(  # the reason stays a Msg: each front end says it in its reader's language
                "graphic_refused", f"not on air: {error}", template=cue.template, reason=error.message
            ) from error

    def _location_bug(self, segment: Segment, now: datetime) -> tuple[Segment, GraphicCue, RenderedGraphic] | None:
        """The live location bug of ``segment``, rendered; None when it has none or it failed (logged)."""
        cue = location_bug(segment, now, self.rundown.show.zone)
        if cue is None or self.renderer is None:
            return None
        try:
            return segment, cue, self._render(cue)
        except ControlError as error:  # the take goes on without the bug; the log says why
            self._log(now, "graphic_refused", segment.id, template=cue.template, reason=str(error))
            return None

    def _put_graphic(self, now: datetime, segment: Segment, cue: GraphicCue, rendered: RenderedGraphic) -> None:
        graphic = OnAirGraphic(
            template=cue.template,
            file=rendered.path,
            scene=segment.scene,
            segment_id=segment.id,
            placement=rendered.placement,
            canvas=rendered.canvas,
            description=describe(cue),
            facts=stated_facts(rendered.provenance),
        )
        self.store.drop_graphic(self.show_id, cue.template)
        self.store.put_graphic(self.show_id, graphic, now)
        pulled = self.store.pulled_since_take(self.show_id, cue.template)
        replaces = {"replaces_pulled": pulled.id} if pulled is not None else {}  # a new take, after a withdrawal
        self._log(now, "graphic_on", segment.id, template=cue.template, file=rendered.path,
                  scene=segment.scene, **replaces, **dict(rendered.provenance))

    def _pull_withdrawn(self) -> None:
        """The on-air invariant: an image states exactly the facts recorded for it at its take, at their versions.

        When one of them no longer stands (retracted, back in review, edited, in conflict, gone: any
        change bumps a fact's version), its graphic comes off air at once. One query over the
        on-air facts decides, never a re-render: a board that tolerates a missing region would
        render fine without the fact and keep the old image, figure and all, on air.
        A re-rendered graphic may go back up only as a new take, through the gate.
        """
        if not self.on_air_graphics or not self.store.withdrawn(self.show_id):  # the refresh's one cheap read
            return
        now = self.clock()
        with self.store.write():
            # Asked again under the write lock: every process that refreshes notices, the first one to write
            # pulls, and the others find nothing left.
            for template, reason in _by_template(self.store.withdrawn(self.show_id)).items():
                if self._clear_graphics(now, "withdrawn", template):
                    self._log(now, "graphic_pulled", None, template=template, reason=str(reason))
        self._load()
        graphics = self.on_air_graphics
        self._switch(lambda switcher: switcher.graphics(graphics))

    def _clear_graphics(self, now: datetime, reason: str, template: str | None = None) -> list[OnAirGraphic]:
        """Inside a write: take graphics off (all, or one template), logging each one."""
        cleared = [g for g in self.store.graphics(self.show_id) if template is None or g.template == template]
        for graphic in cleared:
            self.store.drop_graphic(self.show_id, graphic.template)
            self._log(now, "graphic_off", graphic.segment_id, template=graphic.template, file=graphic.file,
                      reason=reason)
        return cleared

    @_serialised
    def graphic_take(self, armed: int | GraphicCue) -> OnAirGraphic:
        """Render the armed graphic (the on-air segment's graphic ``armed``, or a picked fact card) and put it on air.

        A graphic the fact gate refuses raises ControlError and nothing goes to air.
        Rendering happens before the store is locked (Pillow and the desk: call from a worker).
        """
        state = self.store.state(self.show_id)
        segment, cue = self._armed_cue(state, armed)
        rendered = self._render(cue)
        with self.store.write():
            now_state = self.store.state(self.show_id)
            if now_state.on_air is None or state.on_air is None or now_state.on_air.id != state.on_air.id:
                raise ControlError("take_conflict", "the segment changed meanwhile; look again", segment=segment.id)
            self._put_graphic(self.clock(), segment, cue, rendered)
            changed = _by_template(self.store.withdrawn(self.show_id)).get(cue.template)
            if changed is not None:  # the desk changed a fact between the rendering and now: nothing goes up
                raise ControlError("fact_changed", f"not on air: {changed}; take it again",
                                   template=cue.template, reason=changed)
        self._load()
        graphics = self.on_air_graphics
        self._switch(lambda switcher: switcher.graphics(graphics))
        return next(g for g in graphics if g.template == cue.template)

    @_serialised
    def graphic_clear(self, template: str) -> bool:
        """Take one graphic off air; False when it was not on air."""
        with self.store.write():
            cleared = self._clear_graphics(self.clock(), "clear", template)
        self._load()
        graphics = self.on_air_graphics
        self._switch(lambda switcher: switcher.graphics(graphics))
        return bool(cleared)

    @_serialised
    def graphics_clear_all(self) -> int:
        """Panic: every graphic off air at once. Returns how many were on. Always tells the switcher."""
        with self.store.write():
            cleared = self._clear_graphics(self.clock(), "panic")
        self._load()
        self._switch(lambda switcher: switcher.graphics(()))
        return len(cleared)

    @_serialised
    def hold(self, segment_id: str) -> bool:
        """Hold a segment back (its feed is down) or release it; True when now held."""
        return self._toggle(segment_id, "held")

    @_serialised
    def skip(self, segment_id: str) -> bool:
        """Skip a segment for this show or bring it back; True when now skipped."""
        return self._toggle(segment_id, "skipped")

    def _toggle(self, segment_id: str, flag: str) -> bool:
        with self.store.write():
            state, segments = self._current()
            self._editable(state, segments, segment_id)
            was = segment_id in (state.held if flag == "held" else state.skipped)
            self.store.set_flag(self.show_id, segment_id, None if was else flag)
            self._log(self.clock(), ("un" if was else "") + ("hold" if flag == "held" else "skip"), segment_id)
        self._load()
        return not was

    def _editable(self, state: ShowState, segments: list[Segment], segment_id: str) -> int:
        """Index of a segment that may change: it exists and is not on air."""
        index = next((i for i, s in enumerate(segments) if s.id == segment_id), None)
        if index is None:
            raise ControlError("unknown_segment", f"no segment '{segment_id}' in the rundown", segment=segment_id)
        if state.on_air and state.on_air.segment_id == segment_id:
            raise ControlError("on_air_frozen", f"'{segment_id}' is on air: it cannot change now", segment=segment_id)
        return index

    def _edit(
        self, action: str, segment_id: str, change: Callable[[ShowState, list[Segment], int], None], **detail: Any
    ) -> None:
        with self.store.write():
            state, segments = self._current()
            change(state, segments, self._editable(state, segments, segment_id))
            assert state.show is not None
            self.store.save_plan(self.show_id, state.show, [segment_dict(s) for s in segments])
            self._log(self.clock(), action, segment_id, **detail)
        self._load()

    @_serialised
    def set_duration(self, segment_id: str, duration: timedelta) -> None:
        if duration <= timedelta(0):
            raise ControlError("bad_duration", "a duration must be positive")

        def change(state: ShowState, segments: list[Segment], index: int) -> None:
            segments[index] = segments[index].with_duration(duration)

        self._edit("duration", segment_id, change, seconds=int(duration.total_seconds()))

    @_serialised
    def drop(self, segment_id: str) -> None:
        def change(state: ShowState, segments: list[Segment], index: int) -> None:
            del segments[index]

        self._edit("drop", segment_id, change)

    @_serialised
    def move(self, segment_id: str, offset: int) -> None:
        """Move a segment up (negative) or down the rundown, never above what is on air or played."""

        def change(state: ShowState, segments: list[Segment], index: int) -> None:
            floor = _position_after_anchor(segments, state)
            target = index + offset
            if index < floor or not floor <= target < len(segments):
                raise ControlError("cannot_move", f"'{segment_id}' cannot move there", segment=segment_id)
            segments.insert(target, segments.pop(index))

        self._edit("move", segment_id, change, offset=offset)

    @_serialised
    def insert(self, after_id: str, segment: Segment) -> None:
        """Insert a new segment after another one (an on-air one included)."""
        with self.store.write():
            state, segments = self._current()
            if any(s.id == segment.id for s in segments):
                raise ControlError("duplicate_id", f"a segment '{segment.id}' already exists", segment=segment.id)
            index = next((i for i, s in enumerate(segments) if s.id == after_id), None)
            if index is None:
                raise ControlError("unknown_segment", f"no segment '{after_id}' in the rundown", segment=after_id)
            segments.insert(index + 1, segment)
            assert state.show is not None
            self.store.save_plan(self.show_id, state.show, [segment_dict(s) for s in segments])
            self._log(self.clock(), "insert", segment.id, after=after_id)
        self._load()

    @_serialised
    def differs_from(self, rundown: Rundown) -> bool:
        """Whether a rundown file's plan differs from the live one."""
        return (show_dict(rundown.show), [segment_dict(s) for s in rundown.segments]) != (
            self.state.show,
            self.state.segments,
        )

    @_serialised
    def reload(self, rundown: Rundown) -> None:
        """Replace the live plan by the file's, keeping the on-air segment in it."""
        if rundown.show.id != self.show_id:
            raise ControlError("other_show", f"the file is show '{rundown.show.id}', not '{self.show_id}'")
        with self.store.write():
            state, live = self._current()
            segments = list(rundown.segments)
            ids = [s.id for s in segments]
            if state.on_air and state.on_air.segment_id not in ids:
                kept = next(s for s in live if s.id == state.on_air.segment_id)
                played = [i for i, s in enumerate(segments) if s.id in {r.segment_id for r in state.played}]
                segments.insert(played[-1] + 1 if played else 0, kept)
            self.store.save_plan(self.show_id, show_dict(rundown.show), [segment_dict(s) for s in segments])
            self._log(self.clock(), "reload", None, segments=len(segments))
        self._load()
