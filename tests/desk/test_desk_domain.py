"""The desk's domain for issue 14: one fact id, typed sources and their policy,
splitting a report group, a fact from a group, a release verified as one act."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.desk import rules
from studio.desk.ids import FactIdError, fact_label, parse_fact_id
from studio.desk.model import Claim, Draft, ReportKind, Source, SourceKind, Status
from studio.desk.rules import EvidencePolicy, ReleaseRefused, RuleError
from studio.desk.sources import classify
from studio.store import db as schema
from studio.store.desk import DeskError, open_desk

T0 = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)


# --- ids ----------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=10**12))
def test_a_fact_id_reads_back_in_every_accepted_form(number: int) -> None:
    assert parse_fact_id(fact_label(number)) == number
    assert parse_fact_id(str(number)) == parse_fact_id(f" f{number} ") == parse_fact_id(number) == number


@pytest.mark.parametrize("text", ["", "F", "F-1", "0", "F0", "G105", "105a", "1 05", "١٠٥", "F1.5"])
def test_anything_else_is_not_a_fact_id_and_says_how_to_write_one(text: str) -> None:
    with pytest.raises(FactIdError) as refused:
        parse_fact_id(text)
    assert "F105 or 105" in str(refused.value)
    assert "F105 немесе 105" in refused.value.args[0].render("kk")


# --- sources --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "kind"),
    [
        ("https://www.election.gov.kz/rus/news/turnout", SourceKind.OFFICIAL),
        ("https://election.gov.kz/kaz/", SourceKind.OFFICIAL),
        ("https://www.gov.kz/memleket/entities/election/press/news/1", SourceKind.OFFICIAL),
        ("https://www.gov.kz/memleket/entities/mvd/press/news/1", SourceKind.AUTHORITY),
        ("https://akorda.kz/ru/1", SourceKind.AUTHORITY),
        ("https://www.nur.kz/politics/kazakhstan/2354058-referendum", SourceKind.MEDIA),
        ("https://kz.kursiv.media/?p=6874063", SourceKind.MEDIA),
        ("https://ar.inform.kz/news/astanada", SourceKind.MEDIA),
        ("https://t.me/some_channel/12", SourceKind.SOCIAL),
        ("https://m.facebook.com/post/1", SourceKind.SOCIAL),
        ("https://example.org/page", None),
        ("protocol No. 12 of the district commission", None),
        ("https://notelection.gov.kz.evil.com/", None),
        ("https://fakeelection.gov.kz/", SourceKind.AUTHORITY),  # only a subdomain of gov.kz, not the commission
    ],
)
def test_sources_are_typed_by_the_rules_kept_as_data(reference: str, kind: SourceKind | None) -> None:
    assert classify(reference) is kind


def test_a_source_without_a_type_is_classified_or_refused_with_the_types(desk) -> None:
    nur = desk.add_source(None, "https://www.nur.kz/x", by="dana", at=T0)
    assert (nur.kind, nur.origin) == (SourceKind.MEDIA, "nur.kz")
    with pytest.raises(DeskError, match="cannot tell what kind of source 'doc 12' is; give its type: official, auth"):
        desk.add_source(None, "doc 12", by="dana", at=T0)
    observer = desk.add_source(SourceKind.OBSERVER, "doc 12", origin="Amanat observers", by="dana", at=T0)
    assert observer.kind is SourceKind.OBSERVER


def test_a_reprint_quotes_the_commission_and_keeps_its_publication_time(desk) -> None:
    release = desk.add_source(None, "https://www.election.gov.kz/rus/news/1", by="dana", at=T0,
                              published_at=datetime(2026, 3, 15, 10, 5, tzinfo=UTC))
    reprint = desk.add_source(None, "https://www.nur.kz/x", by="dana", at=T0, quotes=release.id)
    assert reprint.kind is SourceKind.MEDIA and reprint.quotes == release and reprint.quotes_commission
    assert desk.source(release.id).published_at == datetime(2026, 3, 15, 10, 5, tzinfo=UTC)
    with pytest.raises(DeskError, match="there is no source #99"):
        desk.add_source(None, "https://www.nur.kz/y", by="dana", at=T0, quotes=99)
    with pytest.raises(DeskError, match="has no time zone"):
        desk.add_source(None, "https://www.nur.kz/z", by="dana", at=T0, published_at=datetime(2026, 3, 15, 10))


COMMISSION = Source(1, SourceKind.OFFICIAL, "https://election.gov.kz/1", "election.gov.kz")


def _reprint(number: int, outlet: str, quotes: Source | None = COMMISSION) -> Source:
    return Source(number, SourceKind.MEDIA, f"https://{outlet}/{number}", outlet, quotes=quotes)


@given(outlets=st.lists(st.sampled_from(["nur.kz", "ult.kz", "caravan.kz", "NUR.kz "]), min_size=1, max_size=4),
       lenient=st.booleans())
def test_reprints_count_as_the_commissions_word_only_by_policy(outlets: list[str], lenient: bool) -> None:
    sources = [_reprint(n, outlet) for n, outlet in enumerate(outlets, start=2)]
    proof = rules.evidence(sources, (), EvidencePolicy(reprint_counts_as_official=lenient))
    independent = {" ".join(o.casefold().split()) for o in outlets}
    assert proof.official is lenient
    assert proof.enough is (lenient or len(independent) >= 2)
    # a reprint of anything else is never official
    assert not rules.evidence([_reprint(9, "nur.kz", quotes=None)], (), EvidencePolicy(True)).official


# --- the schema ---------------------------------------------------------------------


def test_the_source_table_is_rebuilt_with_its_rows_references_and_guards(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "old.db"
    old = sqlite3.connect(path, isolation_level=None)
    old.execute("PRAGMA foreign_keys = ON")
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:7])
    schema.migrate(old)
    old.execute("INSERT INTO source (kind, reference, origin, added_at, added_by) "
                "VALUES ('official', 'https://www.nur.kz/x', 'nur.kz', '2026-03-15', 'a')")
    old.execute("INSERT INTO fact (kind, claim_kk, claim_ru, status, created_by, created_at, updated_at, version) "
                "VALUES ('turnout', 'a', 'b', 'new', 'x', '2026-03-15', '2026-03-15', 1)")
    old.execute("INSERT INTO fact_source VALUES (1, 1)")
    old.close()
    monkeypatch.undo()
    desk = open_desk(path)
    try:
        assert desk.get(1).sources == (Source(1, SourceKind.OFFICIAL, "https://www.nur.kz/x", "nur.kz"),)
        assert desk.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            desk.db.execute("INSERT INTO fact_source VALUES (1, 42)")
        with pytest.raises(sqlite3.IntegrityError, match="never changed"):
            desk.db.execute("UPDATE source SET kind = 'media'")
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            desk.db.execute("INSERT INTO source (kind, reference, origin, added_at, added_by) "
                            "VALUES ('rumour', 'r', 'o', 't', 'a')")
    finally:
        desk.close()


# --- report groups ----------------------------------------------------------------------


def test_a_wrongly_grouped_report_is_split_out_and_later_copies_follow_it(desk, report, tick) -> None:
    lead = report("obs-1", "Вбросы бюллетеней на участке 12")
    copy = report("obs-2", "Вбросы бюллетеней на участке 12")
    stranger = report("obs-3", "Вбросы бюллетеней на участке 12, наблюдателя выгнали")
    assert {lead.group_id, copy.group_id, stranger.group_id} == {lead.id}
    new_group = desk.split(lead.id, [stranger.id], by="dana", at=tick(), why="another incident: an observer expelled")
    assert new_group == stranger.id
    assert [r.id for r in desk.group_reports(lead.id)] == [lead.id, copy.id]
    assert [r.id for r in desk.group_reports(stranger.id)] == [stranger.id]
    assert desk.report(stranger.id).group_id == stranger.id  # the report itself is unchanged underneath
    assert desk.db.execute("SELECT group_id FROM report WHERE id = ?", (stranger.id,)).fetchone()[0] == lead.id
    sizes = {g.group_id: g.reports for g in desk.groups()}
    assert sizes == {lead.id: 2, stranger.id: 1}
    # a new copy of the stranger's text joins the stranger's new group, not the old one
    later = report("obs-4", "Вбросы бюллетеней на участке 12, наблюдателя выгнали")
    assert later.group_id == stranger.id
    assert sum(g.reports for g in desk.groups()) == 4
    with pytest.raises(sqlite3.IntegrityError, match="never"), desk.write():
        desk.db.execute("DELETE FROM report_move")


def test_a_split_the_rules_refuse_changes_nothing(desk, report, tick) -> None:
    lead, copy = report("obs-1"), report("obs-2")
    other = report("obs-3", "Очередь у участка", kind=ReportKind.QUEUE)
    for ids, why, code in [
        ([lead.id], "wrong", "report.split_lead"),
        ([other.id], "wrong", "report.split_stranger"),
        ([], "wrong", "report.split_nothing"),
        ([copy.id], " ", "fact.why"),
    ]:
        with pytest.raises(RuleError) as refused:
            desk.split(lead.id, ids, by="dana", at=tick(), why=why)
        assert refused.value.code == code
    with pytest.raises(DeskError, match="no group R999"):
        desk.split(999, [copy.id], by="dana", at=tick(), why="wrong")
    assert [r.id for r in desk.group_reports(lead.id)] == [lead.id, copy.id]
    assert desk.db.execute("SELECT COUNT(*) FROM report_move").fetchone()[0] == 0


def test_a_fact_made_from_a_group_links_its_reports_as_evidence(desk, report, tick) -> None:
    first, second = report("obs-1"), report("obs-2")
    draft = Draft(ReportKind.VIOLATION, Claim(ru="Вбросы на участке 12"), "astana", 12)
    fact = desk.create_from_group(draft, first.id, by="aigerim", at=tick())
    assert [r.id for r in fact.reports] == [first.id, second.id] and fact.status is Status.NEW
    assert rules.evidence(fact.sources, fact.reports).enough  # two observers
    assert [e.action for e in desk.audit(fact.id)] == ["create"]
    assert desk.groups() == []  # the group is covered now
    with pytest.raises(DeskError, match="no group R77"):
        desk.create_from_group(draft, 77, by="aigerim", at=tick())


# --- releases ---------------------------------------------------------------------------------

TEN = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)
REGIONS = ("astana", "almaty", "shymkent")


@pytest.fixture
def release(desk, new_fact, tick):
    """The 10:00 release: the country and three regions, in review, with the commission's page."""
    page = desk.add_source(None, "https://www.election.gov.kz/rus/news/1000", by="dana", at=tick())
    facts = [
        new_fact(sources=[page], kind=ReportKind.TURNOUT, claim=Claim(ru=f"явка {region}"), region=region,
                 station=None, value=Decimal(value), as_of=TEN)
        for region, value in ((None, "19.21"), *zip(REGIONS, ("20.68", "9.54", "21.36")))
    ]
    return page, facts


def test_a_release_is_verified_as_one_act_each_fact_audited(desk, release, tick) -> None:
    page, facts = release
    found = desk.release(TEN, page.id)
    assert [f.id for f in found] == [f.id for f in facts]
    done = desk.verify_release([(f.id, f.version) for f in found], page.id, by="bolat", at=tick(), why="checked")
    assert all(f.status is Status.VERIFIED and f.verified_by == "bolat" for f in done)
    assert len({f.verified_at for f in done}) == 1
    for fact in done:
        last = desk.audit(fact.id)[-1]
        assert (last.action, last.who) == ("verify", "bolat")
        assert last.why == f"checked (one release of 4 figures, source #{page.id})"
    assert desk.release(TEN, page.id) == []


def test_a_release_with_blockers_changes_nothing_and_names_each_fact(desk, release, new_fact, tick) -> None:
    page, facts = release
    # the importer cannot verify, one region is given twice, one fact changed meanwhile
    twice = new_fact(sources=[page], kind=ReportKind.TURNOUT, claim=Claim(ru="явка"), region="almaty",
                     station=None, value=Decimal("9.45"), as_of=TEN, by="dana")
    read = [(f.id, f.version) for f in desk.release(TEN, page.id)]
    with pytest.raises(ReleaseRefused) as refused:
        desk.verify_release(read, page.id, by="aigerim", at=tick(), why="checked")
    blocking = {(fact_id, error.code) for fact_id, error in refused.value.blockers}
    assert {(f.id, "fact.four_eyes") for f in facts} <= blocking
    assert (twice.id, "fact.release_twice") in blocking and (twice.id, "fact.four_eyes") not in blocking
    assert f"{fact_label(twice.id)}: fact #{twice.id} and fact #{facts[2].id} are both" in str(refused.value)
    assert all(f.status is Status.IN_REVIEW for f in desk.facts())
    edited = desk.change(facts[1].id, facts[1].version, rules.Edit({"value": "20.69"}, "typo"), by="dana", at=tick())
    with pytest.raises(Exception, match="was changed by dana"):
        desk.verify_release(read, page.id, by="bolat", at=tick(), why="checked")
    assert desk.get(edited.id).status is Status.IN_REVIEW and not any(f.airable for f in desk.facts())


def test_a_release_must_share_its_source_and_instant(desk, release, new_fact, tick) -> None:
    page, facts = release
    other = desk.add_source(SourceKind.OFFICIAL, "https://election.gov.kz/other", by="dana", at=tick())
    late = new_fact(sources=[other], kind=ReportKind.TURNOUT, claim=Claim(ru="явка"), region="abai", station=None,
                    value=Decimal("17.98"), as_of=TEN + timedelta(hours=2))
    with pytest.raises(ReleaseRefused) as refused:
        desk.verify_release([(late.id, late.version), *((f.id, f.version) for f in facts)], page.id, by="bolat",
                            at=tick(), why="checked")
    assert {code for _, e in refused.value.blockers for code in [e.code]} == {"fact.release_source",
                                                                               "fact.release_instant"}
    with pytest.raises(RuleError, match="no figure in review"):
        desk.verify_release([], page.id, by="bolat", at=tick(), why="checked")


# Conflicts between figures: tests/desk/test_desk_conflicts.py
