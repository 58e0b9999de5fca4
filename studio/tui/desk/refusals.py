"""A refused desk action in the interface language: the rules' ``RuleError``,
a fact someone else changed meanwhile (``ConflictError``), reports that do
not exist, the store's own ``DeskError``. One wording for the desk screen's
notices and the dialogs' lines."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from studio.desk.ids import fact_label, report_label
from studio.desk.rules import RuleError, rule_message
from studio.i18n import catalogue, render, t
from studio.store.desk import ConflictError, DeskError
from studio.tui.desk.client import MissingReports


def rule_text(error: RuleError) -> str:
    """The rule's refusal as ``studio fact`` says it, in the interface language."""
    return rule_message(error).render(catalogue.language)


def conflict_text(error: ConflictError, zone: ZoneInfo) -> str:
    at = error.at.astimezone(zone).strftime("%H:%M:%S") if error.at else "?"
    return t("desk.conflict.body", id=fact_label(error.fact_id), who=error.who, at=at, version=error.current)


def missing_text(error: MissingReports) -> str:
    return t("desk.form.no_reports", ids=", ".join(report_label(i) for i in error.ids))


def desk_error_text(error: DeskError) -> str:
    """The store's refusal (a Msg where the store gives one) in the interface language."""
    return render(error.args[0], catalogue.language) if error.args else str(error)
