"""The desk screen and its forms pinned as SVG screenshots, Kazakh and Russian,
at 120x40 (regenerate: pytest --snapshot-update tests/desk_tui).

Deterministic: the clock stands still (15:40 in Almaty), the poll loop is
off (live=False), animations are off and the cursor does not blink.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.widgets import DataTable

from studio.desk import rules
from studio.desk.model import SourceKind, Status
from studio.store.desk import NewReport
from tests.desk_tui.conftest import desk_settle

SIZE = (120, 40)


def opening(key: str, *press: str) -> Any:
    async def run_before(pilot: Any) -> None:
        await desk_settle(pilot)
        table = pilot.app.desk.query_one("#desk-queue", DataTable)
        table.move_cursor(row=table.get_row_index(key), animate=False)
        await pilot.press("enter")
        await desk_settle(pilot)
        if press:
            await pilot.press(*press)
            await desk_settle(pilot)

    return run_before


def test_desk_in_kazakh_with_an_observer_report_open(snap_compare, make_desk_app, seeded) -> None:
    app = make_desk_app("kk", operator="dana")
    assert snap_compare(app, run_before=opening(f"group:{seeded['kk_report']}"), terminal_size=SIZE)


def test_desk_in_russian_with_a_violation_open(snap_compare, make_desk_app, seeded) -> None:
    app = make_desk_app("ru", operator="dana")
    assert snap_compare(app, run_before=opening(f"fact:{seeded['violation']}", "e"), terminal_size=SIZE)


def test_desk_in_russian_filtered_to_turnout_in_review(snap_compare, make_desk_app, seeded) -> None:
    app = make_desk_app("ru", operator="dana")
    choosing = ("s", "down", "down", "down", "down", "enter", "k", "down", "down", "enter")
    assert snap_compare(app, run_before=opening("fact:1", *choosing), terminal_size=SIZE)


# --- the desk's forms, in Kazakh and Russian ----------------------------------------


def test_new_fact_from_a_report_group_in_kazakh(snap_compare, make_desk_app, seeded) -> None:
    app = make_desk_app("kk", operator="dana")
    typing = ("n", *"114 учаскеде кезек 40 адам", "tab", *"На участке 114 очередь 40 человек")
    assert snap_compare(app, run_before=opening(f"group:{seeded['kk_report']}", *typing), terminal_size=SIZE)


def test_new_fact_with_an_unreadable_figure_in_russian(snap_compare, make_desk_app, seeded) -> None:
    app = make_desk_app("ru", operator="dana")
    typing = ("n", *"Kezek", "tab", *"Очередь", "tab", "tab", "tab", "tab", *"25:00", "tab", *"40 chel", "enter")
    assert snap_compare(app, run_before=opening(f"group:{seeded['kk_report']}", *typing), terminal_size=SIZE)


def test_editing_a_verified_fact_in_russian_warns_it_goes_back_to_review(snap_compare, make_desk_app, other) -> None:
    fact = other.facts(status=Status.IN_REVIEW)[0]
    official = other.add_source(SourceKind.OFFICIAL, "https://www.election.gov.kz/rus/news/1", by="aigerim",
                                at=fact.created_at)
    fact = other.attach_source(fact.id, fact.version, official.id, by="aigerim", at=fact.created_at)
    other.change(fact.id, fact.version, rules.Verify(), by="bolat", at=fact.created_at)
    app = make_desk_app("ru", operator="dana")
    assert snap_compare(app, run_before=opening(f"fact:{fact.id}", "m"), terminal_size=SIZE)


def test_retraction_with_its_correction_in_kazakh(snap_compare, make_desk_app, seeded) -> None:
    app = make_desk_app("kk", operator="dana")
    typing = ("x", *"ОРК түзетті", "enter", *"Түзету", "enter", *"Поправка", "enter")  # new: the rules refuse
    assert snap_compare(app, run_before=opening(f"fact:{seeded['violation']}", *typing), terminal_size=SIZE)


def test_verdict_refused_up_front_to_the_author_in_russian(snap_compare, make_desk_app, seeded) -> None:
    app = make_desk_app("ru", operator="bolat")  # bolat wrote the violation
    assert snap_compare(app, run_before=opening(f"fact:{seeded['violation']}", "e", "f"), terminal_size=SIZE)


def test_linking_reports_in_russian(snap_compare, make_desk_app, seeded) -> None:
    app = make_desk_app("ru", operator="dana")
    typing = ("l", *f"R{seeded['kk_report']}, 999", "ctrl+s")
    assert snap_compare(app, run_before=opening(f"fact:{seeded['violation']}", *typing), terminal_size=SIZE)


def test_a_source_typed_by_the_rules_in_kazakh(snap_compare, make_desk_app, seeded) -> None:
    app = make_desk_app("kk", operator="dana")
    typing = ("o", *"https://www.nur.kz/politics/27", "tab", "tab", "tab", *"15:30", "tab", *"https://vlast.kz/1",
              "ctrl+s")
    assert snap_compare(app, run_before=opening(f"fact:{seeded['violation']}", *typing), terminal_size=SIZE)


def test_splitting_a_group_in_russian(snap_compare, make_desk_app, other, seeded) -> None:
    lead = other.report(seeded["kk_report"])
    other.add_report(
        NewReport("Дина Омарова", "bot", lead.received_at + timedelta(minutes=3), lead.region, lead.station, lead.kind,
                  lead.text + " (екінші хабар)"),
        by="aigerim", at=lead.received_at,
    )
    app = make_desk_app("ru", operator="dana")
    assert snap_compare(app, run_before=opening(f"group:{lead.id}", "t", "down", "space"), terminal_size=SIZE)


def test_an_official_release_in_kazakh(snap_compare, make_desk_app, other) -> None:
    first = min(f.id for f in other.facts(status=Status.IN_REVIEW) if f.as_of and f.as_of.hour == 5)
    app = make_desk_app("kk", operator="dana")
    assert snap_compare(app, run_before=opening(f"fact:{first}", "b"), terminal_size=SIZE)
