"""The commission's real turnout figures of 15 March 2026 (tests/data copy of
studio/sample/referendum-2026/referendum-2026-turnout.csv) imported as facts in review with
the news page they were read from (media quoting the commission), verified
by a second person once the commission's own page is attached, read by
graphics."""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from studio.desk import rules
from studio.desk.model import Claim, Fact, FactReader, ReportKind, Source, SourceKind, Status
from studio.desk.rules import RuleError
from studio.desk.turnout import import_turnout
from studio.regions import regions
from studio.store.desk import DeskStore, open_desk

TURNOUT = Path(__file__).resolve().parent.parent / "data" / "referendum-2026-turnout.csv"
ALMATY = ZoneInfo("Asia/Almaty")


def local(hour: int) -> datetime:
    return datetime(2026, 3, 15, hour, tzinfo=ALMATY)


def commission_page(desk: DeskStore, hour: int, tick) -> Source:
    """The commission's own publication of a release, as the desk finds it (typed by sources.toml)."""
    return desk.add_source(None, f"https://www.election.gov.kz/rus/news/turnout-{hour:02d}00", by="dana", at=tick())


def verify_release(desk: DeskStore, hour: int, by: str, tick) -> list[Fact]:
    """The commission's page attached to every figure of the hour, then the release verified in one act."""
    page = commission_page(desk, hour, tick)
    for fact in desk.facts(status=Status.IN_REVIEW, kind=ReportKind.TURNOUT):
        if fact.as_of == local(hour):
            desk.attach_source(fact.id, fact.version, page.id, by="dana", at=tick())
    release = desk.release(local(hour), page.id)
    return desk.verify_release(
        [(f.id, f.version) for f in release], page.id, by=by, at=tick(), why="compared with the release"
    )


def test_every_row_becomes_a_fact_in_review_with_its_page_as_media_quoting_the_commission(desk, tick) -> None:
    with open(TURNOUT, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    summary = import_turnout(desk, TURNOUT, operator="aigerim", now=tick)
    assert (summary.added, summary.duplicates, summary.rejected, summary.warnings) == (len(rows), 0, (), ())
    facts = desk.facts()
    assert len(facts) == len(rows) == 105
    assert all(f.status is Status.IN_REVIEW and f.created_by == "aigerim" and not f.airable for f in facts)
    national = facts[0]
    assert (national.kind, national.region, national.value, national.as_of) == (
        ReportKind.TURNOUT, None, Decimal("19.21"), local(10))
    assert national.details == {"voters": "2393844", "registered": "12461796"}
    assert national.claim.ru == "По Казахстану: явка на 10:00 — 19,21%"
    assert national.claim.kk == "Қазақстан бойынша: сағат 10:00-дегі жағдай бойынша сайлаушылардың келуі 19,21%"
    (source,) = national.sources
    assert (source.kind, source.reference, source.origin) == (SourceKind.MEDIA, rows[0]["source"], "nur.kz")
    assert source.quotes_commission and source.quotes.origin == "election.gov.kz"
    assert source.quotes.reference == "turnout release 2026-03-15T10:00+05:00"
    assert rules.evidence(national.sources, ()).describe() == "1 independent origin(s): org:nur.kz"
    # published figures are kept exactly as printed, trailing zero included
    assert str(next(f for f in facts if f.region == "aktobe" and f.as_of == local(10)).value) == "21.80"
    # the import went through the rules: created, then taken into review, both audited
    assert [e.action for e in desk.audit(national.id)] == ["create", "start_review"]
    assert desk.audit(national.id)[0].why == f"imported from {TURNOUT.name}:2"


def test_importing_the_figures_again_adds_nothing(desk, tick) -> None:
    import_turnout(desk, TURNOUT, operator="aigerim", now=tick)
    again = import_turnout(desk, TURNOUT, operator="bolat", now=tick)
    assert (again.added, again.duplicates, again.corroborated) == (0, 105, 0)
    assert len(desk.facts()) == 105


def test_the_importer_cannot_verify_what_they_imported(desk, tick) -> None:
    import_turnout(desk, TURNOUT, operator="aigerim", now=tick)
    fact = desk.facts()[0]
    fact = desk.attach_source(fact.id, fact.version, commission_page(desk, 10, tick).id, by="dana", at=tick())
    with pytest.raises(RuleError, match="four eyes"):
        desk.change(fact.id, fact.version, rules.Verify(), by="aigerim", at=tick())
    assert desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick()).airable


def test_a_reprint_alone_is_not_the_commissions_word_unless_the_station_says_so(desk, tmp_path, tick) -> None:
    import_turnout(desk, TURNOUT, operator="aigerim", now=tick)
    fact = desk.facts()[0]
    with pytest.raises(RuleError, match="needs one official source or two independent ones"):
        desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())
    lenient = open_desk(desk.location, rules.EvidencePolicy(reprint_counts_as_official=True))
    try:
        assert lenient.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick()).airable
    finally:
        lenient.close()


def test_graphics_read_only_verified_turnout_one_per_region_country_first(desk, tick) -> None:
    import_turnout(desk, TURNOUT, operator="aigerim", now=tick)
    reader: FactReader = desk  # the interface graphics use
    assert reader.verified_turnout(local(10)) == []  # nothing verified yet: nothing on air
    verify_release(desk, 10, "bolat", tick)
    board = reader.verified_turnout(local(10))
    assert [f.region for f in board] == [None, *regions()]
    assert all(f.airable for f in board)
    assert [(f.region, str(f.value)) for f in board[:3]] == [(None, "19.21"), ("astana", "20.68"), ("almaty", "9.54")]
    # any zone names the same instant
    assert reader.verified_turnout(local(10).astimezone(ZoneInfo("UTC"))) == board
    # 14:00 has only the country and Astana; 20:00 lacks North Kazakhstan and Ulytau
    verify_release(desk, 14, "bolat", tick)
    verify_release(desk, 20, "bolat", tick)
    assert [f.region for f in reader.verified_turnout(local(14))] == [None, "astana"]
    evening = {f.region for f in reader.verified_turnout(local(20))}
    assert len(evening) == 19 and not {"north-kz", "ulytau"} & evening
    assert reader.get(board[0].id) == board[0] and reader.get(10_000) is None


def test_a_retracted_figure_leaves_the_board(desk, tick) -> None:
    import_turnout(desk, TURNOUT, operator="aigerim", now=tick)
    verify_release(desk, 10, "bolat", tick)
    astana = next(f for f in desk.verified_turnout(local(10)) if f.region == "astana")
    desk.change(astana.id, astana.version, rules.Retract(Claim(kk="Астана: 20,68% емес")), by="aigerim", at=tick())
    assert "astana" not in {f.region for f in desk.verified_turnout(local(10))}
    assert desk.get(astana.id).status is Status.RETRACTED  # what a graphic on air sees


def test_another_outlet_with_the_same_figure_corroborates_a_different_one_is_flagged(desk, tmp_path, tick) -> None:
    import_turnout(desk, TURNOUT, operator="aigerim", now=tick)
    other = tmp_path / "tengri.csv"
    other.write_text(
        "local_time,region,turnout_percent,voters,registered,source\n"
        "2026-03-15T10:00+05:00,astana,20.68,,,https://tengrinews.kz/turnout-10\n"
        "2026-03-15T10:00+05:00,almaty,9.45,,,https://tengrinews.kz/turnout-10\n",
        "utf-8",
    )
    summary = import_turnout(desk, other, operator="dana", now=tick)
    assert (summary.added, summary.corroborated) == (1, 1)
    astana = next(f for f in desk.turnout_facts("astana", local(10)))
    assert [s.origin for s in astana.sources] == ["nur.kz", "tengrinews.kz"]
    assert rules.evidence(astana.sources, ()).enough  # two independent outlets
    assert [e.action for e in desk.audit(astana.id)][-1] == "attach_source"
    (warning,) = summary.warnings
    assert warning.line == 3 and "almaty at 10:00: 9.45% (new fact" in warning.message and "9.54%" in warning.message
    assert ": warning: almaty at 10:00" in str(summary)
    # two outlets that disagree are a conflict: neither figure can be verified until it is settled
    first, second = desk.turnout_facts("almaty", local(10))
    [conflict] = desk.conflicts(open_only=True)
    assert conflict.fact_ids == (first.id, second.id) and conflict.opened_by == "dana"
    first = desk.attach_source(first.id, first.version, commission_page(desk, 10, tick).id, by="dana", at=tick())
    with pytest.raises(RuleError, match="held in conflict C1"):
        desk.change(first.id, first.version, rules.Verify(), by="bolat", at=tick())


def test_bad_rows_of_a_turnout_file_are_rejected_and_kept(desk, tmp_path, tick) -> None:
    path = tmp_path / "turnout.csv"
    path.write_text(
        "local_time,region,turnout_percent,voters,registered,source\n"
        "2026-03-15T12:00+05:00,astana,31.23,,,https://ult.kz/x\n"
        "12 o'clock,astana,31.23,,,https://ult.kz/x\n"
        "2026-03-15T12:00+05:00,atlantis,31.23,,,https://ult.kz/x\n"
        "2026-03-15T12:00+05:00,almaty,114.85,,,https://ult.kz/x\n"
        "2026-03-15T12:00+05:00,almaty,14.85,many,,https://ult.kz/x\n"
        "2026-03-15T12:00+05:00,almaty,14.85,,,telegram\n"
        "2026-03-15T12:00,Алматы облысы,40.41,,,https://ult.kz/x\n",
        "utf-8",
    )
    summary = import_turnout(desk, path, operator="aigerim", now=tick)
    assert summary.added == 2
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (3, "'local_time': cannot read the time \"12 o'clock\""),
        (5, "'turnout_percent': '114.85' is more than 100%"),
        (6, "'voters': 'many' is not a whole number"),
        (7, "'source': 'telegram' is not a web address"),
    ]
    assert len(desk.quarantine(str(path))) == 4
    # a region nobody can place is not a rejected row: it waits at the desk for a person to name its unit
    (held,) = desk.held()
    assert (summary.held, held.spelling, held.line, held.path) == (1, "atlantis", 4, "turnout")
    # a time without an offset is Almaty time, a region may be named
    (region,) = desk.turnout_facts("almaty-region", local(12))
    assert region.value == Decimal("40.41")


def test_a_source_that_is_no_address_is_a_rejected_row(desk, tmp_path) -> None:
    """fuzz: "http://[" made urlsplit raise, and the whole import with it (tests/fuzz/test_fuzz_import.py)."""
    path = tmp_path / "turnout.csv"
    path.write_text("local_time,region,turnout_percent,voters,registered,source\n"
                    "2026-03-15T10:00+05:00,national,19.21,,,http://[\n", "utf-8")
    summary = import_turnout(desk, path, operator="aigerim")
    assert summary.added == 0 and [(r.line, r.reason) for r in summary.rejected] == [
        (2, "'source': 'http://[' is not a web address")
    ]
