"""The gate: graphics that state facts take them from the desk by id, verified.

The renderer never reads the desk's tables. It asks a :class:`FactSource`
(two methods) for a :class:`FactView` (a small frozen copy of what the desk
decided), and this module decides whether that view may reach air. The
lead adapts the desk's store to ``FactSource``; tests use
:class:`MemoryFacts`.

The rule, in code and not in template files (an edited template must not
be able to loosen it):

- a **fact** field (fact card) needs status ``"verified"``;
- a **debunk** field (debunk card) needs status ``"false"``: the desk's
  settled verdict that the circulating claim is false, with a correction
  (what is true) in both languages and at least one source; or
  ``"retracted"``: a fact the centre stood by and withdrew, whose correction
  goes on air instead;
- a **turnout** field (turnout board) takes the official figures for an
  hour; only ``"verified"`` ones are drawn, the national figure must be one
  of them, and two verified figures for one region is a conflict to settle
  at the desk, not to pick from. A region whose figure is not verified yet
  (new, in review, held in a conflict...) is drawn as "being checked", never
  with its number; the board's footer names the regions held in a conflict
  and those with no figure at all, so no region is a silent gap. A verified
  turnout fact without a figure (a bound such as «более 40%»,
  studio/desk/published.py) is not a figure: it is withheld and never drawn,
  and a country without its exact figure refuses the board.

The results board's rule (verified lines that add up) is in studio/graphics/results.py.

Every other status, ``"retracted"`` above all on a fact card, is refused with a message
naming the fact and its status. Statuses are compared exactly: "Verified"
or "verified " is not verified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from typing import Iterable, Protocol, Sequence, runtime_checkable

from studio.graphics.errors import FactRefused
from studio.i18n import Msg

REQUIRED_STATUS = {"fact": "verified", "debunk": "false", "turnout": "verified"}
ALSO_ADMITTED = {"debunk": ("retracted",)}
"""Statuses a field takes besides the one its refusals name: a retraction airs its correction on a debunk card."""

_STATUS_HINTS = {  # catalogue diag.gate.hint.<value>
    "retracted": "retracted",
    "new": "checking",
    "in_review": "checking",
    "pending": "checking",
    "unproven": "unproven",
    "conflict": "conflict",
}
_STATUSES = {"new", "in_review", "pending", "verified", "false", "unproven", "conflict", "retracted"}
"""Statuses said in the reader's words (catalogue diag.gate.status.<status>); any other as it is, quoted."""


def status_said(status: str) -> str:
    """A fact's status as a refusal quotes it: ``'retracted'`` in English, in the reader's words elsewhere."""
    return Msg(f"diag.gate.status.{status}") if status in _STATUSES else repr(status)


@dataclass(frozen=True, slots=True)
class Credit:
    """One source as the on-air source line names it."""

    outlet: str  # the site or name viewers read ("nur.kz"); "" for the commission's own publication
    commission: bool = False  # the commission's word: its own publication, or an outlet quoting it
    observers: int = 0  # the centre's own observers whose reports back the fact (outlet "")


@dataclass(frozen=True, slots=True)
class FactView:
    """What a graphic may know about one fact; the desk's store maps to this."""

    id: str
    status: str  # "verified", "false", "unproven", "pending", "retracted", ...
    claim_kk: str = ""
    claim_ru: str = ""
    value: str | None = None  # a figure exactly as published, e.g. "19.21" (turnout, percent)
    region: str | None = None  # a region id of studio/regions.toml, or "national"
    sources: tuple[str, ...] = ()  # URLs or names of the sources
    verifier: str = ""
    as_of: datetime | None = None  # aware instant the fact holds at (a release time, a check time)
    correction_kk: str = ""  # for a false claim: what is true
    correction_ru: str = ""
    version: int = 0  # the desk's version of the fact: an on-air graphic is pulled when it changes
    conflict: str = ""  # status "conflict": the figures that disagree, e.g. "C1: F1 20.68 nur.kz · F2 20.86 tengri.kz"
    credits: tuple[Credit, ...] = ()  # the sources as the source line names them; empty: from ``sources``
    line: str = ""  # a line of the official result ("yes", "took_part"...: studio/desk/official_mapping.Measure)


@runtime_checkable
class FactSource(Protocol):
    """The read side of the verification desk, as the graphics need it."""

    def fact(self, fact_id: str) -> FactView | None:
        """The fact with this id in its current status, or None if there is none."""
        ...

    def turnout(self, hour: time) -> Sequence[FactView]:
        """Every official turnout figure for this local hour of the show day, in any status."""
        ...


@dataclass
class MemoryFacts:
    """A FactSource held in memory: for tests, demos and the benchmark."""

    facts: dict[str, FactView] = field(default_factory=dict)

    def add(self, *views: FactView) -> MemoryFacts:
        for view in views:
            self.facts[view.id] = view
        return self

    def fact(self, fact_id: str) -> FactView | None:
        return self.facts.get(fact_id)

    def turnout(self, hour: time) -> Sequence[FactView]:
        return [
            view for view in self.facts.values()
            if view.value is not None and view.region is not None and view.as_of is not None and not view.line
            and _local_hour(view.as_of) == hour
        ]

    def results(self) -> Sequence[FactView]:
        return [view for view in self.facts.values() if view.line]


def _local_hour(instant: datetime) -> time:
    from zoneinfo import ZoneInfo

    local = instant.astimezone(ZoneInfo("Asia/Almaty"))
    return time(local.hour, local.minute)


def _refuse_status(template: str, view: FactView, wanted: str, what: str) -> FactRefused:
    named = _STATUS_HINTS.get(view.status)
    if named:
        hint = Msg(f"diag.gate.hint.{named}")
    else:
        hint = Msg("diag.gate.hint.only", wanted=Msg(f"diag.gate.wanted.{wanted}"), what=what)
    if view.status == "conflict" and view.conflict:
        hint = Msg("diag.gate.hint.conflict_with", conflict=view.conflict)
    if wanted == "verified" and view.status == "false":
        hint = Msg("diag.gate.hint.false_as_fact")
    elif wanted == "false" and view.status == "verified":
        hint = Msg("diag.gate.hint.true_as_debunk")
    message = Msg("diag.gate.refused_status", fact=view.id, status=status_said(view.status), wanted=status_said(wanted))
    return FactRefused(template, view.id, message, hint)


def admit(template: str, kind: str, fact_id: str, source: FactSource | None) -> FactView:
    """The fact ``fact_id`` if it may go on a ``kind`` ("fact" or "debunk") graphic; else FactRefused."""
    wanted = REQUIRED_STATUS[kind]
    what = Msg("diag.gate.debunk_card" if kind == "debunk" else "diag.gate.fact_graphic")
    if source is None:
        raise FactRefused(template, fact_id, Msg("diag.gate.no_store"), Msg("diag.gate.hint.no_store"))
    view = source.fact(fact_id)
    if view is None:
        raise FactRefused(template, fact_id, Msg("diag.gate.no_fact", fact=fact_id), Msg("diag.gate.hint.no_fact"))
    if view.id != fact_id:
        raise FactRefused(template, fact_id, Msg("diag.gate.other_fact", fact=fact_id, returned=view.id),
                          Msg("diag.gate.hint.adapter"))
    if view.status != wanted and view.status not in ALSO_ADMITTED.get(kind, ()):
        raise _refuse_status(template, view, wanted, what)
    missing = [name for name in ("claim_kk", "claim_ru") if not getattr(view, name).strip()]
    if kind == "debunk":
        missing += [name for name in ("correction_kk", "correction_ru") if not getattr(view, name).strip()]
    if not view.sources:
        missing.append("sources")
    if view.as_of is None:
        missing.append("as_of")
    if missing:
        raise FactRefused(template, fact_id, Msg("diag.gate.lacks", fact=fact_id, missing=", ".join(missing)),
                          Msg("diag.gate.hint.lacks"))
    return view


@dataclass(frozen=True, slots=True)
class TurnoutBoard:
    hour: time
    national: FactView
    rows: tuple[FactView, ...]  # regions, highest turnout first
    withheld: tuple[FactView, ...]  # figures for the hour that are not verified: their values are never drawn
    checking: tuple[str, ...] = ()  # regions with a figure but none verified: drawn as "being checked", in order
    held: tuple[str, ...] = ()  # of those, the regions whose figure is held in a conflict, in order
    missing: tuple[str, ...] = ()  # regions with no figure at all for the hour, in order


def percent_text(value: str) -> str:
    """A published figure as printed on air: decimal comma, as published ("19.21" -> "19,21%")."""
    return f"{value.strip().replace('.', ',')}%"


def percent(view: FactView) -> Decimal | None:
    try:
        number = Decimal(str(view.value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and 0 <= number <= 100 else None


def turnout_board(template: str, hour: time, source: FactSource | None, known_regions: Iterable[str]) -> TurnoutBoard:
    """The verified official turnout of ``hour``, checked and sorted; else FactRefused."""
    label = Msg("diag.gate.turnout_at", hour=f"{hour:%H:%M}")
    if source is None:
        raise FactRefused(template, label, Msg("diag.gate.no_store_board"), Msg("diag.gate.hint.no_store_board"))
    order = {region: position for position, region in enumerate(known_regions)}
    verified: dict[str, FactView] = {}
    withheld: list[FactView] = []
    for view in source.turnout(hour):
        if view.status != REQUIRED_STATUS["turnout"] or view.value is None:  # unverified, or a bound: no figure
            withheld.append(view)
            continue
        if view.region != "national" and view.region not in order:
            unknown = Msg("diag.gate.unknown_region", fact=view.id, region=repr(view.region))
            raise FactRefused(template, view.id, unknown, Msg("diag.gate.hint.unknown_region"))
        if percent(view) is None:
            raise FactRefused(template, view.id, Msg("diag.gate.not_percent", fact=view.id, value=repr(view.value)),
                              Msg("diag.gate.hint.not_percent"))
        if not view.sources:
            raise FactRefused(template, view.id, Msg("diag.gate.no_source", fact=view.id),
                              Msg("diag.gate.hint.no_source"))
        if view.region in verified:
            other = verified[view.region]
            raise FactRefused(
                template, view.id,
                Msg("diag.gate.two_figures", hour=f"{hour:%H:%M}", region=view.region, first=other.id,
                    first_value=other.value, second=view.id, second_value=view.value),
                Msg("diag.gate.hint.two_figures"),
            )
        verified[view.region] = view  # type: ignore[index]
    national = verified.pop("national", None)
    if national is None:
        status = next((v.status for v in withheld if v.region == "national"), None)
        if status == REQUIRED_STATUS["turnout"]:
            raise FactRefused(template, label, Msg("diag.gate.national_no_figure", hour=f"{hour:%H:%M}"),
                              Msg("diag.gate.hint.national_no_figure"))
        message = (Msg("diag.gate.national_status", hour=f"{hour:%H:%M}", status=status_said(status)) if status
                   else Msg("diag.gate.national_missing", hour=f"{hour:%H:%M}"))
        raise FactRefused(template, label, message, Msg("diag.gate.hint.national"))
    rows = sorted(verified.values(), key=lambda v: (-percent(v), order[v.region]))  # type: ignore[operator,index]
    # "Being checked" is for figures not verified yet; a verified bound is no figure and is not being checked.
    checking = sorted({v.region for v in withheld
                       if v.region in order and v.region not in verified and v.status != REQUIRED_STATUS["turnout"]},
                      key=order.__getitem__)  # type: ignore[arg-type]
    held = {v.region for v in withheld if v.status == "conflict"}
    missing = [region for region in order if region not in verified and region not in checking]
    return TurnoutBoard(hour, national, tuple(rows), tuple(withheld), tuple(checking),
                        tuple(r for r in checking if r in held), tuple(missing))
