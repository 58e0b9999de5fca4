"""The show process publishes OBS health to the store from its refresh worker, never on the event loop."""

from __future__ import annotations

import json
import threading
from dataclasses import replace

from studio.store.backends import open_database
from studio.store.health import read
from studio.obs.health import ObsHealthPublisher, obs_detail
from tests.tui.test_obs_panel import CONNECTED, StandInSwitcher

SIZE = (120, 40)


def test_the_detail_is_plain_json_with_the_feed_summarised() -> None:
    detail = obs_detail(CONNECTED)
    assert json.loads(json.dumps(detail, allow_nan=False)) == detail
    assert detail["connected"] is True and detail["program_scene"] == "Live" and detail["cpu_percent"] == 4.5
    assert detail["feed"] == {"segment_id": "astana-live", "input": "feed-astana", "verdict": "alive", "reported": False}
    assert "status" not in detail and "password" not in json.dumps(detail).lower()


async def test_the_refresh_worker_publishes_changes_at_once_and_figures_with_the_heartbeat(
    make, settle, store_path, clock
) -> None:
    switcher = StandInSwitcher(CONNECTED)
    app = make("en", obs=switcher)
    publisher = ObsHealthPublisher(open_database(store_path), monotonic=lambda: 0.0)  # the heartbeat never comes due
    threads: list[str] = []
    offer = publisher.offer

    def recording(health, at):
        threads.append(threading.current_thread().name)
        return offer(health, at)

    publisher.offer = recording  # type: ignore[method-assign]
    app.services.obs_publisher = publisher
    reader = open_database(store_path)  # as the control API reads it, from another process
    async with app.run_test(size=SIZE) as pilot:
        app.request_view()
        await settle(pilot)
        first = read(reader)["obs"]
        assert first.detail["connected"] is True and first.at == clock()
        switcher.snapshot = replace(CONNECTED, cpu_percent=9.5)  # a figure: waits for the heartbeat
        app.request_view()
        await settle(pilot)
        assert read(reader)["obs"].detail["cpu_percent"] == 4.5
        switcher.snapshot = replace(CONNECTED, connected=False, reason="OBS closed the connection")
        clock.advance(seconds=1)
        app.request_view()
        await settle(pilot)
        now = read(reader)["obs"]
        assert now.detail["connected"] is False and now.detail["reason"] == "OBS closed the connection"
        assert now.at == clock()
    assert threads and threading.main_thread().name not in threads  # a worker thread, not the event loop's
    publisher.close()


async def test_a_store_that_cannot_be_written_never_stops_the_console(make, settle, store_path) -> None:
    app = make("en", obs=StandInSwitcher(CONNECTED))
    db = open_database(store_path)
    app.services.obs_publisher = ObsHealthPublisher(db)
    db.close()  # every write now fails
    async with app.run_test(size=SIZE) as pilot:
        app.request_view()
        await settle(pilot)
        assert app.view is not None and app.services.obs_publisher.offer(CONNECTED, app.controller.clock()) is False
