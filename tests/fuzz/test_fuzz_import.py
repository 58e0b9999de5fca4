"""Hostile import files: `studio import-turnout` (the press's turnout CSV) and `studio import` (reports,
through a mapping), on a throwaway store.

Rows of the shipped files with cells made hostile, the same text broken raw, and
hostile mappings (the default mapping.toml mutated by key). Whatever comes in:
no exception but DiagnosticsError (a file that cannot be read, then nothing is
written) or StudioError; every rejected row is named by a line the file has, with
a reason and a hint; what the summary says was added is what the store gained.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.desk.importer import import_reports
from studio.desk.mapping import DEFAULT_FILE
from studio.desk.outcome import ImportSummary
from studio.desk.turnout import import_turnout
from studio.diagnostics import DiagnosticsError
from studio.errors import StudioError
from studio.i18n import LANGUAGES
from studio.paths import shipped
from studio.store.desk import DeskStore, open_desk
from tests.fuzz.conftest import FUZZ
from tests.fuzz.hostile import assert_diagnosed, broken_text, hostile_text, mutated, toml

TURNOUT = shipped("sample/referendum-2026/referendum-2026-turnout.csv").read_text("utf-8").splitlines()
REPORT = {
    "observer": "aigerim", "channel": "bot", "received_at": "2026-03-15T10:01:02+05:00", "region": "Қостанай облысы",
    "station": "№154", "kind": "нарушение", "text": "Учаскеде жәшік пломбаланбаған", "attachments": "IMG_2041.jpg",
}
MAPPING = tomllib.loads(DEFAULT_FILE.read_text("utf-8"))


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory):
    store = open_desk(tmp_path_factory.mktemp("import") / "desk.db")
    yield store
    store.close()


def counts(store: DeskStore) -> tuple[int, ...]:
    return tuple(store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                 for table in ("import_batch", "report", "fact", "quarantine"))


def check(store: DeskStore, path: Path, data: bytes, run: Callable[[], ImportSummary], grows: int) -> None:
    """``run`` imports ``path`` (holding ``data``): a summary true to the store, or nothing written."""
    path.write_bytes(data)
    before = counts(store)
    try:
        summary = run()
    except DiagnosticsError as error:
        assert counts(store) == before, "a refused file wrote to the store"
        assert_diagnosed(error, path, data.decode("utf-8", "replace"))
        return
    except StudioError as error:
        assert counts(store) == before and all(error.render(language) for language in LANGUAGES)
        return
    after = counts(store)
    assert after[0] == before[0] + 1 and after[grows] - before[grows] == summary.added, summary
    assert after[3] - before[3] == summary.quarantined
    lines = data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    for rejected in summary.rejected:
        assert 1 <= rejected.line <= lines and str(rejected.reason).strip() and str(rejected.hint).strip(), rejected
    for language in LANGUAGES:
        summary.render(language)


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


@st.composite
def hostile_rows(draw: st.DrawFn, header: list[str], rows: list[list[str]]) -> list[list[str]]:
    """A few of ``rows`` under ``header``, cells made hostile, a row repeated or cut short now and then."""
    chosen = [list(row) for row in draw(st.lists(st.sampled_from(rows), min_size=1, max_size=6))]
    for row in chosen:
        for column in draw(st.sets(st.integers(0, len(header) - 1), max_size=3)):
            row[column] = draw(hostile_text)
        if draw(st.integers(0, 9)) == 0:
            del row[draw(st.integers(0, len(row) - 1)):]
    if draw(st.integers(0, 9)) == 0:
        header = [draw(hostile_text) if draw(st.booleans()) else name for name in header]
    return [header, *chosen]


TURNOUT_ROWS = [row for row in csv.reader(TURNOUT)]


@FUZZ
@given(hostile_rows(TURNOUT_ROWS[0], TURNOUT_ROWS[1:]).map(csv_text) | broken_text("\n".join(TURNOUT[:12]) + "\n"))
def test_hostile_turnout_rows_are_imported_or_rejected_by_line(desk, tmp_path_factory, text: str) -> None:
    path = tmp_path_factory.getbasetemp() / "turnout.csv"
    run = lambda: import_turnout(desk, path, operator="aigerim", rejects=path.with_suffix(".rejects.csv"))  # noqa: E731
    check(desk, path, text.encode("utf-8", "surrogatepass"), run, grows=2)


def export(kind: str, rows: list[list[str]]) -> str:
    """The rows as a form's export: CSV, a JSON array or JSON lines."""
    if kind == "csv":
        return csv_text(rows)
    records: list[Any] = [dict(zip(rows[0], row)) for row in rows[1:]]
    if kind == "jsonl":
        return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    return json.dumps(records, ensure_ascii=False, indent=1)


@FUZZ
@given(
    st.sampled_from(["csv", "json", "jsonl"]),
    hostile_rows(list(REPORT), [list(REPORT.values())]),
    st.none() | mutated(MAPPING, most=2),
)
def test_hostile_reports_through_a_hostile_mapping_are_imported_or_rejected_by_line(
    desk, tmp_path_factory, kind: str, rows: list[list[str]], mapping: dict[str, Any] | None
) -> None:
    folder = tmp_path_factory.getbasetemp()
    path = folder / f"export.{kind}"
    mapping_path = None
    if mapping is not None:
        mapping_path = folder / "mapping.toml"
        mapping_path.write_text(toml(mapping), "utf-8")

    def run() -> ImportSummary:
        try:
            return import_reports(desk, path, operator="aigerim", mapping=mapping_path,
                                  rejects=folder / "export.rejects.csv")
        except DiagnosticsError as error:  # the mapping's own diagnostics name the mapping
            if mapping_path is not None and error.diagnostics[0].path == mapping_path:
                assert_diagnosed(error, mapping_path, mapping_path.read_text("utf-8"))
                raise StudioError("the mapping was refused") from None
            raise

    check(desk, path, export(kind, rows).encode("utf-8", "surrogatepass"), run, grows=1)
