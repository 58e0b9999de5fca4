"""The rehearsal's producer (``--auto``): each segment taken at its expected start, its graphics across it,
through the controller, with the time from the key to the take's return measured: the store's commit, and
with OBS the switcher's batch answered by OBS. A live inclusion whose feed was lost is retaken once its feed
is back (asked as the console asks: the switcher's feed check), unless the next segment is due first."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable


@dataclass
class Takes:
    latency: list[tuple[datetime, str, float]] = field(default_factory=list)  # (simulated, segment, ms)
    refused: Counter[str] = field(default_factory=Counter)  # ControlError code -> count
    graphics_aired: list[tuple[datetime, str]] = field(default_factory=list)
    graphics_refused: Counter[str] = field(default_factory=Counter)  # "template: code" -> count


RETRY_SECONDS = 1.0
"""Real seconds before a take refused for its feed (or a retake's feed check) is tried again."""


class SimulatedProducer:
    """``--auto``: each segment taken at its expected start, its graphics one after another across it.
    ``feeds`` (with OBS): whose feed is back after its death (``back(segment_id)``); ``record``: where a
    retake is noted (studio/rehearsal/feeds.py); ``taken(row, cues)``: how many of an on-air row's graphics
    the store says were gone through already (a resumed rehearsal: studio/rehearsal/resume.py)."""

    def __init__(self, controller: Any, feeds: Any = None, record: Any = None,
                 taken: Callable[[Any, Any], int] = lambda row, cues: 0) -> None:
        self.controller = controller
        self.feeds, self.record, self.taken = feeds, record, taken
        self.takes = Takes()
        self._graphics_done: dict[int, int] = {}  # as-run row id -> graphics taken
        self._take_after = self._retake_after = 0.0  # perf_counter: not before (refused for its feed a moment ago)

    def act(self, view: Any) -> bool:
        """One look at the show as ``view`` has it; False once it is over."""
        from studio.show import ControlError

        now = view.timing.now
        if view.ended:
            return False
        if view.next is None:
            if view.on_air is not None and now >= view.on_air.started_at + view.on_air.planned:
                self.controller.end_show()
                return False
            self._graphics(view, now)
            return True
        if view.on_air is None and not view.played:
            target, due = self._opening(view, now)
        else:
            expected = view.timing.expected_for(view.next.id)
            target, due = view.next.id, expected.start if expected is not None else now
        if now >= due and time.perf_counter() >= self._take_after:
            began = time.perf_counter()
            try:
                self.controller.take(target) if target != view.next.id else self.controller.take_next()
            except ControlError as refused:
                self.takes.refused[refused.code] += 1
                self._take_after = time.perf_counter() + RETRY_SECONDS
                return True
            self.takes.latency.append((now, target, (time.perf_counter() - began) * 1000))
            return True
        if not self._retake(view, now):
            self._graphics(view, now)
        return True

    def _retake(self, view: Any, now: datetime) -> bool:
        """Back to the on-air inclusion whose feed was lost, once its feed is back and the check says it
        shows frames; True when it was tried."""
        from studio.show import ControlError
        from studio.show.commands import FEED_LOST

        row = view.on_air
        if self.feeds is None or row is None or row.note != FEED_LOST or not self.feeds.back(row.segment_id):
            return False
        if time.perf_counter() < self._retake_after:
            return True
        self._retake_after = time.perf_counter() + RETRY_SECONDS
        try:
            self.controller.take(row.segment_id)  # asks the feed first, as the console's take does
        except ControlError as refused:
            if refused.code != "feed_down":
                self.takes.refused[refused.code] += 1
            return True
        self.record.add("retaken", row.segment_id, now)
        return True

    @staticmethod
    def _opening(view: Any, now: datetime) -> tuple[str, datetime]:
        """The first take: the segment the plan has on air at ``now`` (a rehearsal from ``--start``), or the first."""
        for line in view.lines:
            slot = line.planned
            if slot.start <= now < slot.end:
                return slot.segment.id, now
        first = view.lines[0].planned
        return first.segment.id, first.start

    def _graphics(self, view: Any, now: datetime) -> None:
        from studio.show import ControlError

        row, segment = view.on_air, view.on_air_segment
        if row is None or segment is None or not segment.graphics:
            return
        done = self._graphics_done.get(row.id)
        if done is None:
            done = self._graphics_done[row.id] = self.taken(row, segment.graphics)
        if done >= len(segment.graphics):
            return
        step = row.planned / (len(segment.graphics) + 1)
        if now < row.started_at + step * (done + 1):
            return
        self._graphics_done[row.id] = done + 1
        cue = segment.graphics[done]
        try:
            self.controller.graphic_take(done)
        except ControlError as refused:
            self.takes.graphics_refused[f"{cue.template}: {refused.code}"] += 1
            return
        self.takes.graphics_aired.append((now, cue.template))
