"""The desk screen's one door to the store: every call here blocks, so the
screen makes them in thread workers only.

One ``DeskClient`` owns one SQLite connection (a ``DeskStore``) and a lock:
the poll loop and action workers run on different threads, and one
connection must not interleave two transactions. Nothing here imports
Textual; the queue items and details are plain data the screen paints.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from studio.desk import rules
from studio.desk.held import Resolved, resolve
from studio.desk.model import (
    LISTED_CONFLICT,
    AuditEntry,
    Claim,
    Draft,
    Fact,
    FigureConflict,
    Outcome,
    Report,
    ReportKind,
    Source,
    SourceKind,
    Status,
)
from studio.desk.sources import classify
from studio.regions import NATIONAL  # the queue's region of a fact about the whole country (region None)
from studio.store import claims as claim_table
from studio.store.claims import DeskClaim
from studio.store.desk import DeskStore
from studio.store.held import HeldSpelling

Item = Literal["fact", "group", "conflict"]
"""What a queue row is: a fact, a group of reports not yet a fact, or a conflict between figures (never claimed:
settling it takes two people)."""

GROUP_STATUS = "reports"
"""The queue's status of a group of reports that no fact covers yet."""

STATUSES: tuple[str, ...] = (GROUP_STATUS, *(s.value for s in Status), LISTED_CONFLICT)
AGES: tuple[timedelta, ...] = (timedelta(minutes=15), timedelta(hours=1), timedelta(hours=3))


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One line of the queue: a fact, a group of reports not yet a fact, or an open conflict between figures."""

    item: Item
    item_id: int
    status: str  # a Status value, LISTED_CONFLICT (held in a conflict; a conflict itself), or GROUP_STATUS
    region: str  # a region id, or NATIONAL
    kind: ReportKind
    at: datetime  # last activity: the fact's last change, the group's last report
    claim: Claim  # a fact's claim; a group's lead text in both fields
    reports: int
    version: int = 0  # a fact's version; 0 for a group
    value: Decimal | None = None  # a fact's figure and the instant it is about
    as_of: datetime | None = None
    figures: tuple[Decimal, ...] = ()  # a conflict's figures, in the order they came in

    @property
    def key(self) -> tuple[str, int]:
        return (self.item, self.item_id)


@dataclass(frozen=True, slots=True)
class Filters:
    status: str | None = None
    region: str | None = None
    kind: ReportKind | None = None
    age: timedelta | None = None  # only items active within this long

    def keep(self, item: QueueItem, now: datetime) -> bool:
        return (
            (self.status is None or item.status == self.status)
            and (self.region is None or item.region == self.region)
            and (self.kind is None or item.kind is self.kind)
            and (self.age is None or now - item.at <= self.age)
        )

    @property
    def active(self) -> bool:
        return self != Filters()


@dataclass(frozen=True, slots=True)
class Queue:
    items: tuple[QueueItem, ...]
    claims: dict[tuple[str, int], DeskClaim] = field(default_factory=dict)
    at: datetime | None = None
    held: int = 0  # rows in the "needs a region" queue (h)


@dataclass(frozen=True, slots=True)
class Detail:
    """What the detail pane shows of the open item, read in one go."""

    item: Item
    item_id: int
    fact: Fact | None  # None for a group or a conflict
    reports: tuple[Report, ...]
    audit: tuple[AuditEntry, ...] = ()
    conflict: FigureConflict | None = None  # a conflict (with its figures as they are now and its log), or the
    # open conflict the fact is held in
    figures: tuple[Fact, ...] = ()
    log: tuple[dict[str, object], ...] = ()


class Taken(Exception):
    """Someone else has the item open (a live claim)."""

    def __init__(self, claim: DeskClaim) -> None:
        super().__init__(f"{claim.item} #{claim.item_id} is open at {claim.who}'s desk")
        self.claim = claim


class MissingReports(Exception):
    """Report ids that are not in the store (a typo in a link form)."""

    def __init__(self, ids: tuple[int, ...]) -> None:
        super().__init__(f"no report {', '.join(map(str, ids))}")
        self.ids = ids


def _conflict_item(conflict: FigureConflict, figures: tuple[Fact, ...]) -> QueueItem:
    """An open conflict as a queue row: its measure, its figures, the outlets behind them."""
    kind, region, _, as_of, _ = conflict.measure
    outlets = " ≠ ".join(", ".join(dict.fromkeys(s.origin for s in f.sources)) or "—" for f in conflict.figures)
    last = max((f.updated_at for f in figures), default=conflict.opened_at)
    return QueueItem(
        "conflict", conflict.id, LISTED_CONFLICT, region or NATIONAL, ReportKind(kind), max(last, conflict.opened_at),
        Claim(outlets, outlets), 0, as_of=as_of, figures=tuple(f.value for f in conflict.figures),
    )


def _official_page(fact: Fact) -> Source | None:
    """The commission's own publication behind ``fact``: attached, or quoted by an attached reprint."""
    for source in fact.sources:
        if source.kind is SourceKind.OFFICIAL:
            return source
    return next((s.quotes for s in fact.sources if s.quotes_commission), None)


def published(source: Source) -> bool:
    """Whether ``source`` is the commission's own publication, a page the rules of sources.toml place as
    official; not the label of a release as the press quoted it, which the importer keeps for the credit."""
    return source.kind is SourceKind.OFFICIAL and classify(source.reference) is SourceKind.OFFICIAL


class NotOfficial(Exception):
    """The page a reprint is said to quote is not an official body's (by studio/desk/sources.toml)."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"{reference} is not an official page")
        self.reference = reference


class DeskClient:
    def __init__(self, store: DeskStore, operator: str, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.operator = operator
        self.clock = clock
        self._lock = threading.Lock()

    def changed_elsewhere(self) -> bool:
        with self._lock:
            return self.store.changed_elsewhere()

    def queue(self) -> Queue:
        now = self.clock()
        with self._lock:
            facts = self.store.listing()
            groups = self.store.groups(open_only=True)
            taken = claim_table.claims(self.store, now=now)
            by_id = {listed.fact.id: listed.fact for listed in facts}
            conflicts = [(c, tuple(by_id[i] for i in c.fact_ids if i in by_id))
                         for c in self.store.conflicts(open_only=True)]
            held = self.store.held_count()
        items = [
            QueueItem(
                "fact", f.id, listed.status, f.region or NATIONAL, f.kind, f.updated_at, f.claim, len(f.reports),
                f.version, f.value, f.as_of,
            )
            for listed in facts
            for f in (listed.fact,)
        ] + [
            QueueItem(
                "group", g.group_id, GROUP_STATUS, g.region, g.kind, g.last_at, Claim(g.lead_text, g.lead_text),
                g.reports,
            )
            for g in groups
        ] + [_conflict_item(conflict, figures) for conflict, figures in conflicts]
        items.sort(key=lambda i: (i.at, i.item, i.item_id), reverse=True)
        return Queue(tuple(items), taken, now, held)

    def held(self) -> list[HeldSpelling]:
        """The "needs a region" queue: open held rows by spelling."""
        with self._lock:
            return self.store.held_spellings()

    def resolve(self, spelling_key: str, region: str) -> Resolved:
        """Name the unit of a held spelling as this operator, now (HeldRefused when it cannot be)."""
        with self._lock:
            return resolve(self.store, spelling_key, region, by=self.operator, at=self.clock())

    def detail(self, item: Item, item_id: int) -> Detail:
        with self._lock:
            if item == "conflict":
                conflict = self.store.conflict(item_id)
                if conflict is None:
                    return Detail(item, item_id, None, ())
                figures = tuple(f for i in conflict.fact_ids if (f := self.store.get(i)) is not None)
                return Detail(item, item_id, None, (), conflict=conflict, figures=figures,
                              log=tuple(self.store.conflict_log(item_id)))
            if item == "group":
                return Detail(item, item_id, None, tuple(self.store.group_reports(item_id)))
            fact = self.store.get(item_id)
            if fact is None:
                return Detail(item, item_id, None, ())
            reports = tuple(self.store.reports([r.id for r in fact.reports]))
            return Detail(item, item_id, fact, reports, tuple(self.store.audit(item_id)),
                          conflict=self.store.conflict_holding(item_id))

    def open(self, item: Item, item_id: int) -> Detail:
        """Claim the item and read it; Taken if someone else has it open. A conflict is read, never claimed:
        two people settle it, each at their own desk."""
        if item == "conflict":
            return self.detail(item, item_id)
        with self._lock:
            claimed = claim_table.claim(self.store, item, item_id, who=self.operator, at=self.clock())
            if claimed is None:
                live = claim_table.claims(self.store, now=self.clock())
                raise Taken(live[(item, item_id)])
        return self.detail(item, item_id)

    def keep_open(self, item: Item, item_id: int) -> None:
        """Refresh the claim of the open item (a stale one is taken back if still free)."""
        if item == "conflict":
            return
        with self._lock:
            claim_table.claim(self.store, item, item_id, who=self.operator, at=self.clock())

    def close(self) -> None:
        with self._lock:
            claim_table.release(self.store, who=self.operator)

    def change(self, fact_id: int, version: int, action: rules.Action) -> Fact:
        """DeskStore.change as this operator, now: RuleError or ConflictError on refusal."""
        with self._lock:
            return self.store.change(fact_id, version, action, by=self.operator, at=self.clock())

    def propose(self, conflict_id: int, outcome: Outcome, chosen: int | None, why: str) -> FigureConflict:
        """This operator proposes how the conflict is settled (rules.propose): RuleError on refusal."""
        with self._lock:
            return self.store.propose_settlement(conflict_id, outcome, chosen, why=why, by=self.operator,
                                                 at=self.clock())

    def confirm(self, conflict_id: int) -> FigureConflict:
        """This operator confirms another's proposal (rules.confirm, four eyes): RuleError on refusal."""
        with self._lock:
            return self.store.confirm_settlement(conflict_id, by=self.operator, at=self.clock())

    def create(self, draft: Draft, group_id: int | None = None) -> Fact:
        """A new fact from ``draft`` by this operator; from a group, its reports linked as evidence."""
        with self._lock:
            if group_id is None:
                return self.store.create_fact(draft, by=self.operator, at=self.clock())
            return self.store.create_from_group(draft, group_id, by=self.operator, at=self.clock())

    def add_source(
        self, fact: Fact, version: int, kind: SourceKind | None, reference: str, *, origin: str,
        published_at: datetime | None, quotes: str,
    ) -> Fact:
        """Store the source (``kind`` None: by the classification rules) and attach it to
        ``fact`` as read at ``version``; ``quotes``: the reference of the official page a
        reprint quotes, stored as a source of its own. One transaction."""
        with self._lock, self.store.write():
            quoted = self._quoted(quotes) if quotes else None
            source = self.store.add_source(
                kind, reference, by=self.operator, at=self.clock(), origin=origin, published_at=published_at,
                quotes=quoted.id if quoted else None,
            )
            return self.store.change(fact.id, version, rules.AttachSource(source), by=self.operator, at=self.clock())

    def _quoted(self, reference: str) -> Source:
        kind = classify(reference)
        if kind not in (SourceKind.OFFICIAL, SourceKind.AUTHORITY):
            raise NotOfficial(reference)
        return self.store.add_source(kind, reference, by=self.operator, at=self.clock())

    def split(self, group_id: int, report_ids: tuple[int, ...], why: str) -> int:
        """Move reports out of group ``group_id`` into a group of their own; its id."""
        with self._lock:
            return self.store.split(group_id, report_ids, by=self.operator, at=self.clock(), why=why)

    def release_of(self, fact: Fact) -> tuple[Source, tuple[Fact, ...]] | None:
        """The official release ``fact`` is a figure of: the commission's page it carries, or
        the one its reprint quotes, and every figure in review at the same instant that
        carries that page or a reprint quoting it. None when there is no such page or time."""
        page = _official_page(fact)
        if page is None or fact.as_of is None:
            return None
        with self._lock:
            candidates = self.store.facts(status=Status.IN_REVIEW, kind=fact.kind)
        figures = tuple(
            f for f in candidates if f.as_of == fact.as_of and (found := _official_page(f)) and found.id == page.id
        )
        return page, figures

    def verify_release(self, facts: tuple[Fact, ...], page: Source, why: str, page_url: str = "") -> list[Fact]:
        """Verify the release as read, in one transaction: the page attached to each figure
        that carries only a reprint of it (the operator compared them with the page), then
        every figure verified as one act (rules.ReleaseRefused names what blocks).

        When the release is known only as the press quoted it (``page`` is not a ``published``
        page), the operator gives the commission's own page, ``page_url``: a reprint alone never
        verifies a figure (the station's policy), so NotOfficial refuses any other address."""
        with self._lock, self.store.write():
            if not published(page):
                if classify(page_url) is not SourceKind.OFFICIAL:
                    raise NotOfficial(page_url)
                page = self.store.add_source(SourceKind.OFFICIAL, page_url, by=self.operator, at=self.clock())
            read = []
            for fact in facts:
                if not any(source.id == page.id for source in fact.sources):
                    fact = self.store.change(fact.id, fact.version, rules.AttachSource(page, why), by=self.operator,
                                             at=self.clock())
                read.append((fact.id, fact.version))
            return self.store.verify_release(read, page.id, by=self.operator, at=self.clock(), why=why)

    def relink(self, fact: Fact, version: int, link: tuple[int, ...], unlink: tuple[int, ...], why: str) -> Fact:
        """Unlink, then link reports of ``fact`` as read at ``version``: one transaction, one audit entry each."""
        with self._lock, self.store.write():
            self._require_reports(link)
            if unlink:
                fact = self.store.change(fact.id, version, rules.UnlinkReports(unlink, why), by=self.operator,
                                         at=self.clock())
                version = fact.version
            if link:
                fact = self.store.link_reports(fact.id, version, link, by=self.operator, at=self.clock())
            return fact

    def _require_reports(self, ids: tuple[int, ...]) -> None:
        known = {report.id for report in self.store.reports(ids)}
        missing = tuple(i for i in ids if i not in known)
        if missing:
            raise MissingReports(missing)
