"""Broadcast graphics: templates as data, a pure Pillow renderer, and the fact gate.

Entry points::

    from studio.graphics import Renderer, load_template, render, write

    template = load_template(Path("studio/overlays/lower-third.toml"))    # DiagnosticsError if broken
    rendered = render(template, {"name": "Дана Ким", "role": "корреспондент"})
    written = write(rendered, graphics_dir())                        # atomic PNG + sidecar JSON

    renderer = Renderer(facts=store_adapter)                         # a FactSource
    written = renderer.render("lower-third", data, canvas=(1280, 720))  # drawn at OBS's size, not scaled
    written = renderer.render("fact-card", {"fact": "f-1042"})       # gate: verified only
    written = renderer.cue(segment.graphics[0])                      # a rundown GraphicCue
    renderer.check(segment.graphics[0])                              # for `studio check`: can it air?

Everything refused raises a GraphicsError (errors.py) that names the
template, the field or box or fact, and what to do.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence
from zoneinfo import ZoneInfo

from studio.canvas import Size
from studio.graphics.errors import DataError, FactRefused, GraphicsError, TextDoesNotFit, TextRejected
from studio.graphics.gate import FactSource, FactView, MemoryFacts
from studio.graphics.output import Written, write, write_prepared
from studio.graphics.render import Prepared, Rendered, check, prepare, render
from studio.graphics.resolve import ZONE
from studio.graphics.template import Template, load_template, load_templates
from studio.i18n import Msg
from studio.machine import utc_now
from studio.paths import graphics_dir, template_folders

__all__ = [
    "DataError", "FactRefused", "FactSource", "FactView", "GraphicsError", "MemoryFacts", "Prepared", "Rendered",
    "Renderer", "Template", "TextDoesNotFit", "TextRejected", "Written", "load_template", "load_templates",
    "check", "prepare", "template_search", "render", "write",
]


Folders = Path | Sequence[Path]
"""One templates folder, or several searched in order (studio/paths.py ``template_folders``)."""


def template_search(overlays: Folders | None = None) -> tuple[Path, ...]:
    """The folders templates are taken from: ``overlays``, else the search order of studio/paths.py."""
    if overlays is None:
        return tuple(template_folders())
    return (Path(overlays),) if isinstance(overlays, (str, Path)) else tuple(Path(f) for f in overlays)


class Renderer:
    """Templates loaded once (by default from the folders of studio/paths.py ``template_folders``), a fact
    source, an output folder (by default the user's data folder, see ``graphics_dir``): what the show
    process holds."""

    def __init__(
        self,
        overlays: Folders | None = None,
        out: Path | None = None,
        facts: FactSource | None = None,
        *,
        zone: ZoneInfo = ZONE,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        """``clock``: the time its graphics show and are stated "as of" (the show's, a rehearsal's simulated day)."""
        self.folders = template_search(overlays)
        self.out = Path(out) if out is not None else graphics_dir()
        self.facts = facts
        self.zone = zone
        self.clock = clock
        self.templates = load_templates(*self.folders)

    def template(self, name: str) -> Template:
        try:
            return self.templates[name]
        except KeyError:
            known = ", ".join(sorted(self.templates))
            hint = Msg("diag.graphics.hint.templates_in", folder=", ".join(map(str, self.folders)), known=known)
            raise GraphicsError(name, Msg("diag.graphics.no_such_template"), hint) from None

    def prepare(self, name: str, data: Mapping[str, Any], canvas: Size | None = None) -> Prepared:
        now = self.clock()
        return prepare(self.template(name), data, self.facts, now=now, zone=self.zone, canvas=canvas)

    def render(self, name: str, data: Mapping[str, Any], *, reuse: bool = True, canvas: Size | None = None) -> Written:
        """Render and write ``name`` with ``data`` for ``canvas`` (OBS's size; None: the template's own);
        an identical graphic already on disk is reused."""
        return write_prepared(self.prepare(name, data, canvas), self.out, reuse=reuse)

    def cue(self, cue: Any, *, reuse: bool = True, canvas: Size | None = None) -> Written:
        """Render a rundown ``GraphicCue`` (template name + data)."""
        return self.render(cue.template, dict(cue.data), reuse=reuse, canvas=canvas)

    def check(self, cue: Any) -> None:
        """For `studio check`: raise GraphicsError if the cue can never air (see graphics.render.check)."""
        now = self.clock()
        check(self.template(cue.template), dict(cue.data), now=now)
