"""A one-purpose text widget that redraws only when its text changes."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class Readout(Static):
    """Plain text (never markup: titles and cues are user text), updated cheaply."""

    DEFAULT_CSS = """
    Readout {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(Text(text), id=id, classes=classes, markup=False)
        self._shown: tuple[str, str] = (text, "")

    def set(self, text: str, style: str = "") -> None:
        if (text, style) != self._shown:
            self._shown = (text, style)
            self.update(Text(text, style=style))

    @property
    def text(self) -> str:
        return self._shown[0]
