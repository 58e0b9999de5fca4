"""The kind 'protocol' (a polling station's result protocol, asked by the phone form and the bot): a store made
before it keeps every report, fact and link through the migration that rebuilds report and fact, and then takes
the new kind; its spellings are found in Kazakh and Russian."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import studio.store.db as db_module
from studio.desk import rules
from studio.desk.mapping import Mapping
from studio.desk.model import Claim, Draft, ReportKind
from studio.desk.report_body import check_report
from studio.store.desk import NewReport, open_desk
from tests.desk.conftest import T0, Ticker

PROTOCOL_MIGRATION = next(n for n, script in enumerate(db_module.MIGRATIONS) if "'protocol'" in script)


def test_a_store_made_before_the_kind_keeps_everything_and_then_takes_it(tmp_path: Path, monkeypatch) -> None:
    path, tick = tmp_path / "desk.db", Ticker()
    with monkeypatch.context() as before:
        before.setattr(db_module, "MIGRATIONS", db_module.MIGRATIONS[:PROTOCOL_MIGRATION])
        old = open_desk(path)
        first = old.add_report(
            NewReport(observer="aigerim", received_at=tick(), text="Вбросы", channel="http", region="astana",
                      station=12, kind=ReportKind.VIOLATION), by="desk", at=tick())
        fact = old.create_fact(Draft(ReportKind.VIOLATION, Claim(ru="Вбросы на участке 12"), region="astana"),
                               by="aigerim", at=tick(), report_ids=[first.id])
        with pytest.raises(sqlite3.IntegrityError):
            old.db.execute("INSERT INTO fact (kind, claim_kk, claim_ru, status, created_by, created_at, updated_at,"
                           " version) VALUES ('protocol', '', 'x', 'new', 'a', 'now', 'now', 1)")
        old.close()

    store = open_desk(path)  # migrates
    try:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(db_module.MIGRATIONS)
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.report(first.id) == first
        assert store.get(fact.id) == fact
        assert [r.id for r in store.get(fact.id).reports] == [first.id]
        with pytest.raises(sqlite3.IntegrityError, match="never changed"):  # the triggers came back with the table
            store.db.execute("UPDATE report SET text = 'x'")
        protocol = store.add_report(
            NewReport(observer="bolat", received_at=tick(), text="Хаттама суреті", channel="form", region="astana",
                      station=12, kind=ReportKind.PROTOCOL), by="desk", at=tick())
        assert store.report(protocol.id).kind is ReportKind.PROTOCOL
        assert store.db.execute("SELECT kind FROM report_grouped WHERE id = ?", (protocol.id,)).fetchone()[0] == (
            "protocol")
        made = store.create_fact(Draft(ReportKind.PROTOCOL, Claim(kk="Хаттама", ru="Протокол"), region="astana"),
                                 by="bolat", at=tick(), report_ids=[protocol.id])
        assert store.change(made.id, made.version, rules.StartReview(), by="bolat", at=tick()).kind is (
            ReportKind.PROTOCOL)
    finally:
        store.close()


@pytest.mark.parametrize("said", ["protocol", "хаттама", "Қорытынды хаттама", "протокол", "Итоговый протокол"])
def test_the_kind_is_found_in_every_language(said: str) -> None:
    assert Mapping().kind_lookup()[said.lower()] == ReportKind.PROTOCOL
    row, _held = check_report({"region": "astana", "kind": said, "text": "Хаттама ілінді"}, "aigerim", T0)
    assert ReportKind(row[5]) is ReportKind.PROTOCOL
