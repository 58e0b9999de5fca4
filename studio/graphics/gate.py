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
  (what is true) in both languages and at least one source;
- a **turnout** field (turnout board) takes the official figures for an
  hour; only ``"verified"`` ones are drawn, the national figure must be one
  of them, and two verified figures for one region is a conflict to settle
  at the desk, not to pick from.

Every other status, ``"retracted"`` above all, is refused with a message
naming the fact and its status. Statuses are compared exactly: "Verified"
or "verified " is not verified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from typing import Iterable, Protocol, Sequence, runtime_checkable

from studio.graphics.errors import FactRefused

REQUIRED_STATUS = {"fact": "verified", "debunk": "false", "turnout": "verified"}

_STATUS_HINTS = {
    "retracted": "the desk retracted it; it must not be shown (take any graphic with it off air)",
    "new": "it is still being checked; verify it at the desk first",
    "in_review": "it is still being checked; verify it at the desk first",
    "pending": "it is still being checked; verify it at the desk first",
    "unproven": "the desk could not prove it; it cannot be stated on air",
    "disputed": "sources disagree; settle it at the desk first",
}


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
            if view.value is not None and view.region is not None and view.as_of is not None
            and _local_hour(view.as_of) == hour
        ]


def _local_hour(instant: datetime) -> time:
    from zoneinfo import ZoneInfo

    local = instant.astimezone(ZoneInfo("Asia/Almaty"))
    return time(local.hour, local.minute)


def _refuse_status(template: str, view: FactView, wanted: str, what: str) -> FactRefused:
    hint = _STATUS_HINTS.get(view.status, f"only {wanted} facts go on a {what}")
    if wanted == "verified" and view.status == "false":
        hint = "the desk found this claim false: show it with the debunk card, not as a fact"
    elif wanted == "false" and view.status == "verified":
        hint = "the desk verified this claim as true: show it with the fact card, not as a debunk"
    return FactRefused(template, view.id, f"fact '{view.id}' is {view.status!r}, not {wanted!r}: refused", hint)


def admit(template: str, kind: str, fact_id: str, source: FactSource | None) -> FactView:
    """The fact ``fact_id`` if it may go on a ``kind`` ("fact" or "debunk") graphic; else FactRefused."""
    wanted = REQUIRED_STATUS[kind]
    what = "debunk card" if kind == "debunk" else "fact graphic"
    if source is None:
        raise FactRefused(template, fact_id, "this template states facts and no verification store was given",
                          "render it through the show (or `studio render --fact ID`) with the desk's store")
    view = source.fact(fact_id)
    if view is None:
        raise FactRefused(template, fact_id, f"no fact '{fact_id}' in the verification store",
                          "check the id at the desk; facts are named by id, never typed as text")
    if view.id != fact_id:
        raise FactRefused(template, fact_id, f"asked for fact '{fact_id}', the store returned '{view.id}'",
                          "the store's adapter is wrong; report it")
    if view.status != wanted:
        raise _refuse_status(template, view, wanted, what)
    missing = [name for name in ("claim_kk", "claim_ru") if not getattr(view, name).strip()]
    if kind == "debunk":
        missing += [name for name in ("correction_kk", "correction_ru") if not getattr(view, name).strip()]
    if not view.sources:
        missing.append("sources")
    if view.as_of is None:
        missing.append("as_of")
    if missing:
        raise FactRefused(template, fact_id, f"fact '{fact_id}' lacks {', '.join(missing)}",
                          "complete it at the desk: both languages, a source and a time")
    return view


@dataclass(frozen=True, slots=True)
class TurnoutBoard:
    hour: time
    national: FactView
    rows: tuple[FactView, ...]  # regions, highest turnout first
    withheld: tuple[FactView, ...]  # figures for the hour that are not verified: not drawn


def percent(view: FactView) -> Decimal | None:
    try:
        number = Decimal(str(view.value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and 0 <= number <= 100 else None


def turnout_board(template: str, hour: time, source: FactSource | None, known_regions: Iterable[str]) -> TurnoutBoard:
    """The verified official turnout of ``hour``, checked and sorted; else FactRefused."""
    label = f"turnout at {hour:%H:%M}"
    if source is None:
        raise FactRefused(template, label, "the turnout board states facts and no verification store was given",
                          "render it through the show with the desk's store")
    order = {region: position for position, region in enumerate(known_regions)}
    verified: dict[str, FactView] = {}
    withheld: list[FactView] = []
    for view in source.turnout(hour):
        if view.status != REQUIRED_STATUS["turnout"]:
            withheld.append(view)
            continue
        if view.region != "national" and view.region not in order:
            raise FactRefused(template, view.id, f"fact '{view.id}' names unknown region {view.region!r}",
                              "fix the region id at the desk (see studio/regions.toml)")
        if percent(view) is None:
            raise FactRefused(template, view.id, f"fact '{view.id}' has value {view.value!r}, not a percentage",
                              "turnout is a number from 0 to 100, e.g. 19.21")
        if not view.sources:
            raise FactRefused(template, view.id, f"fact '{view.id}' has no source", "add the source at the desk")
        if view.region in verified:
            other = verified[view.region]
            raise FactRefused(
                template, view.id,
                f"two verified {label} figures for {view.region}: '{other.id}' ({other.value}) "
                f"and '{view.id}' ({view.value})",
                "settle which one is official at the desk; the board never picks",
            )
        verified[view.region] = view  # type: ignore[index]
    national = verified.pop("national", None)
    if national is None:
        status = next((v.status for v in withheld if v.region == "national"), None)
        why = f"is {status!r}" if status else "is not in the store"
        raise FactRefused(template, label, f"the national figure for {hour:%H:%M} {why}: the board is refused",
                          "verify the national figure at the desk first")
    rows = sorted(verified.values(), key=lambda v: (-percent(v), order[v.region]))  # type: ignore[operator,index]
    return TurnoutBoard(hour, national, tuple(rows), tuple(withheld))
