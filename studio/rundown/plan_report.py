"""The timed plan as ``studio check`` prints it, in the reader's language."""

from __future__ import annotations

from datetime import timedelta

from studio.i18n import Catalogue
from studio.regions import regions
from studio.rundown.model import Rundown
from studio.rundown.timing import plan, span


def _seconds(delta: timedelta) -> int:
    return int(delta.total_seconds())


def report(rundown: Rundown, language: str) -> str:
    say = Catalogue(language).t
    show = rundown.show
    zone = show.zone
    lines = [
        f"{show.title.kk} / {show.title.ru}",
        say("plan.header", date=show.date.isoformat(), zone=zone.key, start=f"{show.start:%H:%M}",
            segments=len(rundown.segments)),
        "",
        f"{say('plan.start'):>8} {say('plan.end'):>8}  {say('column.duration'):>7}  {say('column.kind'):<9} "
        f"{say('column.region'):<22} {say('column.id'):<24} {say('column.title')}",
    ]
    misses = []
    slots = plan(rundown)
    for slot in slots:
        segment = slot.segment
        start = slot.start.astimezone(zone)
        end = slot.end.astimezone(zone)
        mark = "*" if slot.fixed else " "
        region = regions()[segment.region].name(language) if segment.region else ""
        line = (
            f"{start:%H:%M:%S}{mark}{end:%H:%M:%S}  {span(segment.duration):>7}  "
            f"{say(f'kind.{segment.kind.value}'):<9} {region:<22} {segment.id:<24} {segment.title.text(language)}"
        )
        if slot.miss:
            seconds = _seconds(slot.miss)
            what = say("plan.overrun", seconds=seconds) if seconds > 0 else say("plan.gap", seconds=-seconds)
            line += f"\n{'':>19}^ {say('plan.missed', start=f'{start:%H:%M:%S}', what=what)}"
            misses.append(f"{segment.id} ({seconds:+d} s)")
        lines.append(line)
    last = slots[-1].end.astimezone(zone)
    fixed = sum(s.fixed for s in slots)
    hit = sum(1 for s in slots if s.fixed and not s.miss)
    lines += [
        "",
        f"* {say('plan.fixed_start')}",
        say("plan.ends", end=f"{last:%Y-%m-%d %H:%M:%S}", length=span(slots[-1].end - slots[0].start)),
        say("plan.fixed", fixed=fixed, hit=hit) + (say("plan.misses", misses=", ".join(misses)) if misses else ""),
    ]
    return "\n".join(lines) + "\n"
