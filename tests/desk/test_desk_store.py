"""The desk's tables: one migration, optimistic concurrency between terminals,
append-only history, and nothing a rule forbids even through raw SQL."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.desk import rules
from studio.desk.model import Claim, ReportKind, SourceKind, Status
from studio.desk.rules import RuleError
from studio.store import open_store
from studio.store.db import MIGRATIONS
from studio.store.desk import ConflictError, DeskError, NewReport, open_desk


def test_the_desk_tables_are_one_migration_after_the_show_tables(tmp_path: Path) -> None:
    show = open_store(tmp_path / "s.db")  # the show side opens the same file
    assert show.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) >= 2
    tables = {row[0] for row in show.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"report", "source", "fact", "fact_source", "fact_report", "fact_audit", "quarantine", "import_key",
            "import_batch", "event", "asrun"} <= tables
    assert "CREATE TABLE plan" in MIGRATIONS[0] and "CREATE TABLE report" not in MIGRATIONS[0]


def test_two_terminals_changing_one_fact_the_second_gets_a_conflict(tmp_path: Path, tick) -> None:
    first, second = open_desk(tmp_path / "s.db"), open_desk(tmp_path / "s.db")
    official = first.add_source(SourceKind.OFFICIAL, "https://election.gov.kz/1", by="a", at=tick())
    fact = first.create_fact(
        rules.Draft(ReportKind.QUEUE, Claim(ru="Очередь")), by="aigerim", at=tick(), source_ids=[official.id]
    )
    fact = first.change(fact.id, fact.version, rules.StartReview(), by="aigerim", at=tick())
    seen_by_first, seen_by_second = first.get(fact.id), second.get(fact.id)
    assert seen_by_first == seen_by_second
    first.change(fact.id, seen_by_first.version, rules.Verify(), by="bolat", at=tick())
    expected = r"fact #1 was changed by bolat at 05:00:\d\d UTC \(it is at version 3, you read version 2\); reload it"
    with pytest.raises(ConflictError, match=expected) as conflict:
        second.change(fact.id, seen_by_second.version, rules.MarkFalse("fake"), by="dana", at=tick())
    assert (conflict.value.read, conflict.value.current, conflict.value.who) == (2, 3, "bolat")
    assert second.get(fact.id).status is Status.VERIFIED  # the second terminal changed nothing
    assert len(second.audit(fact.id)) == 3
    assert second.changed_elsewhere()  # and it can tell that someone wrote


def test_the_audit_log_and_the_reports_cannot_be_rewritten(desk, new_fact, report, source) -> None:
    official = source(SourceKind.OFFICIAL, "commission")
    fact = new_fact(sources=[official], reports=[report("obs-1")])
    with desk.write():
        desk.add_quarantine([("k", 1, "reason", "raw")], batch=desk.begin_batch("reports", "f.csv", by="a",
                                                                               at=datetime.now(UTC)))
    for statement, message in [
        ("UPDATE fact_audit SET who = 'x'", "append-only"),
        ("DELETE FROM fact_audit", "append-only"),
        ("UPDATE report SET text = 'x'", "never changed"),
        ("DELETE FROM report", "never deleted"),
        ("UPDATE source SET kind = 'official'", "never changed"),
        ("DELETE FROM source", "never deleted"),
        ("DELETE FROM fact", "never deleted"),
        ("DELETE FROM quarantine", "kept"),
        ("DELETE FROM import_batch", "append-only"),
    ]:
        with pytest.raises(sqlite3.IntegrityError, match=message), desk.write():
            desk.db.execute(statement)
    # a safety net under the rules: raw SQL cannot make a creator the verifier
    with pytest.raises(sqlite3.IntegrityError, match="(?i)check"), desk.write():
        desk.db.execute("UPDATE fact SET status = 'verified', verified_by = created_by WHERE id = ?", (fact.id,))
    with pytest.raises(sqlite3.IntegrityError, match="(?i)check"), desk.write():
        desk.db.execute("UPDATE fact SET status = 'retracted' WHERE id = ?", (fact.id,))


def test_linking_judges_the_stored_report_not_what_the_caller_says(desk, new_fact, report, tick) -> None:
    fact = new_fact(reports=[report("obs-1")])
    second = report("obs-1")
    forged = rules.LinkReports((rules.ReportRef(second.id, "obs-2"),))
    fact = desk.change(fact.id, fact.version, forged, by="bolat", at=tick())
    assert [r.observer for r in fact.reports] == ["obs-1", "obs-1"]
    with pytest.raises(RuleError, match="two independent ones"):
        desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())


def test_unknown_things_are_named(desk, new_fact, tick) -> None:
    with pytest.raises(DeskError, match="there is no fact F99"):
        desk.change(99, 1, rules.Verify(), by="bolat", at=tick())
    fact = new_fact()
    with pytest.raises(DeskError, match="there is no source #5"):
        desk.attach_source(fact.id, fact.version, 5, by="bolat", at=tick())
    with pytest.raises(DeskError, match="there is no report R7"):
        desk.link_reports(fact.id, fact.version, [7], by="bolat", at=tick())
    with pytest.raises(DeskError, match="needs a reference"):
        desk.add_source(SourceKind.MEDIA, " ", by="a", at=tick())


def test_a_report_typed_in_at_the_desk(desk, tick) -> None:
    call = NewReport("obs-9", "phone", tick(), "kyzylorda", 31, ReportKind.INCIDENT, "Жарық сөнді", ("p.jpg",))
    stored = desk.add_report(call, by="aigerim", at=tick())
    assert (stored.observer, stored.region, stored.station, stored.group_id) == ("obs-9", "kyzylorda", 31, stored.id)
    assert desk.provenance(stored.id)[0:2] == ("", 0)
    assert desk.provenance(stored.id)[3] == "aigerim"
    with pytest.raises(DeskError, match="region id"):
        desk.add_report(NewReport("o", "phone", tick(), "atlantis", 1, ReportKind.OTHER, "x"), by="a", at=tick())
    with pytest.raises(DeskError, match="positive number"):
        desk.add_report(NewReport("o", "phone", tick(), "astana", 0, ReportKind.OTHER, "x"), by="a", at=tick())


def test_the_queue_shows_open_groups_and_hides_handled_ones(desk, new_fact, report) -> None:
    carousel = [report(f"obs-{n}", "Карусель у школы 5") for n in range(3)]
    queue = report("obs-9", "Очередь у входа", kind=ReportKind.QUEUE)
    groups = desk.groups()
    assert [(g.group_id, g.reports, g.observers) for g in groups] == [(queue.id, 1, 1), (carousel[0].id, 3, 3)]
    new_fact(reports=carousel[:1])
    assert [g.group_id for g in desk.groups()] == [queue.id]
    handled = [g for g in desk.groups(open_only=False) if g.facts]
    assert [(g.group_id, g.facts) for g in handled] == [(carousel[0].id, (1,))]


def test_facts_can_be_listed_by_status_and_kind(desk, new_fact) -> None:
    new_fact(review=False)
    review = new_fact(kind=ReportKind.QUEUE)
    assert [f.id for f in desk.facts(status=Status.IN_REVIEW)] == [review.id]
    assert [f.id for f in desk.facts(kind=ReportKind.QUEUE)] == [review.id]
