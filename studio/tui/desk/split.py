"""Split wrongly grouped reports out of the open group: tick them, say why.

Together they form a new group of their own (DeskStore.split); the reports
themselves never change, and the move is recorded with who, when and why.
"""

from __future__ import annotations

from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from studio.desk.ids import report_label
from studio.desk.model import Report
from studio.i18n import t
from studio.tui.desk.client import DeskClient
from studio.tui.desk.dialog import DeskDialog, Save
from studio.tui.desk.view import report_line


class SplitForm(DeskDialog[int | None]):
    """Dismisses with the new group's id, or None when cancelled."""

    RULE_FIELDS: ClassVar[dict[str, str]] = {
        "fact.why": "why", "report.split_nothing": "reports", "report.split_stranger": "reports",
        "report.split_lead": "reports",
    }

    def __init__(self, client: DeskClient, group_id: int, reports: tuple[Report, ...], zone: ZoneInfo) -> None:
        self.client = client
        self.group_id = group_id
        self.reports = reports
        intro = t("desk.split.intro", id=report_label(group_id))
        super().__init__(t("binding.desk.split.label"), intro, t("button.save"), zone)

    def compose_fields(self) -> ComposeResult:
        choices = [Selection(Text(report_line(r, self.zone)), r.id, False) for r in self.reports]
        yield from self.field("reports", t("desk.split.reports"), SelectionList[int](*choices, id="field-reports"))
        yield from self.entry("why", t("desk.split.why"))

    def ready(self) -> None:
        self.query_one("#field-reports", SelectionList).focus()

    def save_call(self) -> Save:
        chosen = tuple(self.query_one("#field-reports", SelectionList).selected)
        client, group_id, why = self.client, self.group_id, self.text("why")
        return lambda: client.split(group_id, chosen, why)
