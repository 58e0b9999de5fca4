"""Settling a conflict between figures, four eyes: one person proposes, a second confirms.

``SettleForm`` (`p`) lists the figures side by side and asks which one stands, or that none can be
shown, and why ("the commission's own publication wins over reprints"). Never an average: the
choices are the figures themselves. ``ConfirmForm`` (`y`) shows the proposal to a second person,
who confirms it: the other figures become false, with the chosen one as their correction, or all
become unproven. Whoever proposed is refused before anything happens (rules.confirm), and so is a
proposal the figures have moved on from.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Select, Static

from studio.desk import rules
from studio.desk.ids import conflict_label, fact_label
from studio.desk.model import Fact, FigureConflict, Outcome, ReportKind
from studio.i18n import catalogue, t
from studio.tui.desk.client import DeskClient
from studio.tui.desk.dialog import DeskDialog, Save
from studio.tui.desk.fields import FieldProblem
from studio.tui.desk.refusals import said
from studio.tui.desk.view import conflict_text, figures, settlement_text

NONE_STANDS = "unproven"
"""The choice that no figure can be shown: every one becomes unproven."""


def _settled(conflict: FigureConflict) -> list[str]:
    return [] if conflict.open else [t("desk.rule.conflict.settled", conflict=conflict_label(conflict.id))]


class _ConflictForm(DeskDialog[FigureConflict | None]):
    """A form about one conflict, its figures side by side above the fields."""

    def __init__(self, client: DeskClient, conflict: FigureConflict, facts: tuple[Fact, ...], zone: ZoneInfo,
                 title: str, intro: str, confirm: str, refusals: list[str]) -> None:
        self.client = client
        self.conflict = conflict
        self.facts = facts
        super().__init__(title, intro, confirm, zone, refusals)

    def compose_above(self) -> ComposeResult:
        with VerticalScroll(id="conflict-figures"):
            yield Static(Text(conflict_text(self.conflict, self.facts, catalogue.language, self.zone)))


class SettleForm(_ConflictForm):
    """Dismisses with the conflict and its proposal, or None when cancelled."""

    RULE_FIELDS: ClassVar[dict[str, str]] = {"fact.why": "why", "conflict.choice": "choice",
                                             "conflict.not_live": "choice"}

    def __init__(self, client: DeskClient, conflict: FigureConflict, facts: tuple[Fact, ...], zone: ZoneInfo) -> None:
        label = conflict_label(conflict.id)
        super().__init__(client, conflict, facts, zone, t("binding.desk.settle.label"),
                         t("desk.settle.intro", id=label), t("desk.settle.propose"), _settled(conflict))

    def compose_fields(self) -> ComposeResult:
        if self.refusals:
            return
        kind = ReportKind(self.conflict.measure[0])
        language = catalogue.language
        choices = [(self._choice(f, kind, language), str(f.id)) for f in self.facts if f.status in rules.LIVE]
        choices.append((t("desk.conflict.unproven"), NONE_STANDS))
        choice = Select(choices, prompt=t("desk.settle.choice_prompt"), id="field-choice", compact=True)
        yield from self.field("choice", t("desk.settle.choice"), choice)
        yield from self.entry("why", t("desk.reason.why"), hint=t("desk.settle.why_hint"))

    @staticmethod
    def _choice(fact: Fact, kind: ReportKind, language: str) -> str:
        """A figure as a choice: «F2 · 20,68% · nur.kz»."""
        sources = ", ".join(dict.fromkeys(s.origin for s in fact.sources)) or "—"
        value = figures((fact.value,), kind, language)  # type: ignore[arg-type]  # a conflict's facts are figures
        return t("desk.settle.stands", fact=fact_label(fact.id), value=value, sources=sources)

    def save_call(self) -> Save:
        chosen = self.query_one("#field-choice", Select).value
        if chosen is Select.NULL:
            raise FieldProblem("desk.settle.no_choice", field="choice")
        outcome = Outcome.UNPROVEN if chosen == NONE_STANDS else Outcome.CHOSEN
        fact = None if outcome is Outcome.UNPROVEN else int(str(chosen))
        client, conflict_id, why = self.client, self.conflict.id, self.text("why")
        return lambda: client.propose(conflict_id, outcome, fact, why)


class ConfirmForm(_ConflictForm):
    """Dismisses with the settled conflict, or None when cancelled or refused."""

    def __init__(
        self, client: DeskClient, conflict: FigureConflict, facts: tuple[Fact, ...], zone: ZoneInfo, now: datetime
    ) -> None:
        proposal = conflict.proposal
        refusals = _settled(conflict)
        if not refusals:
            try:  # four eyes and a proposal that still holds, checked before anything is done
                rules.confirm(conflict, facts, by=client.operator, at=now)
            except rules.RuleError as error:
                refusals = [said(error)]
        intro = "" if proposal is None else t(
            "desk.confirm.intro", id=conflict_label(conflict.id), who=proposal.by,
            what=settlement_text(proposal, conflict, catalogue.language), why=proposal.why,
        )
        super().__init__(client, conflict, facts, zone, t("binding.desk.confirm.label"), intro,
                         t("desk.confirm.confirm"), refusals)

    def save_call(self) -> Save:
        client, conflict_id = self.client, self.conflict.id
        return lambda: client.confirm(conflict_id)
