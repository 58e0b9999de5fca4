"""OBS crashes and comes back: the link reconnects and puts the programme back."""

from __future__ import annotations

import os
import queue
import random
import socket
import statistics
import threading
import time

import pytest

from studio.obs import LinkEvent, ObsAdapter, ObsLink, ObsWanted
from studio.obs.link import BACKOFF
from tests.obs.obs_checks import Show, raw_client
from tests.obs.obs_process import ObsProcess
from tests.obs.obs_show import wait_for

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


RESTARTS = int(os.environ.get("STUDIO_OBS_RESTARTS", "5"))
"""OBS killed and started again this many times (make soak: 20)."""


def test_link_reconnects_and_reasserts_after_every_obs_restart(obs: ObsProcess, show: Show) -> None:
    """Each restart after a seeded wait (the first at the backoff's cap, the worst case): the link reconnects and
    puts the wanted scene and overlay back. How long after OBS first accepted a connection is printed: a figure
    (the issue's target is 2 s), not a threshold."""
    adapter = CountingAdapter(obs.settings())
    wanted = ObsWanted(show.b, frozenset({(show.b, show.overlay)}))
    events: queue.Queue[tuple[float, LinkEvent]] = queue.Queue()
    link = ObsLink(adapter, lambda: wanted, lambda e: events.put((time.monotonic(), e)))
    link.start()
    rng = random.Random(3)
    waits = [sum(BACKOFF)] + [rng.uniform(0, sum(BACKOFF)) for _ in range(RESTARTS - 1)]
    reasserted: list[float] = []
    try:
        next_event(events, connected=True)
        for wait in waits:
            with raw_client(obs) as client:  # drift away from the wanted state
                client.set_current_program_scene(show.a)
            done = len(adapter.reasserts)
            obs.kill()
            _, lost = next_event(events, connected=False)
            assert obs.password not in lost.reason
            time.sleep(wait)
            accepting = watch_first_accept(obs.host, obs.port)
            obs.start()
            next_event(events, connected=True)
            deadline = time.monotonic() + 30  # a bound against a hang, not a target
            while len(adapter.reasserts) <= done or adapter.reasserts[-1] < 1:  # the restarted OBS differed
                assert time.monotonic() < deadline, "the restarted OBS was never put back as wanted"
                time.sleep(0.01)
            reasserted_at = time.monotonic()
            while not accepting:  # the watching thread, starved on a busy machine, may not have noted it yet
                assert time.monotonic() < deadline, "OBS was never seen accepting connections"
                time.sleep(0.01)
            reasserted.append(reasserted_at - accepting[0])
            with raw_client(obs) as client:
                # OBS answers a programme switch before its UI thread has made it (as ObsAdapter._wait_until says)
                programme = lambda: client.get_current_program_scene().current_program_scene_name  # noqa: E731
                assert wait_for(lambda: programme() == show.b, timeout=5), programme()
                item = client.get_scene_item_id(show.b, show.overlay).scene_item_id
                assert client.get_scene_item_enabled(show.b, item).scene_item_enabled
    finally:
        link.stop()
    print(f"\n{len(reasserted)} OBS restarts re-asserted, {min(reasserted):.2f}-{max(reasserted):.2f} s after OBS "
          f"accepted connections (median {statistics.median(reasserted):.2f} s)")
