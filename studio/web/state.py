"""The control API's ``State``: a ``ShowView`` as the ``State`` model of studio/web/models.py.

Instants are ISO 8601 in the show's local zone (``2026-03-15T09:58:00+05:00``);
durations are whole seconds. ``graphics`` lists the on-air segment's armed
graphics (by ``index``, what ``POST /graphics/take/{index}`` takes) and the
graphics on air (by ``template``, what ``POST /graphics/clear/{template}``
clears); ``under_slate`` is true while the fallback slate covers the programme, so that
none of those is visible. ``health`` holds each source's latest snapshot as the process that
owns it published it (studio/store/health.py): OBS from the show process,
YouTube later; a source nobody has published is null, with the reason in
``health_missing``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo
from typing import Any

from studio.i18n import Catalogue
from studio.onair import describe
from studio.rundown.model import Segment
from studio.show import ShowView
from studio.store.health import Health
from studio.web.models import State

_ZERO = timedelta(0)

HEALTH_SOURCES = ("obs", "youtube")
"""Sources GET /state always names: null (with a reason) until someone publishes them."""


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


def graphics_json(view: ShowView) -> dict[str, Any]:
    """The on-air segment's armed graphics, the graphics on air and whether the slate hides them."""
    on_air = {graphic.template for graphic in view.graphics}
    cues = view.on_air_segment.graphics if view.on_air_segment is not None else ()
    return {
        "armed": [
            {"index": index, "template": cue.template, "description": describe(cue), "on_air": cue.template in on_air}
            for index, cue in enumerate(cues)
        ],
        "on_air": [
            {
                "template": graphic.template,
                "segment_id": graphic.segment_id,
                "scene": graphic.scene,
                "description": graphic.description,
            }
            for graphic in view.graphics
        ],
        "under_slate": view.under_slate,
    }


def health_json(
    health: Mapping[str, Health], now: datetime, zone: tzinfo, catalogue: Catalogue
) -> tuple[dict[str, Any], dict[str, str]]:
    """Every source's snapshot with ``at``, ``age_s`` and ``stale``; and why an expected source is null."""
    sources: dict[str, Any] = {}
    missing: dict[str, str] = {}
    for source in dict.fromkeys((*HEALTH_SOURCES, *sorted(health))):
        snapshot = health.get(source)
        if snapshot is None:
            sources[source] = None
            missing[source] = catalogue.t(f"api.health.missing.{source}", source=source)
            continue
        age = snapshot.age(now)
        sources[source] = dict(snapshot.detail) | {
            "at": _instant(snapshot.at, zone),
            "age_s": math.floor(age),
            "stale": snapshot.stale(now),
        }
    return sources, missing


def state(
    view: ShowView,
    zone: tzinfo,
    health: Mapping[str, Health] | None = None,
    catalogue: Catalogue | None = None,
) -> State:
    """The state of the show, checked against its model: what is answered is what is documented."""
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
    sources, missing = health_json(health or {}, timing.now, zone, catalogue or Catalogue())
    return State.model_validate({
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
        "graphics": graphics_json(view),
        "health": sources,
        "health_missing": missing,
    })
