"""Graphics on air: what the controller keeps, and what renders them in the show process.

The controller is given a ``Graphics`` port (studio/show/ports.py): ``RendererGraphics``
over ``studio.graphics.Renderer`` in the show process, a stand-in in tests. A
rendered graphic becomes an ``OnAirGraphic`` kept in the store, so a restart
puts back what was on air; the switcher shows each one as its template's image
source in the segment's scene.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable
from zoneinfo import ZoneInfo

from studio.canvas import DESIGN, Size
from studio.desk.ids import parse_fact_id
from studio.diagnostics import Diagnostic, DiagnosticsError
from studio.errors import StudioError
from studio.i18n import Msg
from studio.rundown.model import GraphicCue, Kind, Segment

if TYPE_CHECKING:
    from studio.graphics import Renderer


class GraphicRefused(StudioError):
    """The port would not render a graphic (a fact not verified, text that cannot fit...).

    ``message`` says why as a ``Msg`` (``str(error)`` is its English), so the console and
    the control API show it in their reader's language; a plain text is kept as it is.
    Its kind is the family's default: refused.
    """


def _diagnostic(diagnostic: Diagnostic) -> Msg:
    """One problem in a file as a Msg, as ``Diagnostic.render`` lays it out."""
    where = f"{diagnostic.path}:{diagnostic.line}"
    said = Msg("diag.located", where=f"{where}:{diagnostic.column}" if diagnostic.column else where,
               message=diagnostic.message)
    return Msg("diag.with_hint", text=said, hint=diagnostic.hint) if diagnostic.hint else said


def said(error: BaseException) -> Msg:
    """An error as a Msg: the family's own (a graphics error's ``said``), a broken file's lines, else its text."""
    if isinstance(error, StudioError):
        return error.message
    if isinstance(error, DiagnosticsError) and error.diagnostics:
        lines = [_diagnostic(diagnostic) for diagnostic in error.diagnostics]
        whole = lines[0]
        for line in lines[1:]:
            whole = Msg("diag.lines", first=whole, more=line)
        return whole
    return Msg("diag.as_is", text=str(error))


LOCATION_BUG = "location-bug"
"""The template that goes up by itself on a live inclusion from a region."""

Box = tuple[int, int, int, int]  # x, y, width, height on the canvas the graphic was drawn for


@dataclass(frozen=True, slots=True)
class RenderedGraphic:
    """What the port gives back: the file OBS shows, where, and its record."""

    template: str
    path: str  # absolute
    placement: Box  # on ``canvas``, the size it was drawn for
    canvas: tuple[int, int] = DESIGN
    provenance: Mapping[str, Any] = field(default_factory=dict)  # the sidecar: data, text, facts


@dataclass(frozen=True, slots=True)
class OnAirGraphic:
    """A graphic on air: one per template at a time."""

    template: str
    file: str
    scene: str | None
    segment_id: str
    placement: Box
    canvas: tuple[int, int] = DESIGN  # drawn for this canvas; placed on another by studio.canvas.fit
    description: str = ""
    facts: tuple[tuple[int, int], ...] = ()  # (fact id, version) of every fact the image states


def stated_facts(provenance: Mapping[str, Any]) -> tuple[tuple[int, int], ...]:
    """(fact id, version) of every fact a rendering states, from its provenance.

    A fact recorded without a version counts as version 0, which no stored fact has:
    the on-air check then pulls the graphic rather than trust a figure it cannot pin down.
    """
    stated = {parse_fact_id(fact["id"]): int(fact.get("version") or 0) for fact in provenance.get("facts", ())}
    return tuple(sorted(stated.items()))


def location_bug_template(segment: Segment) -> bool:
    """Whether ``segment`` gets the live location bug: a live inclusion from a region."""
    return segment.kind is Kind.LIVE and bool(segment.region)


def location_bug(segment: Segment, now: datetime, zone: ZoneInfo) -> GraphicCue | None:
    """The live location bug for ``segment``, at local time ``now``; None when it gets none."""
    if not location_bug_template(segment):
        return None
    return GraphicCue(LOCATION_BUG, {"region": segment.region, "time": now.astimezone(zone).strftime("%H:%M")})


@dataclass(frozen=True, slots=True)
class BugStyle:
    """The station's location bug (config ``[graphics]``): its own word for LIVE, and whether it shows the time."""

    live_word: str = ""  # empty: the catalogue's «ТІКЕЛЕЙ ЭФИР» / «ПРЯМОЙ ЭФИР» (the template's defaults)
    clock: bool = True

    def apply(self, cue: GraphicCue) -> GraphicCue:
        """``cue`` as this station draws it: a location bug gets the station's word and clock; others as they are."""
        if cue.template != LOCATION_BUG:
            return cue
        data = dict(cue.data)
        if self.live_word:
            data |= {"live_kk": self.live_word, "live_ru": self.live_word}  # one word: drawn once
        if not self.clock:
            data["time"] = "off"  # studio.graphics CLOCK_OFF
        return GraphicCue(cue.template, data)


def describe(cue: GraphicCue) -> str:
    """One line for the console: the template and its data, e.g. ``lower-third: name=Дана Ким``."""
    data = ", ".join(f"{key}={value}" for key, value in cue.data.items())
    return f"{cue.template}: {data}" if data else cue.template


def provenance(record: Mapping[str, Any]) -> dict[str, Any]:
    """The as-run detail of a sidecar: data, fact ids, each fact's verifier and sources."""
    facts = [
        {key: fact.get(key) for key in ("id", "version", "status", "verifier", "sources", "as_of", "value")}
        for fact in record.get("facts", ())
    ]
    return {
        "data": dict(record.get("data", {})),
        "fact_ids": [fact["id"] for fact in facts],
        "facts": facts,
        "key": record.get("key"),
        "template_version": record.get("template_version"),
    }


class RendererGraphics:
    """The Graphics port over studio.graphics.Renderer (Pillow: call it from a worker).

    The renderer may be given, or built by ``factory`` on a thread of its own: Pillow,
    fontTools and the templates cost about 0.35 s, which the console's first paint
    does not wait for. A render before it is ready waits for it.
    """

    def __init__(
        self, renderer: Renderer | None = None, *, factory: Callable[[], Renderer] | None = None,
        canvas: Callable[[], Size] | None = None, bug: BugStyle = BugStyle(),
    ) -> None:
        """``canvas()``: OBS's canvas now (the switcher's), read at each render so a graphic is drawn
        at the size viewers get; None: the templates' own (1920x1080). ``bug``: the station's location bug."""
        self.canvas = canvas
        self.bug = bug
        self._ready: Future[Renderer] = Future()
        if renderer is not None:
            self._ready.set_result(renderer)
        elif factory is not None:
            threading.Thread(target=self._build, args=(factory,), name="graphics-renderer", daemon=True).start()
        else:
            raise ValueError("give a renderer or a factory")

    def _build(self, factory: Callable[[], Renderer]) -> None:
        try:
            self._ready.set_result(factory())
        except BaseException as error:  # reported on the first render, where the producer sees it
            self._ready.set_exception(error)

    def render(self, cue: GraphicCue) -> RenderedGraphic:
        from studio.graphics.errors import (
            GraphicsError,  # Pillow stays out of processes that never render
        )

        try:
            renderer = self._ready.result()
        except Exception as error:  # the templates could not be loaded: say so at each take, no traceback
            raise GraphicRefused(Msg("diag.graphics.unavailable", error=said(error))) from error
        try:
            written = renderer.cue(self.bug.apply(cue), canvas=self.canvas() if self.canvas else None)
        except (GraphicsError, DiagnosticsError) as error:  # refused, or a broken template file
            raise GraphicRefused(said(error)) from error
        record = json.loads(Path(written.sidecar).read_text(encoding="utf-8"))
        area = written.placement
        canvas = record.get("canvas", {})
        return RenderedGraphic(
            template=cue.template,
            path=str(Path(written.png).resolve()),
            placement=(area.x, area.y, area.width, area.height),
            canvas=(int(canvas.get("width", DESIGN[0])), int(canvas.get("height", DESIGN[1]))),
            provenance=provenance(record),
        )
