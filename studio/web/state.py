"""The control API's ``State``: a ``ShowView`` as JSON (the schema is in ``openapi.py``).

Instants are ISO 8601 in the show's local zone (``2026-03-15T09:58:00+05:00``);
durations are whole seconds. ``graphics``, ``obs`` and ``stream`` are
placeholders that the graphics, OBS and YouTube work fill in: an empty list,
null and ``"unknown"`` until then.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, tzinfo
from typing import Any

from studio.control import ShowView
from studio.rundown.model import Segment

_ZERO = timedelta(0)


def _instant(value: datetime | None, zone: tzinfo) -> str | None:
    return None if value is None else value.astimezone(zone).isoformat()


def _seconds(value: timedelta) -> int:
    """Whole seconds, rounded down (toward minus infinity, so an overrun of 0.4 s is -1)."""
    return math.floor(value.total_seconds())


def _segment(segment: Segment) -> dict[str, Any]:
    return {
        "segment_id": segment.id,
        "title": {"kk": segment.title.kk, "ru": segment.title.ru},
        "kind": segment.kind.value,
        "region": segment.region,
        "planned_s": _seconds(segment.duration),
    }


def state_json(view: ShowView, zone: tzinfo) -> dict[str, Any]:
    timing = view.timing
    show = view.rundown.show
    on_air = None
    if view.on_air is not None:
        row = view.on_air
        elapsed = timing.on_air_elapsed or _ZERO
        remaining = timing.on_air_remaining if timing.on_air_remaining is not None else row.planned - elapsed
        on_air = {
            "segment_id": row.segment_id,
            "title": {"kk": row.title_kk, "ru": row.title_ru},
            "kind": row.kind,
            "region": row.region,
            "planned_s": _seconds(row.planned),
            "started_at": _instant(row.started_at, zone),
            "elapsed_s": _seconds(elapsed),
            "remaining_s": _seconds(remaining),
            "overrun": remaining <= _ZERO,
            "taken_by": row.taken_by,
            "origin": row.origin,
        }
    upcoming = None
    if view.next is not None:
        expected = timing.expected_for(view.next.id)
        upcoming = _segment(view.next) | {"expected_start": _instant(expected.start if expected else None, zone)}
    fixed = timing.next_fixed
    return {
        "show": {
            "id": show.id,
            "title": {"kk": show.title.kk, "ru": show.title.ru},
            "date": show.date.isoformat(),
            "zone": show.zone.key,
        },
        "revision": view.revision,
        "now": _instant(timing.now, zone),
        "ended": view.ended,
        "on_air": on_air,
        "next": upcoming,
        "timing": {
            "show_over_under_s": _seconds(timing.show_over_under),
            "projected_end": _instant(timing.projected_end, zone),
            "next_fixed": None
            if fixed is None
            else {
                "segment_id": fixed.segment_id,
                "start": _instant(fixed.start, zone),
                "backtime_s": _seconds(fixed.backtime) if fixed.backtime is not None else None,
            },
            "next_turnout": _instant(timing.next_turnout, zone),
        },
        "rundown": [
            _segment(line.segment)
            | {
                "status": line.status.value,
                "fixed": line.planned.fixed,
                "planned_start": _instant(line.planned.start, zone),
                "expected_start": _instant(line.expected_start, zone),
            }
            for line in view.lines
        ],
        "graphics": [],
        "obs": None,
        "stream": {"health": "unknown"},
    }
