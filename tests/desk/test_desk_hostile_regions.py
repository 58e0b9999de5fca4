"""Hostile and sloppy region text through every path (issue 19, part 4): mixed scripts, bidi overrides, zero-width
characters, homoglyphs and 10 kB single lines, in a report import, a turnout import and the intake. Each row is
placed on its right unit, held for the desk, or refused with a reason that says where and what to do; no
traceback, and nothing is lost."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from studio.desk.importer import import_reports
from studio.desk.report_body import ReportRefused, make_send, write_sends
from studio.desk.turnout import import_turnout
from studio.i18n import LANGUAGES
from studio.store.desk import DeskStore
from tests.desk.conftest import T0

TEN_KB = "Астана " * 1500
# region as written -> the unit it must be placed on, "held", or "rejected"
REGIONS = {
    "Аstana": "astana",  # a Cyrillic А in a Latin word
    "Кoстанай": "kostanay",  # a Latin o in a Cyrillic word
    "\u202eАстана\u202c": "astana",  # a right-to-left override around it
    "Аст\u200bа\u200dна": "astana",  # zero-width space and joiner inside
    "\ufeffКарагандинская\u00a0область": "karaganda",  # a BOM and a no-break space
    "ШЫҒЫС  ҚАЗАҚСТАН\tоблысы": "east-kz",
    "الماتى وبلىسى": "almaty-region",
    "Алматы \u202eысылбо": "held",  # reads "Алматы облысы" on screen; must not become the city
    "Алматы\u200b": "held",  # the bare Almaty, whatever is around it
    "Аlmaty ġ": "held",
    "Ꭺstana": "held",  # a Cherokee letter that only looks like A: romanised, not a name
    "Астана\u0000": "astana",
    TEN_KB: "rejected",
}


def report_rows() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["observer", "received_at", "region", "kind", "text"])
    for n, region in enumerate(REGIONS):
        writer.writerow([f"obs-{n}", "2026-03-15T10:05:00+05:00", region, "violation", f"Вбросы {n} " + "x" * 10_000])
    return buffer.getvalue()


def test_a_report_import_places_holds_or_refuses_each_hostile_region(desk: DeskStore, tmp_path: Path) -> None:
    path = tmp_path / "hostile.csv"
    path.write_text(report_rows(), "utf-8")
    summary = import_reports(desk, path, operator="aigerim")
    expected = list(REGIONS.values())
    placed = {report.observer: report.region for report in desk.reports(range(1, 100))}
    held = {h.row[0] for h in desk.held()}
    rejected = {r.line - 2 for r in summary.rejected}
    for n, want in enumerate(expected):
        if want == "held":
            assert f"obs-{n}" in held, n
        elif want == "rejected":
            assert n in rejected, n
        else:
            assert placed.get(f"obs-{n}") == want, (n, placed.get(f"obs-{n}"))
    assert summary.added + summary.held + len(summary.rejected) == len(REGIONS)  # nothing lost
    (too_long,) = summary.rejected
    assert "longer than 200 characters" in too_long.reason and too_long.hint
    assert desk.quarantine()[0].raw.startswith("obs-12,")  # kept whole
    for language in LANGUAGES:
        assert summary.render(language)


def test_a_turnout_import_places_holds_or_refuses_each_hostile_region(desk: DeskStore, tmp_path: Path) -> None:
    path = tmp_path / "turnout.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["local_time", "region", "turnout_percent", "voters", "registered", "source"])
    for n, region in enumerate(REGIONS):
        writer.writerow([f"2026-03-15T{10 + n % 6 * 2:02d}:00+05:00", region, f"{20 + n}.5", "", "",
                         f"https://nur.kz/t/{n}"])
    path.write_text(buffer.getvalue(), "utf-8")
    summary = import_turnout(desk, path, operator="aigerim")
    wants = list(REGIONS.values())
    assert summary.added == sum(1 for w in wants if w not in ("held", "rejected"))
    assert summary.held == wants.count("held") and len(summary.rejected) == wants.count("rejected")
    for fact in desk.facts():
        n = int(fact.value) - 20
        assert fact.region == wants[n], (n, fact.region)


@pytest.mark.parametrize("region, want", list(REGIONS.items()), ids=lambda v: repr(v)[:24])
def test_the_intake_places_holds_or_refuses_each_hostile_region(desk: DeskStore, region: str, want: str) -> None:
    body = {"region": region, "kind": "violation", "text": "Вбросы"}
    try:
        send = make_send(body, "aigerim", T0, key="k-1", token=None)
    except ReportRefused as refused:  # the intake's 422: the field and what to do, in every language
        assert want == "rejected" and [p.field for p in refused.problems] == ["region"]
        assert all(refused.render(language).strip() for language in LANGUAGES)
        return
    [(outcome, answer)] = write_sends(desk, [send], at=T0)
    if want == "held":
        assert outcome == "held" and answer["region"] == region and desk.held()[0].raw
    else:
        assert outcome == "created" and desk.reports([answer["id"]])[0].region == want


def test_a_10_kb_report_text_in_one_line_is_refused_at_the_intake_with_its_limit(desk: DeskStore) -> None:
    with pytest.raises(ReportRefused) as refused:
        make_send({"region": "astana", "kind": "violation", "text": TEN_KB}, "aigerim", T0, key=None, token=None)
    assert [p.code for p in refused.value.problems] == ["bad_type"] and "4000" in str(refused.value)
