"""``studio run`` on a plan dated another day: what to ask, and the show the answer makes.

A plan dated today runs as it is. Any other is either rehearsed on today's
clock (studio/rundown/today.py moves it) or run as planned, for a show still to
come; a plan whose day is past cannot run as planned: its times are gone.

A rehearsal on today's clock keeps its show in a store of its own, beside the
show's (``paths.rehearsal_store_file``: one file a day), so it never writes the
real show's rows. A rehearsal of the plan that has begun there today (something
was taken) resumes on the clock it began on; one that has not begun starts
afresh on the clock asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from studio.errors import UsageError
from studio.i18n import Msg
from studio.rundown.load import show_from_dict
from studio.rundown.model import Rundown
from studio.rundown.today import OnToday, show_day, still_to_come

if TYPE_CHECKING:
    from studio.show.controller import Controller


@dataclass(frozen=True, slots=True)
class Asked:
    """How to run the plan: on today's clock or as planned.

    ``start`` on today's clock: None, now; ``PLAN``, the plan's own time of day;
    a time, today at that time.
    """

    on_today: bool
    start: time | str | None = None


AS_PLANNED = Asked(on_today=False)


@dataclass(frozen=True, slots=True)
class Question:
    """What ``studio run`` knows before it asks: the plan's day and today, and where a rehearsal would go."""

    plan_date: date
    plan_start: time
    today: date
    now: datetime
    zone: tzinfo  # the show's
    todays: bool  # the plan is today's: it runs as it is, nothing to ask
    to_come: bool  # the plan is for a later day: it may run as planned
    store: Path  # today's rehearsal store
    resumes: OnToday | None  # today's rehearsal of this plan has begun there, on this clock

    @property
    def start_now(self) -> time:
        """When the show starts if it starts now (studio/rundown/today.py: the next whole minute)."""
        return OnToday.starting_now(self.now, self.zone).start or self.plan_start


@dataclass(frozen=True, slots=True)
class Run:
    """The show ``studio run`` builds: its plan (moved or not), the turnout hours it meets, its store."""

    rundown: Rundown
    turnout_hours: tuple[time, ...]
    store: Path | str  # the show's (a file or a URL), or a rehearsal's file
    replans: bool = False  # a rehearsal not begun: its plan in the store takes this clock (see ``replan``)


def question(rundown: Rundown, rehearsal_store: Path, now: datetime) -> Question:
    """The plan's day against today; ``rehearsal_store`` is read (never created) to find a rehearsal begun."""
    show = rundown.show
    return Question(
        plan_date=show.date,
        plan_start=show.start,
        today=now.astimezone(show.zone).date(),
        now=now,
        zone=show.zone,
        todays=show_day(show, now),
        to_come=still_to_come(show, now),
        store=rehearsal_store,
        resumes=_begun(rehearsal_store, show.id),
    )


def _begun(path: Path, show_id: str) -> OnToday | None:
    """The clock of the rehearsal begun in ``path``, if one was: something was taken there."""
    if not path.exists():
        return None
    from studio.store import open_store

    store = open_store(path)
    try:
        state = store.state(show_id)
    finally:
        store.close()
    if state.show is None or not (state.played or state.on_air):
        return None
    live = show_from_dict(state.show)
    return OnToday(live.date, live.start)


def settle(
    rundown: Rundown,
    asked: Asked | None,
    known: Question,
    turnout_hours: Sequence[time],
    show_store: Path | str,
    now: datetime,
) -> Run:
    """The show for ``asked`` at ``now``, when the answer came (None: nothing was asked, the plan is
    today's, it runs as it is)."""
    if asked is None or not asked.on_today:
        if asked is not None and not (known.todays or known.to_come):  # its times are gone
            raise UsageError(Msg("on_today.error.past", plan=known.plan_date.isoformat(),
                                 today=known.today.isoformat()))
        return Run(rundown, tuple(turnout_hours), show_store)
    mapping = _mapping(rundown, asked, known, now)
    moved = mapping.rundown(rundown)
    return Run(moved, mapping.hours(rundown.show, turnout_hours), known.store, replans=known.resumes is None)


def replan(controller: Controller, run: Run) -> None:
    """A rehearsal that has not begun starts on the clock asked for now, not on the one its store kept
    from an earlier start: the plan is reloaded (the event log says so)."""
    if run.replans and controller.differs_from(run.rundown):
        controller.reload(run.rundown)


def _mapping(rundown: Rundown, asked: Asked, known: Question, now: datetime) -> OnToday:
    show = rundown.show
    if asked.start is None:
        wanted = OnToday.starting_now(now, known.zone)
    else:
        wanted = OnToday(known.today, asked.start if isinstance(asked.start, time) else None)  # else PLAN
    began = known.resumes
    if began is None:
        return wanted
    if asked.start is not None and (wanted.start or show.start) != began.start:
        raise UsageError(Msg("on_today.error.begun", start=f"{began.start:%H:%M}", store=str(known.store)))
    return began
