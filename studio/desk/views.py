"""The desk as the graphics see it: ``GraphicsFacts`` adapts the desk's store
to ``studio.graphics.gate.FactSource``.

The gate decides what may reach air; this only translates. Fact ids become
strings ("42"), the country is region "national", ``as_of`` is the instant a
figure is about or else the moment of the verdict, sources are their
references (URLs) and credits (how the source line names them: the
commission for its own publication, "via" an outlet for a reprint quoting
it), the verifier is who gave the verdict. A figure held in an open conflict
(studio/store/conflicts.py) is given as status ``conflict``, whatever its
own: conflicting figures never reach air.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Sequence
from zoneinfo import ZoneInfo

from studio.desk import rules
from studio.desk.ids import FactIdError, conflict_label, fact_label, parse_fact_id, report_label
from studio.desk.model import Fact, FigureConflict, ReportKind, Source, SourceKind, Status
from studio.desk.results import RESULT
from studio.desk.sources import host_of
from studio.graphics.gate import Credit, FactView
from studio.graphics.resolve import source_label
from studio.store.desk import DeskStore


def credit(source: Source) -> Credit:
    """How the on-air source line names ``source``."""
    if source.kind is SourceKind.OFFICIAL:
        return Credit("", commission=True)
    return Credit(source_label(source.reference) if host_of(source.reference) else source.origin,
                  commission=source.quotes_commission)


def view(fact: Fact, held: FigureConflict | bool | None = None) -> FactView:
    """The fact as graphics see it; ``held``: the open conflict it is in (or just whether it is in one),
    so its status is ``conflict`` and a refusal can name the figures that disagree."""
    return FactView(
        id=str(fact.id),
        status=rules.listed_status(fact, bool(held)),
        conflict=disagreement(held) if isinstance(held, FigureConflict) else "",
        claim_kk=fact.claim.kk,
        claim_ru=fact.claim.ru,
        value=None if fact.value is None else str(fact.value),
        region=fact.region or "national",
        sources=tuple(source.reference for source in fact.sources) + tuple(report_label(r.id) for r in fact.reports),
        verifier=fact.verified_by or "",
        as_of=fact.as_of or fact.verified_at or fact.updated_at,
        correction_kk=fact.correction.kk,
        correction_ru=fact.correction.ru,
        version=fact.version,
        credits=tuple(credit(source) for source in fact.sources) + observers(fact),
        line=str(fact.details.get(RESULT, "")),
    )


def disagreement(conflict: FigureConflict) -> str:
    """The figures of a conflict as a refusal names them: «C1: F1 20.68 nur.kz · F2 20.86 tengrinews.kz»."""
    figures = " · ".join(
        " ".join((fact_label(f.fact_id), str(f.value), *dict.fromkeys(s.origin for s in f.sources)))
        for f in conflict.figures
    )
    return f"{conflict_label(conflict.id)}: {figures}"


def observers(fact: Fact) -> tuple[Credit, ...]:
    """The observers whose reports back ``fact``, counted once each, as a source line credits them."""
    count = len({report.observer for report in fact.reports})
    return (Credit("", observers=count),) if count else ()


class GraphicsFacts:
    """A FactSource over the desk's store for the show of ``day``."""

    def __init__(self, desk: DeskStore, day: date, zone: ZoneInfo = ZoneInfo("Asia/Almaty")) -> None:
        self.desk, self.day, self.zone = desk, day, zone

    def fact(self, fact_id: str) -> FactView | None:
        """The fact with this id ("F42" or "42") in its current status, or None. The view carries
        the id as it was asked for, so the gate sees the fact it named."""
        try:
            found = self.desk.get(parse_fact_id(fact_id))
        except FactIdError:
            return None
        if found is None:
            return None
        return replace(view(found, self.desk.conflict_holding(found.id)), id=str(fact_id).strip())

    def turnout(self, hour: time) -> Sequence[FactView]:
        """Every turnout figure released at ``hour`` local time of the show day,
        in any status (``conflict`` when held). Verified copies of one figure (values
        that agree; the rules forbid others) are given once, the latest verdict."""
        instant = datetime.combine(self.day, hour, self.zone)
        facts, held = self.desk.turnout_held(instant)
        verified: dict[str | None, Fact] = {}
        others: list[Fact] = []
        for fact in facts:
            if rules.listed_status(fact, fact.id in held) != Status.VERIFIED:
                others.append(fact)
            elif fact.region not in verified or (fact.verified_at or fact.updated_at) >= (
                verified[fact.region].verified_at or verified[fact.region].updated_at
            ):
                verified[fact.region] = fact
        return [view(fact, fact.id in held) for fact in (*verified.values(), *others)]

    def results(self) -> Sequence[FactView]:
        """Every line of the official result the desk holds (studio import-results), in any status
        (``conflict`` when held): the results board checks them (studio/graphics/results.py)."""
        return [view(fact, self.desk.conflict_holding(fact.id))
                for fact in self.desk.facts(kind=ReportKind.OTHER) if fact.details.get(RESULT)]
