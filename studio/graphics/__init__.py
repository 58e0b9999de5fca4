"""Broadcast graphics: templates as data, a pure Pillow renderer, and the fact gate.

Entry points::

    from studio.graphics import Renderer, load_template, render, write

    template = load_template(Path("overlays/lower-third.toml"))    # DiagnosticsError if broken
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

import os
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Mapping
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
from studio.paths import graphics_dir

__all__ = [
    "DataError", "FactRefused", "FactSource", "FactView", "GraphicsError", "MemoryFacts", "Prepared", "Rendered",
    "Renderer", "Template", "TextDoesNotFit", "TextRejected", "Written", "load_template", "load_templates",
    "check", "overlays_dir", "prepare", "render", "write",
]


def overlays_dir() -> Path:
    """The templates folder: $STUDIO_OVERLAYS, else the project's overlays/, else ./overlays."""
    if env := os.environ.get("STUDIO_OVERLAYS"):
        return Path(env)
    bundled = Path(__file__).resolve().parents[2] / "overlays"
    return bundled if bundled.is_dir() else Path.cwd() / "overlays"


class Renderer:
    """Templates loaded once, a fact source, an output folder (by default the user's data folder, see
    studio/paths.py ``graphics_dir``): what the show process holds."""

    def __init__(
        self,
        overlays: Path | None = None,
        out: Path | None = None,
        facts: FactSource | None = None,
        *,
        zone: ZoneInfo = ZONE,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        """``clock``: the time its graphics show and are stated "as of" (the show's, a rehearsal's simulated day)."""
        self.overlays = Path(overlays) if overlays is not None else overlays_dir()
        self.out = Path(out) if out is not None else graphics_dir()
        self.facts = facts
        self.zone = zone
        self.clock = clock
        self.templates = load_templates(self.overlays)

    def template(self, name: str) -> Template:
        try:
            return self.templates[name]
        except KeyError:
            known = ", ".join(sorted(self.templates))
            hint = Msg("diag.graphics.hint.templates_in", folder=str(self.overlays), known=known)
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
