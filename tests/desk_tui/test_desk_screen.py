"""The desk screen driven by keys: verdicts, the four-eyes rule, conflicts, filters, claims."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Input

from studio.desk import rules
from studio.desk.model import Status
from studio.i18n import set_language, t
from studio.tui.desk import DeskScreen
from studio.tui.desk.verdict import VerdictForm
from studio.tui.widgets.text import Readout
from tests.desk_tui.conftest import open_form, open_item, with_commission_page

SIZE = (120, 40)


def screen_of(app: Any) -> DeskScreen:
    return app.desk


def messages(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_second_person_verifies_an_imported_turnout_figure(make_desk_app, settle_desk, other) -> None:
    fact = with_commission_page(other, other.facts(status=Status.IN_REVIEW)[0].id)  # imported by aigerim
    app = make_desk_app("en", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_item(pilot, f"fact:{fact.id}")
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("enter")  # the optional note, empty
        await settle_desk(pilot)
        after = other.get(fact.id)
        assert after.status is Status.VERIFIED and after.verified_by == "dana"
        assert any(f"Fact F{fact.id} is now: Verified" in m for m in messages(app))
        assert "dana" in screen_of(app).query_one("#desk-history", Readout).text


async def test_the_importer_cannot_verify_and_reads_why_in_kazakh_before_typing(
    make_desk_app, settle_desk, other
) -> None:
    fact = other.facts(status=Status.IN_REVIEW)[0]
    app = make_desk_app("kk", operator="aigerim")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_item(pilot, f"fact:{fact.id}")
        form = await open_form(pilot, "v", VerdictForm)
        assert not form.query(Input)  # nothing to type: refused up front
        expected = t("desk.rule.fact.four_eyes", who="aigerim", fact=f"F{fact.id}")
        assert "төрт көз" in expected and expected in form.shown["form"]
        await pilot.press("enter")  # Close
        await settle_desk(pilot)
        assert app.screen is screen_of(app) and other.get(fact.id).status is Status.IN_REVIEW
    set_language("en")


async def test_a_change_from_another_desk_is_a_conflict_and_the_fresh_version_shows(
    make_desk_app, settle_desk, other
) -> None:
    fact = with_commission_page(other, other.facts(status=Status.IN_REVIEW)[0].id)
    app = make_desk_app("ru", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_item(pilot, f"fact:{fact.id}")
        assert screen_of(app).detail.fact.version == fact.version
        # Meanwhile at another desk: bolat marks it unproven.
        other.change(fact.id, fact.version, rules.MarkUnproven("no protocol photo"), by="bolat", at=app.client.clock())
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("enter")
        await settle_desk(pilot)
        assert other.get(fact.id).status is Status.UNPROVEN  # not overwritten
        assert any("bolat" in m and f"версия {fact.version + 1}" in m for m in messages(app))
        assert isinstance(app.screen, VerdictForm)  # the form stays, on the new version, with the conflict in it
        assert "bolat" in app.screen.shown["form"] and app.screen.version == fact.version + 1
        await pilot.press("escape")
        await settle_desk(pilot)
        detail = screen_of(app).detail
        assert detail.fact.version == fact.version + 1 and detail.fact.status is Status.UNPROVEN
        assert "Не доказано" in screen_of(app).query_one("#desk-info", Readout).text
    set_language("en")


async def test_false_needs_a_reason_and_records_it(make_desk_app, settle_desk, other, seeded) -> None:
    fact_id = seeded["violation"]
    fact = other.get(fact_id)
    other.change(fact_id, fact.version, rules.StartReview(), by="bolat", at=fact.created_at)
    app = make_desk_app("en", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_item(pilot, f"fact:{fact_id}")
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("enter", "enter", "enter")  # no reason, no correction
        await settle_desk(pilot)
        assert app.screen.shown == {"why": t("desk.rule.fact.why")}  # under the field, in the form
        await pilot.press(*"staged photo", "enter", *"Фото жасанды", "enter", *"Фото постановочное", "enter")
        await settle_desk(pilot)
        assert app.screen is screen_of(app)
        after = other.get(fact_id)
        assert after.status is Status.FALSE and other.audit(fact_id)[-1].why == "staged photo"
        assert (after.correction.kk, after.correction.ru) == ("Фото жасанды", "Фото постановочное")


async def choose(pilot: Any, key: str, steps: int) -> None:
    """Open a filter's chooser by its key and move ``steps`` lines down (from "all", which is
    not highlighted yet, the first step lands on "all"), then choose."""
    await pilot.press(key)
    await pilot.pause()
    await pilot.press(*["down"] * steps, "enter")
    await pilot.pause()


async def test_filters_are_choosers_that_narrow_the_queue(make_desk_app, settle_desk, seeded) -> None:
    app = make_desk_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        screen = screen_of(app)
        table = screen.query_one("#desk-queue", DataTable)
        everything = len(screen.shown())
        assert everything == table.row_count > 100
        await choose(pilot, "s", 2)  # status: groups of reports not yet a fact
        assert {i.status for i in screen.shown()} == {"reports"} and len(screen.shown()) == 1
        assert table.has_focus  # back on the queue after choosing
        await choose(pilot, "s", 1)  # status: new (the chooser opens where it stands)
        assert [i.item for i in screen.shown()] == ["fact"]
        await pilot.press("c")
        await choose(pilot, "k", 3)  # kind: violation
        assert {i.kind.value for i in screen.shown()} == {"violation"}
        await pilot.press("c")
        await choose(pilot, "r", 2)  # region: the whole country first
        national = screen.shown()
        assert national and {i.region for i in national} == {"national"}
        await pilot.press("c")
        await choose(pilot, "a", 2)  # age: the last 15 minutes (15:40 now: only the violation, made at 15:25)
        assert [i.item_id for i in screen.shown()] == [seeded["violation"]]
        assert f"1 of {everything}" in screen.query_one("#filter-count", Readout).text
        await pilot.press("c")
        assert len(screen.shown()) == everything == table.row_count


async def test_an_item_open_in_one_desk_shows_as_taken_in_another(make_desk_app, settle_desk, seeded) -> None:
    first = make_desk_app("en", operator="dana")
    second = make_desk_app("en", operator="bolat", live=True)
    key = f"group:{seeded['kk_report']}"
    async with second.run_test(size=SIZE) as pilot2:
        await pilot2.pause()
        async with first.run_test(size=SIZE) as pilot1:
            await settle_desk(pilot1)
            await open_item(pilot1, key)
            # The second desk's poll loop notices the claim (changed_elsewhere) and reloads.
            table = screen_of(second).query_one("#desk-queue", DataTable)
            for _ in range(40):
                await pilot2.pause(0.05)
                if table.row_count and table.get_cell(key, "taken") == "dana":
                    break
            assert table.get_cell(key, "taken") == "dana"
            # Opening it there too is refused with who has it.
            second.desk.live = False
            table.move_cursor(row=table.get_row_index(key), animate=False)
            await pilot2.press("enter")
            for _ in range(20):
                await pilot2.pause(0.05)
                if any("dana" in m for m in messages(second)):
                    break
            assert any("dana" in m for m in messages(second))
            assert screen_of(second).opened is None
            await pilot1.press("escape")  # closed: free again
            await settle_desk(pilot1)
            for _ in range(40):
                await pilot2.pause(0.05)
                if table.get_cell(key, "taken") == "":
                    break
            assert table.get_cell(key, "taken") == ""


async def test_a_verified_figure_is_retracted_with_its_on_air_correction(make_desk_app, settle_desk, other) -> None:
    fact = with_commission_page(other, other.facts(status=Status.IN_REVIEW)[0].id)
    verified = other.change(fact.id, fact.version, rules.Verify(), by="bolat", at=fact.created_at)
    app = make_desk_app("kk", operator="aigerim")  # anyone may retract, the importer too
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_item(pilot, f"fact:{fact.id}")
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"ОРК түзетті", "enter", *"19,12%", "enter", "enter")  # Kazakh correction, no Russian one
        await settle_desk(pilot)
        after = other.get(fact.id)
        assert after.status is Status.RETRACTED and after.version == verified.version + 1
        assert after.correction.kk == "19,12%"
        assert "Кері қайтарылған" in screen_of(app).query_one("#desk-info", Readout).text
    set_language("en")
