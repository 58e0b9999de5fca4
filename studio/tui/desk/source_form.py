"""Add a source to the open fact: where it was published, what kind of source
it is, when, and (for a reprint) which official page it quotes.

The type is filled in from the reference by the classification rules kept as
data (studio/desk/sources.toml: the commission's domains are official, news
sites media, even when they quote the commission) until the operator picks
one by hand. A reprint names the official page it quotes; whether that counts
as the commission's own word is the station's policy, not the form's.
"""

from __future__ import annotations

from typing import ClassVar
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select

from studio.desk.ids import fact_label
from studio.desk.model import Fact, SourceKind
from studio.desk.sources import classify
from studio.i18n import t
from studio.tui.desk import fields
from studio.tui.desk.client import DeskClient, NotOfficial
from studio.tui.desk.dialog import DeskDialog, Save
from studio.tui.desk.fields import FieldProblem


class SourceForm(DeskDialog[Fact | None]):
    """Dismisses with the fact after the source is attached, or None when cancelled."""

    RULE_FIELDS: ClassVar[dict[str, str]] = {"fact.nothing": "reference"}

    def __init__(self, client: DeskClient, fact: Fact, zone: ZoneInfo) -> None:
        self.client = client
        self.fact = fact
        self.kind_by_hand = False  # the operator chose the type: the rules no longer fill it in
        super().__init__(
            t("binding.desk.source.label"), t("desk.source.intro", id=fact_label(fact.id)), t("button.save"), zone,
            version=fact.version,
        )

    def compose_fields(self) -> ComposeResult:
        yield from self.entry("reference", t("desk.source.reference"), hint=t("desk.source.reference_hint"))
        kinds = [(t(f"desk.source.kind.{kind.value}"), kind) for kind in SourceKind]
        kind = Select(kinds, prompt=t("desk.source.type_prompt"), id="field-kind", compact=True)
        yield from self.field("kind", t("desk.source.type"), kind)
        yield from self.entry("origin", t("desk.source.origin"), hint=t("desk.source.origin_hint"))
        yield from self.entry("published", t("desk.source.published"), hint=t("desk.form.as_of_hint"))
        yield from self.entry("quotes", t("desk.source.quotes"), hint=t("desk.source.quotes_hint"))

    @on(Input.Changed, "#field-reference")
    def _classify(self, event: Input.Changed) -> None:
        if self.kind_by_hand:
            return
        kind = classify(event.value)
        select = self.query_one("#field-kind", Select)
        with select.prevent(Select.Changed):
            select.value = Select.NULL if kind is None else kind

    @on(Select.Changed, "#field-kind")
    def _chosen(self, event: Select.Changed) -> None:
        self.kind_by_hand = event.value is not Select.NULL

    def save_call(self) -> Save:
        reference = self.text("reference")
        if not reference:
            self.unreadable.append(FieldProblem("desk.source.no_reference", field="reference"))
        kind = self.query_one("#field-kind", Select).value
        if kind is Select.NULL:
            self.unreadable.append(FieldProblem("desk.source.no_kind", field="kind"))
        origin = self.text("origin")
        if kind is SourceKind.OBSERVER and not origin:
            self.unreadable.append(FieldProblem("desk.source.observer_origin", field="origin"))
        day = self.client.clock().astimezone(self.zone).date()
        published = self.typed("published", fields.instant, day, self.zone)
        client, fact, version, quotes = self.client, self.fact, self.version, self.text("quotes")
        return lambda: client.add_source(
            fact, version, kind, reference, origin=origin, published_at=published, quotes=quotes  # type: ignore[arg-type]
        )

    def refused_here(self, error: BaseException | None) -> bool:
        if isinstance(error, NotOfficial):
            self.problem("quotes", t("desk.source.not_official", reference=error.reference))
            return True
        return False
