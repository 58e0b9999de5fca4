"""The desk screen inside the producer console, its keymap, palette and bindings."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from studio.config import Config
from studio.desk.model import Status
from studio.i18n import LANGUAGES, messages
from studio.rundown.load import load_rundown
from studio.show import Controller
from studio.show.services import ShowServices
from studio.store import open_store
from studio.tui import StudioApp, bindings
from studio.tui.commands import StudioCommands
from studio.tui.desk import DeskApp, DeskScreen
from studio.tui.desk.app import DIALOGS
from tests.desk_tui.conftest import desk_settle, with_commission_page

SHOW = Path(__file__).resolve().parent.parent / "tui" / "show.toml"
SIZE = (120, 40)
DESK_IDS = {
    "desk.open", "desk.close", "desk.create", "desk.edit", "desk.link", "desk.source", "desk.split", "desk.release",
    "desk.review", "desk.verify", "desk.false", "desk.unproven", "desk.retract", "desk.settle", "desk.confirm",
    "desk.filter_status", "desk.filter_region", "desk.filter_kind", "desk.filter_age", "desk.filter_clear",
    "desk.reload", "desk.held", "desk.attachment",
}


def test_every_desk_binding_has_an_id_label_and_tooltip_in_every_language() -> None:
    assert set(bindings.binding_ids(DeskScreen)) == DESK_IDS
    assert set(bindings.binding_ids(DeskApp)) == {"desk.language", "desk.palette", "desk.quit"}
    for language in LANGUAGES:
        catalogue = messages(language)
        for binding_id in bindings.binding_ids(DeskApp, DeskScreen, *DIALOGS):
            assert catalogue.get(f"binding.{binding_id}.label"), (language, binding_id)
            assert catalogue.get(f"binding.{binding_id}.tooltip"), (language, binding_id)


async def test_the_keymap_rebinds_a_desk_action_and_the_palette_lists_it(make_desk_app, settle_desk, other) -> None:
    fact = with_commission_page(other, other.facts(status=Status.IN_REVIEW)[0].id)
    app = make_desk_app("en", operator="dana", keymap={"desk.verify": "ctrl+y", "desk.nonsense": "z"})
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        assert any("desk.nonsense" in n.message for n in app._notifications)
        titles = [c.title for c in StudioCommands(app.screen).commands()]
        assert "Desk: Verify" in titles and "Desk: Status" in titles
        table = app.desk.query_one("#desk-queue", DataTable)
        table.move_cursor(row=table.get_row_index(f"fact:{fact.id}"), animate=False)
        await pilot.press("enter")
        await settle_desk(pilot)
        assert app.desk.opened == ("fact", fact.id)
        await pilot.press("ctrl+y")
        await pilot.pause()
        await pilot.press("enter")
        await settle_desk(pilot)
        assert other.get(fact.id).status is Status.VERIFIED


async def test_the_producer_console_opens_the_desk_and_goes_back(desk_path, seeded, desk_clock) -> None:
    config = Config.model_validate({"station": {"language": "kk", "operator": "dana"}})
    controller = Controller(open_store(desk_path), load_rundown(SHOW), operator="dana", origin="console",
                            clock=desk_clock)
    app = StudioApp(ShowServices(controller, desk_path), config, live=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await desk_settle(pilot)
            await pilot.press("f3")
            await desk_settle(pilot)
            assert isinstance(app.screen, DeskScreen)
            assert app.screen.client.operator == "dana" and len(app.screen.shown()) > 100
            await pilot.press("escape")  # nothing open: back to the rundown
            await desk_settle(pilot)
            assert not isinstance(app.screen, DeskScreen)
    finally:
        controller.close()
        if app._desk is not None:
            app._desk.store.close()
