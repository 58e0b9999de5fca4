"""Hypothesis drives the desk through random sequences of actions by three
people, some on stale versions, and checks after every step that:

- no fact is ever verified without four eyes and enough independent sources
  (judged here by an oracle written apart from studio/desk/rules.py);
- a fact becomes verified only from review: a retracted fact never returns
  to verified without review;
- a refused or conflicting change changes nothing;
- the audit has exactly one entry per successful change, they chain (each
  entry's before is the previous entry's after), and the last one is the fact.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, precondition, rule

from studio.desk import rules
from studio.desk.model import Claim, Draft, ReportKind, SourceKind, Status
from studio.desk.rules import RuleError
from studio.store.db import connect
from studio.store.desk import ConflictError, DeskStore, NewReport

T0 = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)

PEOPLE = st.sampled_from(["aigerim", "bolat", "dana"])
OBSERVERS = st.sampled_from(["obs-1", "obs-2", "OBS-1", "obs-3"])
STALE = st.sampled_from([False, False, False, True])  # a quarter of the attempts use a stale version
ORIGINS = st.sampled_from(["obs-1", "obs-2", "nur.kz", "tengrinews.kz", "commission", "@rumour"])


def _counting_origin(kind: str, origin: str) -> str | None:
    """The oracle's own reading of "independent": who stands behind a source."""
    name = " ".join(origin.lower().split())
    return {"observer": "person " + name, "media": "outlet " + name, "authority": "outlet " + name}.get(kind)


class DeskMachine(RuleBasedStateMachine):
    facts = Bundle("facts")
    sources = Bundle("sources")
    reports = Bundle("reports")

    def __init__(self) -> None:
        super().__init__()
        self.store = DeskStore(connect(Path(":memory:")))
        self.now = T0
        self.successes: Counter[int] = Counter()
        self.source_kinds: dict[int, tuple[str, str]] = {}
        self.report_observers: dict[int, str] = {}

    def teardown(self) -> None:
        self.store.close()

    def tick(self):
        self.now += timedelta(seconds=1)
        return self.now

    # --- things to work with ------------------------------------------------

    @initialize(target=sources)
    def official_source(self) -> int:
        return self.add_source(SourceKind.OFFICIAL, "commission")

    @initialize(target=reports)
    def first_report(self) -> int:
        return self.add_report("obs-1")

    @precondition(lambda self: len(self.source_kinds) < 6)
    @rule(target=sources, kind=st.sampled_from(SourceKind), origin=ORIGINS)
    def add_source(self, kind: SourceKind, origin: str) -> int:
        found = self.store.add_source(kind, f"ref:{origin}", origin=origin, by="desk", at=self.tick())
        self.source_kinds[found.id] = (found.kind.value, found.origin)
        return found.id

    @precondition(lambda self: len(self.report_observers) < 5)
    @rule(target=reports, observer=OBSERVERS)
    def add_report(self, observer: str) -> int:
        report = NewReport(observer, "bot", self.now, "astana", 7, ReportKind.VIOLATION, f"карусель ({observer})")
        found = self.store.add_report(report, by="desk", at=self.tick())
        self.report_observers[found.id] = found.observer
        return found.id

    @precondition(lambda self: len(self.successes) < 3)
    @rule(target=facts, by=PEOPLE, turnout=st.booleans(), review=st.sampled_from([True, True, False]))
    def create(self, by: str, turnout: bool, review: bool) -> int:
        draft = (
            Draft(ReportKind.TURNOUT, Claim(ru="явка"), "astana", None, Decimal("20.68"), T0)
            if turnout
            else Draft(ReportKind.VIOLATION, Claim(kk="Карусель"), "astana", 7)
        )
        fact = self.store.create_fact(draft, by=by, at=self.tick())
        self.successes[fact.id] += 1
        if review:
            self.attempt(fact.id, rules.StartReview(), by, stale=False)
        return fact.id

    # --- changes ---------------------------------------------------------------

    def attempt(self, fact_id: int, action: rules.Action, by: str, stale: bool) -> None:
        before = self.store.get(fact_id)
        assert before is not None
        version = before.version - 1 if stale else before.version
        try:
            after = self.store.change(fact_id, version, action, by=by, at=self.tick())
        except ConflictError:
            assert stale, "a current version must never conflict"
        except RuleError:
            pass
        else:
            assert not stale, "a stale version must never be written"
            assert after.version == before.version + 1
            self.successes[fact_id] += 1
            return
        assert self.store.get(fact_id) == before, "a refused change changed the fact"

    # One rule per step of the workflow, so that hypothesis walks it often.
    @rule(fact=facts, by=PEOPLE, stale=STALE)
    def review(self, fact: int, by: str, stale: bool) -> None:
        self.attempt(fact, rules.StartReview(), by, stale)

    @rule(fact=facts, by=PEOPLE, stale=STALE)
    def verify(self, fact: int, by: str, stale: bool) -> None:
        self.attempt(fact, rules.Verify(), by, stale)

    @rule(fact=facts, stale=STALE)
    def verify_by_someone_else(self, fact: int, stale: bool) -> None:
        authors = self.store.get(fact).authors  # type: ignore[union-attr]
        self.attempt(fact, rules.Verify(), next(p for p in ("aigerim", "bolat", "dana", "erlan") if p not in authors),
                     stale)

    @rule(
        fact=facts,
        by=PEOPLE,
        verdict=st.sampled_from(
            [
                rules.MarkFalse("a 2019 photo"),
                rules.MarkUnproven("no witness"),
                rules.MarkFalse(""),
                rules.Reopen("new evidence"),
            ]
        ),
    )
    def decide(self, fact: int, by: str, verdict: rules.Action) -> None:
        self.attempt(fact, verdict, by, stale=False)

    @rule(fact=facts, by=PEOPLE, correction=st.sampled_from([Claim(ru="Карусели не было"), Claim(kk=" ")]), stale=STALE)
    def retract(self, fact: int, by: str, correction: Claim, stale: bool) -> None:
        self.attempt(fact, rules.Retract(correction), by, stale)

    @rule(
        fact=facts,
        by=PEOPLE,
        stale=STALE,
        edit=st.sampled_from(
            [
                rules.Edit({"station": 8}, "other station"),
                rules.Edit({"station": 7}, "back to 7"),
                rules.Edit({"claim": Claim(ru="Карусель у школы")}, "wording"),
                rules.Edit({"value": Decimal("20.86")}, "the figure"),
                rules.Edit({"value": Decimal("20.68")}, "the figure again"),
            ]
        ),
    )
    def edit(self, fact: int, by: str, stale: bool, edit: rules.Action) -> None:
        self.attempt(fact, edit, by, stale)

    @rule(fact=facts, source=sources, by=PEOPLE, stale=STALE)
    def attach(self, fact: int, source: int, by: str, stale: bool) -> None:
        found = self.store._sources([source])[0]
        self.attempt(fact, rules.AttachSource(found), by, stale)

    @rule(fact=facts, source=sources, by=PEOPLE)
    def detach(self, fact: int, source: int, by: str) -> None:
        self.attempt(fact, rules.DetachSource(source, "not relevant"), by, stale=False)

    @rule(fact=facts, report=reports, by=PEOPLE, stale=STALE)
    def link(self, fact: int, report: int, by: str, stale: bool) -> None:
        # the observer here is a lie: the store must judge the stored report
        self.attempt(fact, rules.LinkReports((rules.ReportRef(report, f"forged-{report}"),)), by, stale)

    @rule(fact=facts, report=reports, by=PEOPLE)
    def unlink(self, fact: int, report: int, by: str) -> None:
        self.attempt(fact, rules.UnlinkReports((report,), "duplicate"), by, stale=False)

    # --- what must always hold -------------------------------------------------

    def enough_evidence(self, snapshot: dict) -> bool:
        kinds = [self.source_kinds[i] for i in snapshot["sources"]]
        if any(kind == "official" for kind, _ in kinds):
            return True
        origins = {_counting_origin(kind, origin) for kind, origin in kinds} - {None}
        origins |= {_counting_origin("observer", self.report_observers[i]) for i in snapshot["reports"]}
        return len(origins) >= 2

    @invariant()
    def every_fact_obeys_the_rules(self) -> None:
        verified_values: dict[tuple, set[str]] = {}
        for fact in self.store.facts():
            audit = self.store.audit(fact.id)
            assert len(audit) == fact.version == self.successes[fact.id]
            assert audit[0].before is None and audit[-1].after == fact.snapshot()
            for previous, entry in zip(audit, audit[1:]):
                assert entry.before == previous.after
            for entry in audit:
                became = entry.after["status"]
                was = entry.before["status"] if entry.before else None
                if became == "verified" and was != "verified":
                    assert was == "in_review", f"verified straight from {was}"
                    authors = {entry.before["created_by"], *entry.before["editors"]}
                    assert entry.who not in authors, "verified by an author"
                if was == "retracted":
                    assert became in ("retracted", "in_review")
                if became == "verified":
                    assert self.enough_evidence(entry.after), "verified without enough sources"
            if fact.status is Status.VERIFIED:
                assert fact.verified_by is not None and fact.verified_by not in fact.authors
                assert self.enough_evidence(fact.snapshot())
                if fact.value is not None and fact.as_of is not None:  # a figure about an instant, e.g. a release
                    where = (fact.kind, fact.region, fact.station, fact.as_of)
                    verified_values.setdefault(where, set()).add(str(fact.value))
            if fact.status is Status.RETRACTED:
                assert fact.correction.kk or fact.correction.ru
            assert (fact.verified_by is None) == (fact.status in (Status.NEW, Status.IN_REVIEW))
        assert all(len(values) == 1 for values in verified_values.values()), "two verified figures disagree"


DeskMachine.TestCase.settings = settings(
    max_examples=250,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_desk_rules_hold_in_any_sequence = DeskMachine.TestCase
