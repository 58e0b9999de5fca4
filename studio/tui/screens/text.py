"""A dialog showing long detail: rundown file errors (FILE:LINE), an unexpected failure."""

from __future__ import annotations

from typing import ClassVar, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from studio.i18n import t
from studio.tui import bindings


class TextScreen(ModalScreen[None]):
    BINDING_GROUP_TITLE = "Dialog"  # translated on mount
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="dialog.close", tooltip="Close this dialog"),
    ]

    def __init__(self, title: str, intro: str, lines: Sequence[str]) -> None:
        super().__init__(classes="dialog")
        self.heading = title
        self.intro = intro
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box -wide") as box:
            box.border_title = Text(self.heading)
            yield Static(Text(self.intro), classes="dialog-question")
            with VerticalScroll(classes="dialog-detail"):
                for line in self.lines:
                    yield Static(Text(line), classes="dialog-line")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("button.close"), id="close", variant="primary")

    def on_mount(self) -> None:
        bindings.translate(self, "dialog")
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
