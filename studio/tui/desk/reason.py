"""The reason (or correction) a desk verdict needs, asked in a dialog.

Enter in the last field submits; escape cancels. Empty fields are passed on
as they are: the rules (studio/desk/rules.py) decide what may be empty and
say so in their own words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from studio.i18n import t
from studio.tui import bindings


class ReasonScreen(ModalScreen[tuple[str, ...] | None]):
    """Dismisses with the fields' text, or None when cancelled."""

    BINDING_GROUP_TITLE = "Dialog"  # translated on mount
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without doing anything"),
    ]

    def __init__(self, title: str, question: str, fields: Sequence[str], confirm: str) -> None:
        super().__init__(classes="dialog")
        self.heading = title
        self.question = question
        self.fields = list(fields)
        self.confirm_label = confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box -wide") as box:
            box.border_title = Text(self.heading)
            yield Static(Text(self.question), classes="dialog-question")
            for number, label in enumerate(self.fields):
                yield Label(Text(label))
                yield Input(id=f"field-{number}")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.confirm_label, id="confirm", variant="primary")
                yield Button(t("button.cancel"), id="cancel")

    def on_mount(self) -> None:
        bindings.translate(self, "dialog")
        self.query_one("#field-0", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        number = int((event.input.id or "field-0").removeprefix("field-"))
        if number + 1 < len(self.fields):
            self.query_one(f"#field-{number + 1}", Input).focus()
        else:
            self.action_confirm()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(tuple(self.query_one(f"#field-{n}", Input).value.strip() for n in range(len(self.fields))))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
