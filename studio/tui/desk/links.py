"""Link reports to the open fact as evidence, and unlink the ones that do not belong.

The linked reports are listed ticked; untick one to unlink it (that needs a
reason, and takes evidence away: a verified fact goes back to review). More
reports are linked by their numbers, as the queue shows them (R12) or bare.
"""

from __future__ import annotations

from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from studio.desk.ids import fact_label
from studio.desk.model import Fact, Report
from studio.i18n import t
from studio.tui.desk import fields
from studio.tui.desk.client import DeskClient
from studio.tui.desk.dialog import DeskDialog, Save
from studio.tui.desk.fields import FieldProblem
from studio.tui.desk.view import report_line


class LinkForm(DeskDialog[Fact | None]):
    """Dismisses with the fact after the change, or None when cancelled."""

    RULE_FIELDS: ClassVar[dict[str, str]] = {"fact.why": "why", "fact.nothing": "reports"}

    def __init__(self, client: DeskClient, fact: Fact, reports: tuple[Report, ...], zone: ZoneInfo) -> None:
        self.client = client
        self.fact = fact
        self.linked = reports
        super().__init__(
            t("binding.desk.link.label"), t("desk.link.intro", id=fact_label(fact.id)), t("button.save"), zone,
            version=fact.version,
        )

    def compose_fields(self) -> ComposeResult:
        if self.linked:
            choices = [Selection(Text(report_line(r, self.zone)), r.id, True) for r in self.linked]
            yield from self.field("linked", t("desk.link.linked"), SelectionList[int](*choices, id="field-linked"))
        yield from self.entry("reports", t("desk.link.add"), hint=t("desk.link.add_hint"))
        yield from self.entry("why", t("desk.link.why"))

    def save_call(self) -> Save:
        link = self.typed("reports", fields.report_ids)
        kept = set(self.query_one("#field-linked", SelectionList).selected) if self.linked else set()
        unlink = tuple(r.id for r in self.linked if r.id not in kept)
        if not link and not unlink:
            raise FieldProblem("desk.link.nothing", field="reports")
        client, fact, why = self.client, self.fact, self.text("why")
        version = self.version
        return lambda: client.relink(fact, version, link, unlink, why)
