"""The console on a store that cannot be written: the producer reads why in a notification, never a traceback."""

from __future__ import annotations

from studio.tui.screens import ProducerScreen

SIZE = (120, 40)


async def test_a_take_on_a_read_only_store_is_said_and_the_next_one_works(make, settle) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await settle(pilot)
        store = app.controller.store
        store.read_only()  # the database refuses every write, as a read-only file or a server's refusal would
        await pilot.press("space")
        await settle(pilot)
        assert isinstance(app.screen, ProducerScreen)  # no error dialog
        [notice] = [n for n in app._notifications if "store cannot be written" in n.message]
        assert notice.severity == "error" and "Traceback" not in notice.message
        assert app.view.on_air.segment_id == "open"
        store.read_only(refuse=False)
        await pilot.press("space")
        await settle(pilot)
        assert app.view.on_air.segment_id != "open"
