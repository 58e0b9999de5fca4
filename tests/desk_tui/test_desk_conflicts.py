"""A conflict between figures at the desk (issue 19 part 3): at the top of the queue, both figures,
their sources and times side by side; one person proposes which stands, a second confirms it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import DataTable, Select

from studio.desk.model import Status
from studio.desk.turnout import import_turnout
from studio.store.desk import DeskStore
from studio.tui.desk.settle import ConfirmForm, SettleForm
from tests.desk_tui.conftest import desk_settle, open_form, open_item

SIZE = (150, 44)
TENGRI = "https://tengrinews.kz/kazakhstan_news/yavka-10-00"


def reprint(desk: DeskStore, tmp_path: Path) -> tuple[int, int]:
    """Another outlet prints Astana at 10:00 as 20.86 (the commission said 20.68): (the commission's
    figure, the reprint's)."""
    path = tmp_path / "tengri.csv"
    path.write_text("local_time,region,turnout_percent,voters,registered,source\n"
                    f"2026-03-15T10:00+05:00,astana,20.86,,,{TENGRI}\n", "utf-8")
    import_turnout(desk, path, operator="aigerim", now=lambda: datetime(2026, 3, 15, 10, 30, tzinfo=UTC))
    [conflict] = desk.conflicts(open_only=True)
    return conflict.fact_ids  # type: ignore[return-value]


def cells(pilot, key: str) -> list[str]:
    return [str(cell) for cell in pilot.app.desk.query_one("#desk-queue", DataTable).get_row(key)]


async def test_a_conflict_tops_the_queue_and_two_people_settle_it(make_desk_app, other, tmp_path) -> None:
    official, printed = reprint(other, tmp_path)
    dana = make_desk_app("en", operator="dana")
    async with dana.run_test(size=SIZE) as pilot:
        await desk_settle(pilot)
        table = pilot.app.desk.query_one("#desk-queue", DataTable)
        assert table.ordered_rows[0].key.value == "conflict:1"
        assert cells(pilot, "conflict:1")[:5] == ["C1", "Conflict", "Astana", "Turnout", "20.68% ≠ 20.86%"]
        assert cells(pilot, f"fact:{official}")[1] == cells(pilot, f"fact:{printed}")[1] == "Conflict"
        await open_item(pilot, "conflict:1")
        shown = str(pilot.app.desk.query_one("#desk-info").render())
        for said in ("Conflict C1 · Astana · Turnout · 10:00", f"F{official}", f"F{printed}", "20.68%", "20.86%",
                     "media · nur.kz", "media · tengrinews.kz", "Published", "Nobody has proposed"):
            assert said in shown, said
        figures, sources = (next(line for line in shown.splitlines() if line.startswith(name))
                            for name in ("Figure", "Source"))
        assert figures.index("20.68%") < figures.index("20.86%") and sources.index("nur.kz") < sources.index("tengri")

        form = await open_form(pilot, "p", SettleForm)
        await pilot.press("ctrl+s")
        await desk_settle(pilot)
        assert "Choose the figure that stands" in str(form.query_one("#problem-choice").render())
        form.query_one("#field-choice", Select).value = str(official)
        form.query_one("#field-why").focus()
        await pilot.press(*"the commission's own publication wins over reprints", "ctrl+s")
        await desk_settle(pilot)
        assert other.conflict(1).proposal.chosen == official
        assert other.conflict(1).proposal.by == "dana"

        form = await open_form(pilot, "y", ConfirmForm)  # four eyes: refused before anything is done
        refused = str(form.query_one("#problem-form").render())
        assert "dana proposed how to settle conflict C1, so someone else must confirm it" in refused
        assert not form.query_one("#confirm").display
        await pilot.press("escape")

    bolat = make_desk_app("en", operator="bolat")
    async with bolat.run_test(size=SIZE) as pilot:
        await desk_settle(pilot)
        await open_item(pilot, "conflict:1")
        form = await open_form(pilot, "y", ConfirmForm)
        assert f"dana proposes for C1: F{official} stands (20.68%)" in str(form.query_one("#form-intro").render())
        await pilot.press("ctrl+s")
        await desk_settle(pilot)
        assert "conflict:1" not in [row.key.value for row in pilot.app.desk.query_one("#desk-queue").ordered_rows]
    assert not other.conflict(1).open and other.conflict(1).confirmed_by == "bolat"
    assert other.get(printed).status is Status.FALSE and other.get(official).status is Status.IN_REVIEW


async def test_settling_is_done_on_a_conflict(make_desk_app, seeded) -> None:
    app = make_desk_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await desk_settle(pilot)
        await open_item(pilot, f"fact:{seeded['violation']}")
        await pilot.press("p")
        await desk_settle(pilot)
        assert not isinstance(pilot.app.screen, SettleForm)
        assert any("Open a conflict first" in str(n.message) for n in pilot.app._notifications)


def test_a_conflict_open_in_russian_side_by_side(snap_compare, make_desk_app, other, tmp_path) -> None:
    reprint(other, tmp_path)
    app = make_desk_app("ru")

    async def run_before(pilot) -> None:
        await desk_settle(pilot)
        await open_item(pilot, "conflict:1")

    assert snap_compare(app, run_before=run_before, terminal_size=(150, 40))


async def test_a_held_figure_says_so_and_refuses_a_verdict_before_anything_is_typed(make_desk_app, other,
                                                                                     tmp_path) -> None:
    from studio.tui.desk.verdict import VerdictForm

    official, _ = reprint(other, tmp_path)
    app = make_desk_app("en", operator="bolat")
    async with app.run_test(size=SIZE) as pilot:
        await desk_settle(pilot)
        await open_item(pilot, f"fact:{official}")
        assert str(pilot.app.desk.query_one("#desk-info").render()).startswith("Held in conflict C1")
        for key in ("v", "f"):
            form = await open_form(pilot, key, VerdictForm)
            assert "is held in conflict C1" in str(form.query_one("#problem-form").render())
            assert not form.query_one("#confirm").display
            await pilot.press("escape")
            await desk_settle(pilot)
