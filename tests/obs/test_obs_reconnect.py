"""OBS crashes and comes back: the link reconnects and puts the programme back."""

from __future__ import annotations

import queue
import socket
import threading
import time

import pytest

from studio.obs import LinkEvent, ObsAdapter, ObsLink, ObsWanted
from studio.obs.link import BACKOFF
from tests.obs.obs_checks import Show, raw_client
from tests.obs.obs_process import ObsProcess

pytestmark = [pytest.mark.obs, pytest.mark.xdist_group("obs")]


class CountingAdapter(ObsAdapter):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.reasserts: list[int] = []

    def reassert(self, wanted: ObsWanted) -> int:
        sent = super().reassert(wanted)
        self.reasserts.append(sent)
        return sent


def next_event(
    events: queue.Queue[tuple[float, LinkEvent]], connected: bool, timeout: float = 10
) -> tuple[float, LinkEvent]:
    deadline = time.monotonic() + timeout
    while True:
        at, event = events.get(timeout=max(0.01, deadline - time.monotonic()))
        if event.connected == connected:
            return at, event


def watch_first_accept(host: str, port: int) -> list[float]:
    """Starts a thread noting when the port first accepts a TCP connection."""
    seen: list[float] = []

    def poll() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection((host, port), timeout=0.5).close()
                seen.append(time.monotonic())
                return
            except OSError:
                time.sleep(0.005)

    threading.Thread(target=poll, daemon=True).start()
    return seen


def test_link_reconnects_and_reasserts_after_obs_restart(obs: ObsProcess, show: Show) -> None:
    adapter = CountingAdapter(obs.settings())
    wanted = ObsWanted(show.b, frozenset({(show.b, show.overlay)}))
    events: queue.Queue[tuple[float, LinkEvent]] = queue.Queue()
    link = ObsLink(adapter, lambda: wanted, lambda e: events.put((time.monotonic(), e)))
    link.start()
    try:
        next_event(events, connected=True)
        with raw_client(obs) as client:  # drift away from the wanted state
            client.set_current_program_scene(show.a)

        obs.kill()
        _, lost = next_event(events, connected=False)
        assert obs.password not in lost.reason
        time.sleep(sum(BACKOFF))  # let the backoff reach its cap: the worst case
        accepting = watch_first_accept(obs.host, obs.port)
        obs.start()
        connected_at, _ = next_event(events, connected=True)
        reconnect = connected_at - accepting[0]
        print(f"\nreconnected {reconnect:.3f} s after OBS accepted connections")  # a figure, not a threshold

        deadline = time.monotonic() + 2
        while len(adapter.reasserts) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert adapter.reasserts[-1] >= 1  # the restarted OBS differed, and was corrected
        with raw_client(obs) as client:
            assert client.get_current_program_scene().current_program_scene_name == show.b
            item = client.get_scene_item_id(show.b, show.overlay).scene_item_id
            assert client.get_scene_item_enabled(show.b, item).scene_item_enabled
    finally:
        link.stop()
