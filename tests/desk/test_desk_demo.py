"""studio demo-data: the sample day in a store, through the paths real data takes, and only once."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from studio.cli import main
from studio.desk.demo import CREATOR, DATA, REPORTS, REPORTS_FILE, TURNOUT_FILE, VERIFIER, load_demo
from studio.desk.model import Status
from studio.desk.views import GraphicsFacts
from studio.graphics.gate import admit
from studio.store.desk import DeskStore, open_desk

ALMATY = ZoneInfo("Asia/Almaty")
KAZAKH_ONLY = re.compile("[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")


def turnout_rows() -> list[dict[str, str]]:
    with open(DATA / TURNOUT_FILE, encoding="utf-8-sig", newline="") as rows:
        return list(csv.DictReader(rows))


def counts(desk: DeskStore) -> dict[str, int]:
    tables = ("report", "fact", "fact_audit", "source", "fact_source", "fact_report", "import_key", "quarantine")
    return {table: desk.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in tables}


@pytest.fixture
def loaded(desk: DeskStore) -> DeskStore:
    summary = load_demo(desk)
    assert summary.added_anything
    return desk


def test_the_commissions_figures_arrive_in_review_through_the_importer(loaded: DeskStore) -> None:
    figures = [f for f in loaded.facts() if f.kind.value == "turnout" and f.created_by == CREATOR and f.as_of]
    in_review = [f for f in figures if f.status is Status.IN_REVIEW]
    assert len(in_review) == len(turnout_rows())
    assert all(f.sources and f.verified_by is None for f in in_review)
    assert {entry.action for f in in_review[:3] for entry in loaded.audit(f.id)} == {"create", "start_review"}


def test_observer_reports_come_through_the_intakes_rules_from_several_regions_and_observers(loaded: DeskStore) -> None:
    reports = loaded.reports(range(1, len(REPORTS) + 10))
    assert len(reports) == len(REPORTS)
    assert len({r.observer for r in reports}) >= 8 and len({r.region for r in reports}) >= 6
    assert any(KAZAKH_ONLY.search(r.text) for r in reports)
    assert any(not KAZAKH_ONLY.search(r.text) for r in reports)
    pavlodar = next(r for r in reports if r.region == "pavlodar")  # sent as "Павлодарская область", "УИК 301"
    assert (pavlodar.station, pavlodar.kind.value, pavlodar.channel) == (301, "queue", "telegram-bot")
    assert {loaded.provenance(r.id)[0] for r in reports} == {REPORTS_FILE}
    groups = loaded.groups(open_only=False)
    assert sum(1 for g in groups if g.reports >= 2) >= 4
    assert sum(1 for g in groups if not g.facts) >= 5  # open for a newcomer to work


def test_the_planted_fake_contradicts_the_commission_and_is_false_with_a_correction(loaded: DeskStore) -> None:
    fake = next(f for f in loaded.facts(Status.FALSE))
    official = [
        f for f in loaded.turnout_facts(fake.region, fake.as_of) if f.id != fake.id and f.created_by == CREATOR
    ]
    assert official and all(f.value != fake.value for f in official)
    assert fake.correction.kk and fake.correction.ru
    assert str(official[0].value).replace(".", ",") in fake.correction.ru  # the figure as the commission gave it
    assert fake.verified_by == VERIFIER and VERIFIER not in fake.authors
    assert {s.kind.value for s in fake.sources} == {"social", "media"}  # the post, and the press's reprint
    reprint = next(s for s in fake.sources if s.kind.value == "media")
    assert reprint.quotes_commission
    day = date(2026, 3, 15)
    assert admit("debunk-card", "debunk", str(fake.id), GraphicsFacts(loaded, day)).correction_ru


def test_the_verified_fact_is_a_group_of_three_observers_and_airs_as_a_fact_card(loaded: DeskStore) -> None:
    verified = next(f for f in loaded.facts(Status.VERIFIED))
    assert len({r.observer for r in verified.reports}) >= 2 and VERIFIER not in verified.authors
    assert admit("fact-card", "fact", f"F{verified.id}", GraphicsFacts(loaded, date(2026, 3, 15))).verifier == VERIFIER


def test_the_correction_is_a_verified_fact_retracted_with_its_correction(loaded: DeskStore) -> None:
    retracted = next(f for f in loaded.facts(Status.RETRACTED))
    assert retracted.correction.kk and retracted.correction.ru
    history = [(entry.action, entry.who) for entry in loaded.audit(retracted.id)]
    assert ("verify", VERIFIER) in history and history[-1][0] == "retract"
    assert len({r.observer for r in retracted.reports}) == 2  # two observers' reports were its evidence


def test_four_eyes_hold_and_every_time_is_on_the_day(loaded: DeskStore) -> None:
    verdicts = {"verify", "mark_false", "mark_unproven"}
    for fact in loaded.facts():
        for entry in loaded.audit(fact.id):
            assert entry.who in (CREATOR, VERIFIER)
            assert entry.at.astimezone(ALMATY).date() == date(2026, 3, 15)
            if entry.action in verdicts:
                assert entry.who not in fact.authors
    for report in loaded.reports(range(1, len(REPORTS) + 1)):
        assert 7 <= report.received_at.astimezone(ALMATY).hour < 20


def test_a_second_run_adds_nothing_and_says_so(loaded: DeskStore) -> None:
    before = counts(loaded)
    again = load_demo(loaded)
    assert counts(loaded) == before
    assert not again.added_anything and again.turnout.added == 0 and again.reports_added == 0
    assert "nothing new" in again.render("en") and "ничего нового" in again.render("ru")


def test_the_command_loads_into_the_store_given_and_says_what_it_did(tmp_path: Path, capsys) -> None:
    store = tmp_path / "demo.db"
    assert main(["--lang", "en", "--store", str(store), "demo-data"]) == 0
    first = capsys.readouterr().out
    assert f"observer reports: {len(REPORTS)} added" in first and "debunk-card --fact" in first
    assert main(["--lang", "en", "--store", str(store), "demo-data"]) == 0
    assert "nothing new" in capsys.readouterr().out


def test_a_missing_data_folder_is_a_clear_error_that_stores_nothing(tmp_path: Path, capsys) -> None:
    store = tmp_path / "x.db"
    assert main(["--lang", "en", "--store", str(store), "demo-data", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "error: cannot read the commission's almaty figure at 12:00" in err and "hint: pass --data" in err
    assert "Traceback" not in err
    desk = open_desk(store)
    try:
        assert counts(desk)["report"] == counts(desk)["fact"] == 0
    finally:
        desk.close()


def test_if_empty_loads_a_new_store_and_never_touches_one_with_work_in_it(tmp_path: Path, capsys) -> None:
    store = tmp_path / "show.db"
    assert main(["--lang", "en", "--store", str(store), "demo-data", "--if-empty"]) == 0
    assert f"observer reports: {len(REPORTS)} added" in capsys.readouterr().out
    desk = open_desk(store)
    before = counts(desk)
    desk.close()
    assert main(["--lang", "en", "--store", str(store), "demo-data", "--if-empty"]) == 0
    assert "not loaded: this store already has reports or facts" in capsys.readouterr().out
    desk = open_desk(store)
    try:
        assert counts(desk) == before
    finally:
        desk.close()


def test_every_fact_and_debunk_cue_of_the_sample_rundown_airs_from_the_sample_day(loaded: DeskStore, tmp_path) -> None:
    """No placeholder reaches a cue: each names a fact the demo creates, and the real gate and renderer take it."""
    from studio.graphics import Renderer
    from studio.paths import shipped
    from studio.rundown.load import load_rundown

    rundown = load_rundown(Path(__file__).resolve().parents[2] / "studio" / "sample" / "referendum-day.toml")
    renderer = Renderer(shipped("overlays"), tmp_path, GraphicsFacts(loaded, rundown.show.date), zone=rundown.show.zone)
    cues = [cue for segment in rundown.segments for cue in segment.graphics
            if cue.template in ("fact-card", "debunk-card")]
    assert {cue.template for cue in cues} == {"fact-card", "debunk-card"}
    for cue in cues:
        assert Path(renderer.cue(cue).png).exists()
