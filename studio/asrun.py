"""The as-run log for export: what was played, when, for how long, taken by whom."""

from __future__ import annotations

import csv
import io
import json
from typing import Iterable
from zoneinfo import ZoneInfo

from studio.store import AsRunRow

FIELDS = (
    "segment_id",
    "kind",
    "region",
    "title_kk",
    "title_ru",
    "start_utc",
    "start_local",
    "end_utc",
    "end_local",
    "planned_s",
    "duration_s",
    "deviation_s",
    "taken_by",
    "origin",
    "note",
)


def records(rows: Iterable[AsRunRow], zone: ZoneInfo) -> list[dict[str, object]]:
    """One flat record a played segment; the on-air one has no end yet."""
    out = []
    for row in rows:
        duration, deviation = row.duration, row.deviation
        out.append(
            {
                "segment_id": row.segment_id,
                "kind": row.kind,
                "region": row.region or "",
                "title_kk": row.title_kk,
                "title_ru": row.title_ru,
                "start_utc": row.started_at.isoformat(),
                "start_local": row.started_at.astimezone(zone).isoformat(),
                "end_utc": row.ended_at.isoformat() if row.ended_at else "",
                "end_local": row.ended_at.astimezone(zone).isoformat() if row.ended_at else "",
                "planned_s": int(row.planned.total_seconds()),
                "duration_s": round(duration.total_seconds(), 3) if duration is not None else "",
                "deviation_s": round(deviation.total_seconds(), 3) if deviation is not None else "",
                "taken_by": row.taken_by,
                "origin": row.origin,
                "note": row.note,
            }
        )
    return out


def export(rows: Iterable[AsRunRow], zone: ZoneInfo, fmt: str) -> str:
    found = records(rows, zone)
    if fmt == "json":
        return json.dumps(found, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(found)
    return buffer.getvalue()
