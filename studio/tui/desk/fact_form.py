"""Create a fact (from a group of reports, or from nothing) or edit one.

The form asks what a fact says: the claim in Kazakh and Russian, the kind,
the region (names in the reader's language) and polling station, the hour
or instant it is about, and its figure. From a group, the group's reports
are linked as evidence and its kind, region and station are filled in.
Editing a fact that has a verdict sends it back to review (rules.Edit); the
form says so before saving, and asks why.
"""

from __future__ import annotations

from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.widgets import Select

from studio.desk import rules
from studio.desk.ids import fact_label, report_label
from studio.desk.model import Claim, Draft, Fact, Report, ReportKind, Status
from studio.i18n import t
from studio.regions import NATIONAL
from studio.tui.desk import fields
from studio.tui.desk.client import DeskClient
from studio.tui.desk.dialog import DeskDialog, Save
from studio.tui.desk.view import kind_name
from studio.tui.format import region_choices


class FactForm(DeskDialog[Fact | None]):
    """Dismisses with the fact as saved, or None when cancelled."""

    RULE_FIELDS: ClassVar[dict[str, str]] = {"fact.why": "why"}

    def __init__(
        self,
        client: DeskClient,
        language: str,
        zone: ZoneInfo,
        *,
        fact: Fact | None = None,
        group_id: int | None = None,
        reports: tuple[Report, ...] = (),
    ) -> None:
        self.client = client
        self.language = language
        self.fact = fact
        lead = reports[0] if reports and fact is None else None
        self.group_id = group_id if lead else None
        self.start: dict[str, Any] = (
            {"kind": fact.kind, "claim": fact.claim, "region": fact.region, "station": fact.station,
             "value": fact.value, "as_of": fact.as_of}
            if fact
            else {"kind": lead.kind if lead else ReportKind.OTHER, "claim": Claim(),
                  "region": lead.region if lead else None, "station": lead.station if lead else None,
                  "value": None, "as_of": None}
        )
        if fact is not None:
            title, intro = t("desk.form.edit_title", id=fact_label(fact.id)), _edit_intro(fact)
        elif lead is not None:
            title = t("desk.form.create_title")
            intro = t("desk.form.from_group", count=len(reports), ids=", ".join(report_label(r.id) for r in reports),
                      text=" ".join(lead.text.split()))
        else:
            title, intro = t("desk.form.create_title"), t("desk.form.from_nothing")
        super().__init__(title, intro, t("button.save"), zone, version=fact.version if fact else 0)

    def compose_fields(self) -> ComposeResult:
        start = self.start
        day = self.client.clock().astimezone(self.zone).date()
        yield from self.entry("claim_kk", t("desk.form.claim_kk"), start["claim"].kk)
        yield from self.entry("claim_ru", t("desk.form.claim_ru"), start["claim"].ru)
        kinds = [(kind_name(kind), kind) for kind in ReportKind]
        kind = Select(kinds, value=start["kind"], allow_blank=False, id="field-kind", compact=True)
        yield from self.field("kind", t("desk.form.kind"), kind)
        region = Select(
            region_choices(self.language), value=start["region"] or NATIONAL, allow_blank=False, id="field-region",
            compact=True,
        )
        yield from self.field("region", t("desk.form.region"), region)
        station = "" if start["station"] is None else str(start["station"])
        yield from self.entry("station", t("desk.form.station"), station, t("desk.form.station_hint"))
        as_of = fields.show_instant(start["as_of"], day, self.zone)
        yield from self.entry("as_of", t("desk.form.as_of"), as_of, t("desk.form.as_of_hint"))
        value = fields.show_value(start["value"], self.language)
        yield from self.entry("value", t("desk.form.value"), value, t("desk.form.value_hint"))
        if self.fact is not None:
            yield from self.entry("why", t("desk.form.why"))

    def content(self) -> dict[str, Any]:
        """What the form says now, as the rules' content fields (FieldProblem for unreadable text)."""
        day = self.client.clock().astimezone(self.zone).date()
        region = self.query_one("#field-region", Select).value
        return {
            "kind": self.query_one("#field-kind", Select).value,
            "claim": Claim(self.text("claim_kk"), self.text("claim_ru")),
            "region": None if region == NATIONAL else region,
            "station": self.typed("station", fields.station),
            "value": self.typed("value", fields.value),
            "as_of": self.typed("as_of", fields.instant, day, self.zone),
        }

    def save_call(self) -> Save:
        content = self.content()
        client = self.client
        if self.fact is None:
            draft, group_id = Draft(**content), self.group_id
            return lambda: client.create(draft, group_id)
        changes = {name: value for name, value in content.items() if value != getattr(self.fact, name)}
        fact_id, version, why = self.fact.id, self.version, self.text("why")
        return lambda: client.change(fact_id, version, rules.Edit(changes, why))


def _edit_intro(fact: Fact) -> str:
    lines = [t("desk.form.editing", id=fact_label(fact.id), status=t(f"desk.status.{fact.status.value}"))]
    if fact.status is Status.VERIFIED:
        lines.append(t("desk.form.edit_verified"))
    elif fact.status in (Status.FALSE, Status.UNPROVEN, Status.RETRACTED):
        lines.append(t("desk.form.edit_decided"))
    return "\n".join(lines)
