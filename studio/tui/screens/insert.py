"""Ask for a new segment to insert after the selected line: id, kind, both titles, duration, region."""

from __future__ import annotations

import re
from typing import ClassVar, Collection

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from studio.i18n import t
from studio.regions import regions
from studio.rundown.model import Bilingual, Kind, Segment
from studio.tui import bindings
from studio.tui.screens.duration import check_duration

SEGMENT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # the rule of the rundown file (studio/rundown/load.py)


class InsertScreen(ModalScreen[Segment | None]):
    BINDING_GROUP_TITLE = "Dialog"  # translated on mount
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without inserting"),
    ]

    def __init__(self, after_title: str, taken: Collection[str], language: str) -> None:
        super().__init__(classes="dialog")
        self.after_title = after_title
        self.taken = frozenset(taken)
        self.language = language

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box -wide") as box:
            box.border_title = Text(t("insert.title", title=self.after_title))  # user text: no markup
            with Grid(id="insert-form"):
                yield Label(t("insert.id"))
                yield Input(id="insert-id", placeholder=t("insert.id_placeholder"), compact=True)
                yield Label(t("insert.kind"))
                yield Select(
                    [(t(f"kind.{kind.value}"), kind) for kind in Kind],
                    value=Kind.STUDIO,
                    allow_blank=False,
                    id="insert-kind",
                    compact=True,
                )
                yield Label(t("insert.title_kk"))
                yield Input(id="insert-kk", compact=True)
                yield Label(t("insert.title_ru"))
                yield Input(id="insert-ru", compact=True)
                yield Label(t("insert.duration"))
                yield Input(id="insert-duration", placeholder="5m", compact=True)
                yield Label(t("insert.region"))
                yield Select(
                    [(region.name(self.language), region.id) for region in regions().values()],
                    prompt=t("insert.no_region"),
                    id="insert-region",
                    compact=True,
                )
            yield Static("", id="insert-errors", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("button.insert"), id="insert", variant="primary")
                yield Button(t("button.cancel"), id="cancel")

    def on_mount(self) -> None:
        bindings.translate(self, "dialog")
        self.query_one("#insert-id", Input).focus()

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def segment(self) -> tuple[Segment | None, list[str]]:
        """The segment the form describes, or the problems to fix."""
        problems: list[str] = []
        segment_id = self._value("insert-id")
        if not SEGMENT_ID.match(segment_id):
            problems.append(t("insert.bad_id"))
        elif segment_id in self.taken:
            problems.append(t("insert.id_taken", id=segment_id))
        kind = self.query_one("#insert-kind", Select).value
        kk, ru = self._value("insert-kk"), self._value("insert-ru")
        if not kk or not ru:
            problems.append(t("insert.missing_title"))
        duration, problem = check_duration(self._value("insert-duration"))
        if duration is None:
            problems.append(problem)
        region = self.query_one("#insert-region", Select).value
        region_id = region if isinstance(region, str) else None
        if kind is Kind.LIVE and region_id is None:
            problems.append(t("insert.needs_region"))
        if problems or duration is None or not isinstance(kind, Kind):
            return None, problems
        return Segment(segment_id, kind, Bilingual(kk, ru), duration, region=region_id), []

    @on(Input.Submitted)
    @on(Button.Pressed, "#insert")
    def submit(self) -> None:
        segment, problems = self.segment()
        if segment is None:
            self.query_one("#insert-errors", Static).update(Text("\n".join(problems)))
            return
        self.dismiss(segment)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
