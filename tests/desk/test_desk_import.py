"""`studio import`: good rows in, bad rows kept with their line and reason,
the same rows twice add nothing, and nothing is lost."""

from __future__ import annotations

import csv
import gc
import io
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.desk.importer import default_rejects_path, import_reports, run
from studio.desk.mapping import DEFAULT_FILE, Mapping, load_mapping
from studio.desk.model import ReportKind
from studio.diagnostics import DiagnosticsError
from studio.store import db as db_module
from studio.store.db import Migration
from studio.store.desk import open_desk

HEADER = "observer,channel,received_at,region,station,kind,text,attachments\n"
GOOD = [
    'obs-1,form,2026-03-15T10:05:00+05:00,astana,12,violation,"Карусель на участке 12, автобус",photos/1.jpg\n',
    "obs-2,bot,2026-03-15T05:06:00Z,Алматы облысы,№ 45,нарушение,Наблюдателя выгнали с участка,\n",
    "obs-3,,2026-03-15 10:07,г. Алматы,УИК 7,кезек,Учаске алдында үлкен кезек,a.jpg; b.jpg\n",
    "obs-4,form,1773551220,Almaty Region,,turnout,Явка на 10:00 около 20%,\n",
]
BAD = {
    "bad time": "obs-5,form,15/03/2026 25:61,astana,1,violation,Вбросы,\n",
    "no region name": f"obs-6,form,2026-03-15T10:05:00+05:00,{'Астана' * 40},1,violation,Вбросы,\n",
    "missing text": "obs-7,form,2026-03-15T10:05:00+05:00,astana,1,violation,   ,\n",
    "wrong kind": "obs-8,form,2026-03-15T10:05:00+05:00,astana,1,fraud,Вбросы,\n",
    "bad station": "obs-9,form,2026-03-15T10:05:00+05:00,astana,двенадцать,violation,Вбросы,\n",
    "field count": "obs-10,form,2026-03-15T10:05:00+05:00,astana,1,violation,Вбросы, карусель,x,y\n",
    "missing observer": ",form,2026-03-15T10:05:00+05:00,astana,1,violation,Вбросы,\n",
}


def write_export(path: Path, lines: list[str], cp1251_line: str | None = None) -> Path:
    data = (HEADER + "".join(lines)).encode("utf-8")
    if cp1251_line is not None:
        data += cp1251_line.encode("cp1251")
    path.write_bytes(data)
    return path


@pytest.fixture
def export(tmp_path: Path) -> Path:
    # the good rows, each bad row after them, and a row from a Windows machine in cp1251
    return write_export(
        tmp_path / "export.csv",
        GOOD + list(BAD.values()),
        cp1251_line="obs-11,form,2026-03-15T10:05:00+05:00,astana,1,violation,Вбросы бюллетеней,\n",
    )


def test_good_rows_go_in_and_each_bad_row_is_kept_with_its_line_and_reason(desk, export) -> None:
    summary = import_reports(desk, export, operator="aigerim")
    assert (summary.added, summary.duplicates) == (4, 0)
    lines = {r.line: r.reason for r in summary.rejected}
    first_bad = 2 + len(GOOD)
    assert lines == {
        first_bad: "cannot read the time '15/03/2026 25:61'",
        first_bad + 1: "the region is longer than 200 characters, so it is not a name: send the region's name or id",
        first_bad + 2: "missing text",
        first_bad + 3: "unknown kind 'fraud'",
        first_bad + 4: "the station 'двенадцать' is not a number",
        first_bad + 5: "the row has 10 fields, the header has 8",
        first_bad + 6: "missing observer",
        first_bad + 7: "the row is not valid utf-8-sig text",
    }
    encoding = summary.rejected[-1]
    assert "Windows-1251" in encoding.hint and "\\x" in encoding.raw
    # the quarantine holds every rejected row as it was, with the reason
    kept = desk.quarantine()
    assert [(q.line, q.reason) for q in kept] == sorted(lines.items())
    assert kept[0].raw == BAD["bad time"].rstrip("\n") and kept[0].operator == "aigerim"
    assert kept[0].file == str(export)
    # and so does the rejects file
    assert summary.rejects_file == default_rejects_path(export)
    with open(summary.rejects_file, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(int(r["line"]), r["reason"]) for r in rows] == sorted(lines.items())
    assert rows[0]["raw"] == BAD["bad time"].rstrip("\n")
    # nothing is lost: every data line is a report or a rejected row
    assert summary.added + len(summary.rejected) == len(GOOD) + len(BAD) + 1


def test_rows_are_read_as_the_observer_meant_them(desk, export) -> None:
    import_reports(desk, export, operator="aigerim")
    reports = {r.observer: r for r in desk.reports(range(1, 5))}
    first, second, third, fourth = (reports[f"obs-{n}"] for n in range(1, 5))
    assert (first.region, first.station, first.kind.value, first.attachments) == (
        "astana", 12, "violation", ("photos/1.jpg",))
    assert first.received_at == datetime(2026, 3, 15, 5, 5, tzinfo=UTC)
    assert (second.region, second.station, second.kind.value) == ("almaty-region", 45, "violation")
    # a time without an offset is Almaty time; a missing channel is the mapping's
    assert (third.region, third.station, third.kind.value, third.channel) == ("almaty", 7, "queue", "form")
    assert third.received_at == datetime(2026, 3, 15, 5, 7, tzinfo=UTC)
    assert third.attachments == ("a.jpg", "b.jpg")
    assert (fourth.region, fourth.station, fourth.received_at) == (
        "almaty-region", None, datetime(2026, 3, 15, 5, 7, tzinfo=UTC))
    assert desk.provenance(first.id)[:2] == (str(export), 2)


def test_the_same_file_twice_adds_nothing(desk, export) -> None:
    first = import_reports(desk, export, operator="aigerim")
    again = import_reports(desk, export, operator="bolat")
    assert (again.added, again.duplicates, again.quarantined) == (0, first.added, 0)
    assert len(again.rejected) == len(first.rejected)  # still reported, not kept twice
    assert len(desk.quarantine()) == len(first.rejected)
    assert desk.db.execute("SELECT COUNT(*) FROM report").fetchone()[0] == first.added


def test_a_cumulative_export_adds_only_the_new_rows(desk, tmp_path) -> None:
    import_reports(desk, write_export(tmp_path / "monday.csv", GOOD[:2]), operator="aigerim")
    later = import_reports(desk, write_export(tmp_path / "later.csv", GOOD), operator="aigerim")
    assert (later.added, later.duplicates) == (2, 2)


def test_the_exports_own_id_is_the_key_and_a_changed_row_is_rejected(desk, tmp_path) -> None:
    mapping = tmp_path / "bot.toml"
    mapping.write_text('system = "kz-bot"\n[columns]\nid = "msg_id"\n', "utf-8")
    header = "msg_id,observer,received_at,region,kind,text\n"
    first = tmp_path / "first.csv"
    first.write_text(header + "17,obs-1,2026-03-15T10:00+05:00,astana,queue,Кезек\n", "utf-8")
    second = tmp_path / "second.csv"
    second.write_text(
        header
        + "17,obs-1,2026-03-15T10:00+05:00,astana,queue,Кезек бар\n"
        + "18,obs-1,2026-03-15T10:01+05:00,astana,queue,Кезек\n"
        + "18,obs-1,2026-03-15T10:01+05:00,astana,queue,Кезек\n",
        "utf-8",
    )
    assert import_reports(desk, first, operator="a", mapping=mapping).added == 1
    summary = import_reports(desk, second, operator="a", mapping=mapping)
    assert (summary.added, summary.duplicates) == (1, 1)
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (2, "this row's id was imported as report #1 with different content; the first version is kept")
    ]


def test_json_array_with_a_broken_record_keeps_the_others(desk, tmp_path) -> None:
    path = tmp_path / "bot.json"
    path.write_text(
        "[\n"
        '  {"observer": "obs-1", "received_at": "2026-03-15T10:00:00+05:00", "region": "astana",\n'
        '   "station": 3, "kind": "queue", "text": "Кезек", "attachments": ["a.jpg"]},\n'
        '  {"observer": "obs-2", "received_at": "2026-03-15T10:01:00+05:00", "region": "astana",\n'
        '   "station": 3, "kind": "queue" "text": "Кезек бар"},\n'
        '  {"observer": "obs-3", "received_at": "2026-03-15T10:02:00+05:00", "region": "astana",\n'
        '   "station": 4, "kind": "other", "text": "Бәрі тыныш"},\n'
        '  "not a record"\n'
        "]\n",
        "utf-8",
    )
    summary = import_reports(desk, path, operator="aigerim")
    assert summary.added == 2
    assert [(r.line, r.reason.split(":")[0]) for r in summary.rejected] == [
        (4, "broken JSON"),
        (8, "a record must be a JSON object, not str"),
    ]
    assert '"obs-2"' in summary.rejected[0].raw
    assert desk.report(1).attachments == ("a.jpg",) or desk.report(2).attachments == ("a.jpg",)


def test_json_lines_with_a_broken_line(desk, tmp_path) -> None:
    path = tmp_path / "bot.jsonl"
    good = {"observer": "obs-1", "received_at": "2026-03-15T10:00:00+05:00", "region": "shymkent",
            "kind": "incident", "text": "Жарық сөнді"}
    path.write_text(json.dumps(good, ensure_ascii=False) + '\n{"observer": "obs-2", "text": \n\n', "utf-8")
    summary = import_reports(desk, path, operator="aigerim")
    assert summary.added == 1
    assert [(r.line, r.reason.split(":")[0]) for r in summary.rejected] == [(2, "broken JSON")]


def test_a_chat_export_through_a_mapping(desk, tmp_path) -> None:
    mapping = tmp_path / "telegram.toml"
    mapping.write_text(
        'records = "messages"\nchannel = "telegram"\n'
        '[columns]\nid = "id"\nobserver = "from_id"\nreceived_at = "date_unixtime"\ntext = "text"\n'
        'region = "region"\nkind = "kind"\nattachments = "photo"\n'
        '[regions]\n"Алматы қ." = "almaty"\n[kinds]\n"фальсификация" = "violation"\n',
        "utf-8",
    )
    path = tmp_path / "result.json"
    path.write_text(
        json.dumps(
            {
                "name": "observers",
                "messages": [
                    {"id": 1, "from_id": "user1", "date_unixtime": "1773550800", "region": "Алматы қ.",
                     "kind": "фальсификация", "text": ["Вброс на ", {"type": "bold", "text": "участке 5"}],
                     "photo": "photos/p1.jpg"},
                ],
            },
            ensure_ascii=False,
            indent=1,
        ),
        "utf-8",
    )
    summary = import_reports(desk, path, operator="aigerim", mapping=mapping)
    assert (summary.added, summary.rejected) == (1, ())
    found = desk.report(1)
    assert (found.observer, found.channel, found.region, found.kind.value, found.text, found.attachments) == (
        "user1", "telegram", "almaty", "violation", "Вброс на участке 5", ("photos/p1.jpg",))
    assert found.received_at == datetime(2026, 3, 15, 5, 0, tzinfo=UTC)


def test_a_windows_export_reads_with_its_encoding(desk, tmp_path) -> None:
    path = tmp_path / "windows.csv"
    path.write_bytes((HEADER + GOOD[1]).encode("cp1251"))
    refused = import_reports(desk, path, operator="a")
    assert refused.added == 0 and "cp1251" in refused.rejected[0].hint
    mapping = tmp_path / "cp.toml"
    mapping.write_text('encoding = "cp1251"\n', "utf-8")
    assert import_reports(desk, path, operator="a", mapping=mapping).added == 1


def test_a_file_without_the_needed_columns_changes_nothing(desk, tmp_path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("who,when,what\nobs-1,10:00,Кезек\n", "utf-8")
    with pytest.raises(DiagnosticsError) as error:
        import_reports(desk, path, operator="a")
    assert str(error.value).startswith(f"{path}:1: error: no column 'observer', 'received_at', 'region'")
    assert "--mapping" in error.value.diagnostics[0].hint
    assert desk.quarantine() == [] and desk.db.execute("SELECT COUNT(*) FROM import_batch").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"a": 1', "the file is not a JSON array of records"),
        ("42", "the file is not a JSON array of records"),
    ],
)
def test_a_json_file_that_is_not_records_is_a_file_error(desk, tmp_path, content, message) -> None:
    path = tmp_path / "x.json"
    path.write_text(content, "utf-8")
    if content.startswith("{"):  # one broken JSON line
        summary = import_reports(desk, path, operator="a")
        assert summary.rejected[0].reason.startswith("broken JSON")
        return
    with pytest.raises(DiagnosticsError, match=message):
        import_reports(desk, path, operator="a")


def test_file_level_problems_are_diagnostics(desk, tmp_path) -> None:
    with pytest.raises(DiagnosticsError, match="cannot read the file"):
        import_reports(desk, tmp_path / "missing.csv", operator="a")
    with pytest.raises(DiagnosticsError, match="cannot tell the format"):
        import_reports(desk, write_export(tmp_path / "export.xlsx", GOOD), operator="a")
    with pytest.raises(DiagnosticsError, match="needs the operator's name"):
        import_reports(desk, write_export(tmp_path / "export.csv", GOOD), operator=" ")


def test_mapping_errors_name_the_line_and_the_nearest_key(tmp_path) -> None:
    path = tmp_path / "m.toml"
    path.write_text('channel = "bot"\n\n[columns]\nobserverr = "from"\n', "utf-8")
    with pytest.raises(DiagnosticsError) as error:
        load_mapping(path)
    assert str(error.value) == (
        f"{path}:4: error: [columns] observerr: unknown key\n"
        "  hint: did you mean 'observer'? known keys: id, observer, channel, received_at, region, station, kind, "
        "text, attachments"
    )
    path.write_text('[regions]\n"Алма-Ата" = "almaty-city"\n', "utf-8")
    expected = r"m.toml:2: error: \[regions\] Алма-Ата: 'almaty-city' is not a region id; did you mean"
    with pytest.raises(DiagnosticsError, match=expected):
        load_mapping(path)
    path.write_text('encoding = "klingon"\n', "utf-8")
    with pytest.raises(DiagnosticsError, match="m.toml:1: error: encoding: unknown encoding"):
        load_mapping(path)
    path.write_text("format = \n", "utf-8")
    with pytest.raises(DiagnosticsError, match="TOML syntax"):
        load_mapping(path)


def test_the_shipped_mapping_file_is_exactly_the_default() -> None:
    assert load_mapping(DEFAULT_FILE) == Mapping()


def test_an_unwritable_rejects_file_is_a_warning_not_a_loss(desk, export, tmp_path) -> None:
    summary = import_reports(desk, export, operator="a", rejects=tmp_path / "no" / "such" / "dir.csv")
    assert summary.rejects_file is None and "cannot write the rejects file" in str(summary.warnings[0])
    assert len(desk.quarantine()) == len(summary.rejected)
    assert ": warning: cannot write the rejects file" in str(summary)


def test_run_prints_the_summary_and_exits_1_when_rows_were_rejected(desk, export, tmp_path) -> None:
    out = io.StringIO()
    assert run(desk, export, operator="aigerim", rejects=tmp_path / "r.csv", out=out) == 1
    text = out.getvalue()
    assert text.startswith(f"{export}: 4 added, 0 already imported, ")
    assert f"{len(BAD) + 1} rejected (kept in the quarantine and in {tmp_path / 'r.csv'})" in text
    assert f"{export}:{2 + len(GOOD)}: error: cannot read the time '15/03/2026 25:61'\n  hint: use ISO 8601" in text
    clean = write_export(tmp_path / "clean.csv", GOOD)
    out = io.StringIO()
    assert run(desk, clean, operator="aigerim", out=out) == 0
    assert out.getvalue() == f"{clean}: 0 added, 4 already imported\n"
    assert not default_rejects_path(clean).exists()


def test_the_summary_and_its_rejected_rows_in_russian_and_kazakh(desk, export, tmp_path) -> None:
    summary = import_reports(desk, export, operator="aigerim", rejects=tmp_path / "r.csv")
    russian, kazakh = summary.render("ru"), summary.render("kk")
    assert russian.startswith(f"{export}: добавлено: 4, уже было импортировано: 0, ")
    assert kazakh.startswith(f"{export}: қосылды: 4, бұрын импортталған: 0, ")
    for text in (russian, kazakh):
        assert f"{export}:{2 + len(GOOD)}: error: " in text and "cannot read the time" not in text


def test_a_text_with_line_breaks_keeps_the_line_numbers_right(desk, tmp_path) -> None:
    path = tmp_path / "multiline.csv"
    path.write_text(
        HEADER
        + 'obs-1,form,2026-03-15T10:05:00+05:00,astana,12,violation,"Первая строка\nвторая строка",\n'
        + "obs-2,form,2026-03-15T10:05:00+05:00,astana,12,fraud,Вбросы,\n"
        + "obs-3,form,2026-03-15T10:06:00+05:00,astana,12,queue,Очередь,\n",
        "utf-8",
    )
    summary = import_reports(desk, path, operator="a")
    assert summary.added == 2 and [r.line for r in summary.rejected] == [4]
    by_observer = {r.observer: r for r in desk.reports([1, 2])}
    assert by_observer["obs-1"].text == "Первая строка\nвторая строка"
    assert (desk.provenance(by_observer["obs-1"].id)[1], desk.provenance(by_observer["obs-3"].id)[1]) == (2, 5)


def test_a_row_the_csv_reader_cannot_read_is_rejected_alone(desk, tmp_path) -> None:
    path = tmp_path / "huge.csv"
    huge = "x" * 200_000  # beyond the csv module's field size limit
    path.write_text(HEADER + GOOD[0] + f"obs-2,form,2026,astana,1,queue,{huge},\n" + GOOD[1], "utf-8")
    summary = import_reports(desk, path, operator="a")
    assert summary.added == 2
    assert [(r.line, r.reason.split(":")[0]) for r in summary.rejected] == [(3, "unreadable CSV")]
    assert summary.rejected[0].raw == f"obs-2,form,2026,astana,1,queue,{huge},"  # kept whole


def test_json_lines_end_at_a_newline_only(desk, tmp_path) -> None:
    """fuzz: a text may hold U+2028 or U+0085 as they are; the line is not cut there (tests/fuzz/test_fuzz_import.py)."""
    path = tmp_path / "bot.jsonl"
    good = {"observer": "obs-1", "received_at": "2026-03-15T10:00:00+05:00", "region": "shymkent",
            "kind": "incident", "text": "Жарық\u2028сөнді\x85"}
    path.write_text(json.dumps(good, ensure_ascii=False) + '\n{"observer": \n', "utf-8")
    summary = import_reports(desk, path, operator="aigerim")
    assert summary.added == 1 and desk.report(1).text == "Жарық\u2028сөнді"
    assert [(r.line, r.reason.split(":")[0]) for r in summary.rejected] == [(2, "broken JSON")]


def test_rows_that_share_a_time_each_read_it_and_each_bad_one_is_rejected_at_its_line(desk, tmp_path) -> None:
    """The importer parses each distinct received_at once (an export repeats them): every later row gets the
    same instant, and a time it could not read is rejected again at every row that has it."""
    lines = [
        "obs-1,form,2026-03-15 10:05,astana,1,violation,Карусель на участке,\n",
        "obs-2,form,15/03/2026 25:61,astana,2,violation,Вбросы,\n",
        "obs-3,form,2026-03-15 10:05,astana,3,queue,Очередь,\n",
        "obs-4,form,15/03/2026 25:61,astana,4,violation,Вбросы,\n",
    ]
    summary = import_reports(desk, write_export(tmp_path / "same.csv", lines), operator="aigerim")
    bad = "cannot read the time '15/03/2026 25:61'"
    assert [(r.line, r.reason) for r in summary.rejected] == [(3, bad), (5, bad)]
    reports = desk.reports([1, 2])
    assert sorted(r.observer for r in reports) == ["obs-1", "obs-3"]
    assert {r.received_at for r in reports} == {datetime(2026, 3, 15, 5, 5, tzinfo=UTC)}  # Almaty time, once


def test_the_collector_is_as_the_caller_left_it_after_an_import(desk, export, tmp_path) -> None:
    """An import pauses the cyclic garbage collector (its objects hold no cycles) and gives it back as it was."""
    assert gc.isenabled()
    import_reports(desk, export, operator="aigerim")
    assert gc.isenabled()
    with pytest.raises(DiagnosticsError):
        import_reports(desk, tmp_path / "missing.csv", operator="aigerim")
    assert gc.isenabled()
    gc.disable()  # as `studio run` has it while the console starts
    try:
        import_reports(desk, export, operator="aigerim")
        assert not gc.isenabled()
    finally:
        gc.enable()


KIND_COMPARED = next(n for n, step in enumerate(db_module.MIGRATIONS)
                     if isinstance(step, Migration) and "report_kind_compared" in step.sqlite)


def test_the_store_takes_every_kind_of_report_and_refuses_any_other(desk) -> None:
    """report.kind's CHECK, spelled as comparisons (the migration KIND_COMPARED): each ReportKind, nothing else."""
    with desk.write():
        batch = desk.begin_batch("reports", "f.csv", by="a", at=datetime.now(UTC))
        desk.insert_rows(INSERT_REPORT, [(n, kind.value, batch) for n, kind in enumerate(ReportKind, start=1)])
    assert [r.kind for r in desk.reports(range(1, len(ReportKind) + 1))] == list(ReportKind)
    with pytest.raises(sqlite3.IntegrityError, match="(?i)check"), desk.write():
        desk.insert_rows(INSERT_REPORT, [(100, "rumour", batch)])


INSERT_REPORT = (
    "INSERT INTO report (id, observer, channel, received_at, region, station, kind, text, group_id, batch, line) "
    "VALUES (?, 'obs-1', 'form', '2026-03-15T05:00:00+00:00', 'astana', 1, ?, 'Вбросы', 1, ?, 2)"
)


def test_a_store_made_before_the_kind_check_was_rewritten_keeps_its_reports(tmp_path, export, monkeypatch) -> None:
    path = tmp_path / "desk.db"
    with monkeypatch.context() as before:
        before.setattr(db_module, "MIGRATIONS", db_module.MIGRATIONS[:KIND_COMPARED])
        old = open_desk(path)
        first = import_reports(old, export, operator="aigerim")
        reports, groups = old.reports(range(1, 20)), old.groups()
        old.close()
    store = open_desk(path)  # migrates
    try:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(db_module.MIGRATIONS)
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert first.added and store.reports(range(1, 20)) == reports and store.groups() == groups
        assert import_reports(store, export, operator="aigerim").added == 0  # its keys still know every row
        with pytest.raises(sqlite3.IntegrityError, match="never changed"):  # the triggers came back with the table
            store.db.execute("UPDATE report SET text = 'x'")
    finally:
        store.close()
