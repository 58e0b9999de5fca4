"""ObsLink with a scripted fake adapter: backoff, state reports, reassert. No OBS."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator

import pytest

from studio.obs import LinkEvent, ObsError, ObsLink, ObsSettings, ObsVersions, ObsWanted
from studio.obs.link import BACKOFF

WANTED = ObsWanted("Studio")
REFUSED = ObsError("refused", "cannot connect to OBS at 127.0.0.1:4455 (Connection refused)")


class FakeAdapter:
    """Connect attempts follow a script of errors; then it connects."""

    settings = ObsSettings()

    def __init__(self, failures: list[ObsError]) -> None:
        self.failures = list(failures)
        self.attempts: list[float] = []
        self.reasserted: list[ObsWanted] = []
        self.reassert_error: ObsError | None = None
        self.lose_link = threading.Event()
        self.connected = False
        self.last_error: ObsError | None = None

    def connect(self) -> ObsVersions:
        self.attempts.append(time.monotonic())
        if self.failures:
            self.last_error = self.failures.pop(0)
            raise self.last_error
        self.connected = True
        return ObsVersions("29.0.2", "5.1.0", 1)

    def probe(self) -> None:
        if self.lose_link.is_set():
            self.lose_link.clear()
            self.connected = False
            self.last_error = ObsError("disconnected", "lost the connection to OBS")
            raise self.last_error

    def reassert(self, wanted: ObsWanted) -> int:
        self.reasserted.append(wanted)
        if self.reassert_error:
            raise self.reassert_error
        return 1

    def close(self) -> None:
        self.connected = False


@pytest.fixture
def events() -> queue.Queue[LinkEvent]:
    return queue.Queue()


def start(adapter: FakeAdapter, events: queue.Queue[LinkEvent], **kw: object) -> ObsLink:
    link = ObsLink(adapter, lambda: WANTED, events.put, **kw)  # type: ignore[arg-type]
    link.start()
    return link


@pytest.fixture
def stopper() -> Iterator[list[ObsLink]]:
    links: list[ObsLink] = []
    yield links
    for link in links:
        link.stop()


def test_backoff_then_connect_then_reassert(
    events: queue.Queue[LinkEvent], stopper: list[ObsLink]
) -> None:
    adapter = FakeAdapter([REFUSED] * 5)
    stopper.append(start(adapter, events, backoff=(0.01, 0.02, 0.04)))
    assert events.get(timeout=2) == LinkEvent(False, str(REFUSED))  # reported once
    connected = events.get(timeout=2)
    assert connected.connected and "29.0.2" in connected.reason
    gaps = [b - a for a, b in zip(adapter.attempts, adapter.attempts[1:])]
    assert [round(g, 2) >= d for g, d in zip(gaps, (0.01, 0.02, 0.04, 0.04, 0.04))] == [True] * 5
    deadline = time.monotonic() + 2
    while not adapter.reasserted and time.monotonic() < deadline:
        time.sleep(0.01)
    assert adapter.reasserted == [WANTED]


def test_lost_link_is_reported_and_restored(
    events: queue.Queue[LinkEvent], stopper: list[ObsLink]
) -> None:
    adapter = FakeAdapter([])
    stopper.append(start(adapter, events, probe_every=0.01))
    assert events.get(timeout=2).connected
    adapter.failures = [REFUSED]
    adapter.lose_link.set()
    lost = events.get(timeout=2)
    assert lost == LinkEvent(False, "lost the connection to OBS")
    assert events.get(timeout=2) == LinkEvent(False, str(REFUSED))
    assert events.get(timeout=2).connected
    deadline = time.monotonic() + 2
    while len(adapter.reasserted) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert adapter.reasserted == [WANTED, WANTED]


def test_refused_reassert_keeps_the_link(
    events: queue.Queue[LinkEvent], stopper: list[ObsLink]
) -> None:
    adapter = FakeAdapter([])
    adapter.reassert_error = ObsError("request", "OBS refused SetCurrentProgramScene")
    stopper.append(start(adapter, events))
    assert events.get(timeout=2).connected
    note = events.get(timeout=2)
    assert note.connected and "restoring the wanted state failed" in note.reason
    assert "SetCurrentProgramScene" in note.reason


def test_default_backoff_reconnects_within_two_seconds() -> None:
    # Worst case: OBS starts accepting just after a retry; the next comes max(BACKOFF) later.
    assert max(BACKOFF) <= 1.0 and list(BACKOFF) == sorted(BACKOFF)
