"""The queue stays usable while other terminals write: rows keep their places,
the selected row stays selected (even when it leaves the filter), new items
come in at the top, and a figure is shown whole."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from textual.widgets import DataTable

from studio.desk import rules
from studio.desk.model import ReportKind, Status
from studio.store.desk import NewReport
from studio.tui.desk import view

SIZE = (120, 40)


def keys(table: DataTable[Any]) -> list[str]:
    return [row.key.value for row in table.ordered_rows]


async def reload(pilot: Any, settle: Any) -> None:
    """What the poll loop does when another terminal wrote."""
    pilot.app.desk.post_message(pilot.app.desk.StoreChanged())
    await settle(pilot)


async def test_a_change_elsewhere_neither_resorts_nor_moves_the_cursor(make_desk_app, settle_desk, other):
    app = make_desk_app("en", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        table = app.desk.query_one("#desk-queue", DataTable)
        table.move_cursor(row=5, animate=False)
        chosen, order = keys(table)[5], keys(table)
        # The last row's fact changes at another desk: the sort (last activity first) would lift it to the top.
        last = other.get(int(order[-1].split(":")[1]))
        other.change(last.id, last.version, rules.MarkUnproven("no protocol"), by="bolat", at=app.client.clock())
        await reload(pilot, settle_desk)
        assert keys(table) == order and table.cursor_row == 5 and keys(table)[table.cursor_row] == chosen
        assert table.get_cell(order[-1], "status") == "Unproven"  # changed in place
        # A new report arrives: it comes in at the top, and the cursor stays on the same item.
        other.add_report(
            NewReport("Марат Ахметов", "bot", datetime(2026, 3, 15, 10, 39, tzinfo=UTC), "pavlodar", 3,
                      ReportKind.INCIDENT, "Павлодар, 3-учаске: жарық өшті"),
            by="aigerim", at=app.client.clock(),
        )
        await reload(pilot, settle_desk)
        assert keys(table)[1:] == order and keys(table)[table.cursor_row] == chosen
        # Asked for (ctrl+l), the queue is sorted afresh: the changed fact is among the newest.
        await pilot.press("ctrl+l")
        await settle_desk(pilot)
        assert keys(table).index(order[-1]) < 3 and keys(table)[table.cursor_row] == chosen


async def test_the_selected_row_stays_while_another_desk_moves_it_out_of_the_filter(
    make_desk_app, settle_desk, other
):
    fact = other.facts(status=Status.IN_REVIEW)[3]
    app = make_desk_app("en", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        app.desk.query_one("#filter-status").value = "in_review"
        await settle_desk(pilot)
        table = app.desk.query_one("#desk-queue", DataTable)
        key = f"fact:{fact.id}"
        table.move_cursor(row=table.get_row_index(key), animate=False)
        row = table.cursor_row
        other.change(fact.id, fact.version, rules.MarkUnproven("no protocol"), by="bolat", at=app.client.clock())
        await reload(pilot, settle_desk)
        assert keys(table)[table.cursor_row] == key and table.cursor_row == row
        assert table.get_cell(key, "status") == "Unproven"
        # Once the cursor has left it, the next reload drops it from the filtered queue.
        await pilot.press("down")
        await reload(pilot, settle_desk)
        assert key not in keys(table)


async def test_another_terminals_write_shows_within_a_second_with_the_cursor_in_place(
    make_desk_app, settle_desk, other
):
    app = make_desk_app("ru", operator="dana", live=True)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(40):
            await pilot.pause(0.05)
            if app.desk.query_one("#desk-queue", DataTable).row_count:
                break
        table = app.desk.query_one("#desk-queue", DataTable)
        table.move_cursor(row=7, animate=False)
        chosen, order = keys(table)[7], keys(table)
        fact = other.get(int(chosen.split(":")[1]))
        other.change(fact.id, fact.version, rules.MarkUnproven("нет протокола"), by="bolat", at=app.client.clock())
        for _ in range(20):  # 1 s
            await pilot.pause(0.05)
            if table.get_cell(chosen, "status") == "Не доказано":
                break
        assert table.get_cell(chosen, "status") == "Не доказано"
        assert keys(table) == order and table.cursor_row == 7
        app.desk.live = False
        app.desk.workers.cancel_group(app.desk, "desk-poll")


def test_the_figure_column_shows_a_turnout_figure_whole() -> None:
    zone = ZoneInfo("Asia/Almaty")
    at = datetime(2026, 3, 15, 13, 0, tzinfo=UTC)
    assert view.figure(Decimal("70.98"), at, ReportKind.TURNOUT, "ru", zone) == "18:00 — 70,98%"
    assert view.figure(Decimal("70.98"), at, ReportKind.TURNOUT, "en", zone) == "18:00 — 70.98%"
    assert view.figure(Decimal("40"), None, ReportKind.QUEUE, "kk", zone) == "40"
    assert view.figure(None, at, ReportKind.TURNOUT, "kk", zone) == ""
    width = dict(view.COLUMNS)["figure"]
    assert len("18:00 — 100,00%") <= width
