"""The desk's domain: what came in (reports), what backs a claim (sources),
and the checkable statements the desk works on (facts).

Plain data, no I/O. Every rule that changes a fact lives in ``rules.py`` and
nowhere else; the store (``studio/store/desk.py``) only persists what the
rules return. All instants are timezone-aware and in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Protocol

NOT_SIGNED_IN = " [not signed in]"
"""Follows a name in the audit when sign-in is off (``[operators] sign_in = false``): typed, never proven."""


def person(who: str) -> str:
    """The person an audit name stands for, signed in or not: four eyes compares people, not spellings."""
    return who.removesuffix(NOT_SIGNED_IN)


def figure(text: str) -> Decimal | None:
    """A figure as published: "70,98", "70.98" or "70,98%"; empty: none. ValueError when it is not a number."""
    cleaned = text.strip().removesuffix("%").replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number


class ReportKind(StrEnum):
    TURNOUT = "turnout"
    VIOLATION = "violation"
    INCIDENT = "incident"
    QUEUE = "queue"
    PROTOCOL = "protocol"  # a station's result protocol (its photo, its figures)
    OTHER = "other"


class SourceKind(StrEnum):
    OFFICIAL = "official"  # the referendum commission's own publication
    AUTHORITY = "authority"  # another official body (a ministry, an akimat)
    OBSERVER = "observer"  # an observer of a named organisation
    MEDIA = "media"  # a news site or agency, also when it quotes the commission
    SOCIAL = "social"  # social networks and messengers: a lead, never evidence


LISTED_CONFLICT = "conflict"
"""How a list shows a verified turnout-like fact that has an open rival (rules.in_conflict)."""


class Status(StrEnum):
    NEW = "new"
    IN_REVIEW = "in_review"
    VERIFIED = "verified"
    FALSE = "false"
    UNPROVEN = "unproven"
    RETRACTED = "retracted"


@dataclass(frozen=True, slots=True)
class Report:
    """One message as it came in from an observer; never changed afterwards."""

    id: int
    observer: str
    channel: str  # form, bot, phone, ...
    received_at: datetime  # UTC
    region: str  # an id of studio/regions.toml
    station: int | None  # polling station number; None: not about one station
    kind: ReportKind
    text: str
    attachments: tuple[str, ...] = ()
    group_id: int = 0  # its group: the id of the group's first report (its own id for a lead; see DeskStore.split)


@dataclass(frozen=True, slots=True)
class Source:
    """What backs a claim. Independence is counted by ``origin``: the observer
    or the organisation that stands behind it (see rules.evidence)."""

    id: int
    kind: SourceKind
    reference: str  # a URL, a document number, a report id
    origin: str
    note: str = ""
    published_at: datetime | None = None  # when the source published it (UTC), if known
    quotes: Source | None = None  # for a reprint: the source it quotes, e.g. the commission's release

    @property
    def quotes_commission(self) -> bool:
        """A reprint of the commission's own publication (by media or another body)."""
        return self.quotes is not None and self.quotes.kind is SourceKind.OFFICIAL


@dataclass(frozen=True, slots=True)
class ReportRef:
    """A report linked to a fact, with the one thing the rules need: who sent it."""

    id: int
    observer: str


@dataclass(frozen=True, slots=True)
class Claim:
    """The statement in Kazakh and/or Russian; at least one is not empty."""

    kk: str = ""
    ru: str = ""

    def text(self, language: str) -> str:
        """The claim in ``language``, else in the other on-air language."""
        first, second = (self.kk, self.ru) if language == "kk" else (self.ru, self.kk)
        return first or second


CONTENT_FIELDS = ("kind", "claim", "region", "station", "value", "as_of", "detail")
"""What a fact says. Changing any of them is an edit (rules.Edit)."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A fact before it is created: its content only."""

    kind: ReportKind
    claim: Claim
    region: str | None = None  # None: the whole country
    station: int | None = None
    value: Decimal | None = None  # e.g. turnout percent, exactly as published
    as_of: datetime | None = None  # the instant the value is about, e.g. a turnout release
    detail: tuple[tuple[str, str], ...] = ()  # further published figures, e.g. (("voters", "2393844"),)


@dataclass(frozen=True, slots=True)
class Fact:
    """A checkable statement and where it stands. Only ``verified`` goes on air."""

    id: int  # 0 until stored
    kind: ReportKind
    claim: Claim
    region: str | None
    station: int | None
    value: Decimal | None
    as_of: datetime | None
    detail: tuple[tuple[str, str], ...]
    status: Status
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int  # 1 when created, +1 with every change; each change has one audit entry
    editors: tuple[str, ...] = ()  # everyone but the creator who changed the content
    verified_by: str | None = None  # who gave the verdict (verified, false or unproven), and when
    verified_at: datetime | None = None
    correction: Claim = Claim()  # what is true: on a retraction, what goes on air instead; on false, optional
    sources: tuple[Source, ...] = ()
    reports: tuple[ReportRef, ...] = ()

    @property
    def decided(self) -> bool:
        """A verdict stands: verified, false or unproven."""
        return self.status in (Status.VERIFIED, Status.FALSE, Status.UNPROVEN)

    @property
    def airable(self) -> bool:
        """True only for a verified fact: the one test a graphic must pass."""
        return self.status is Status.VERIFIED

    @property
    def authors(self) -> frozenset[str]:
        """Who wrote what the fact says (as people: ``person``); none of them may verify it."""
        return frozenset(person(name) for name in (self.created_by, *self.editors))

    @property
    def details(self) -> dict[str, str]:
        return dict(self.detail)

    def snapshot(self) -> dict[str, Any]:
        """The fact as JSON-ready data, as the audit log records it."""
        return {
            "id": self.id,
            "version": self.version,
            "status": self.status.value,
            "kind": self.kind.value,
            "claim": {"kk": self.claim.kk, "ru": self.claim.ru},
            "region": self.region,
            "station": self.station,
            "value": None if self.value is None else str(self.value),
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "detail": dict(self.detail),
            "created_by": self.created_by,
            "editors": list(self.editors),
            "verified_by": self.verified_by,
            "correction": {"kk": self.correction.kk, "ru": self.correction.ru},
            "sources": [s.id for s in self.sources],
            "reports": [r.id for r in self.reports],
        }


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change of one fact: who, when, why, and the fact before and after."""

    fact_id: int
    version: int  # the fact's version after the change
    at: datetime
    who: str
    action: str
    why: str
    before: dict[str, Any] | None  # None for the creation
    after: dict[str, Any] = field(default_factory=dict)


class FactReader(Protocol):
    """What graphics read: facts only, never reports. Implemented by DeskStore.

    ``get`` returns a fact in any status, so a graphic already on air can see
    that its fact was retracted; anything newly put on air must be
    ``fact.airable``. ``verified_turnout`` returns only verified facts.
    """

    def get(self, fact_id: int) -> Fact | None: ...

    def verified_turnout(self, hour: datetime) -> list[Fact]:
        """Verified turnout facts published at ``hour`` (an aware instant, any
        zone), at most one per region, the country (region None) first, then
        in the order of studio/regions.toml."""
        ...
