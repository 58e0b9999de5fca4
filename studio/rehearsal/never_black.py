"""Never black, measured: ffmpeg's ``blackdetect`` and ``freezedetect`` over the rehearsal's recording of the
programme, each stretch put on the rehearsal's day with the as-run entry on air at that moment.

- Black: every stretch longer than ``MIN_SECONDS`` is listed, whatever was on air.
- Frozen: a still picture is normal for cards, the slate and the studio scenes without a camera (the
  sample has none); so a frozen stretch is listed only where it lies inside a live feed's segment
  (``kind`` live or briefing, with a feed) while the slate does not cover it, for longer than
  ``MIN_SECONDS``. The others are counted as still by nature.

Everything here but ``detect`` is pure: the parsing of ffmpeg's stderr, and the mapping of recording
seconds to the simulated day (``anchor`` + seconds x speed: the recording runs in real time).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

MIN_SECONDS = 0.5
BLACK = re.compile(r"black_start:\s*([\d.]+)\s+black_end:\s*([\d.]+)")
FREEZE = re.compile(r"lavfi\.freezedetect\.freeze_(start|end):\s*([\d.]+)")
PROGRESS = re.compile(r"time=(\d+):(\d\d):(\d\d(?:\.\d+)?)")
STILL_BY_NATURE = "cards, the slate and studio scenes without a camera are still pictures by nature"


@dataclass(frozen=True, slots=True)
class Stretch:
    start: float  # seconds into the recording
    end: float

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Entry:
    """An as-run entry: a segment on air from ``started`` to ``ended`` (None: to the end)."""

    segment: str
    kind: str
    title: str
    started: datetime
    ended: datetime | None
    live: bool  # a live feed's segment: its picture moves


def black_stretches(stderr: str) -> list[Stretch]:
    return [Stretch(float(a), float(b)) for a, b in BLACK.findall(stderr)]


def frozen_stretches(stderr: str, length: float) -> list[Stretch]:
    """freezedetect's stretches; one still frozen at the end of the recording ends with it (``length``)."""
    found, since = [], None
    for edge, value in FREEZE.findall(stderr):
        if edge == "start":
            since = float(value)
        elif since is not None:
            found.append(Stretch(since, float(value)))
            since = None
    if since is not None:
        found.append(Stretch(since, max(since, length)))
    return found


def recorded_seconds(stderr: str) -> float:
    """How long the recording is, from ffmpeg's last progress line (0 when it printed none)."""
    found = PROGRESS.findall(stderr)
    if not found:
        return 0.0
    hours, minutes, seconds = found[-1]
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def detect(recording: Path, ffmpeg: str = "ffmpeg") -> tuple[list[Stretch], list[Stretch], float]:
    """Run blackdetect and freezedetect over ``recording`` (one decode); the black and frozen stretches of at
    least ``MIN_SECONDS`` and the length in seconds. Raises OSError when ffmpeg cannot run, ValueError when it
    cannot read the file (its last words are the message)."""
    done = subprocess.run(
        [ffmpeg, "-nostdin", "-hide_banner", "-i", str(recording), "-vf",
         f"blackdetect=d={MIN_SECONDS},freezedetect=d={MIN_SECONDS}", "-an", "-f", "null", "-"],
        capture_output=True, text=True, errors="replace", check=False,
    )
    if done.returncode != 0:
        raise ValueError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}")
    length = recorded_seconds(done.stderr)
    return black_stretches(done.stderr), frozen_stretches(done.stderr, length), length


def entry_at(entries: Sequence[Entry], instant: datetime) -> Entry | None:
    """The as-run entry on air at ``instant``: the last one started by then and not ended before it."""
    on = None
    for entry in entries:
        if entry.started <= instant and (entry.ended is None or instant < entry.ended):
            on = entry
    return on


def _overlap(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> tuple[datetime, datetime] | None:
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return (start, end) if start < end else None


def live_spans(entries: Sequence[Entry], slate: Sequence[tuple[datetime, datetime]], end: datetime
               ) -> list[tuple[datetime, datetime, Entry]]:
    """When a live feed's picture should be moving: its segments on air, less the slate's spans."""
    spans = []
    for entry in entries:
        if not entry.live:
            continue
        pieces = [(entry.started, entry.ended or end)]
        for covered in slate:
            pieces = [piece for span in pieces for piece in _minus(span, covered)]
        spans += [(start, stop, entry) for start, stop in pieces]
    return spans


def _minus(span: tuple[datetime, datetime], cut: tuple[datetime, datetime]) -> list[tuple[datetime, datetime]]:
    if _overlap(span, cut) is None:
        return [span]
    return [piece for piece in ((span[0], cut[0]), (cut[1], span[1])) if piece[0] < piece[1]]


def judged(black: Sequence[Stretch], frozen: Sequence[Stretch], *, anchor: datetime, speed: float,
           entries: Sequence[Entry], slate: Sequence[tuple[datetime, datetime]], length: float,
           dying: Sequence[tuple[datetime, datetime]] = ()) -> dict[str, Any]:
    """The report's "never black" part: every black stretch, the frozen ones that matter (see the module),
    each with its simulated time and the as-run entry at that moment. ``dying``: from each feed's death to
    the slate; a frozen stretch there is the feed's last picture held while the watchdog decides, and says so."""
    at = lambda seconds: anchor + timedelta(seconds=seconds * speed)  # noqa: E731
    end = at(length)

    def listed(stretch: Stretch, moment: datetime, seconds: float) -> dict[str, Any]:
        entry = entry_at(entries, moment)
        return {"recording_s": round(stretch.start, 2), "seconds": round(seconds, 2), "at": moment.isoformat(),
                "segment": entry.segment if entry else None, "title": entry.title if entry else None,
                "kind": entry.kind if entry else None}

    blacks = [listed(s, at(s.start), s.seconds) for s in black if s.seconds > MIN_SECONDS]
    moving = live_spans(entries, slate, end)
    frozen_listed, still = [], []
    for stretch in frozen:
        inside = [part for span in moving if (part := _overlap((at(stretch.start), at(stretch.end)), span[:2]))]
        seconds = sum((stop - start).total_seconds() for start, stop in inside) / speed
        if seconds > MIN_SECONDS:
            shown = listed(stretch, inside[0][0], seconds)
            frozen_listed.append(shown | {"feed_dying": any(_overlap(part, span) for part in inside for span in dying)})
        else:
            still.append(stretch.seconds)
    return {"black": blacks, "frozen": frozen_listed,
            "still_by_nature": {"count": len(still), "seconds": round(sum(still), 1), "why": STILL_BY_NATURE},
            "recording_seconds": round(length, 2), "min_seconds": MIN_SECONDS}
