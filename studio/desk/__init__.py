"""The verification desk: reports in, checked facts out.

Pure: no network, no UI. ``model`` holds the data and ``FactReader`` (what
graphics read), ``rules`` the one place that decides how a fact may change,
``grouping`` and ``text`` gather copies of one report. Imported on their
own, since they read files and write the store: ``importer`` (``studio
import``, with ``mapping``, ``rows``, ``outcome``), ``turnout`` (``studio
import-turnout``) and ``views`` (the store as studio.graphics' FactSource).
The tables are studio/store/desk.py and studio/store/intake.py.
"""

from studio.desk.model import (
    CONTENT_FIELDS,
    AuditEntry,
    Claim,
    Draft,
    Fact,
    FactReader,
    Report,
    ReportKind,
    ReportRef,
    Source,
    SourceKind,
    Status,
)
from studio.desk.rules import RuleError

__all__ = [
    "CONTENT_FIELDS",
    "AuditEntry",
    "Claim",
    "Draft",
    "Fact",
    "FactReader",
    "Report",
    "ReportKind",
    "ReportRef",
    "RuleError",
    "Source",
    "SourceKind",
    "Status",
]
