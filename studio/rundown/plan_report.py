"""The timed plan as ``studio check`` prints it."""

from __future__ import annotations

from datetime import timedelta

from studio.regions import regions
from studio.rundown.load import format_duration
from studio.rundown.model import Rundown
from studio.rundown.timing import plan


def _seconds(delta: timedelta) -> int:
    return int(delta.total_seconds())


def report(rundown: Rundown) -> str:
    show = rundown.show
    zone = show.zone
    lines = [
        f"{show.title.kk} / {show.title.ru}",
        f"{show.date.isoformat()}  {zone.key}  on air {show.start:%H:%M}  {len(rundown.segments)} segments",
        "",
        f"{'start':>8} {'end':>8}  {'dur':>6}  {'kind':<8} {'region':<22} {'id':<22} title",
    ]
    misses = []
    slots = plan(rundown)
    for slot in slots:
        segment = slot.segment
        start = slot.start.astimezone(zone)
        end = slot.end.astimezone(zone)
        mark = "*" if slot.fixed else " "
        region = regions()[segment.region].en if segment.region else ""
        line = (
            f"{start:%H:%M:%S}{mark}{end:%H:%M:%S}  {format_duration(segment.duration):>6}  "
            f"{segment.kind.value:<8} {region:<22} {segment.id:<22} {segment.title.kk}"
        )
        if slot.miss:
            seconds = _seconds(slot.miss)
            what = f"overrun {seconds} s: cut before it" if seconds > 0 else f"gap {-seconds} s: fill before it"
            line += f"\n{'':>19}^ fixed {start:%H:%M:%S} not hit: {what}"
            misses.append((segment.id, seconds))
        lines.append(line)
    last = slots[-1].end.astimezone(zone)
    lines += [
        "",
        "* fixed start",
        f"ends {last:%Y-%m-%d %H:%M:%S}, {format_duration(slots[-1].end - slots[0].start)} on air",
        f"fixed starts: {sum(s.fixed for s in slots)}, hit exactly: {sum(1 for s in slots if s.fixed and not s.miss)}"
        + (", missed: " + ", ".join(f"{i} ({s:+d} s)" for i, s in misses) if misses else ""),
    ]
    return "\n".join(lines) + "\n"
