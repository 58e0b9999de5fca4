"""The rehearsal's desk: two operators (four eyes) acting through the desk's store and rules, as `studio fact` does."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from studio.rehearsal.clock import SimulatedClock
from studio.rehearsal.scenario import Fake, Release, Retraction

DESK_AUTHOR, DESK_VERIFIER = "rehearsal-desk-1", "rehearsal-desk-2"


@dataclass
class DeskWork:
    releases_imported: int = 0
    figures_imported: int = 0
    figures_verified: int = 0
    releases_refused: list[str] = field(default_factory=list)
    conflicts_false: int = 0
    fakes_false: int = 0
    refusals: list[str] = field(default_factory=list)  # desk acts the store or the rules refused


class SimulatedDesk:
    """Two operators at the desk (four eyes): one imports and writes facts, the other gives the verdicts.
    Every act goes through the desk's store and rules, as `studio fact` does.

    Each act first asks the store how far it got (a rehearsal resumed after a kill replays its agenda):
    a release imported is not imported again, one verified not verified again, a fake's fact made
    before the restart is taken on from where it stands."""

    def __init__(self, desk: Any, clock: SimulatedClock, folder: Path, zone: Any) -> None:
        self.desk, self.clock, self.folder, self.zone = desk, clock, folder, zone
        self.work = DeskWork()

    @staticmethod
    def _place(region: str) -> tuple[str, str]:
        """The region's names in Kazakh and Russian, as on air."""
        from studio.regions import regions

        known = regions()[region]
        return known.kk, known.ru

    def receive(self, release: Release) -> None:
        """The commission's figures (and the planted conflicting one) through `studio import-turnout`'s importer."""
        from studio.desk.turnout import import_turnout

        rows = release.rows + ((release.conflict,) if release.conflict else ())
        path = self.folder / f"turnout-{release.as_of:%H%M}.csv"
        if self.desk.db.execute("SELECT EXISTS (SELECT 1 FROM import_batch WHERE kind = 'turnout' AND file LIKE ?)",
                                (f"%/{path.name}",)).fetchone()[0]:
            return  # imported before a restart (the folder is the run's own; the file's name is the release's)
        path.write_text("local_time,region,turnout_percent,voters,registered,source\n"
                        + "".join(row.csv() + "\n" for row in rows), encoding="utf-8")
        summary = import_turnout(self.desk, path, operator=DESK_AUTHOR, now=self.clock)
        self.work.releases_imported += 1
        self.work.figures_imported += summary.added

    def _settle(self, fact_id: int, stands: Decimal, why: str) -> bool:
        """Settle the conflict ``fact_id`` is held in as the two operators do: one chooses the figure that gives
        ``stands`` (the commission's), the other confirms; ``fact_id`` becomes false. False when it is held in
        no conflict (then a verdict of its own says it is false)."""
        from studio.desk.model import Outcome
        from studio.desk.rules import LIVE

        conflict = self.desk.conflict_holding(fact_id)
        figures = [] if conflict is None else [self.desk.get(i) for i in conflict.fact_ids if i != fact_id]
        chosen = next((f.id for f in figures if f is not None and f.value == stands and f.status in LIVE), None)
        if conflict is None or chosen is None:
            return False
        if conflict.proposal is None:  # else proposed before a restart: only the confirmation is left
            self.desk.propose_settlement(conflict.id, Outcome.CHOSEN, chosen, why=why, by=DESK_AUTHOR, at=self.clock())
        self.desk.confirm_settlement(conflict.id, by=DESK_VERIFIER, at=self.clock())
        return True

    def verify(self, release: Release) -> None:
        """The conflicting figure false first (its conflict settled), then the release verified against the
        commission's own page."""
        from studio.desk import rules
        from studio.desk.model import SourceKind, Status
        from studio.desk.sources import commission_origin
        from studio.desk.turnout import claim, release_reference

        desk = self.desk
        if any(fact.status is Status.VERIFIED for fact in desk.turnout_facts(None, release.as_of, every_region=True)):
            return  # verified before a restart: a release is verified in one transaction, all or nothing
        if release.conflict is not None:
            printed = release.conflict
            official = next(row for row in release.rows if row.region == printed.region)
            region = None if printed.region == "national" else printed.region
            for fact in desk.turnout_facts(region, release.as_of):
                if fact.status is Status.IN_REVIEW and any(s.reference == printed.source for s in fact.sources):
                    correction = claim(region, release.as_of, Decimal(official.turnout_percent))
                    why = f"the commission's release gives {official.turnout_percent}%; the outlet misprinted it"
                    if not self._settle(fact.id, Decimal(official.turnout_percent), why):
                        desk.change(fact.id, fact.version, rules.MarkFalse(why, correction), by=DESK_VERIFIER,
                                    at=self.clock())
                    self.work.conflicts_false += 1
        commission = desk.add_source(SourceKind.OFFICIAL, release_reference(release.as_of), origin=commission_origin(),
                                     by=DESK_AUTHOR, at=self.clock())
        for fact in desk.turnout_facts(None, release.as_of, every_region=True):
            if fact.status is Status.IN_REVIEW and all(s.id != commission.id for s in fact.sources):
                desk.attach_source(fact.id, fact.version, commission.id, by=DESK_AUTHOR, at=self.clock())
        found = desk.release(release.as_of, commission.id)
        try:
            done = desk.verify_release([(f.id, f.version) for f in found], commission.id, by=DESK_VERIFIER,
                                       at=self.clock(), why="checked against the commission's own release")
        except rules.RuleError as refused:
            self.work.releases_refused.append(f"{release.as_of:%H:%M}: {refused}")
            return
        self.work.figures_verified += len(done)

    def judge(self, fake: Fake, answers: dict[str, tuple[int, int]]) -> bool:
        """A planted fake: a fact from its report's group, reviewed, then found false by the other operator.
        False while its report has not reached the desk yet (the intake is behind): asked again later."""
        from studio.desk import rules
        from studio.desk.model import Claim, Draft, ReportKind, Status
        from studio.desk.turnout import claim

        answer = answers.get(fake.key)
        if answer is None:
            return False
        region = fake.region
        kk, ru = self._place(region)
        hour = f"{fake.as_of.astimezone(self.zone):%H:%M}"
        said = Claim(kk=f"{kk}: сағат {hour} жағдайы бойынша небәрі {fake.claimed}% дауыс берді (чаттағы скриншот)",
                     ru=f"{ru}: к {hour} проголосовали всего {fake.claimed}% (скриншот из чата)")
        draft = Draft(ReportKind.TURNOUT, said, region=region, value=Decimal(fake.claimed), as_of=fake.as_of)
        fact = next((fact for fact in self.desk.turnout_facts(region, fake.as_of)  # made before a restart
                     if any(report.id == answer[0] for report in fact.reports)), None)
        if fact is None:
            fact = self.desk.create_from_group(draft, answer[1], by=DESK_AUTHOR, at=self.clock(),
                                               why="a forwarded screenshot")
        if fact.status is Status.NEW:
            fact = self.desk.change(fact.id, fact.version, rules.StartReview("compared with the commission's release"),
                                    by=DESK_AUTHOR, at=self.clock())
        if fact.status is Status.IN_REVIEW:
            official = fake.official
            correction = claim(region, fake.as_of, Decimal(official.turnout_percent)) if official else Claim()
            why = (f"the commission gives {official.turnout_percent}%" if official else "no release says so")
            why += "; the screenshot has no source"
            if not (official and self._settle(fact.id, Decimal(official.turnout_percent), why)):
                self.desk.change(fact.id, fact.version, rules.MarkFalse(why, correction), by=DESK_VERIFIER,
                                 at=self.clock())
            self.work.fakes_false += 1
        return True

    def on_air_figure(self, retraction: Retraction, stated: set[int]) -> Any:
        """The verified figure the retraction is about, if a graphic on air states it (``stated``: fact ids)."""
        from studio.desk.model import Status

        for fact in self.desk.turnout_facts(retraction.region, retraction.as_of):
            if fact.status is Status.VERIFIED and fact.id in stated:
                return fact
        return None

    def retracted(self, retraction: Retraction) -> Any:
        """The figure the retraction is about, if it is retracted already (before a restart)."""
        from studio.desk.model import Status

        return next((fact for fact in self.desk.turnout_facts(retraction.region, retraction.as_of)
                     if fact.status is Status.RETRACTED), None)

    def retract(self, fact: Any) -> None:
        from studio.desk import rules
        from studio.desk.model import Claim

        kk, ru = self._place(fact.region)
        hour = f"{fact.as_of.astimezone(self.zone):%H:%M}"
        correction = Claim(kk=f"Түзету: {kk}, сағат {hour} жағдайы бойынша көрсеткіш қайта тексерілуде.",
                           ru=f"Поправка: явка, {ru}, на {hour} перепроверяется.")
        self.desk.change(fact.id, fact.version, rules.Retract(correction, "rehearsal: a figure on air withdrawn"),
                         by=DESK_AUTHOR, at=self.clock())
