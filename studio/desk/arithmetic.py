"""Official figures checked against each other, where they allow it.

- The final result: yes + no + invalid (+ not counted) = took part; took part ≤
  registered; turnout = took part / registered, yes and no = of took part, each
  at the precision it was published with.
- A turnout row that gives voters and registered: its percent = voters /
  registered at the published precision (a bound: on the side it says).

"At the published precision": 73.12 agrees with 100 × 9127192 / 12482613 =
73.1196… because that rounds to 73.12 (half a unit of the last digit either
way); 73.21 does not. A figure that fails is not refused: it is imported
flagged, the arithmetic written out (``check`` in the fact's detail, the
import's warning), because the desk decides what is wrong and a typo in one
outlet's reprint must not hide the release. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import islice, product
from typing import Mapping, Sequence

from studio.desk.model import Fact
from studio.desk.official_mapping import Measure
from studio.desk.published import Bound, bound_of
from studio.i18n import Msg

CHECK = "check"
"""The detail key of a failed check: the arithmetic, written out."""
MOST_READINGS = 1000
"""How many ways of reading a file's disagreeing results lines are tried (each adds up or not)."""


@dataclass(frozen=True, slots=True)
class Failed:
    """A check that does not add up: the figures it involves (the checked one first) and its arithmetic."""

    measures: tuple[Measure, ...]
    shown: str


def percent_failure(name: str, published: Decimal, part: tuple[str, int], whole: tuple[str, int]) -> str | None:
    """None when ``published`` is 100 × part / whole at its own precision; else the arithmetic, written out."""
    (part_name, part_count), (whole_name, whole_count) = part, whole
    if whole_count <= 0:
        return f"{name} = 100 × {part_name} / {whole_name}: {whole_name} = {whole_count}"
    exact = Decimal(100 * part_count) / Decimal(whole_count)
    places = max(0, -int(published.as_tuple().exponent))
    if abs(exact - published) <= Decimal(5).scaleb(-places - 1):
        return None
    shown = exact.quantize(Decimal(1).scaleb(-places - 2))
    return (f"{name} = 100 × {part_name} / {whole_name} = 100 × {part_count} / {whole_count} = {shown} "
            f"≠ {published}")


def turnout_failure(published: Decimal | Bound, voters: int | None, registered: int | None) -> str | None:
    """A turnout row's percent (or bound) against its voters and registered, when it gives both."""
    if voters is None or registered is None:
        return None
    if isinstance(published, Decimal):
        return percent_failure("turnout_percent", published, ("voters", voters), ("registered", registered))
    if registered <= 0:
        return f"turnout_percent = 100 × voters / registered: registered = {registered}"
    exact = Decimal(100 * voters) / Decimal(registered)
    sign, holds = (">", exact > published.percent) if published.side == "above" else ("<", exact < published.percent)
    if holds:
        return None
    shown = exact.quantize(Decimal("0.0001"))
    return (f"turnout_percent {sign} {published.percent}: 100 × voters / registered = 100 × {voters} / {registered} "
            f"= {shown}")


def results_failures(figures: Mapping[Measure, Decimal]) -> list[Failed]:
    """Every check of one reading of the final result that does not add up."""
    failed: list[Failed] = []
    took, registered = figures.get(Measure.TOOK_PART), figures.get(Measure.REGISTERED)
    parts = [m for m in (Measure.YES, Measure.NO, Measure.INVALID, Measure.NOT_COUNTED) if m in figures]
    if took is not None and {Measure.YES, Measure.NO, Measure.INVALID} <= set(parts):
        total = sum((figures[m] for m in parts), Decimal(0))
        if total != took:
            names, counts = " + ".join(parts), " + ".join(str(figures[m]) for m in parts)
            failed.append(Failed((Measure.TOOK_PART, *parts), f"{names} = {counts} = {total} ≠ took_part {took}"))
    if took is not None and registered is not None and took > registered:
        failed.append(Failed((Measure.TOOK_PART, Measure.REGISTERED), f"took_part {took} > registered {registered}"))
    for name, part, whole in (
        (Measure.TURNOUT_PERCENT, Measure.TOOK_PART, Measure.REGISTERED),
        (Measure.YES_PERCENT, Measure.YES, Measure.TOOK_PART),
        (Measure.NO_PERCENT, Measure.NO, Measure.TOOK_PART),
    ):
        if name in figures and part in figures and whole in figures:
            shown = percent_failure(
                name, figures[name], (part, int(figures[part])), (whole, int(figures[whole]))
            )
            if shown:
                failed.append(Failed((name, part, whole), shown))
    return failed


def flagged_lines(candidates: Mapping[Measure, Sequence[Decimal]]) -> dict[tuple[Measure, Decimal], list[Failed]]:
    """Each results figure that no reading of the file makes add up, with the checks it fails.

    A file may give one line twice with different figures (two outlets): every
    way of reading it is tried, and a figure is flagged only when none of the
    readings that include it passes its checks, so the figure that adds up is
    not blamed for the one that does not.
    """
    passed: set[tuple[Measure, Decimal]] = set()
    failures: dict[tuple[Measure, Decimal], list[Failed]] = {}
    measures = list(candidates)
    for values in islice(product(*(candidates[m] for m in measures)), MOST_READINGS):
        reading = dict(zip(measures, values))
        failed = results_failures(reading)
        for measure, value in reading.items():
            mine = [f for f in failed if measure in f.measures]
            if mine:
                failures.setdefault((measure, value), mine)
            else:
                passed.add((measure, value))
    return {line: failed for line, failed in failures.items() if line not in passed}


def notes(fact: Fact) -> list[Msg]:
    """What the desk must see beside a fact's figure: a bound is not a figure, and a check that failed."""
    found = []
    bound = bound_of(fact.details)
    if bound is not None:
        found.append(Msg(f"desk.fact.bound.{bound.side}", percent=str(bound.percent)))
    if CHECK in fact.details:
        found.append(Msg("desk.fact.check", check=fact.details[CHECK]))
    return found
