"""A plan on another day's clock: Ontime's relative offset, pure.

A rundown is written for its own day (``[show] date`` and ``start``). Played on
any other day, every time in it is wrong: the timing puts fixed starts months
away, the countdowns run to a past date. ``OnToday`` moves the whole plan by
one offset, applied here and nowhere else: the show's date and start, every
fixed and soft time, and the station's turnout hours. The show process is given
the moved rundown, so the timing, the prompters, the console and the store all
see one plan.

The offset is taken on the wall clock (local date and time), so a plan that
starts at 07:00 starts at 07:00 on the new day whatever the zone's rules.
The moved show remembers the day it was planned for (``Show.plan_date``): the
desk's figures of that day are what its graphics show, and every screen can
say that this is a rehearsal.

No clock is read here: the caller passes ``now``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Iterable

from studio.rundown.model import Rundown, Segment, Show

PLAN = "plan"
"""``--start plan``: keep the plan's own time of day."""


@dataclass(frozen=True, slots=True)
class OnToday:
    """A plan moved onto ``day``, its show starting at ``start`` (None: the plan's own time of day)."""

    day: date
    start: time | None = None

    @classmethod
    def starting_now(cls, now: datetime, zone: tzinfo) -> OnToday:
        """The show starts now: at the next whole minute in ``zone`` (within a minute), so its times
        read as a plan's do and nothing is late before the first take."""
        local = now.astimezone(zone).replace(tzinfo=None)
        start = local.replace(second=0, microsecond=0)
        if start < local:
            start += timedelta(minutes=1)
        return cls(start.date(), start.time())

    def offset(self, show: Show) -> timedelta:
        """How far the plan moves: the new start minus the planned one, on the wall clock."""
        return datetime.combine(self.day, self.start or show.start) - datetime.combine(show.date, show.start)

    def clock(self, show: Show, at: time) -> time:
        """A local time of ``show``'s plan (a fixed start, a turnout hour) on the new clock.

        The plan's times run from its start to 24 hours later (``Show.at``); moved
        together, they keep that order from the new start.
        """
        planned = datetime.combine(show.at(at).date(), at)
        return (planned + self.offset(show)).time()

    def show(self, show: Show) -> Show:
        return replace(show, date=self.day, start=self.start or show.start, plan_date=show.plan_date or show.date)

    def segment(self, show: Show, segment: Segment) -> Segment:
        moved = {name: self.clock(show, value) for name in ("fixed", "soft") if (value := getattr(segment, name))}
        return replace(segment, **moved)

    def rundown(self, rundown: Rundown) -> Rundown:
        """The whole plan on the new clock."""
        show = rundown.show
        return Rundown(self.show(show), tuple(self.segment(show, segment) for segment in rundown.segments))

    def hours(self, show: Show, hours: Iterable[time]) -> tuple[time, ...]:
        """The station's turnout hours, as the plan of ``show`` meets them, on the new clock."""
        return tuple(self.clock(show, hour) for hour in hours)


def like_live(live: Show, rundown: Rundown) -> Rundown:
    """A rundown file read again while ``live`` runs: on the same clock as the live plan.

    A live show on another day's clock (a rehearsal) keeps its day and start; a
    plan on its own day comes as it is.
    """
    if live.plan_date is None:
        return rundown
    return OnToday(live.date, live.start).rundown(rundown)


def show_day(show: Show, now: datetime) -> bool:
    """Whether ``now`` is in the show's day: from midnight of its date until its start time the next day.

    A show on air past midnight is still today's: a console restarted at 00:40
    must resume it as it is.
    """
    local = now.astimezone(show.zone)
    day_after = show.date + timedelta(days=1)
    return local.date() == show.date or (local.date() == day_after and local.time() < show.start)


def still_to_come(show: Show, now: datetime) -> bool:
    """Whether the show's date is later than today (it can be run as planned, for a show still to come)."""
    return now.astimezone(show.zone).date() < show.date


def parse_start(text: str) -> time | str:
    """``--start``'s value: ``HH:MM`` (today at that time) or ``plan`` (the plan's own time of day)."""
    given = text.strip()
    if given.lower() == PLAN:
        return PLAN
    found = re.fullmatch(r"(\d{1,2}):(\d\d)(?::(\d\d))?", given)
    if found is None:
        raise ValueError(text)
    hour, minute, second = (int(part or 0) for part in found.groups())
    return time(hour, minute, second)  # out of range (24:00, 9:60): ValueError
