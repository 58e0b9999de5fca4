"""Graphics for the producer: which one is armed (g takes it) and which are on air (c, panic clear)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical

from studio.i18n import t
from studio.onair import describe
from studio.tui.widgets.text import Readout

if TYPE_CHECKING:
    from studio.control import ShowView


class GraphicsPanel(Vertical):
    """One line for the armed graphic, then one line per graphic on air: template, what, file."""

    LINES = 4

    def compose(self) -> ComposeResult:
        yield Readout(id="graphics-armed")
        for index in range(self.LINES):
            yield Readout(id=f"graphics-on-{index}")

    def show(self, view: ShowView, armed: int) -> None:
        self.border_title = t("graphics.title")
        segment = view.on_air_segment
        cues = segment.graphics if segment else ()
        line = self.query_one("#graphics-armed", Readout)
        if cues:
            index = armed % len(cues)
            line.set(t("graphics.armed", index=index + 1, count=len(cues), description=describe(cues[index])), "bold")
        else:
            line.set(t("graphics.none_armed"), "dim")
        on_air = list(view.graphics)
        for index in range(self.LINES):
            readout = self.query_one(f"#graphics-on-{index}", Readout)
            if index < len(on_air):
                graphic = on_air[index]
                readout.set(t("graphics.on_air", description=graphic.description, file=graphic.file), "bold red")
            else:
                readout.set(t("graphics.nothing_on_air") if index == 0 and not on_air else "", "dim")
