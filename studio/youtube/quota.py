"""YouTube Data API quota: what each call costs, the quota day, and how often health may be polled.

Costs are Google's published table (developers.google.com/youtube/v3/determine_quota_cost);
they live here and nowhere else. A project gets 10,000 units a day by default and
every request is charged, even one that fails, so retries and polls are paid for.
The quota day ends at midnight Pacific time.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from studio.store.youtube import YouTubeStore

COSTS: dict[str, int] = {
    "liveBroadcasts.list": 1,
    "liveBroadcasts.insert": 50,
    "liveBroadcasts.update": 50,
    "liveBroadcasts.bind": 50,
    "liveBroadcasts.transition": 50,
    "liveBroadcasts.delete": 50,
    "liveStreams.list": 1,
    "liveStreams.insert": 50,
    "liveStreams.update": 50,
    "liveStreams.delete": 50,
    "videos.list": 1,
    "videos.update": 50,
}
DAILY_ALLOWANCE = 10_000
PACIFIC = ZoneInfo("America/Los_Angeles")

HEALTH_POLL_COST = COSTS["liveStreams.list"] + COSTS["liveBroadcasts.list"]
"""One health poll reads the stream (health, status) and the broadcast (life cycle)."""
RESERVE = 1_000
"""Units kept back from polling for schedule, go live, end and chapters, with restarts and retries."""
MIN_POLL = timedelta(seconds=30)
"""30 s over a 16-hour day is 1,920 polls, 3,840 units: well inside the allowance with the reserve."""
MAX_POLL = timedelta(minutes=10)


def cost(method: str) -> int:
    return COSTS[method]


def quota_day(now: datetime) -> str:
    """The quota day ``now`` falls in: a date in Pacific time, as ISO text."""
    return now.astimezone(PACIFIC).date().isoformat()


def resets_at(now: datetime) -> datetime:
    """When the quota day that contains ``now`` ends (midnight Pacific), as an aware datetime."""
    local = now.astimezone(PACIFIC)
    return datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), PACIFIC)


def poll_interval(spent: int, now: datetime, allowance: int = DAILY_ALLOWANCE) -> timedelta | None:
    """How long to wait between health polls so the rest of the day stays inside the allowance.

    At least MIN_POLL; stretched when the units left after the reserve would not last
    until the reset; None when polling would eat into the reserve (poll no more today).
    """
    left = allowance - RESERVE - spent
    if left < HEALTH_POLL_COST:
        return None
    seconds_left = (resets_at(now) - now).total_seconds()
    polls_affordable = left // HEALTH_POLL_COST
    needed = timedelta(seconds=seconds_left / polls_affordable)
    return min(max(MIN_POLL, needed), MAX_POLL)


class StoreLedger:
    """The day's units, kept in the store so a restart does not forget what was spent."""

    def __init__(self, store: YouTubeStore, clock: Callable[[], datetime]) -> None:
        self._store, self._clock = store, clock
        self._lock = threading.Lock()

    def charge(self, method: str) -> None:
        with self._lock:
            self._store.charge(quota_day(self._clock()), method, cost(method))

    def spent_today(self) -> int:
        with self._lock:
            return self._store.spent(quota_day(self._clock()))

    def by_method(self) -> dict[str, tuple[int, int]]:
        with self._lock:
            return self._store.spent_by_method(quota_day(self._clock()))
