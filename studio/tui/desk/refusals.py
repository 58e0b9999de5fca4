"""A refused desk action in the interface language. Every refusal is a
``StudioError`` and says itself (``said``); a fact someone else changed
meanwhile (``ConflictError``) is told in the station's local time, and
reports that do not exist (``MissingReports``) by their ids. One wording for
the desk screen's notices and the dialogs' lines."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from studio.desk.ids import fact_label, report_label
from studio.errors import StudioError
from studio.i18n import catalogue, t
from studio.store.desk import ConflictError
from studio.tui.desk.client import MissingReports


def said(error: StudioError) -> str:
    """The refusal as ``studio fact`` says it (a rule: the desk's wording), in the interface language."""
    return error.render(catalogue.language)


def conflict_text(error: ConflictError, zone: ZoneInfo) -> str:
    at = error.at.astimezone(zone).strftime("%H:%M:%S") if error.at else "?"
    return t("desk.conflict.body", id=fact_label(error.fact_id), who=error.who, at=at, version=error.current)


def missing_text(error: MissingReports) -> str:
    return t("desk.form.no_reports", ids=", ".join(report_label(i) for i in error.ids))
