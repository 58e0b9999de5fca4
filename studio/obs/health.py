"""The show process publishes what it sees of OBS, for the control API's ``GET /state``.

No Textual here. The console's refresh worker (a thread, never the event loop)
takes the switcher's ``ObsHealth`` four times a second for the OBS panel and
offers it here (``ShowServices.read_obs``, studio/show/services.py);
``studio.store.health.Publisher`` writes it as source ``"obs"`` only when it
changed in substance or as a heartbeat every 5 s. Frame counters,
CPU and the age of the figures change all the time: they ride along but do
not count as a change. A failed write is logged and never stops the console.
"""

from __future__ import annotations

import logging
import math
import sqlite3
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import Any

from studio.show.health import ObsHealth
from studio.store.health import Publisher

log = logging.getLogger(__name__)

SOURCE = "obs"
VOLATILE = frozenset(
    {
        "stream_congestion",
        "stream_dropped_frames",
        "render_skipped_frames",
        "encoder_skipped_frames",
        "active_fps",
        "cpu_percent",
        "status_age",
    }
)
_LEFT_OUT = {"status", "feed", "cued"}  # the full status repeats the figures; the feeds are summarised below


def _plain(value: Any) -> Any:
    """A JSON value: floats rounded (and never NaN), enums as their value."""
    if isinstance(value, float):
        return round(value, 3) if math.isfinite(value) else None
    return getattr(value, "value", value)


def obs_detail(health: ObsHealth) -> dict[str, Any]:
    """The snapshot as a JSON object (no password is ever in ObsHealth)."""
    detail = {field.name: _plain(getattr(health, field.name)) for field in fields(health) if field.name not in _LEFT_OUT}
    for name in ("feed", "cued"):  # the on-air feed, and the next one (the control API asks before a take on it)
        feed = getattr(health, name)
        detail[name] = {
            "segment_id": feed.segment_id,
            "input": feed.input_name,
            "verdict": _plain(feed.verdict),
            "reported": feed.reported,
        }
    return detail


class ObsHealthPublisher:
    """Offers each snapshot to a ``Publisher`` on its own store connection; failures are logged."""

    def __init__(self, db: sqlite3.Connection, **publisher: Any) -> None:
        self.publisher = Publisher(db, SOURCE, volatile=VOLATILE, **publisher)
        self._failing = False

    def offer(self, health: ObsHealth, at: datetime) -> bool:
        try:
            written = self.publisher.offer(obs_detail(health), at)
        except (sqlite3.Error, ValueError) as error:  # a busy store must not stop the console
            if not self._failing:
                log.warning("cannot publish OBS health: %s", error)
            self._failing = True
            return False
        self._failing = False
        return written

    def close(self) -> None:
        self.publisher.db.close()


def obs_publisher(store: Path | str) -> ObsHealthPublisher:
    """A publisher on a connection of its own: the controller's is busy with takes on other threads."""
    from studio.store.backends import open_database

    return ObsHealthPublisher(open_database(store))
