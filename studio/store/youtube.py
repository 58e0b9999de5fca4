"""YouTube's memory in the store (migration 6): the show's broadcast and the quota ledger.

The broadcast id is written before anything else is done with the broadcast, so a
restart or a retried ``schedule`` finds it and reuses it: never two broadcasts for
one show. The ledger counts units per quota day and method; it survives restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from studio.store.db import Connection
from studio.store.intake import utc_text


@dataclass(frozen=True, slots=True)
class BroadcastRecord:
    show_id: str
    broadcast_id: str
    stream_id: str | None
    created_at: datetime
    created_by: str


class YouTubeStore(Connection):
    def broadcast(self, show_id: str) -> BroadcastRecord | None:
        row = self.db.execute("SELECT * FROM youtube_broadcast WHERE show_id = ?", (show_id,)).fetchone()
        if row is None:
            return None
        return BroadcastRecord(
            show_id=row["show_id"],
            broadcast_id=row["broadcast_id"],
            stream_id=row["stream_id"],
            created_at=datetime.fromisoformat(row["created_at"]),
            created_by=row["created_by"],
        )

    def remember_broadcast(self, show_id: str, broadcast_id: str, at: datetime, who: str) -> None:
        with self.write():
            self.db.execute(
                """INSERT INTO youtube_broadcast (show_id, broadcast_id, created_at, created_by) VALUES (?, ?, ?, ?)
                   ON CONFLICT (show_id) DO UPDATE SET broadcast_id = excluded.broadcast_id, stream_id = NULL,
                   created_at = excluded.created_at, created_by = excluded.created_by""",
                (show_id, broadcast_id, utc_text(at), who),
            )

    def remember_stream(self, show_id: str, stream_id: str) -> None:
        with self.write():
            self.db.execute("UPDATE youtube_broadcast SET stream_id = ? WHERE show_id = ?", (stream_id, show_id))

    def charge(self, day: str, method: str, units: int) -> None:
        with self.write():
            self.db.execute(
                """INSERT INTO youtube_quota (day, method, calls, units) VALUES (?, ?, 1, ?)
                   ON CONFLICT (day, method) DO UPDATE SET calls = youtube_quota.calls + 1,
                   units = youtube_quota.units + excluded.units""",
                (day, method, units),
            )

    def spent(self, day: str) -> int:
        return int(self.db.execute("SELECT COALESCE(SUM(units), 0) FROM youtube_quota WHERE day = ?", (day,)).fetchone()[0])

    def spent_by_method(self, day: str) -> dict[str, tuple[int, int]]:
        """method → (calls, units) for the day."""
        return {
            row["method"]: (row["calls"], row["units"])
            for row in self.db.execute("SELECT * FROM youtube_quota WHERE day = ? ORDER BY units DESC", (day,))
        }
