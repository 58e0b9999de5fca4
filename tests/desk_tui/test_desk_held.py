"""The desk's "needs a region" queue: what the imports and the intake could not place is shown with its suggestions,
one key names the unit, the spelling is learned (as the signed-in operator) and every held row of it is finished;
a spelling that already means another unit is refused with the reason; a bare Almaty is resolved, not learned."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, OptionList

from studio.desk.importer import import_reports
from studio.store.desk import DeskStore
from studio.tui.desk.held import HeldQueue, RegionPicker
from studio.tui.widgets.text import Readout

SIZE = (120, 40)
HEADER = "observer,channel,received_at,region,station,kind,text,attachments\n"


def held_export(tmp_path: Path, *regions: str) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(HEADER + "".join(
        f"obs-{n},form,2026-03-15T10:0{n}:00+05:00,{region},{10 + n},violation,Вбросы на участке {10 + n},\n"
        for n, region in enumerate(regions)
    ), "utf-8")
    return path


async def open_queue(pilot, settle) -> HeldQueue:
    await pilot.press("h")
    await settle(pilot)
    queue = pilot.app.screen
    assert isinstance(queue, HeldQueue)
    return queue


async def test_one_key_names_the_unit_and_the_spelling_is_learned(make_desk_app, settle_desk, other: DeskStore,
                                                                   tmp_path: Path) -> None:
    summary = import_reports(other, held_export(tmp_path, "Астанаа", "АСТАНАА", "Северная"), operator="aigerim")
    assert (summary.added, summary.held) == (0, 3)
    app = make_desk_app("en", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        # the desk's status line says rows wait, and which key shows them
        assert "needs a region: 3 (h)" in str(pilot.app.screen.query_one("#desk-status", Readout).content)
        queue = await open_queue(pilot, settle_desk)
        assert [(line.spelling, line.rows) for line in queue.lines] == [("Астанаа", 2), ("Северная", 1)]
        assert queue.lines[0].suggestions[0] == "astana"
        cells = queue.query_one(DataTable).get_row_at(0)
        assert "1: Astana" in cells[-1] and cells[1] == "2"
        await pilot.press("1")  # the first suggestion of the selected line
        await settle_desk(pilot)
        assert [line.spelling for line in queue.lines] == ["Северная"]
    reports = other.reports(range(3, 10))  # after the two seeded reports
    assert sorted(r.region for r in reports) == ["astana", "astana"]
    (alias,) = other.db.execute("SELECT spelling, region, by FROM region_alias").fetchall()
    assert tuple(alias) == ("Астанаа", "astana", "dana")
    resolved = [h for h in other.held(open_only=False) if h.region]
    assert {(h.resolved_by, h.outcome.startswith("report R")) for h in resolved} == {("dana", True)}
    # from now on every path places the spelling, and the same file adds nothing
    again = import_reports(other, held_export(tmp_path, "Астанаа", "АСТАНАА", "Северная"), operator="aigerim")
    assert (again.added, again.held, again.duplicates) == (0, 0, 3)


async def test_the_picker_names_any_unit(make_desk_app, settle_desk, other: DeskStore, tmp_path: Path) -> None:
    import_reports(other, held_export(tmp_path, "Северная"), operator="aigerim")
    app = make_desk_app("ru", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_queue(pilot, settle_desk)
        await pilot.press("p")
        await settle_desk(pilot)
        picker = app.screen
        assert isinstance(picker, RegionPicker)
        options = picker.query_one(OptionList)
        assert all(options.get_option_at_index(n).id != "national" for n in range(options.option_count))
        options.highlighted = next(n for n in range(options.option_count)
                                   if options.get_option_at_index(n).id == "north-kz")
        await pilot.press("enter")
        await settle_desk(pilot)
    assert [r.region for r in other.reports([3])] == ["north-kz"]


async def test_a_spelling_that_means_another_unit_is_refused_with_the_reason(
    make_desk_app, settle_desk, other: DeskStore, tmp_path: Path
) -> None:
    import_reports(other, held_export(tmp_path, "Северная"), operator="aigerim")
    app = make_desk_app("en", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        queue = await open_queue(pilot, settle_desk)
        # meanwhile another desk teaches the spelling as North Kazakhstan, in a write of its own as a desk does
        with other.write():
            other.add_alias("северная", "north-kz", "Северная", by="bolat", at=other.reports([2])[0].received_at)
        queue._resolve(queue.lines[0], "west-kz")
        await settle_desk(pilot)
        notices = [n.message for n in app._notifications]
        assert any("already means north-kz" in message for message in notices), notices
        assert [line.spelling for line in queue.lines] == ["Северная"]  # still held, nothing lost


async def test_a_bare_almaty_is_resolved_but_never_learned(make_desk_app, settle_desk, other: DeskStore,
                                                          tmp_path: Path) -> None:
    import_reports(other, held_export(tmp_path, "Алматы"), operator="aigerim")
    app = make_desk_app("en", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        queue = await open_queue(pilot, settle_desk)
        assert queue.lines[0].suggestions == ("almaty", "almaty-region")
        await pilot.press("2")
        await settle_desk(pilot)
        assert any("never learned" in n.message for n in app._notifications)
    assert [r.region for r in other.reports([3])] == ["almaty-region"]
    assert other.aliases() == {}
