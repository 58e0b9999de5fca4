"""An in-process stand-in for the go-live controller (studio.broadcast.Broadcaster), for the console's tests.

No network, no store: the broadcast and stream are set by the test, every verb
is recorded, and the quota is counted as YouTube would (2 units a health look
once there is a broadcast). The stream carries a real-looking key so tests can
check it never reaches the screen or the store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from studio.broadcast import LiveStatus
from studio.youtube.live import Broadcast, Ingest, Stream
from studio.youtube.watch import Link, YouTubeWatch

KEY = "k3y9-SECRET-0000-aaaa"
SCHEDULED = Broadcast(
    "Xy12abCD34e", "Сайлау күні / День выборов", "ready", "unlisted", "s1",
    datetime(2026, 3, 15, 2, 0, tzinfo=UTC), None, None, True,
)
LIVE = replace(SCHEDULED, life_cycle="live", actual_start=datetime(2026, 3, 15, 4, 58, tzinfo=UTC))
RECEIVING = Stream("s1", "active", "good", (), Ingest("rtmp://a.rtmp.youtube.com/live2", KEY))
WAITING = replace(RECEIVING, status="ready", health="noData")


class FakeBroadcaster:
    """Answers status() with what the test set; schedule, go_live and end move the broadcast."""

    def __init__(self, broadcast: Broadcast | None = None, stream: Stream | None = None) -> None:
        self.broadcast, self.stream = broadcast, stream
        self.calls: list[str] = []
        self.units = 0
        self.fail: Exception | None = None  # raised by the next verb (and kept until cleared)
        self.during: Callable[[], object] = lambda: None  # runs inside go_live, between its steps

    def _verb(self, name: str, units: int) -> None:
        self.calls.append(name)
        self.units += units
        if self.fail is not None:
            raise self.fail

    def status(self) -> LiveStatus:
        self._verb("status", 2 if self.broadcast else 0)  # without a broadcast: a store read only
        return LiveStatus(self.broadcast, self.stream)

    def schedule(self, *, new: bool = False) -> Broadcast:
        self._verb("schedule", 150)
        self.broadcast = self.broadcast or SCHEDULED
        self.stream = self.stream or WAITING
        return self.broadcast

    def go_live(self, progress: Callable[[str], None] = lambda step: None) -> Broadcast:
        self._verb("go_live", 100)
        for step in ("obs", "receiving", "testing", "live"):
            progress(step)
            self.during()
        self.broadcast, self.stream = replace(self.broadcast or SCHEDULED, life_cycle="live"), RECEIVING
        return self.broadcast

    def end(self) -> Broadcast:
        self._verb("end", 51)
        assert self.broadcast is not None
        self.broadcast = replace(self.broadcast, life_cycle="complete")
        return self.broadcast


class FakeLedger:
    def __init__(self, broadcaster: FakeBroadcaster, spent: int = 0) -> None:
        self.broadcaster, self.spent = broadcaster, spent

    def spent_today(self) -> int:
        return self.spent + self.broadcaster.units


def fake_watch(
    tmp_path: Path,
    broadcaster: FakeBroadcaster,
    *,
    clock: Callable[[], datetime],
    obs: Callable[[], object],
    signed_in: bool = True,
    spent: int = 0,
    publisher: object = None,
) -> YouTubeWatch:
    token = tmp_path / "youtube-token.json"
    if signed_in:
        token.write_text("{}", "utf-8")
    link = Link(broadcaster, FakeLedger(broadcaster, spent), publisher)  # type: ignore[arg-type]
    return YouTubeWatch(token, lambda: link, allowance=10_000, obs=obs, clock=clock)  # type: ignore[arg-type]

