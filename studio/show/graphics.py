"""Graphics on air: arm, preview, take, clear, panic; pulling a graphic whose fact no longer stands;
the location bug's clock.

The on-air invariant: an image states exactly the facts recorded for it at
its take, at their versions. Rendering (Pillow, the desk's fact gate) happens
before the store is locked; whatever the gate refuses never reaches air.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Sequence

from studio.i18n import Msg
from studio.onair import (
    LOCATION_BUG,
    GraphicRefused,
    OnAirGraphic,
    RenderedGraphic,
    describe,
    location_bug,
    stated_facts,
)
from studio.rundown.model import GraphicCue, Segment
from studio.show.playout import ControlError, Playout, serialised
from studio.store import ShowState, Withdrawn
from studio.store.db import StoreUnwritable

log = logging.getLogger(__name__)

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


class OnAirGraphics(Playout):
    _clock_failed = ""  # the location bug's minute that would not render: not tried again
    pull_unrecorded = False  # a withdrawn graphic is off air but the store could not record it: retried each refresh

    @serialised
    def armed(self) -> tuple[GraphicCue, ...]:
        """The on-air segment's graphics from the rundown, in order (the console arms one)."""
        segment = self.rundown.get(self.state.on_air.segment_id) if self.state.on_air else None
        return segment.graphics if segment else ()

    @serialised
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
            raise ControlError("nothing_on_air")
        if isinstance(armed, GraphicCue):
            if armed not in segment.graphics and not picked_fact(armed):
                raise ControlError("not_pickable", template=armed.template)
            return segment, armed
        index = armed
        if not 0 <= index < len(segment.graphics):
            raise ControlError("no_graphic", segment=segment.id)
        return segment, segment.graphics[index]

    def _render(self, cue: GraphicCue) -> RenderedGraphic:
        if self.renderer is None:
            raise ControlError("no_graphics")
        try:
            return self.renderer.render(cue)
        except GraphicRefused as error:
            # the reason stays a Msg: each front end says it in its reader's language
            raise ControlError("graphic_refused", template=cue.template, reason=error.message) from error

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

    def _put_graphic(
        self, now: datetime, segment: Segment, cue: GraphicCue, rendered: RenderedGraphic
    ) -> OnAirGraphic:
        """Inside a write: ``rendered`` on air, logged; the graphic as the store now has it."""
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
        return graphic

    def _clear_graphics(
        self, now: datetime, reason: str, template: str | None = None, on_air: Sequence[OnAirGraphic] | None = None
    ) -> list[OnAirGraphic]:
        """Inside a write: take graphics off (all, or one template), logging each one. ``on_air``: the graphics on
        air, when the caller knows them current; else they are read."""
        showing = self.store.graphics(self.show_id) if on_air is None else on_air
        cleared = [g for g in showing if template is None or g.template == template]
        for graphic in cleared:
            self.store.drop_graphic(self.show_id, graphic.template)
            self._log(now, "graphic_off", graphic.segment_id, template=graphic.template, file=graphic.file,
                      reason=reason)
        return cleared

    def _show_graphics(self) -> None:
        """After a write: reload, and show the switcher exactly what is on air now."""
        self._load()
        self._air_graphics(self.on_air_graphics)

    def _pull_withdrawn(self) -> None:
        """The on-air invariant: an image states exactly the facts recorded for it at its take, at their versions.

        When one of them no longer stands (retracted, back in review, edited, in conflict, gone: any
        change bumps a fact's version), its graphic comes off air at once. One query over the
        on-air facts decides, never a re-render: a board that tolerates a missing region would
        render fine without the fact and keep the old image, figure and all, on air.
        A re-rendered graphic may go back up only as a new take, through the gate.
        """
        withdrawn = self.on_air_graphics and self.store.withdrawn(self.show_id)  # the refresh's one cheap read
        if not withdrawn:
            self.pull_unrecorded = False  # (another process may have recorded the pull)
            return
        now = self.clock()
        try:
            with self.store.write():
                # Asked again under the write lock: every process that refreshes notices, the first one to write
                # pulls, and the others find nothing left.
                withdrawn = self.store.withdrawn(self.show_id)
                for template, reason in _by_template(withdrawn).items():
                    if self._clear_graphics(now, "withdrawn", template):
                        self._log(now, "graphic_pulled", None, template=template, reason=str(reason))
        except StoreUnwritable:
            # Off air first, whatever the disk says: the store keeps them as on air, so the next refresh pulls
            # (and records) them again once it can be written.
            pulled = set(_by_template(withdrawn))
            self._air_graphics(tuple(g for g in self.on_air_graphics if g.template not in pulled))
            self.pull_unrecorded = True
            raise
        self.pull_unrecorded = False
        self._show_graphics()

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
        if redrawn.file != bug.file:
            self._show_graphics()
        else:
            self._load()

    @serialised
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
                raise ControlError("take_conflict", segment=segment.id)
            self._put_graphic(self.clock(), segment, cue, rendered)
            changed = _by_template(self.store.withdrawn(self.show_id)).get(cue.template)
            if changed is not None:  # the desk changed a fact between the rendering and now: nothing goes up
                raise ControlError("fact_changed", template=cue.template, reason=changed)
        self._show_graphics()
        return next(g for g in self.on_air_graphics if g.template == cue.template)

    @serialised
    def graphic_clear(self, template: str) -> bool:
        """Take one graphic off air; False when it was not on air."""
        with self.store.write():
            cleared = self._clear_graphics(self.clock(), "clear", template)
        self._show_graphics()
        return bool(cleared)

    @serialised
    def graphics_clear_all(self) -> int:
        """Panic: every graphic off air at once. Returns how many were on. Always tells the switcher."""
        with self.store.write():
            cleared = self._clear_graphics(self.clock(), "panic")
        self._load()
        self._air_graphics(())
        return len(cleared)
