"""Verify an official release in one act: the commission's figures of one
publication (one source, one instant), listed, then one confirmation.

A figure imported from a reprint carries the reprint, which quotes the
commission's page; confirming says the operator compared the figures with
that page, so it is attached to each of them in the same act (marked in the
list), and the release is verified with it. When the release is known only as
the press quoted it, the form asks for the commission's own page (an address
the rules place as the commission's): a reprint alone never verifies a figure.

The act is all or nothing and four eyes hold for every figure in it: someone
who imported or edited any of them is refused before typing anything. Each
figure still gets its own audit entry (DeskStore.verify_release).
"""

from __future__ import annotations

from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from studio.desk import rules
from studio.desk.ids import fact_label
from studio.desk.model import Fact, Source
from studio.i18n import catalogue, t
from studio.tui.desk.client import DeskClient, NotOfficial, published
from studio.tui.desk.dialog import DeskDialog, Save
from studio.tui.desk.refusals import said
from studio.tui.desk.verdict import blockers
from studio.tui.desk.view import figure
from studio.tui.format import region_name


class ReleaseForm(DeskDialog[list[Fact] | None]):
    """Dismisses with the verified facts, or None when cancelled or refused."""

    RULE_FIELDS: ClassVar[dict[str, str]] = {"fact.why": "why"}

    def __init__(
        self, client: DeskClient, source: Source, facts: tuple[Fact, ...], zone: ZoneInfo
    ) -> None:
        self.client = client
        self.source = source
        self.facts = facts
        refusals = [
            f"{fact_label(fact.id)}: {said(error)}"
            for fact in facts
            for error in blockers(fact, "false", client.operator, client.store.policy)  # status and four eyes
        ]
        at = facts[0].as_of.astimezone(zone).strftime("%H:%M") if facts and facts[0].as_of else "—"
        intro = t("desk.release.intro", count=len(facts), at=at, source=source.reference)
        confirm = t("desk.release.confirm", count=len(facts))
        super().__init__(t("binding.desk.release.label"), intro, confirm, zone, refusals)

    def compose_above(self) -> ComposeResult:
        language = catalogue.language
        attach = t("desk.release.attach")
        lines = [
            f"{fact_label(f.id):>6}  {region_name(f.region, language):<34} "
            f"{figure(f.value, f.as_of, f.kind, language, self.zone):<16}"
            f"{'' if any(s.id == self.source.id for s in f.sources) else attach}"
            for f in self.facts
        ]
        with VerticalScroll(id="release-figures"):
            yield Static(Text("\n".join(lines)))

    def compose_fields(self) -> ComposeResult:
        if not self.refusals:
            if not published(self.source):  # known only as the press quoted it: the commission's own page
                yield from self.entry("page", t("desk.release.page"), hint=t("desk.release.page_hint"))
            yield from self.entry("why", t("desk.reason.why"), hint=t("desk.release.why_hint"))

    def save_call(self) -> Save:
        client, facts, source, why = self.client, self.facts, self.source, self.text("why")
        page_url = "" if published(source) else self.text("page")
        return lambda: client.verify_release(facts, source, why, page_url)

    def refused_here(self, error: BaseException | None) -> bool:
        if isinstance(error, NotOfficial):
            self.problem("page", t("desk.release.not_page", reference=error.reference or "—"))
            return True
        if isinstance(error, rules.ReleaseRefused):
            head = rules.rule_message(error).render(catalogue.language)  # the desk's head, not the command line's
            lines = [head] + [f"{fact_label(i)}: {said(e)}" for i, e in error.blockers]
            self.problem(None, "\n".join(lines))
            return True
        return False
