"""Pick a fact from the desk to arm as a fact card (verified) or a debunk card (false, or retracted:
its correction).

The producer filters by region and kind; every fact shows its status, so a figure still in
review is seen and cannot be chosen. Facts are read on a thread worker (``load`` blocks on
the store). The choice is only armed: the gate checks the fact again at the preview and at
the take, and the on-air check pulls the card if the desk changes the fact afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Select, Static
from textual.widgets.option_list import Option

from studio.desk.ids import fact_label
from studio.desk.model import Fact, ReportKind, Status
from studio.i18n import catalogue, t
from studio.regions import NATIONAL
from studio.rundown.model import GraphicCue
from studio.tui import bindings
from studio.tui.format import region_choices, region_name

CARD_FOR = {Status.VERIFIED: "fact-card", Status.FALSE: "debunk-card", Status.RETRACTED: "debunk-card"}
"""What a fact in each status may go on air as; no other status can be armed."""


def card_for(fact: Fact) -> GraphicCue | None:
    """The card ``fact`` may be armed as, or None while it may not air."""
    template = CARD_FOR.get(fact.status)
    # Named as a rundown's cue names it (F105), so the segment's own cue and the picked one are the same cue.
    return GraphicCue(template, {"fact": fact_label(fact.id)}) if template else None


def fact_line(fact: Fact, language: str) -> Text:
    """One line of the list: id, status, region, the figure when there is one, the claim."""
    region = region_name(fact.region, language)
    figure = f" — {str(fact.value).replace('.', ',')}%" if fact.value is not None and fact.kind is ReportKind.TURNOUT else ""
    style = "bold" if fact.status in CARD_FOR else "dim"
    line = Text(f"{fact_label(fact.id)}  ", style="bold")
    line.append(f"{t(f'picker.status.{fact.status.value}'):<12} ", style=style)
    line.append(f"{region} · {t(f'picker.kind.{fact.kind.value}')}{figure} · ")
    line.append(fact.claim.text(language), style=style)
    return line


class FactPickerScreen(ModalScreen[GraphicCue | None]):
    """The desk's facts, filtered by region and kind; enter arms the highlighted one."""

    BINDING_GROUP_TITLE = "Dialog"  # translated on mount
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without changing anything"),
    ]

    def __init__(self, load: Callable[[], Sequence[Fact]]) -> None:
        super().__init__(classes="dialog")
        self._load = load
        self._facts: list[Fact] = []

    def compose(self) -> ComposeResult:
        language = catalogue.language
        with Vertical(classes="dialog-box picker-box") as box:
            box.border_title = t("picker.title")
            yield Static(t("picker.hint"), classes="dialog-question")
            with Horizontal(classes="picker-filters"):
                yield Select(region_choices(language), prompt=t("picker.every_region"), id="picker-region")
                yield Select([(t(f"picker.kind.{kind.value}"), kind.value) for kind in ReportKind],
                             prompt=t("picker.every_kind"), id="picker-kind")
            yield OptionList(id="picker-facts")
            yield Static("", id="picker-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("picker.arm"), id="arm", variant="primary")
                yield Button(t("button.cancel"), id="cancel")

    def on_mount(self) -> None:
        bindings.translate(self, "dialog")
        self.query_one(OptionList).loading = True
        self._read()

    @work(thread=True, exit_on_error=False, group="fact-picker")
    def _read(self) -> None:
        try:
            facts = list(self._load())
        except Exception as error:  # the store is busy or gone: say so, never a traceback
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self._loaded, facts)

    def _failed(self, error: Exception) -> None:
        self.query_one(OptionList).loading = False
        self.query_one("#picker-error", Static).update(Text(t("picker.unreadable", error=str(error))))

    def _loaded(self, facts: list[Fact]) -> None:
        # Airable facts first, then the rest, each newest first: the producer wants what can go up now.
        self._facts = sorted(facts, key=lambda f: (f.status not in CARD_FOR, -f.id))
        self.query_one(OptionList).loading = False
        self._fill()
        self.query_one(OptionList).focus()

    @on(Select.Changed)
    def _fill(self) -> None:
        region = self.query_one("#picker-region", Select).value
        kind = self.query_one("#picker-kind", Select).value
        language = catalogue.language
        shown = [
            fact for fact in self._facts
            if (region is Select.NULL or (fact.region or NATIONAL) == region)
            and (kind is Select.NULL or fact.kind.value == kind)
        ]
        facts = self.query_one(OptionList)
        facts.clear_options()
        facts.add_options([Option(fact_line(fact, language), id=str(fact.id)) for fact in shown])
        if not shown:
            facts.add_option(Option(Text(t("picker.none"), style="dim"), disabled=True))
        elif facts.highlighted is None:
            facts.highlighted = 0

    @on(OptionList.OptionSelected)
    @on(Button.Pressed, "#arm")
    def arm(self) -> None:
        facts = self.query_one(OptionList)
        option = facts.get_option_at_index(facts.highlighted) if facts.highlighted is not None else None
        fact = next((f for f in self._facts if option is not None and str(f.id) == option.id), None)
        if fact is None:
            return
        cue = card_for(fact)
        if cue is None:
            self.query_one("#picker-error", Static).update(
                Text(t("picker.not_airable", fact=fact_label(fact.id), status=t(f"picker.status.{fact.status.value}"))))
            return
        self.dismiss(cue)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
