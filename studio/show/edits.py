"""Edits of the live plan: insert, move, drop, a new duration, a reload from the rundown file.

The on-air segment never changes under the presenter; what was played keeps
its place above what is to come. Each edit saves the whole plan in one write.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Callable

from studio.rundown.load import segment_dict, show_dict
from studio.rundown.model import Rundown, Segment
from studio.rundown.next import resume_index
from studio.show.playout import ControlError, Playout, serialised
from studio.store import ShowState


class Edits(Playout):
    def _save(
        self, action: str, segment_id: str | None, show: dict[str, Any], plan: list[Segment], /, **detail: Any
    ) -> None:
        """Inside a write: the new plan, and the log line that says who changed it."""
        self.store.save_plan(self.show_id, show, [segment_dict(s) for s in plan])
        self._log(self.clock(), action, segment_id, **detail)

    def _edit(
        self, action: str, segment_id: str, change: Callable[[ShowState, list[Segment], int], None], **detail: Any
    ) -> None:
        with self.store.write():
            state, segments = self._current()
            change(state, segments, self._editable(state, segments, segment_id))
            assert state.show is not None
            self._save(action, segment_id, state.show, segments, **detail)
        self._load()

    @serialised
    def set_duration(self, segment_id: str, duration: timedelta) -> None:
        if duration <= timedelta(0):
            raise ControlError("bad_duration")

        def change(state: ShowState, segments: list[Segment], index: int) -> None:
            segments[index] = segments[index].with_duration(duration)

        self._edit("duration", segment_id, change, seconds=int(duration.total_seconds()))

    @serialised
    def drop(self, segment_id: str) -> None:
        def change(state: ShowState, segments: list[Segment], index: int) -> None:
            del segments[index]

        self._edit("drop", segment_id, change)

    @serialised
    def move(self, segment_id: str, offset: int) -> None:
        """Move a segment up (negative) or down the rundown, never above what is on air or played."""

        def change(state: ShowState, segments: list[Segment], index: int) -> None:
            floor = resume_index(segments, state.on_air.segment_id if state.on_air else None, state.played)
            target = index + offset
            if index < floor or not floor <= target < len(segments):
                raise ControlError("cannot_move", segment=segment_id)
            segments.insert(target, segments.pop(index))

        self._edit("move", segment_id, change, offset=offset)

    @serialised
    def insert(self, after_id: str, segment: Segment) -> None:
        """Insert a new segment after another one (an on-air one included)."""
        with self.store.write():
            state, segments = self._current()
            if any(s.id == segment.id for s in segments):
                raise ControlError("duplicate_id", segment=segment.id)
            index = next((i for i, s in enumerate(segments) if s.id == after_id), None)
            if index is None:
                raise ControlError("unknown_segment", segment=after_id)
            segments.insert(index + 1, segment)
            assert state.show is not None
            self._save("insert", segment.id, state.show, segments, after=after_id)
        self._load()

    @serialised
    def differs_from(self, rundown: Rundown) -> bool:
        """Whether a rundown file's plan differs from the live one."""
        return (show_dict(rundown.show), [segment_dict(s) for s in rundown.segments]) != (
            self.state.show,
            self.state.segments,
        )

    @serialised
    def reload(self, rundown: Rundown) -> None:
        """Replace the live plan by the file's, keeping the on-air segment in it."""
        if rundown.show.id != self.show_id:
            raise ControlError("other_show")
        with self.store.write():
            state, live = self._current()
            segments = list(rundown.segments)
            ids = [s.id for s in segments]
            if state.on_air and state.on_air.segment_id not in ids:
                kept = next(s for s in live if s.id == state.on_air.segment_id)
                played = [i for i, s in enumerate(segments) if s.id in {r.segment_id for r in state.played}]
                segments.insert(played[-1] + 1 if played else 0, kept)
            self._save("reload", None, show_dict(rundown.show), segments, segments=len(segments))
        self._load()
