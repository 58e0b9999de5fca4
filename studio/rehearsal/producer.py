"""The rehearsal's producer (``--auto``): each segment taken at its expected start, its graphics across it,
through the controller, with the time from the take to the controller's commit measured."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Takes:
    latency: list[tuple[datetime, str, float]] = field(default_factory=list)  # (simulated, segment, ms)
    refused: Counter[str] = field(default_factory=Counter)  # ControlError code -> count
    graphics_aired: list[tuple[datetime, str]] = field(default_factory=list)
    graphics_refused: Counter[str] = field(default_factory=Counter)  # "template: code" -> count


class SimulatedProducer:
    """``--auto``: each segment taken at its expected start, its graphics one after another across it."""

    def __init__(self, controller: Any) -> None:
        self.controller = controller
        self.takes = Takes()
        self._graphics_done: dict[int, int] = {}  # as-run row id -> graphics taken

    def act(self, now: datetime) -> bool:
        """One look at the show; False once it is over."""
        from studio.show import ControlError

        view = self.controller.view(now)
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
        if now >= due:
            began = time.perf_counter()
            try:
                self.controller.take(target) if target != view.next.id else self.controller.take_next()
            except ControlError as refused:
                self.takes.refused[refused.code] += 1
                return True
            self.takes.latency.append((now, target, (time.perf_counter() - began) * 1000))
            return True
        self._graphics(view, now)
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
        done = self._graphics_done.get(row.id, 0)
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
