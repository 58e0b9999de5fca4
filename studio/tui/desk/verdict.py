"""A verdict on the open fact: verified, false, unproven or retracted.

Each asks its reason (a retraction's too: the audit keeps why, not only what
goes on air); false and retracted also ask the correction in Kazakh
and Russian (what a debunk card shows, what goes on air instead). Four eyes
are checked before anything is typed: someone who wrote or edited the fact
gets the refusal in place of the form (rules.verify_blockers, Fact.authors),
and so does anyone on a figure held in a conflict (settled as a whole: settle.py);
a retraction may be made by anyone, the author too.
"""

from __future__ import annotations

from typing import ClassVar
from zoneinfo import ZoneInfo

from textual.app import ComposeResult

from studio.desk import rules
from studio.desk.ids import fact_label
from studio.desk.model import Claim, Fact, FigureConflict
from studio.i18n import catalogue, t
from studio.tui.desk.client import DeskClient
from studio.tui.desk.dialog import DeskDialog, Save
from studio.tui.desk.fields import FieldProblem
from studio.tui.desk.refusals import said

VERDICTS = ("verify", "false", "unproven", "retract")
CORRECTED = ("false", "retract")
"""Verdicts that carry a correction."""

_BEFORE_ANY_VERDICT = ("fact.status", "fact.four_eyes", "fact.held")
"""What stops false and unproven as it stops verify; the evidence and rivals concern verify only."""


def blockers(
    fact: Fact, verdict: str, operator: str, policy: rules.EvidencePolicy, held: FigureConflict | None = None
) -> list[rules.RuleError]:
    """Why ``operator`` may not give ``verdict`` on ``fact`` now, as far as the desk can tell before asking;
    ``held``: the open conflict the fact is in (settled as a whole, never by a verdict on one figure)."""
    if verdict == "retract":
        return []
    found = rules.verify_blockers(fact, operator, policy=policy, held=held)
    return found if verdict == "verify" else [b for b in found if b.code in _BEFORE_ANY_VERDICT]


class VerdictForm(DeskDialog[Fact | None]):
    """Dismisses with the fact after the verdict, or None when cancelled or refused."""

    RULE_FIELDS: ClassVar[dict[str, str]] = {"fact.why": "why", "fact.correction": "correction_kk"}

    def __init__(
        self, client: DeskClient, fact: Fact, verdict: str, zone: ZoneInfo, held: FigureConflict | None = None
    ) -> None:
        self.client = client
        self.fact = fact
        self.verdict = verdict
        refusals = [said(error) for error in blockers(fact, verdict, client.operator, client.store.policy, held)]
        label = t(f"binding.desk.{verdict}.label")
        intro = t(f"desk.reason.{verdict}", id=fact_label(fact.id), claim=fact.claim.text(catalogue.language))
        super().__init__(label, intro, label, zone, refusals, fact.version)

    def compose_fields(self) -> ComposeResult:
        if self.refusals:
            return
        why = "desk.reason.note" if self.verdict == "verify" else "desk.reason.why"
        yield from self.entry("why", t(why))
        if self.verdict in CORRECTED:
            yield from self.entry("correction_kk", t("desk.reason.correction_kk"))
            yield from self.entry("correction_ru", t("desk.reason.correction_ru"))

    def save_call(self) -> Save:
        action = self.action()
        client, fact_id, version = self.client, self.fact.id, self.version
        return lambda: client.change(fact_id, version, action)

    def action(self) -> rules.Action:
        if self.verdict == "verify":
            return rules.Verify(self.text("why") or "verified")
        if self.verdict == "unproven":
            return rules.MarkUnproven(self.text("why"))
        correction = Claim(self.text("correction_kk"), self.text("correction_ru"))
        if self.verdict == "false":
            return rules.MarkFalse(self.text("why"), correction)
        if not self.text("why"):  # the rules would take the correction for it; the desk asks why, as for any verdict
            raise FieldProblem("desk.rule.fact.why", field="why")
        return rules.Retract(correction, self.text("why"))
