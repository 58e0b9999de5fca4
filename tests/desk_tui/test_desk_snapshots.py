"""The desk screen pinned as SVG screenshots, Kazakh and Russian, at 120x40
(regenerate: pytest --snapshot-update tests/desk_tui).

Deterministic: the clock stands still (15:40 in Almaty), the poll loop is
off (live=False), animations are off and the cursor does not blink.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable

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
    assert snap_compare(app, run_before=opening("fact:1", "s", "s", "s", "k"), terminal_size=SIZE)
