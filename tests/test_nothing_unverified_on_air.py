"""THE MOST IMPORTANT TEST OF THE PROJECT: nothing unverified is ever visible on air.

A hypothesis state machine drives desk actions, segment takes and graphic takes in any
order, across two show processes (the console, which owns the switcher, and the control
API) and the desk, each on its own connection to one store, with the real renderer and the
real fact gate. After every step and one refresh of each process, every graphic the
switcher shows states only facts that stand exactly as they were rendered: verified (false,
for a debunk card) at the same version, and not held in a conflict between figures. What a
graphic states is read from its rendering's own sidecar, not from the store's record of it.

500 examples in ``make test`` (CI); ``make soak`` runs 10,000 (STUDIO_INVARIANT_EXAMPLES).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from studio.desk import rules
from studio.desk.model import Claim, Draft, Fact, Outcome, ReportKind, SourceKind, Status
from studio.desk.views import GraphicsFacts
from studio.graphics import Renderer
from studio.paths import shipped
from studio.onair import RendererGraphics
from studio.rundown.load import load_rundown
from studio.rundown.model import GraphicCue
from studio.show import ControlError, Controller
from studio.store import open_store
from studio.store.desk import ConflictError, DeskStore, open_desk
from tests.desk.conftest import Ticker
from tests.test_control import RecordingSwitcher

EXAMPLES = int(os.environ.get("STUDIO_INVARIANT_EXAMPLES", "500"))
SMALL = Path(__file__).resolve().parent / "data" / "small.toml"
RELEASE = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)  # the 10:00 turnout release, local UTC+5
START = datetime(2026, 3, 15, 4, 30, tzinfo=UTC)
REGIONS = (None, "astana", "almaty", "shymkent")  # None: the country
AUTHOR, CHECKER = "aigerim", "erlan"  # four eyes: the one who writes, the one who verifies

# Fact ids in the seeded store (created in this order).
TURNOUT_IDS = (1, 2, 3, 4)
CLAIM_ID, FAKE_ID = 5, 6
FACT_IDS = (*TURNOUT_IDS, CLAIM_ID, FAKE_ID)

CUES = (
    GraphicCue("turnout-board", {"hour": "10:00"}),
    GraphicCue("turnout-map", {"hour": "10:00"}),
    GraphicCue("fact-card", {"fact": str(CLAIM_ID)}),
    GraphicCue("fact-card", {"fact": str(TURNOUT_IDS[1])}),
    GraphicCue("debunk-card", {"fact": str(FAKE_ID)}),
)
STATUS_STATED = {"debunk-card": (Status.FALSE, Status.RETRACTED)}  # every other template: verified facts


def _verified(desk: DeskStore, draft: Draft, source: int, at: datetime) -> Fact:
    fact = desk.create_fact(draft, by=AUTHOR, at=at, source_ids=[source])
    fact = desk.change(fact.id, fact.version, rules.StartReview(), by=AUTHOR, at=at)
    return desk.change(fact.id, fact.version, rules.Verify(), by=CHECKER, at=at)


def _seed(path: Path) -> None:
    """The 10:00 turnout of the country and three cities, a violation, and a fake found false."""
    desk = open_desk(path)
    official = desk.add_source(SourceKind.OFFICIAL, "https://www.election.gov.kz/10-00", by=AUTHOR, at=START).id
    for index, region in enumerate(REGIONS):
        value = Decimal("19.21") + index
        _verified(desk, Draft(ReportKind.TURNOUT, Claim(kk=f"Келу {value}%", ru=f"Явка {value}%"), region, None,
                              value, RELEASE), official, START)
    _verified(desk, Draft(ReportKind.VIOLATION, Claim(kk="12-учаскеде кезек", ru="На участке 12 очередь"),
                          "astana", 12, None, RELEASE), official, START)
    fake = desk.create_fact(Draft(ReportKind.TURNOUT, Claim(kk="Алматыда келу 95%", ru="В Алматы явка 95%"),
                                  "almaty", None, None, RELEASE), by=AUTHOR, at=START, source_ids=[official])
    fake = desk.change(fake.id, fake.version, rules.StartReview(), by=AUTHOR, at=START)
    desk.change(fake.id, fake.version,
                rules.MarkFalse("the commission says 20.21", Claim(kk="Келу 20,21%", ru="Явка 20,21%")),
                by=CHECKER, at=START)
    assert [f.id for f in desk.facts()] == list(FACT_IDS)
    desk.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    desk.close()


class Seeded:
    """One seeded store file and two renderers for every example: Pillow and the templates load once."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="studio-invariant-"))
        self.template = self.folder / "seed.db"
        _seed(self.template)
        self.facts = [GraphicsFacts(open_desk(self.template), RELEASE.date()) for _ in range(2)]
        self.renderers = [
            Renderer(shipped("overlays"), self.folder / "out", facts) for facts in self.facts
        ]

    def fresh(self, name: str) -> Path:
        path = self.folder / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.template, path)
        return path


_SEEDED: Seeded | None = None


def seeded() -> Seeded:
    global _SEEDED
    if _SEEDED is None:
        _SEEDED = Seeded()
    return _SEEDED


class NothingUnverifiedOnAir(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        world = seeded()
        path = world.fresh("show")
        self.clock = Ticker()
        rundown = load_rundown(SMALL)
        segments = list(rundown.segments)
        segments[0] = replace(segments[0], graphics=CUES)
        rundown = rundown.with_segments(tuple(segments))
        self.desk = open_desk(path)
        self.switcher = RecordingSwitcher()
        self.processes = []
        for index, facts in enumerate(world.facts):
            facts.desk.close()
            facts.desk = open_desk(path)  # each process reads the desk on its own connection
            self.processes.append(Controller(
                open_store(path), rundown, operator="producer", origin=("console", "api")[index], clock=self.clock,
                switcher=self.switcher if index == 0 else None, graphics=RendererGraphics(world.renderers[index]),
            ))

    # --- the producer, from either process ------------------------------------------------

    @rule(process=st.integers(0, 1))
    def take_next(self, process: int) -> None:
        try:
            self.processes[process].take_next()
        except ControlError:
            pass

    @rule(process=st.integers(0, 1), cue=st.integers(0, len(CUES) - 1))
    def take_graphic(self, process: int, cue: int) -> None:
        try:
            self.processes[process].graphic_take(cue)
        except ControlError:
            pass  # refused by the gate, or nothing on air: nothing went up

    @rule(process=st.integers(0, 1), template=st.sampled_from(sorted({c.template for c in CUES})))
    def clear_graphic(self, process: int, template: str) -> None:
        self.processes[process].graphic_clear(template)

    @rule(process=st.integers(0, 1))
    def refresh(self, process: int) -> None:
        self.processes[process].refresh()

    # --- the desk ---------------------------------------------------------------------------

    def _act(self, fact_id: int, action: rules.Action, by: str = CHECKER) -> None:
        fact = self.desk.get(fact_id)
        assert fact is not None
        try:
            self.desk.change(fact.id, fact.version, action, by=by, at=self.clock())
        except (rules.RuleError, ConflictError):
            pass

    @rule(fact=st.sampled_from(FACT_IDS))
    def retract(self, fact: int) -> None:
        self._act(fact, rules.Retract(Claim(kk="Түзету", ru="Поправка")))

    @rule(fact=st.sampled_from(FACT_IDS))
    def reopen(self, fact: int) -> None:
        self._act(fact, rules.Reopen("looked again"))

    @rule(fact=st.sampled_from(FACT_IDS))
    def verify(self, fact: int) -> None:
        self._act(fact, rules.Verify())

    @rule(fact=st.sampled_from(FACT_IDS))
    def mark_false(self, fact: int) -> None:
        self._act(fact, rules.MarkFalse("wrong", Claim(kk="Дұрысы", ru="Верно")))

    @rule(fact=st.sampled_from(FACT_IDS), delta=st.integers(-3, 3))
    def edit_value(self, fact: int, delta: int) -> None:
        current = self.desk.get(fact)
        assert current is not None
        if current.value is not None:
            self._act(fact, rules.Edit({"value": current.value + delta}, "typo"), by=AUTHOR)

    @rule(fact=st.sampled_from(FACT_IDS))
    def edit_claim(self, fact: int) -> None:
        self._act(fact, rules.Edit({"claim": Claim(kk="Өзгертілді", ru="Изменено")}, "wording"), by=AUTHOR)

    @rule(fact=st.sampled_from(FACT_IDS))
    def detach_source(self, fact: int) -> None:
        current = self.desk.get(fact)
        assert current is not None
        for source in current.sources:
            self._act(fact, rules.DetachSource(source.id, "not the commission's page"))

    @rule(fact=st.sampled_from(FACT_IDS))
    def attach_source(self, fact: int) -> None:
        source = self.desk.add_source(SourceKind.MEDIA, f"https://www.nur.kz/{self.clock().timestamp()}",
                                      by=AUTHOR, at=self.clock())
        self._act(fact, rules.AttachSource(source), by=AUTHOR)

    @rule(region=st.sampled_from(REGIONS), value=st.integers(0, 2).flatmap(lambda n: st.decimals("10", "40", places=n)))
    def rival_figure(self, region: str | None, value: Decimal) -> None:
        """Another outlet prints a figure for the same release: one that disagrees opens a conflict holding both."""
        outlet = self.desk.add_source(SourceKind.MEDIA, f"https://tengrinews.kz/{self.clock().timestamp()}",
                                      by=AUTHOR, at=self.clock())
        fact = self.desk.create_fact(Draft(ReportKind.TURNOUT, Claim(ru=f"Явка {value}%"), region, None, value,
                                           RELEASE), by=AUTHOR, at=self.clock(), source_ids=[outlet.id])
        self._act(fact.id, rules.StartReview(), by=AUTHOR)

    @rule(choice=st.integers(0, 3), outcome=st.sampled_from(Outcome))
    def settle_conflict(self, choice: int, outcome: Outcome) -> None:
        """Two people settle the oldest open conflict: one of its values stands, or none is proven."""
        pending = self.desk.conflicts(open_only=True)
        if pending:
            conflict = pending[0]
            chosen = conflict.fact_ids[choice % len(conflict.fact_ids)]
            try:
                self.desk.propose_settlement(conflict.id, outcome, chosen, why="the commission's page", by=AUTHOR,
                                             at=self.clock())
                self.desk.confirm_settlement(conflict.id, by=CHECKER, at=self.clock())
            except rules.RuleError:
                pass  # the chosen figure is no longer live

    # --- the invariant -------------------------------------------------------------------------

    @invariant()
    def nothing_on_air_states_a_fact_that_does_not_stand(self) -> None:
        for process in self.processes:
            process.refresh()
        for graphic in self.switcher.shown:
            sidecar = json.loads(Path(graphic.file).with_suffix(".json").read_text(encoding="utf-8"))
            for stated in sidecar["facts"]:
                fact = self.desk.get(int(stated["id"]))
                wanted = STATUS_STATED.get(graphic.template, (Status.VERIFIED,))
                assert fact is not None, f"{graphic.template} states fact {stated['id']}, which does not exist"
                assert fact.status in wanted and fact.version == stated["version"], (
                    f"{graphic.template} on air states fact {fact.id} as {stated['status']} v{stated['version']}; "
                    f"it is {fact.status.value} v{fact.version}"
                )
                assert self.desk.listing_status(fact) == fact.status.value, f"{graphic.template}: {fact.id} in conflict"
        stored = self.processes[0].store.graphics("small")
        assert sorted(g.template for g in self.switcher.shown) == sorted(g.template for g in stored)

    def teardown(self) -> None:
        for process in self.processes:
            process.store.close()
        self.desk.close()


NothingUnverifiedOnAir.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_nothing_unverified_is_ever_on_air = NothingUnverifiedOnAir.TestCase
