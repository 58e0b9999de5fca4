"""A yes/no question before an action that cannot be taken back on air."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from studio.i18n import t
from studio.tui import bindings


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True on confirm. Enter on the focused Cancel button cancels,
    so a double press of the action key never confirms by accident: confirm with y."""

    BINDING_GROUP_TITLE = "Dialog"  # translated on mount
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Confirm", id="dialog.confirm", tooltip="Do it"),
        Binding("escape,n", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without doing anything"),
    ]

    def __init__(self, question: str, *, title: str = "", confirm: str = "") -> None:
        super().__init__(classes="dialog")
        self.question = question
        self.heading = title
        self.confirm_label = confirm or t("button.confirm")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = Text(self.heading)
            yield Static(Text(self.question), classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.confirm_label} (y)", id="confirm", variant="error")
                yield Button(t("button.cancel"), id="cancel")

    def on_mount(self) -> None:
        bindings.translate(self, "dialog")
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
