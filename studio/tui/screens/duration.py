"""Ask for a new planned duration (``4m30s``), checked before the dialog closes."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from studio.i18n import t
from studio.rundown.load import LONGEST, DurationTooLong, format_duration, parse_duration
from studio.tui import bindings


def check_duration(value: str) -> tuple[timedelta | None, str]:
    """The duration typed, or None and the message to show."""
    text = value.strip().replace(" ", "")
    try:
        duration = parse_duration(text)
    except DurationTooLong:
        return None, t("duration.too_long", longest=format_duration(LONGEST))
    except ValueError:
        return None, t("duration.invalid", value=value.strip())
    if duration <= timedelta(0):
        return None, t("duration.not_positive")
    return duration, ""


class DurationScreen(ModalScreen[timedelta | None]):
    BINDING_GROUP_TITLE = "Dialog"  # translated on mount
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without changing anything"),
    ]

    def __init__(self, title: str, current: timedelta) -> None:
        super().__init__(classes="dialog")
        self.heading = title
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = Text(t("duration.title", title=self.heading))  # user text: no markup
            yield Static(Text(t("duration.hint", current=format_duration(self.current))), classes="dialog-question")
            yield Input(value=format_duration(self.current), id="duration", select_on_focus=True)
            yield Static("", id="duration-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("button.save"), id="save", variant="primary")
                yield Button(t("button.cancel"), id="cancel")

    def on_mount(self) -> None:
        bindings.translate(self, "dialog")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def save(self) -> None:
        duration, problem = check_duration(self.query_one("#duration", Input).value)
        if duration is None:
            self.query_one("#duration-error", Static).update(Text(problem))
            return
        self.dismiss(duration)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
