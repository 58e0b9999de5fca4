"""The desk's "needs a region" queue: rows whose region the gazetteer could not place, one line per spelling,
with the matcher's suggestions. One keystroke per suggestion (1, 2, 3) names the unit; ``p`` picks any unit.

Resolving learns the spelling (who and when: this desk's signed-in operator), finishes every held row of that
spelling through its own path (studio/desk/held.py) and is refused with the reason when the spelling already
means another unit. Every store call runs in a thread worker; a refusal is a notice, and the queue stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from studio.desk.held import HeldRefused, Resolved
from studio.i18n import catalogue, t
from studio.regions import NATIONAL
from studio.store.held import HeldSpelling
from studio.tui import bindings
from studio.tui.desk.client import DeskClient
from studio.tui.desk.refusals import said
from studio.tui.format import region_choices, region_name

SUGGESTED = ("1", "2", "3")


class RegionPicker(ModalScreen[str | None]):
    """Any unit (and the whole country for turnout rows): dismisses with its id, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without doing anything"),
    ]

    def __init__(self, spelling: str, national: bool) -> None:
        super().__init__(classes="dialog")
        self.spelling, self.national = spelling, national

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text(t("held.pick", spelling=self.spelling)), classes="dialog-question")
            yield OptionList(
                *(Option(name, id=unit) for name, unit in region_choices(catalogue.language)
                  if self.national or unit != NATIONAL),
                id="held-picker",
            )

    def on_mount(self) -> None:
        bindings.translate(self, "dialog")
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HeldQueue(ModalScreen[None]):
    """The queue as a list; closing it goes back to the desk."""

    BINDING_GROUP_TITLE = "Desk"  # translated on mount
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "suggested(0)", "1st", id="held.first", tooltip="The first suggestion is its unit"),
        Binding("2", "suggested(1)", "2nd", id="held.second", tooltip="The second suggestion is its unit"),
        Binding("3", "suggested(2)", "3rd", id="held.third", tooltip="The third suggestion is its unit"),
        Binding("p", "pick", "Pick", id="held.pick", tooltip="Choose the unit from all of them"),
        Binding("escape", "close", "Close", id="held.close", tooltip="Back to the desk"),
    ]

    @dataclass
    class Loaded(Message):
        lines: list[HeldSpelling]

    @dataclass
    class Done(Message):
        spelling: str
        region: str
        resolved: Resolved

    def __init__(self, client: DeskClient, zone: ZoneInfo) -> None:
        super().__init__(classes="dialog")
        self.client, self.zone = client, zone
        self.lines: list[HeldSpelling] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box -wide") as box:
            box.border_title = Text(t("held.title"))
            yield Static(Text(t("held.intro")), classes="dialog-question")
            yield DataTable(id="held-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        bindings.translate(self, "desk")
        table = self.query_one(DataTable)
        for name in ("spelling", "rows", "from", "why", "suggestions"):
            table.add_column(t(f"held.column.{name}"), key=name)
        table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="held-load", exit_on_error=False)
    def load(self) -> None:
        self.post_message(self.Loaded(self.client.held()))

    def on_held_queue_loaded(self, message: Loaded) -> None:
        self.lines = message.lines
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        language = catalogue.language
        for line in self.lines:
            offered = "  ".join(f"{n}: {region_name(unit, language)}" for n, unit in zip(SUGGESTED, line.suggestions))
            table.add_row(
                Text(line.spelling), str(line.rows), ", ".join(t(f"held.path.{p}") for p in line.paths),
                t(f"held.why.{line.why}"), offered or "—", key=line.spelling_key,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1), animate=False)
        else:
            table.add_row(t("held.empty"), "", "", "", "")

    def selected(self) -> HeldSpelling | None:
        table = self.query_one(DataTable)
        if not self.lines or table.cursor_row >= len(self.lines):
            return None
        return self.lines[table.cursor_row]

    def action_suggested(self, index: int) -> None:
        line = self.selected()
        if line is None or index >= len(line.suggestions):
            self.app.notify(t("held.no_suggestion", n=index + 1), title=t("held.title"), severity="warning")
            return
        self._resolve(line, line.suggestions[index])

    def action_pick(self) -> None:
        line = self.selected()
        if line is None:
            return

        def picked(unit: str | None) -> None:
            if unit is not None:
                self._resolve(line, unit)

        self.app.push_screen(RegionPicker(line.spelling, national=line.paths == ("turnout",)), picked)

    def _resolve(self, line: HeldSpelling, unit: str) -> None:
        self._write(line.spelling_key, line.spelling, unit)

    @work(thread=True, group="held-resolve", exit_on_error=False)
    def _write(self, spelling_key: str, spelling: str, unit: str) -> None:
        self.post_message(self.Done(spelling, unit, self.client.resolve(spelling_key, unit)))

    def on_held_queue_done(self, message: Done) -> None:
        language = catalogue.language
        done = t("held.done", n=message.resolved.rows, spelling=message.spelling,
                 region=region_name(message.region, language))
        if message.resolved.note is not None:
            done += " " + message.resolved.note.render(language)
        elif message.resolved.learned:
            done += " " + t("held.learned")
        self.app.notify(done, title=t("held.title"))
        self.load()

    @on(Worker.StateChanged)
    def _failed(self, event: Worker.StateChanged) -> None:
        if not (event.worker.group or "").startswith("held-") or event.state is not WorkerState.ERROR:
            return
        event.stop()
        error = event.worker.error
        text = said(error) if isinstance(error, HeldRefused) else t("desk.store_error", error=str(error))
        self.app.notify(text, title=t("held.not_resolved"), severity="error", timeout=10)
        self.load()

    def action_close(self) -> None:
        self.dismiss(None)
