"""Commands on the running show: take, take next, hold, skip, undo, end; a feed lost, the slate reported.

A take is committed to the store first; the switcher is told after, and only
then is the store re-read for the view. "Next" is studio/rundown/next.py's.
"""

from __future__ import annotations

from typing import Sequence

from studio.rundown.load import segment_dict
from studio.rundown.model import Segment
from studio.show.graphics import OnAirGraphics
from studio.show.playout import ControlError, row_key, serialised
from studio.show.view import coming_next
from studio.store import ShowState
from studio.store.show import SLATE_OFF, SLATE_ON

FEED_LOST = "feed lost"
"""The as-run note of a live inclusion whose feed died on air."""


class Commands(OnAirGraphics):
    @serialised
    def take_next(self, expect_on_air: str | None = None, *, check: bool = False, confirm: bool = False) -> Segment:
        """Take the next segment. With ``check``, refuse if the on-air segment is not ``expect_on_air``
        (another terminal took in the meantime), so a double press never skips a segment.
        ``confirm``: take it even if its feed is down (see _take)."""
        return self._take(None, expect_on_air, check, confirm)

    @serialised
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
            raise ControlError("take_conflict", segment=current)
        if segment_id is None:
            target = coming_next(segments, state)
            if target is None:
                raise ControlError("nothing_next")
        else:
            target = next((s for s in segments if s.id == segment_id), None)
            if target is None:
                raise ControlError("unknown_segment", segment=segment_id)
        if target.id == current and state.on_air and state.on_air.note != FEED_LOST:
            # the one retake allowed: back to a live feed that was lost and has returned
            raise ControlError("already_on_air", segment=target.id)
        return target

    def _take(self, segment_id: str | None, expect_on_air: str | None, check: bool, confirm: bool) -> Segment:
        """A take. One whose feed is known to be down, or shows no frames yet, is refused
        (``feed_down``) unless ``confirm``: then the switcher puts the slate up at once and
        cuts to the feed at its first frames. The feed is asked before the store is locked
        (a probe may take ~0.4 s)."""
        checked = (self.loaded_at, self.state)  # the state as last loaded
        if not confirm and self.feed_check is not None:
            checked = self._current_since(checked)
            state = checked[1]
            target = self._target(state, list(self._parsed(state)), segment_id, expect_on_air, check)
            if target.feed and self.feed_check(target) is False:
                raise ControlError("feed_down", segment=target.id)
        # together: a database server gets the take's statements and its commit in one round trip
        with self.store.write(together=True):
            stamp, state = self._current_since(checked)  # current now, and stays so: we hold the lock
            segments = list(self._parsed(state))
            current = state.on_air.segment_id if state.on_air else None
            target = self._target(state, segments, segment_id, expect_on_air, check)
            now = self.clock()
            if state.on_air:
                self.store.close_asrun(state.on_air.id, now)
            if target.id in state.held | state.skipped:  # taking a held segment releases it
                self.store.set_flag(self.show_id, target.id, None)
            snapshot = segment_dict(target) | {"planned_s": int(target.duration.total_seconds())}
            self.store.open_asrun(self.show_id, snapshot, now, self.operator, self.origin)
            self._log(now, "take", target.id, previous=current, **({"confirmed_feed_down": True} if confirm else {}))
            # Nothing committed since the last load: the graphics it read are the ones on air (no read again).
            self._clear_graphics(now, "take", on_air=self.on_air_graphics if stamp == self.loaded_at else None)
            bug = self._location_bug(target, now)
            # every graphic is off: on air now is the location bug alone, if it was put (not read back)
            graphics = (self._put_graphic(now, *bug),) if bug is not None else ()
        # Committed: now to air at once, and only then re-read the store for the view.
        self._air(target, (target.id, now), graphics)
        self._load()
        self._cue_next()
        return target

    def _current_since(self, known: tuple[tuple[int, int], ShowState]) -> tuple[tuple[int, int], ShowState]:
        """The show's state now, with its stamp: ``known`` while nothing was committed since its stamp (no read),
        else read again."""
        stamp = self.store.stamp()  # before the read: a commit during it moves it
        return stamp, known[1] if stamp == known[0] else self.store.state(self.show_id)

    def _cue_next(self) -> None:
        upcoming = coming_next(self.rundown.segments, self.state)
        self._switch(lambda switcher: switcher.cue(upcoming))

    @serialised
    def resume_air(self) -> None:
        """At start-up of the show process: put back on air what the store says is on air,
        less any graphic whose facts the desk changed while the process was away."""
        self._pull_withdrawn()
        on_air, segment = self.state.on_air, None
        if on_air is not None:
            segment = self.rundown.get(on_air.segment_id)
        if segment is not None and on_air is not None:
            if on_air.note == FEED_LOST:
                self._switch(lambda switcher: switcher.slate())
            else:
                self._air(segment, row_key(on_air), self.on_air_graphics)
        self._cue_next()

    @serialised
    def preflight(self) -> bool | None:
        """Is the next segment's feed up (False: a take asks first)? May block a moment: call it from a worker."""
        upcoming = coming_next(self.rundown.segments, self.state)
        if self.feed_check is None or upcoming is None or not upcoming.feed:
            return None
        return self.feed_check(upcoming)

    @serialised
    def undo_take(self) -> None:
        """Put back what was on air before the last take, with its original start."""
        with self.store.write():
            state, _ = self._current()
            if state.on_air is None:
                raise ControlError("nothing_to_undo")
            self.store.undo_asrun(state.on_air.id)
            previous = state.played[-1] if state.played else None
            if previous and previous.ended_at == state.on_air.started_at:
                self.store.close_asrun(previous.id, None)
            self._log(self.clock(), "undo", state.on_air.segment_id, restored=previous.segment_id if previous else None)
            self._clear_graphics(self.clock(), "undo")
        self._load()
        restored = self.rundown.get(self.state.on_air.segment_id) if self.state.on_air else None
        self._air(restored, row_key(self.state.on_air))

    @serialised
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

    @serialised
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

    @serialised
    def end_show(self) -> None:
        with self.store.write():
            state, _ = self._current()
            if state.on_air is None:
                raise ControlError("nothing_on_air")
            now = self.clock()
            self.store.close_asrun(state.on_air.id, now)
            self._log(now, "end", state.on_air.segment_id)
            self._clear_graphics(now, "end")
        self._load()
        self._air(None, None)

    @serialised
    def hold(self, segment_id: str) -> bool:
        """Hold a segment back (its feed is down) or release it; True when now held."""
        return self._toggle(segment_id, "held")

    @serialised
    def skip(self, segment_id: str) -> bool:
        """Skip a segment for this show or bring it back; True when now skipped."""
        return self._toggle(segment_id, "skipped")

    def _toggle(self, segment_id: str, flag: str) -> bool:
        with self.store.write():
            state, segments = self._current()
            self._editable(state, segments, segment_id)
            was = segment_id in (state.held if flag == "held" else state.skipped)
            if not was and any(row.segment_id == segment_id for row in state.played):
                # the as-run says it was played: a "held" or "skipped" row would contradict it
                raise ControlError("already_played", segment=segment_id)
            self.store.set_flag(self.show_id, segment_id, None if was else flag)
            self._log(self.clock(), ("un" if was else "") + ("hold" if flag == "held" else "skip"), segment_id)
        self._load()
        return not was
