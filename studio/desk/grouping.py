"""Grouping reports so the desk works one item, not fifty copies.

Two reports belong to one group when they are about the same region, polling
station and kind, arrive within ``window`` of the group's span, and their
texts are similar (``text.similar``: Jaccard of folded word stems, and never
when they give different figures). Reports are bucketed by (region, station,
kind) first, and each bucket is swept in time order against the groups still
open in it, so the cost grows with the number of reports, not its square.

A group is named by its lead: the first report that formed it. Groups are
only ever extended, never merged or split: a report imported later joins the
best-matching group already in the store, or starts a new one. The store
keeps one summary row per group (table report_group): the desk's queue.

Grouping is a convenience for the desk, never evidence: a fact counts the
reports linked to it one by one, by observer (rules.evidence).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from studio.desk.text import Signature, signature, similar

Bucket = tuple[str, int | None, str]  # region, station, kind
Item = tuple[int, Bucket, float, str]
"""A report as grouping sees it: (id, bucket, received at in Unix seconds, text)."""


@dataclass(frozen=True, slots=True)
class GroupingOptions:
    window: timedelta = timedelta(minutes=30)
    """How far from a group's first or last report a new one may arrive."""
    threshold: float = 0.5
    """Least Jaccard similarity of the word stems (0..1)."""
    stem: int = 5
    """Letters of each word that are compared."""


def item(report_id: int, region: str, station: int | None, kind: str, at: datetime, text: str) -> Item:
    return (report_id, (region, station, kind), at.timestamp(), text)


class _Group:
    __slots__ = ("lead", "words", "numbers", "first", "last")

    def __init__(self, lead: int, mark: Signature, first: float, last: float) -> None:
        self.lead, self.words, self.numbers, self.first, self.last = lead, mark.words, mark.numbers, first, last


def _order(entry: Item) -> tuple:
    region, station, kind = entry[1]
    return (region, station or 0, kind, entry[2], entry[0])


class Grouper:
    """Assigns reports to groups; seed it with the store's nearby reports first."""

    def __init__(self, options: GroupingOptions = GroupingOptions()) -> None:
        self.options = options
        self._open: dict[Bucket, list[_Group]] = {}
        self._signatures: dict[str, Signature] = {}  # copies share one signature

    def _signature(self, text: str) -> Signature:
        found = self._signatures.get(text)
        if found is None:
            found = self._signatures[text] = signature(text, self.options.stem)
        return found

    def seed(self, existing: Iterable[tuple[Item, int]]) -> None:
        """Groups already stored: (report, its group id). A group's text is its
        lead report's if given, else its earliest given report's."""
        groups: dict[int, _Group] = {}
        buckets: dict[int, Bucket] = {}
        for (report_id, bucket, at, text), group_id in sorted(existing, key=lambda pair: (pair[0][2], pair[0][0])):
            group = groups.get(group_id)
            if group is None:
                groups[group_id] = _Group(group_id, self._signature(text), at, at)
                buckets[group_id] = bucket
                continue
            if report_id == group_id:
                mark = self._signature(text)
                group.words, group.numbers = mark.words, mark.numbers
            group.first, group.last = min(group.first, at), max(group.last, at)
        for group_id, group in groups.items():
            self._open.setdefault(buckets[group_id], []).append(group)

    def assign(self, items: Iterable[Item], *, presorted: bool = False) -> dict[int, int]:
        """The group id of every item: an existing group's, or the item's own id
        when it starts a group. ``presorted``: the items are already in
        (region, station, kind, time) order."""
        window, threshold = self.options.window.total_seconds(), self.options.threshold
        signature_of, known, open_groups = self._signature, self._signatures, self._open
        found: dict[int, int] = {}
        bucket_now: Bucket | None = None
        groups: list[_Group] = []
        # Each bucket is swept forward in time, so a group that ended a window
        # ago is done; the list of open groups stays short.
        for report_id, bucket, at, text in items if presorted else sorted(items, key=_order):
            if bucket != bucket_now:
                bucket_now, groups = bucket, open_groups.setdefault(bucket, [])
            elif groups and (len(groups) > 32 or groups[0].last + window < at):
                groups[:] = [g for g in groups if g.last + window >= at]
            mark = known.get(text) or signature_of(text)
            words, numbers = mark.words, mark.numbers
            best: _Group | None = None
            best_score = 0.0
            for group in groups:
                if group.first - window <= at <= group.last + window:
                    score = similar(words, numbers, group.words, group.numbers, threshold)
                    if score > best_score:
                        best, best_score = group, score
            if best is None:
                groups.append(_Group(report_id, mark, at, at))
                found[report_id] = report_id
            else:
                if at < best.first:
                    best.first = at
                elif at > best.last:
                    best.last = at
                found[report_id] = best.lead
        return found


def group(items: Iterable[Item], options: GroupingOptions = GroupingOptions()) -> dict[int, int]:
    """Group ``items`` on their own (no stored groups)."""
    return Grouper(options).assign(items)
