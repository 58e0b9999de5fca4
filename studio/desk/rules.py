"""The verification rules: the one place that decides how a fact may change.

One module of ~630 lines on purpose: every rule a fact obeys is here and
nowhere else, so a reviewer reads the state machine below, the evidence it
counts, a release as one act and the content checks together, and a change
to one rule is seen beside the rules it touches. Its sections (actions,
evidence, changing, release, groups, content) are pure functions over the
model; the store only writes what ``apply`` returns.

::

    new ─StartReview─▶ in_review ─Verify─▶ verified ─Retract─▶ retracted
                        │   ▲                 │                    │
         MarkFalse,     │   └─ Edit, Detach ──┘                    │
         MarkUnproven   ▼   └─ Reopen ◀── false, unproven, retracted
                  false | unproven

- Four eyes: a verdict (verified, false, unproven) is given by someone who
  is not an author of the fact: not its creator and not anyone who edited
  what it says. A retraction may be made by anyone: pulling a wrong fact off
  air must never wait for a second person.
- ``verified`` needs one official source (the commission's own
  publication), or two independent ones: at least two different observers
  or organisations among the attached observer, media and other-authority
  sources and the observers of the linked reports. Social media is a lead,
  never evidence. Two reports of one observer are one origin. A media
  reprint that quotes the commission is one media origin, unless the
  station's policy (``EvidencePolicy``) counts it as the commission's word.
- A figure (a fact with a value and an ``as_of`` instant) cannot be
  verified while another verified fact gives a value for the same measure
  that disagrees beyond rounding (``disagree``): retract the other first.
- Two live figures for one measure from different sources that disagree
  beyond the rounding of the less precise one are a conflict
  (``conflicting``; 64 and 64.12 agree, 20.68 and 20.86 do not). The store
  keeps it open until it is settled; meanwhile both figures are held: never
  on air, no verdict on either alone. One person proposes which value
  stands, or that none can be shown (``propose``); a second confirms it
  (``confirm``): the others become false with the chosen figure as their
  correction, or all become unproven. Never an average.
- An official release (the commission's figures for one instant, from one
  source) is verified as one act: every fact in it passes, or none changes
  (``verify_release``); each still gets its own audit entry.
- A report split out of its group starts a group of its own (``plan_split``).
- A verdict is given only in review, and records who gave it and when
  (``verified_by``, ``verified_at``); a false verdict may say what is true
  (``correction``, for a debunk card). A retraction needs its correction in
  Kazakh and/or Russian: it is what goes on air instead.
- Editing what a verified (or decided, or retracted) fact says sends it back
  to review; so does taking evidence away from a verified fact. A fact that
  is back in review has no verdict, and a decided or retracted fact returns
  to verified only through review (Reopen or Edit, then Verify).
- Every successful change returns exactly one ``Change``, which the store
  writes as one audit entry; a refused change raises ``RuleError`` and
  changes nothing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping, Sequence

from studio.desk.ids import conflict_label, fact_label
from studio.desk.model import (
    CONTENT_FIELDS,
    LISTED_CONFLICT,
    Claim,
    Draft,
    Fact,
    FigureConflict,
    Outcome,
    Settlement,
    Report,
    ReportKind,
    ReportRef,
    Source,
    SourceKind,
    Status,
    person,
)
from studio.errors import Kind, StudioError
from studio.i18n import FALLBACK, Joined, Msg
from studio.regions import regions


class RuleError(StudioError):
    """A change the rules refuse. ``message`` is the exact reason (``desk.rule.detail.*``; as a str, its
    English for the logs); ``code`` names the desk's wording of it, ``desk.rule.<code>``, which a person
    reads (``render``, ``rule_message``)."""

    kind = Kind.REFUSED

    def __init__(self, code: str, message: Msg, *, kind: Kind | None = None, **params: Any) -> None:
        super().__init__(message, kind=kind, code=code)
        self.params = params

    def render(self, language: str = FALLBACK) -> str:
        return rule_message(self).render(language)


def rule_message(error: RuleError) -> Msg:
    """A RuleError as the desk and ``studio fact`` say it (catalogue ``desk.rule.<code>``), fact ids as F105."""
    params: dict[str, Any] = {"fact": "", "who": "", "status": "", "rival": ""} | error.params
    for name in ("fact", "rival", "other"):
        if isinstance(params.get(name), int):
            params[name] = fact_label(params[name])
    if "status" in error.params:
        params["status"] = Msg(f"desk.status.{error.params['status']}")
    return Msg(f"desk.rule.{error.code}", detail=error.message, **params)


def _content(message: Msg) -> RuleError:
    """What a fact says is malformed (kind, claim, place, value): bad input, not a refusal."""
    return RuleError("fact.content", message, kind=Kind.BAD_INPUT)


# --- actions ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StartReview:
    why: str = "taken into review"


@dataclass(frozen=True, slots=True)
class Verify:
    why: str = "verified"


@dataclass(frozen=True, slots=True)
class MarkFalse:
    why: str
    correction: Claim = Claim()  # what is true, for a debunk card (optional)


@dataclass(frozen=True, slots=True)
class MarkUnproven:
    why: str


@dataclass(frozen=True, slots=True)
class Retract:
    correction: Claim  # what goes on air instead, in Kazakh and/or Russian
    why: str = ""  # the audit's why; empty: the correction itself


@dataclass(frozen=True, slots=True)
class Reopen:
    why: str


@dataclass(frozen=True, slots=True)
class Edit:
    changes: Mapping[str, Any]  # names of CONTENT_FIELDS
    why: str


@dataclass(frozen=True, slots=True)
class AttachSource:
    source: Source
    why: str = "source attached"


@dataclass(frozen=True, slots=True)
class DetachSource:
    source_id: int
    why: str


@dataclass(frozen=True, slots=True)
class LinkReports:
    reports: tuple[ReportRef, ...]
    why: str = "reports linked"


@dataclass(frozen=True, slots=True)
class UnlinkReports:
    report_ids: tuple[int, ...]
    why: str


Action = (
    StartReview | Verify | MarkFalse | MarkUnproven | Retract | Reopen | Edit | AttachSource | DetachSource
    | LinkReports | UnlinkReports
)

_VERDICTS: dict[type, Status] = {Verify: Status.VERIFIED, MarkFalse: Status.FALSE, MarkUnproven: Status.UNPROVEN}


@dataclass(frozen=True, slots=True)
class Change:
    """One successful change: the store writes ``after`` and one audit entry."""

    before: Fact | None
    after: Fact
    action: str
    why: str
    by: str
    at: datetime


# --- evidence ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EvidencePolicy:
    """The station's policy on evidence (config ``[desk]``)."""

    reprint_counts_as_official: bool = False  # a reprint that quotes the commission is the commission's word


@dataclass(frozen=True, slots=True)
class Evidence:
    official: bool
    origins: frozenset[str]  # "observer:<name>" and "org:<name>", folded

    @property
    def enough(self) -> bool:
        return self.official or len(self.origins) >= 2

    def describe(self) -> Msg:
        if self.official:
            return Msg("desk.rule.evidence.official")
        if not self.origins:
            return Msg("desk.rule.evidence.none")
        return Msg("desk.rule.evidence.origins", count=len(self.origins), origins=", ".join(sorted(self.origins)))


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def evidence(
    sources: Iterable[Source], reports: Iterable[ReportRef], policy: EvidencePolicy = EvidencePolicy()
) -> Evidence:
    """What the attached sources and linked reports are worth for verification."""
    official = False
    origins: set[str] = set()
    for source in sources:
        if source.kind is SourceKind.OFFICIAL or (policy.reprint_counts_as_official and source.quotes_commission):
            official = True
        elif source.kind is SourceKind.OBSERVER:
            origins.add("observer:" + _fold(source.origin))
        elif source.kind in (SourceKind.MEDIA, SourceKind.AUTHORITY):
            origins.add("org:" + _fold(source.origin))
    origins.update("observer:" + _fold(report.observer) for report in reports)
    return Evidence(official, frozenset(origins))


# --- figures that disagree -----------------------------------------------------

LIVE = (Status.NEW, Status.IN_REVIEW, Status.VERIFIED)
"""A figure still in play: not found false or unproven, not withdrawn. Only live figures conflict."""


def measure(fact: Fact) -> tuple[Any, ...] | None:
    """What a figure is a value of: its kind, place (region, station) and instant, and for a results
    figure its line instead of an instant (``detail`` "result", e.g. "yes": studio/desk/results.py); None for
    a fact that is no figure (no value, or neither instant nor results line)."""
    line = fact.details.get("result")
    if fact.value is None or (fact.as_of is None and line is None):
        return None
    return (fact.kind.value, fact.region, fact.station, fact.as_of, line)


def consistent(first: Decimal, second: Decimal) -> bool:
    """Whether two published figures can be one number, each rounded as printed: they differ by no more
    than half a unit in the last place of the less precise one. 64 and 64.12 can (64.12 rounds to 64);
    20.68 and 20.86 cannot, nor can 72.39 and 72.3 (72.39 rounds to 72.4). The two are never averaged."""
    coarser = max(int(first.as_tuple().exponent), int(second.as_tuple().exponent))
    return abs(first - second) <= Decimal(5).scaleb(coarser - 1)


def disagree(fact: Fact, other: Fact) -> bool:
    """``other`` is another figure for ``fact``'s measure that cannot be the same number (``consistent``)."""
    key = measure(fact)
    return (
        other.id != fact.id and key is not None and measure(other) == key
        and not consistent(fact.value, other.value)  # type: ignore[arg-type]  # measure() needs both values
    )


def is_rival(fact: Fact, other: Fact) -> bool:
    """True when ``other`` is verified and disagrees with ``fact``: the two cannot both be verified."""
    return other.status is Status.VERIFIED and disagree(fact, other)


def one_word(fact: Fact, other: Fact) -> bool:
    """Whether the two figures share a source (the same reference) or a report: one word, not two sources."""
    mine = {" ".join(s.reference.casefold().split()) for s in fact.sources}
    return bool(mine & {" ".join(s.reference.casefold().split()) for s in other.sources}) or bool(
        {r.id for r in fact.reports} & {r.id for r in other.reports}
    )


def conflicting(fact: Fact, other: Fact) -> bool:
    """Two live figures for one measure, from different sources, that disagree beyond rounding: a conflict.

    The one definition: the store opens a ``FigureConflict`` with it, and everything else (lists, the
    gate, what is pulled off air) reads the conflicts the store keeps. Two figures of one source that
    disagree are the desk's own slip, not a conflict: ``is_rival`` keeps them from both being verified.
    """
    return fact.status in LIVE and other.status in LIVE and disagree(fact, other) and not one_word(fact, other)


def listed_status(fact: Fact, held: bool) -> str:
    """The status a list shows: ``conflict`` for a fact held in an open conflict (``held``), else its status."""
    return LISTED_CONFLICT if held else fact.status.value


def verify_blockers(
    fact: Fact,
    by: str,
    rivals: Sequence[Fact] = (),
    policy: EvidencePolicy = EvidencePolicy(),
    held: FigureConflict | None = None,
) -> list[RuleError]:
    """Every reason ``by`` may not verify ``fact`` now (empty: they may); ``held``: the open conflict it is in."""
    found = []
    if fact.status is not Status.IN_REVIEW:
        found.append(_status_error(fact, "verify", (Status.IN_REVIEW,)))
    if held is not None:
        found.append(_held(fact, held))
    if person(by) in fact.authors:
        found.append(_four_eyes(fact, by))
    proof = evidence(fact.sources, fact.reports, policy)
    if not proof.enough:
        found.append(
            RuleError(
                "fact.sources", Msg("desk.rule.detail.sources", fact=fact.id, proof=proof.describe()), fact=fact.id
            )
        )
    for rival in rivals:
        if is_rival(fact, rival):
            found.append(
                RuleError(
                    "fact.rival",
                    Msg("desk.rule.detail.rival", rival=rival.id, rival_value=str(rival.value), value=str(fact.value)),
                    fact=fact.id,
                    rival=rival.id,
                )
            )
    return found


# --- creating and changing ----------------------------------------------------


def create(
    draft: Draft,
    *,
    by: str,
    at: datetime,
    sources: Sequence[Source] = (),
    reports: Sequence[ReportRef] = (),
    why: str = "created",
) -> Change:
    by, at = _who(by), _when(at)
    content = check_content(dataclasses.asdict(draft) | {"claim": draft.claim})
    fact = Fact(
        id=0,
        status=Status.NEW,
        created_by=by,
        created_at=at,
        updated_at=at,
        version=1,
        sources=_unique_sources(sources),
        reports=_unique_reports(reports),
        **content,
    )
    return Change(None, fact, "create", why.strip() or "created", by, at)


def apply(
    fact: Fact,
    action: Action,
    *,
    by: str,
    at: datetime,
    rivals: Sequence[Fact] = (),
    policy: EvidencePolicy = EvidencePolicy(),
    held: FigureConflict | None = None,
) -> Change:
    """The fact after ``action`` by ``by`` at ``at``, or RuleError.

    ``rivals``: the other verified facts of the same kind and instant; the
    store passes them for ``Verify``. ``policy``: the station's evidence policy.
    ``held``: the open conflict the fact is in, if any: no verdict is given on
    it alone (``confirm`` settles the conflict); it may still be retracted.
    """
    by, at = _who(by), _when(at)
    name = _action_name(action)
    changes: dict[str, Any]
    match action:
        case StartReview():
            _require_status(fact, name, (Status.NEW,))
            changes = {"status": Status.IN_REVIEW}
        case Verify() | MarkFalse() | MarkUnproven():
            if isinstance(action, Verify):
                blockers = verify_blockers(fact, by, rivals, policy, held)
                if blockers:
                    first = blockers[0]
                    raise RuleError(first.code, Joined(b.message for b in blockers), kind=first.kind, **first.params)
            else:
                _require_status(fact, name, (Status.IN_REVIEW,))
                _require_why(action.why, name)
                if person(by) in fact.authors:
                    raise _four_eyes(fact, by)
                if held is not None:
                    raise _held(fact, held)
            changes = {"status": _VERDICTS[type(action)], "verified_by": by, "verified_at": at}
            if isinstance(action, MarkFalse):
                changes["correction"] = _claim(action.correction)
        case Retract():
            _require_status(fact, name, (Status.VERIFIED,))
            correction = _claim(action.correction)
            if not (correction.kk or correction.ru):
                raise RuleError("fact.correction", Msg("desk.rule.detail.correction"))
            changes = {"status": Status.RETRACTED, "correction": correction}
            why = action.why.strip() or " / ".join(filter(None, (correction.kk, correction.ru)))
            return _changed(fact, changes, name, why, by, at)
        case Reopen():
            _require_status(fact, name, (Status.FALSE, Status.UNPROVEN, Status.RETRACTED))
            _require_why(action.why, name)
            changes = {"status": Status.IN_REVIEW}
        case Edit():
            _require_why(action.why, name)
            unknown = sorted(set(action.changes) - set(CONTENT_FIELDS))
            if unknown:
                editable = ", ".join(CONTENT_FIELDS)
                raise _content(Msg("desk.rule.detail.not_editable", fields=", ".join(unknown), editable=editable))
            current = {name: getattr(fact, name) for name in CONTENT_FIELDS}
            content = check_content(current | dict(action.changes))
            if content == current:
                raise RuleError("fact.nothing", Msg("desk.rule.detail.same_edit", fact=fact.id), fact=fact.id)
            changes = content | {"status": Status.NEW if fact.status is Status.NEW else Status.IN_REVIEW}
            if by != fact.created_by and by not in fact.editors:
                changes["editors"] = (*fact.editors, by)
        case AttachSource(source=source):
            if any(s.id == source.id for s in fact.sources):
                raise RuleError("fact.nothing", Msg("desk.rule.detail.attached", source=source.id, fact=fact.id))
            changes = {"sources": _unique_sources((*fact.sources, source))}
        case DetachSource(source_id=source_id):
            _require_why(action.why, name)
            if not any(s.id == source_id for s in fact.sources):
                raise RuleError("fact.nothing", Msg("desk.rule.detail.not_attached", source=source_id, fact=fact.id))
            changes = {"sources": tuple(s for s in fact.sources if s.id != source_id)} | _weakened(fact)
        case LinkReports(reports=reports):
            known = {r.id for r in fact.reports}
            new = [r for r in reports if r.id not in known]
            if not new:
                raise RuleError("fact.nothing", Msg("desk.rule.detail.linked", fact=fact.id))
            changes = {"reports": _unique_reports((*fact.reports, *new))}
        case UnlinkReports(report_ids=report_ids):
            _require_why(action.why, name)
            missing = sorted(set(report_ids) - {r.id for r in fact.reports})
            if missing or not report_ids:
                raise RuleError("fact.nothing", Msg("desk.rule.detail.not_linked", reports=str(missing), fact=fact.id))
            changes = {"reports": tuple(r for r in fact.reports if r.id not in set(report_ids))} | _weakened(fact)
        case _:
            raise TypeError(f"not a desk action: {action!r}")
    return _changed(fact, changes, name, action.why.strip(), by, at)


def _changed(fact: Fact, changes: dict[str, Any], action: str, why: str, by: str, at: datetime) -> Change:
    if changes.get("status", fact.status) in (Status.NEW, Status.IN_REVIEW):  # no verdict stands
        changes = {"verified_by": None, "verified_at": None} | changes
    after = dataclasses.replace(fact, **changes, version=fact.version + 1, updated_at=at)
    return Change(fact, after, action, why, by, at)


def _weakened(fact: Fact) -> dict[str, Any]:
    """Evidence taken away from a verified fact sends it back to review."""
    return {"status": Status.IN_REVIEW} if fact.status is Status.VERIFIED else {}


# --- an official release, as one act ------------------------------------------


class ReleaseRefused(RuleError):
    """A release that cannot be verified as one act; ``blockers`` names each fact that blocks and why."""

    def __init__(self, blockers: Sequence[tuple[int, RuleError]]) -> None:
        each = Joined(Msg("desk.rule.blocker", fact=fact_label(i), reason=error.message) for i, error in blockers)
        super().__init__("fact.release", Msg("desk.rule.detail.release", blockers=each), count=len(blockers))
        self.blockers = tuple(blockers)

    def render(self, language: str = FALLBACK) -> str:
        """A line saying nothing changed, then a line per fact that blocks, in the desk's words."""
        lines = (Msg("desk.rule.blocker", fact=fact_label(i), reason=rule_message(e)) for i, e in self.blockers)
        head = Msg("fact.cli.release_refused", count=len(self.blockers))
        return Joined((head, *lines), "\n  ").render(language)


def verify_release(
    facts: Sequence[Fact],
    *,
    source_id: int,
    by: str,
    at: datetime,
    why: str,
    rivals: Sequence[Fact] = (),
    policy: EvidencePolicy = EvidencePolicy(),
    held: Mapping[int, FigureConflict] = {},
) -> list[Change]:
    """Verify every fact of one official release in one four-eyes act: one Change each, or ReleaseRefused.

    A release is the figures one source (``source_id``) published for one
    instant: every fact must carry that source, be about the same instant,
    and name a place no other fact of the release names; each must pass
    ``verify_blockers`` on its own. ``rivals``: the verified facts of that
    instant outside the release; ``held``: the open conflict of each fact held in one.
    Nothing is returned unless all pass.
    """
    by, at = _who(by), _when(at)
    _require_why(why, "verify_release")
    if not facts:
        raise RuleError("fact.release_empty", Msg("desk.rule.detail.release_empty", source=source_id))
    instant = facts[0].as_of
    places: dict[tuple[Any, ...], int] = {}
    blockers: list[tuple[int, RuleError]] = []
    for fact in facts:
        place = (fact.kind, fact.region, fact.station)
        if not any(source.id == source_id for source in fact.sources):
            blockers.append((fact.id, RuleError(
                "fact.release_source", Msg("desk.rule.detail.release_source", fact=fact.id, source=source_id),
                fact=fact.id, source=source_id,
            )))
        if fact.as_of is None or fact.as_of != instant:
            blockers.append((fact.id, RuleError(
                "fact.release_instant", Msg("desk.rule.detail.release_instant", fact=fact.id), fact=fact.id
            )))
        if place in places:
            blockers.append((fact.id, RuleError(
                "fact.release_twice", Msg("desk.rule.detail.release_twice", fact=fact.id, other=places[place]),
                fact=fact.id, other=places[place],
            )))
        places.setdefault(place, fact.id)
        blockers += [(fact.id, error) for error in verify_blockers(fact, by, rivals, policy, held.get(fact.id))]
    if blockers:
        raise ReleaseRefused(blockers)
    note = f"{why.strip()} (one release of {len(facts)} figures, source #{source_id})"
    return [
        _changed(fact, {"status": Status.VERIFIED, "verified_by": by, "verified_at": at}, "verify", note, by, at)
        for fact in facts
    ]


# --- settling a conflict, four eyes --------------------------------------------------


def propose(
    conflict: FigureConflict, figures: Sequence[Fact], outcome: Outcome, chosen: int | None = None, *,
    why: str, by: str, at: datetime,
) -> Settlement:
    """``by``'s settlement of the open ``conflict`` (``figures``: its facts as they are now): the figure
    ``chosen`` stands (CHOSEN), or none can be shown (UNPROVEN). A second person confirms it (``confirm``)."""
    by, at = _who(by), _when(at)
    _require_why(why, "settle")
    label = conflict_label(conflict.id)
    if not conflict.open:
        raise RuleError("conflict.settled", Msg("desk.rule.detail.conflict_settled", conflict=label), conflict=label)
    current = {fact.id: fact for fact in figures}
    if outcome is Outcome.CHOSEN:
        if chosen not in current:
            message = Msg("desk.rule.detail.conflict_choice", fact=str(chosen), conflict=label)
            raise RuleError("conflict.choice", message, kind=Kind.BAD_INPUT, conflict=label)
        if current[chosen].status not in LIVE:
            status = current[chosen].status.value
            raise RuleError("conflict.not_live", Msg("desk.rule.detail.conflict_not_live", fact=chosen, status=status),
                            fact=chosen, status=status)
    else:
        chosen = None
    versions = tuple(sorted((fact.id, fact.version) for fact in figures))
    return Settlement(Outcome(outcome), chosen, why.strip(), by, at, versions)


def confirm(conflict: FigureConflict, figures: Sequence[Fact], *, by: str, at: datetime) -> list[Change]:
    """A second person confirms the pending settlement of ``conflict``: one Change per figure it decides.

    CHOSEN: every live figure that disagrees with the chosen one becomes false, its correction the chosen
    figure's claim; figures consistent with it are left as they are. UNPROVEN: every live figure becomes
    unproven. Refused when the proposer confirms (four eyes), or when a figure changed or joined since
    the proposal (``figures`` differ from the versions it was made on): propose again.
    """
    by, at = _who(by), _when(at)
    label = conflict_label(conflict.id)
    proposal = conflict.proposal
    if not conflict.open:
        raise RuleError("conflict.settled", Msg("desk.rule.detail.conflict_settled", conflict=label), conflict=label)
    if proposal is None:
        raise RuleError("conflict.no_proposal", Msg("desk.rule.detail.conflict_no_proposal", conflict=label),
                        conflict=label)
    if person(by) == person(proposal.by):
        raise RuleError("conflict.four_eyes", Msg("desk.rule.detail.conflict_four_eyes", who=by, conflict=label),
                        conflict=label, who=by)
    if tuple(sorted((fact.id, fact.version) for fact in figures)) != proposal.versions:
        raise RuleError("conflict.changed", Msg("desk.rule.detail.conflict_changed", conflict=label), conflict=label)
    why = f"conflict {label}: {proposal.why} (proposed by {proposal.by}, confirmed by {by})"
    verdict = {"verified_by": by, "verified_at": at}
    if proposal.outcome is Outcome.UNPROVEN:
        return [_changed(f, {"status": Status.UNPROVEN} | verdict, "settle", why, by, at) for f in figures
                if f.status in LIVE]
    chosen = next(f for f in figures if f.id == proposal.chosen)
    return [
        _changed(f, {"status": Status.FALSE, "correction": chosen.claim} | verdict, "settle", why, by, at)
        for f in figures
        if f.status in LIVE and disagree(chosen, f)
    ]


def _held(fact: Fact, conflict: FigureConflict) -> RuleError:
    others = ", ".join(f"{fact_label(f.fact_id)} {f.value}" for f in conflict.figures if f.fact_id != fact.id)
    label = conflict_label(conflict.id)
    return RuleError("fact.held", Msg("desk.rule.detail.held", fact=fact.id, conflict=label, others=others),
                     fact=fact.id, conflict=label)


# --- report groups --------------------------------------------------------------


def plan_split(group: Sequence[Report], report_ids: Sequence[int], why: str) -> int:
    """The lead of the new group that ``report_ids`` form when split out of ``group``
    (its reports, any order), or RuleError: they must all be in the group, its
    lead stays behind, and the split says why."""
    _require_why(why, "split")
    members = {report.id: report for report in group}
    moving = sorted(set(report_ids))
    if not group or not moving:
        raise RuleError("report.split_nothing", Msg("desk.rule.detail.split_nothing"))
    lead = min(group, key=lambda report: (report.received_at, report.id))
    strangers = [i for i in moving if i not in members]
    if strangers:
        raise RuleError(
            "report.split_stranger", Msg("desk.rule.detail.split_stranger", report=strangers[0], group=lead.id),
            report=strangers[0], group=lead.id,
        )
    if lead.id in moving:
        raise RuleError(
            "report.split_lead", Msg("desk.rule.detail.split_lead", report=lead.id, group=lead.id),
            report=lead.id, group=lead.id,
        )
    return min((members[i] for i in moving), key=lambda report: (report.received_at, report.id)).id


# --- content ------------------------------------------------------------------


def check_content(content: Mapping[str, Any]) -> dict[str, Any]:
    """The CONTENT_FIELDS of ``content``, checked and normalised, or RuleError."""
    try:
        kind = ReportKind(content["kind"])
    except ValueError:
        raise _content(Msg("desk.rule.detail.kind", given=repr(content["kind"]), choices=_names(ReportKind))) from None
    claim = _claim(content["claim"])
    if not (claim.kk or claim.ru):
        raise _content(Msg("desk.rule.detail.no_claim"))
    region = content.get("region")
    if region is not None and region not in regions():
        raise _content(Msg("desk.rule.detail.region", given=repr(region)))
    station = content.get("station")
    if station is not None and (isinstance(station, bool) or not isinstance(station, int) or station < 1):
        raise _content(Msg("desk.error.station", given=repr(station)))
    value = content.get("value")
    if value is not None:
        try:
            value = Decimal(str(value)) if not isinstance(value, Decimal) else value
        except InvalidOperation:
            raise _content(Msg("desk.rule.detail.not_a_number", given=repr(value))) from None
        if not value.is_finite():
            raise _content(Msg("desk.rule.detail.not_a_number", given=str(value)))
        if kind is ReportKind.TURNOUT and not 0 <= value <= 100:
            raise _content(Msg("desk.rule.detail.turnout", value=str(value)))
    as_of = content.get("as_of")
    if as_of is not None:
        as_of = _when(as_of)
    detail = content.get("detail") or ()
    pairs = detail.items() if isinstance(detail, Mapping) else detail
    detail = tuple(sorted((str(k), str(v)) for k, v in pairs))
    return {
        "kind": kind,
        "claim": claim,
        "region": region,
        "station": station,
        "value": value,
        "as_of": as_of,
        "detail": detail,
    }


# --- helpers ------------------------------------------------------------------


def _claim(value: Any) -> Claim:
    """A Claim from a Claim or a {"kk": ..., "ru": ...} mapping, trimmed."""
    if isinstance(value, Mapping):
        value = Claim(**value)
    if not isinstance(value, Claim):
        raise _content(Msg("desk.rule.detail.claim", given=repr(value)))
    return Claim(str(value.kk).strip(), str(value.ru).strip())


def _who(by: str) -> str:
    name = (by or "").strip()
    if not name:
        raise RuleError("fact.who", Msg("desk.rule.detail.who"), kind=Kind.BAD_INPUT)
    return name


def _when(at: datetime) -> datetime:
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise RuleError("fact.time", Msg("desk.rule.detail.time", given=repr(at)), kind=Kind.BAD_INPUT)
    return at.astimezone(UTC)


def _require_why(why: str, action: str) -> None:
    if not why.strip():
        raise RuleError("fact.why", Msg("desk.rule.detail.why", action=action.replace("_", " ")), kind=Kind.BAD_INPUT)


def _require_status(fact: Fact, action: str, allowed: tuple[Status, ...]) -> None:
    if fact.status not in allowed:
        raise _status_error(fact, action, allowed)


def _status_error(fact: Fact, action: str, allowed: tuple[Status, ...]) -> RuleError:
    return RuleError(
        "fact.status",
        Msg(
            "desk.rule.detail.status", action=action.replace("_", " "), fact=fact.id, status=fact.status.value,
            allowed="/".join(s.value for s in allowed),
        ),
        fact=fact.id,
        status=fact.status.value,
    )


def _four_eyes(fact: Fact, by: str) -> RuleError:
    return RuleError("fact.four_eyes", Msg("desk.rule.detail.four_eyes", who=by, fact=fact.id), fact=fact.id, who=by)


def _unique_sources(sources: Iterable[Source]) -> tuple[Source, ...]:
    return tuple(sorted({s.id: s for s in sources}.values(), key=lambda s: s.id))


def _unique_reports(reports: Iterable[ReportRef]) -> tuple[ReportRef, ...]:
    return tuple(sorted({r.id: r for r in reports}.values(), key=lambda r: r.id))


def _action_name(action: Action) -> str:
    name = type(action).__name__
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def _names(enum: Any) -> str:
    return ", ".join(member.value for member in enum)
