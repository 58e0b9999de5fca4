"""The queue's filters as choosers: one select each for status, region, kind and age.

Each starts at "all"; the desk's keys (s, r, k, a) open one, and choosing
sends ``FilterBar.Changed`` with every filter at once. Region names are in
the reader's language, in the order of studio/regions.toml, the country first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Select

from studio.desk.model import ReportKind
from studio.i18n import t
from studio.tui.desk.client import AGES, STATUSES, Filters
from studio.tui.desk.view import kind_name, span_name
from studio.tui.format import region_choices
from studio.tui.widgets.text import Readout

WHICH = ("status", "region", "kind", "age")


class FilterBar(Horizontal):
    DEFAULT_CSS = """
    FilterBar { height: 1; }
    FilterBar Select { width: 22; margin-right: 1; }
    FilterBar #filter-region { width: 28; }
    FilterBar #filter-kind { width: 20; }
    FilterBar Readout { width: 1fr; padding: 0 1; }
    """

    @dataclass
    class Changed(Message):
        bar: FilterBar
        filters: Filters

        @property
        def control(self) -> FilterBar:
            return self.bar

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filters = Filters()

    def compose(self) -> ComposeResult:
        for which in WHICH:
            yield Select[Any]([], id=f"filter-{which}", compact=True)
        yield Readout(id="filter-count")

    def choices(self, which: str, language: str) -> Sequence[tuple[str, Any]]:
        if which == "status":
            return [(t(f"desk.status.{status}"), status) for status in STATUSES]
        if which == "region":
            return region_choices(language)
        if which == "kind":
            return [(kind_name(kind), kind) for kind in ReportKind]
        return [(span_name(span), span) for span in AGES]

    def translate(self, language: str) -> None:
        """Every chooser's options and prompt in ``language``, keeping what is chosen."""
        for which in WHICH:
            select = self.query_one(f"#filter-{which}", Select)
            chosen = getattr(self.filters, which)
            with select.prevent(Select.Changed):
                select.prompt = t(f"desk.filter.{which}")
                select.set_options(self.choices(which, language))
                select.value = Select.NULL if chosen is None else chosen

    def choose(self, which: str) -> None:
        """Open the chooser ``which`` for the keyboard."""
        select = self.query_one(f"#filter-{which}", Select)
        select.focus()
        select.expanded = True

    def clear(self) -> None:
        self.filters = Filters()
        for which in WHICH:
            with self.query_one(f"#filter-{which}", Select).prevent(Select.Changed):
                self.query_one(f"#filter-{which}", Select).clear()
        self.post_message(self.Changed(self, self.filters))

    def count(self, shown: int, total: int) -> None:
        self.query_one("#filter-count", Readout).set(t("desk.filter.count", shown=shown, total=total))

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        event.stop()
        which = (event.select.id or "").removeprefix("filter-")
        value = None if event.value is Select.NULL else event.value
        self.filters = Filters(**({name: getattr(self.filters, name) for name in WHICH} | {which: value}))
        self.post_message(self.Changed(self, self.filters))
