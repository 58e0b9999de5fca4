"""``studio rehearse``: the show's day played on the rehearsal's clock, through the real show process.

What runs, all in this process and on one ``SimulatedClock`` (studio/rehearsal/clock.py):

- the controller, built by studio/show/services.py ``build`` with the ``REHEARSE_OBS`` shape (``REHEARSE``
  with ``--no-obs``): its own store, every row marked as a rehearsal's, graphics through the fact gate into
  the rehearsal's own folder, OBS's switcher and feed watchdog, no YouTube;
- with OBS (studio/rehearsal/on_obs.py): the configured or a headless OBS with the rundown's scenes, the
  simulated regional feeds, some dying on air, and the programme recorded and checked for black;
- the real intake (studio/web/intake.py ``make_intake``) on a loopback port, with a token per simulated
  observer, and the observers posting the scenario's reports to it with aiohttp (its own thread and loop);
- the commission's figures, fed through `studio import-turnout`'s importer at the hours they were published;
- a simulated desk of two operators (four eyes) acting through the desk's rules, as `studio fact` does:
  it marks the planted conflict and fakes false, verifies each release, and retracts one figure on air;
- with ``--auto`` a simulated producer taking each segment at its expected start and its graphics through
  the controller; with ``--manual`` a trainee takes from `studio run` on the rehearsal's store.

The observers are observers.py, the desk desk.py, the producer producer.py; this module wires them and
runs the main thread's loop (the desk, the controller's refresh, the producer). Every figure of the
report (studio/rehearsal/report.py) is measured, none is assumed.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time as clock_time, timedelta
from pathlib import Path
from typing import Any, TextIO

from studio.errors import StudioError
from studio.i18n import Msg
from studio.machine import utc_now
from studio.rehearsal import report as reporting
from studio.rehearsal.clock import SimulatedClock
from studio.rehearsal.desk import DESK_AUTHOR, SimulatedDesk
from studio.rehearsal.observers import Observers
from studio.rehearsal.on_obs import ObsRehearsal, RehearsalError
from studio.rehearsal.producer import SimulatedProducer, Takes
from studio.rehearsal.resume import RESUMED, Resumption, alone_in, unfinished
from studio.rehearsal.scenario import Scenario, TurnoutRow
from studio.rehearsal.youtube import RehearsalYouTube

TICK_SECONDS = 0.02
"""How often the main loop looks: the desk's agenda, the controller's refresh (the console refreshes every
0.25 s; a rehearsal at 600x would pass 2.5 simulated minutes between two of those), the producer."""
SAMPLE_SECONDS = 0.5
"""Real seconds between two samples of memory, CPU and reports in."""
PLAIN_PROGRESS = timedelta(minutes=30)
"""Without a terminal, a progress line every this much of the simulated day."""
PRODUCER = "rehearsal-producer"
AFTER_END = timedelta(minutes=30)
"""A day that the producer does not end (--manual) stops this long after the plan's end."""


@dataclass(frozen=True)
class Settings:
    rundown_path: Path
    speed: float
    start: clock_time | None
    auto: bool
    obs: bool
    store: Path | None  # given explicitly (--store); None: a store of its own in the data folder
    seed: int
    language: str
    youtube: bool = False  # --youtube unlisted: a broadcast of its own (studio/rehearsal/youtube.py)
    resume: bool = False  # --resume: pick up the newest unfinished rehearsal of the show in the data folder
    given: frozenset[str] = frozenset()  # which of speed, seed and start the command line gave: a rehearsal
    # picked up again keeps its own (studio/rehearsal/resume.py); one given must be the same


# --- the rehearsal ---------------------------------------------------------------------------------------


def rehearse(settings: Settings, config: Any, rundown: Any, out: TextIO = sys.stdout,
             err: TextIO = sys.stderr) -> dict[str, Any]:
    """Play the day; write the report beside the store and return its figures."""
    from studio.rundown.timing import plan

    show = rundown.show
    said = lambda message: print(message.render(settings.language), file=out, flush=True)  # noqa: E731
    files = _files(settings, show.id, said)
    with alone_in(files.store):
        settings, begin, resumption = _picked_up(settings, files.store, show)
        slots = plan(rundown)
        end = max(slot.end for slot in slots) if slots else begin
        if begin >= end:
            raise RehearsalError(Msg("rehearse.error.start_after_end", start=f"{begin:%H:%M}", end=f"{end:%H:%M}"))
        obs = ObsRehearsal(config, rundown, files.folder, settings.speed, settings.seed, said, err) if settings.obs else None
        try:
            if obs is not None:
                obs.check_tools()
                obs.reach()  # before any file of the rehearsal's, but the headless OBS's home
                config = obs.config
            return _rehearse(settings, config, rundown, files, begin, end, obs, said, out, resumption)
        finally:
            if obs is not None:
                obs.close()


def _rehearse(settings: Settings, config: Any, rundown: Any, files: Files, begin: datetime, end: datetime,
              obs: ObsRehearsal | None, said: Any, out: TextIO, resumption: Resumption | None) -> dict[str, Any]:
    from studio.show.services import REHEARSE, REHEARSE_OBS, build

    show = rundown.show
    files.folder.mkdir(parents=True, exist_ok=True)
    clock = SimulatedClock(begin if resumption is None else resumption.reached, settings.speed)
    from studio.rehearsal.scenario import build as scenario

    plan_of_day = scenario(day=show.date, zone=show.zone, start=begin, end=end,
                           turnout_hours=config.station.turnout_hours, published=_published(show.date),
                           regions=_regions(), seed=settings.seed)
    store_marked = resumption is not None or _mark(files.store, show.id, clock, settings)
    if not settings.auto and not store_marked:
        raise RehearsalError(Msg("rehearse.error.manual_real_store", store=str(files.store)))
    rehearsal_config = config.model_copy(
        update={"graphics": config.graphics.model_copy(update={"out": str(files.folder / "graphics")})}
    )
    if obs is not None:
        obs.set_up(rehearsal_config, settings.language, clock.real_seconds(end - clock.start + AFTER_END))
    shape = REHEARSE_OBS if obs is not None else REHEARSE
    services = build(shape, rehearsal_config, rundown, files.store, sign_in=lambda db: PRODUCER, clock=clock)
    with services.running():
        if obs is not None:
            obs.begin(services, clock, rehearsal_config)
        youtube = _youtube(settings, rehearsal_config, files, rundown, services, clock, said)
        return _play(settings, rehearsal_config, services, files, clock, plan_of_day, begin, end, obs, said, out,
                     youtube, resumption)


def _youtube(settings: Settings, config: Any, files: Files, rundown: Any, services: Any, clock: SimulatedClock,
             said: Any) -> RehearsalYouTube | None:
    """With --youtube unlisted, the rehearsal's own broadcast, live before the day begins (or off, said why)."""
    if not settings.youtube:
        return None
    youtube = RehearsalYouTube(config, files.store, rundown, services.switcher.adapter if services.switcher else None,
                               operator=PRODUCER, clock=clock, say=said)
    youtube.start()
    return youtube


def _play(settings: Settings, config: Any, services: Any, files: Files, clock: SimulatedClock, plan_of_day: Scenario,
          begin: datetime, end: datetime, obs: ObsRehearsal | None, said: Any, out: TextIO,
          youtube: RehearsalYouTube | None, resumption: Resumption | None) -> dict[str, Any]:
    said(Msg("rehearse.started", store=str(files.store), day=f"{begin:%Y-%m-%d %H:%M}", end=f"{end:%H:%M}",
             speed=_speed(settings.speed), seed=settings.seed))
    if resumption is not None:
        _note_resumed(files.store, services.controller.show_id, resumption)
        said(_resumed_line(services.controller, resumption, begin.tzinfo))
    if not settings.auto:
        said(Msg("rehearse.manual", command=_console_command(settings, files.store)))
    run = _Run(settings, config, services, files, clock, plan_of_day, begin, end, out, obs, resumption)
    try:
        measured = run.play()
    finally:
        figures_of_youtube = youtube.end() if youtube is not None else None  # ended whatever stopped the day
    found = reporting.figures(measured)
    if figures_of_youtube is not None:
        found["youtube"] = figures_of_youtube
    files.json.write_text(json.dumps(found, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    files.html.write_text(reporting.page(found, settings.language), encoding="utf-8")
    print(reporting.summary(found, settings.language), file=out)
    said(Msg("rehearse.wrote", json=str(files.json), html=str(files.html)))
    recording = found["never_black"].get("recording") if found.get("never_black") else None
    if recording:
        said(Msg("rehearse.obs.recorded", path=recording))
    return found


@dataclass(frozen=True)
class Files:
    store: Path
    folder: Path  # its graphics and the figure files it fed in
    json: Path
    html: Path


def _files(settings: Settings, show_id: str, said: Any) -> Files:
    """The rehearsal's own store, beside its report, unless ``--store`` names one; with ``--resume`` the
    newest of the show's own that stopped before its report was written (a new one says it is there)."""
    from studio.paths import rehearsal_files

    base = rehearsal_files(show_id, f"{utc_now():%Y%m%d-%H%M%S}")  # the run's real date names its files
    left = unfinished(base.parent, show_id) if settings.store is None else None
    if settings.resume and settings.store is None:
        if left is None:
            raise RehearsalError(Msg("rehearse.error.nothing_to_resume", show=show_id, folder=str(base.parent)))
        base = left.with_suffix("")
    elif left is not None:
        said(Msg("rehearse.unfinished", store=str(left)))
    store = settings.store if settings.store is not None else base.with_suffix(".db")
    if settings.store is None and not settings.resume and store.exists():
        raise RehearsalError(Msg("rehearse.error.exists", store=str(store)))
    return Files(store, base, base.with_suffix(".json"), base.with_suffix(".html"))


def _picked_up(settings: Settings, store_path: Path, show: Any) -> tuple[Settings, datetime, Resumption | None]:
    """The settings, the day's first instant and, for a store that holds a rehearsal stopped before its day
    was over, where it stopped (studio/rehearsal/resume.py): that rehearsal's own day, seed and speed (a
    speed given on the command line replaces its speed; a seed or start given must be its own)."""
    from dataclasses import replace

    from studio.rehearsal.resume import has_rehearsed, reached, resumptions
    from studio.store import open_store

    asked = show.at(settings.start or show.start)  # as the plan's fixed times: before its start is after midnight
    nothing = RehearsalError(Msg("rehearse.error.nothing_in_store", store=str(store_path)))
    if not store_path.exists():
        if settings.resume:
            raise nothing
        return settings, asked, None
    store = open_store(store_path)
    try:
        mark = store.rehearsal_mark()
        if mark is None:
            if has_rehearsed(store.db):
                raise RehearsalError(Msg("rehearse.error.not_resumable", store=str(store_path)))
            if settings.resume:
                raise nothing
            return settings, asked, None
        resumption = Resumption(reached(store.db, mark.simulated_start), resumptions(store.db, mark.show_id))
    finally:
        store.close()
    if mark.show_id != show.id:
        raise RehearsalError(Msg("rehearse.error.other_show", store=str(store_path), was=mark.show_id, show=show.id))
    for option, was, given in (("--seed", mark.seed, settings.seed), ("--start", mark.simulated_start, asked)):
        if option.removeprefix("--") in settings.given and was != given:
            shown = (lambda value: f"{value:%H:%M}") if option == "--start" else str
            raise RehearsalError(Msg("rehearse.error.resume_differs", store=str(store_path), option=option,
                                     was=shown(was), given=shown(given)))
    stopped = f"{resumption.reached.astimezone(show.zone):%H:%M:%S}"
    if settings.obs:  # the stopped run's feed senders and headless OBS may live on: they would fight the new ones
        raise RehearsalError(Msg("rehearse.error.resume_obs", store=str(store_path), time=stopped))
    speed = settings.speed if "speed" in settings.given else mark.speed
    start = mark.simulated_start.astimezone(show.zone).time()
    return replace(settings, speed=speed, seed=mark.seed, start=start), mark.simulated_start, resumption


def _resumed_line(controller: Any, resumption: Resumption, zone: Any) -> Msg:
    """What the resumed rehearsal found on air, from its store, said as it picks up."""
    on_air = controller.view(resumption.reached).on_air
    graphics = sorted(graphic.template for graphic in controller.on_air_graphics)
    return Msg("rehearse.resumed", time=f"{resumption.reached.astimezone(zone):%H:%M:%S}",
               count=len(resumption.before) + 1,
               on_air=Msg("rehearse.resumed_on_air", segment=on_air.segment_id,
                          since=f"{on_air.started_at.astimezone(zone):%H:%M:%S}") if on_air is not None
               else Msg("rehearse.resumed_nothing_on_air"),
               graphics=", ".join(graphics) if graphics else "-")


def _mark(store_path: Path, show_id: str, clock: SimulatedClock, settings: Settings) -> bool:
    """Mark a new (or empty) store as a rehearsal's, so every row in it says so whoever writes it;
    True when the store is one. A store with a show in it already stays as it is."""
    from studio.store import open_store
    from studio.store.show import RehearsalMark

    store = open_store(store_path)
    try:
        with store.write():
            if store.rehearsal_mark() is not None:
                return True
            if store.db.execute("SELECT EXISTS (SELECT 1 FROM plan) OR EXISTS (SELECT 1 FROM report)").fetchone()[0]:
                return False
            store.mark_rehearsal(RehearsalMark(show_id, utc_now(), clock(), settings.speed, settings.seed))
            return True
    finally:
        store.close()


class _Run:
    """The main thread's loop: figures and verdicts when due, the producer, the controller's refresh, samples."""

    def __init__(self, settings: Settings, config: Any, services: Any, files: Files, clock: SimulatedClock,
                 scenario: Scenario, day_start: datetime, end: datetime, out: TextIO, obs: ObsRehearsal | None = None,
                 resumption: Resumption | None = None) -> None:
        from studio.rehearsal.resume import answered, graphics_taken
        from studio.store.desk import open_desk

        self.settings, self.services, self.files, self.clock, self.scenario, self.end, self.out = (
            settings, services, files, clock, scenario, end, out)
        self.day_start, self.resumption = day_start, resumption
        self.controller = services.controller
        self.desk_store = open_desk(files.store, config.desk.evidence_policy())
        db, show_id = self.desk_store.db, self.controller.show_id
        self.desk = SimulatedDesk(self.desk_store, clock, files.folder, day_start.tzinfo)
        tokens = {name: _token(db, name, clock(), again=resumption is not None) for name in scenario.observers}
        sent_before = answered(db, scenario.reports) if resumption is not None else {}
        self.observers = Observers(files.store, config, clock, tokens, scenario.reports, sent_before)
        self.obs = obs
        feeds = obs.feeds if obs is not None else None
        self.producer = SimulatedProducer(
            self.controller, feeds, obs.record if obs else None,
            taken=lambda row, cues: graphics_taken(db, show_id, row, cues)) if settings.auto else None
        self.samples: list[reporting.Sample] = []
        self.retraction: dict[str, Any] = self._retracted_before() if resumption is not None else {}
        self.terminal = out.isatty()

    def _agenda(self) -> list[tuple[datetime, int, Any]]:
        """What the desk does when: (simulated instant, order, act)."""
        sc = self.scenario
        items: list[tuple[datetime, int, Any]] = []
        for release in sc.releases:
            items.append((release.at, 0, lambda r=release: self.desk.receive(r)))
            items.append((release.verify_at, 1, lambda r=release: self.desk.verify(r)))
        for fake in sc.fakes:
            items.append((fake.judge_at, 2, lambda f=fake: self.desk.judge(f, self.observers.sent.answers)))
        return sorted(items, key=lambda item: item[:2])

    def play(self) -> reporting.Measured:
        self.observers.start()
        agenda = self._agenda()
        self.clock.begin()
        _day_began(self.files.store, self.clock, self.day_start)
        began_wall, cpu_start = time.perf_counter(), os.times()
        last_sample = 0.0
        last_plain = self.clock.start
        try:
            while True:
                now = self.clock()
                wall = time.perf_counter()
                due = [item for item in agenda if item[0] <= now]
                agenda = [item for item in agenda if item[0] > now] + [item for item in due if self._do(item[2])]
                self.controller.refresh()
                view = self.controller.view(self.clock())
                if self.obs is not None:
                    self.obs.step(view, view.timing.now, self.clock)
                going = self.producer.act(view) if self.producer is not None else now < self.end
                self._follow_retraction()  # after the producer: the next look begins with the controller's refresh
                if wall - last_sample >= SAMPLE_SECONDS:
                    self.samples.append(_sample(wall - began_wall, now, self.observers.sent.accepted))
                    last_sample = wall
                last_plain = self._progress(now, last_plain)
                if not going or now >= self.end + AFTER_END:
                    break
                time.sleep(TICK_SECONDS)
        finally:
            self.observers.stop()
            if self.terminal:
                print(file=self.out)
        self.controller.refresh()
        cpu = os.times()
        self.samples.append(_sample(time.perf_counter() - began_wall, self.clock(), self.observers.sent.accepted))
        return self._measured(time.perf_counter() - began_wall, cpu.user - cpu_start.user,
                              cpu.system - cpu_start.system)

    def _do(self, act: Any) -> bool:
        """One act of the desk; True when it is to be tried again (what it needs has not arrived yet).
        A refusal (the rules, a conflict) is counted, and the day goes on."""
        try:
            return act() is False
        except StudioError as refused:
            self.desk.work.refusals.append(str(refused))
            return False

    def _retracted_before(self) -> dict[str, Any]:
        """The retraction, when the run before the restart made it: its time off air died with that process."""
        target = self.scenario.retraction
        fact = self.desk.retracted(target) if target is not None else None
        if fact is None:
            return {}
        return {"fact": fact.id, "region": fact.region, "as_of": fact.as_of.isoformat(),
                "retracted_at": fact.updated_at.isoformat(),
                "not measured": "retracted before the rehearsal was resumed: the process that timed it was stopped"}

    def _follow_retraction(self) -> None:
        """Retract the chosen figure once a graphic on air states it, then time it off air: pulled by the
        controller's refresh (``graphic_pulled``), or, if a take came first, gone with its segment."""
        target, db = self.scenario.retraction, self.desk_store.db
        if target is None or "off_air_ms" in self.retraction or "not measured" in self.retraction:
            return
        if not self.retraction:
            stated = {fact_id for graphic in self.controller.on_air_graphics for fact_id, _ in graphic.facts}
            fact = self.desk.on_air_figure(target, stated) if stated else None
            if fact is None:
                return
            last_event = db.execute("SELECT COALESCE(MAX(id), 0) FROM event").fetchone()[0]
            self.desk.retract(fact)
            self.retraction = {"fact": fact.id, "region": fact.region, "as_of": fact.as_of.isoformat(),
                               "retracted_at": self.clock().isoformat(), "_after": last_event,
                               "_began": time.perf_counter()}
            return
        gone = db.execute("SELECT action, at FROM event WHERE id > ? AND action IN ('graphic_pulled', 'take', 'end')"
                          " ORDER BY id LIMIT 1", (self.retraction["_after"],)).fetchone()
        if gone is not None:
            self.retraction["off_air_ms"] = (time.perf_counter() - self.retraction.pop("_began")) * 1000
            self.retraction["how"] = "pulled" if gone[0] == "graphic_pulled" else "taken_off_with_its_segment"
            self.retraction["off_air_at"] = gone[1]
            del self.retraction["_after"]

    def _progress(self, now: datetime, last_plain: datetime) -> datetime:
        takes = len(self.producer.takes.latency) if self.producer else None
        line = Msg("rehearse.progress", time=f"{now.astimezone(self.clock.start.tzinfo):%H:%M:%S}",
                   speed=_speed(self.settings.speed), takes="-" if takes is None else takes,
                   reports=self.observers.sent.accepted).render(self.settings.language)
        if self.terminal:
            print(f"\r{line}\x1b[K", end="", file=self.out, flush=True)
            return last_plain
        if now - last_plain >= PLAIN_PROGRESS:
            print(line, file=self.out, flush=True)
            return now
        return last_plain

    def _measured(self, wall: float, cpu_user: float, cpu_system: float) -> reporting.Measured:
        db = self.desk_store.db
        count = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
        statuses = dict(db.execute("SELECT status, COUNT(*) FROM fact GROUP BY status").fetchall())
        show_id = self.controller.show_id
        events = Counter(dict(db.execute(
            "SELECT action, COUNT(*) FROM event WHERE show_id = ? GROUP BY action", (show_id,)).fetchall()))
        unmarked = count("SELECT (SELECT COUNT(*) FROM event WHERE rehearsal = 0)"
                         " + (SELECT COUNT(*) FROM asrun WHERE rehearsal = 0)")
        received = [row[0] for row in db.execute("SELECT received_at FROM report ORDER BY received_at")]
        sent, takes = self.observers.sent, self.producer.takes if self.producer else Takes()
        groups = count("SELECT COUNT(*) FROM report_group")
        grouped = count("SELECT COALESCE(SUM(reports), 0) FROM report_group WHERE reports > 1")
        self.desk_store.close()
        fed, checked = self.obs.finish(self.controller, self.clock()) if self.obs is not None else (None, None)
        return reporting.Measured(
            show_id=show_id, rundown=str(self.settings.rundown_path), store=str(self.files.store),
            mode="auto" if self.settings.auto else "manual", seed=self.settings.seed, speed=self.settings.speed,
            simulated_start=self.day_start, simulated_end=self.clock(), wall_seconds=wall,
            takes=takes.latency, take_refusals=dict(takes.refused),
            graphics_aired=len(takes.graphics_aired), graphics_refused=dict(takes.graphics_refused),
            graphics_pulled=events["graphic_pulled"], played=events["take"],
            reports_planned=len(self.scenario.reports), reports_attempted=sent.attempted,
            reports_accepted=sent.accepted, reports_refused={str(k): v for k, v in sent.refused.items()},
            reports_rate_limited=sent.rate_limited, reports_failed=sent.failed, intake_ms=list(sent.latency_ms),
            reports_in_store=len(received), report_times=[datetime.fromisoformat(t) for t in received],
            groups=groups, grouped=grouped,
            facts=statuses, desk=vars(self.desk.work) | {"fakes_planted": len(self.scenario.fakes)},
            retraction=self.retraction if {"off_air_ms", "not measured"} & self.retraction.keys() else None,
            retraction_planned=None if self.scenario.retraction is None else {
                "region": self.scenario.retraction.region, "as_of": self.scenario.retraction.as_of.isoformat()},
            unmarked_rows=unmarked, store_bytes=_store_bytes(self.files.store), samples=self.samples,
            cpu_user=cpu_user, cpu_system=cpu_system,
            obs=self.obs.described() if self.obs is not None else None, feeds=fed, never_black=checked,
            resumed=() if self.resumption is None else tuple(
                at.astimezone(self.day_start.tzinfo) for at in (*self.resumption.before, self.resumption.reached)),
        )


def _day_began(store_path: Path, clock: SimulatedClock, day_start: datetime) -> None:
    """The wall's moment the day began, in the store, as if it had run unstopped at this speed: a trainee's
    console (--manual) reads the day from it. A connection of its own: the controller's belongs to its lock."""
    from studio.store import open_store

    store = open_store(store_path)
    try:
        store.rehearsal_began(utc_now() - (clock.start - day_start) / clock.speed, clock.speed)
    finally:
        store.close()


def _note_resumed(store_path: Path, show_id: str, resumption: Resumption) -> None:
    """The event log says the rehearsal was picked up, at the instant it resumes at, before anything is done."""
    from studio.store import open_store

    store = open_store(store_path)
    try:
        with store.write():
            store.log(show_id, resumption.reached, RESUMED, PRODUCER, "rehearse", resumed_before=len(resumption.before))
    finally:
        store.close()


def _token(db: Any, observer: str, at: datetime, *, again: bool) -> str:
    """A simulated observer's intake token; ``again`` (a resumed rehearsal): its token died with the process
    before, so that one is revoked and a new one issued, as the desk does for a lost phone."""
    from studio.store.issued import revoke
    from studio.store.observers import add_observer

    if again:
        revoke(db, "observer_token", observer, by=DESK_AUTHOR, at=at)
    return add_observer(db, observer, by=DESK_AUTHOR, at=at)


def _sample(wall: float, now: datetime, accepted: int) -> reporting.Sample:
    return reporting.Sample(wall, now, _rss_bytes(), sum(os.times()[:2]), accepted)


def _rss_bytes() -> int | None:
    """This process's resident memory now (Linux /proc); None where it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _store_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists())


def _published(day: Any) -> tuple[TurnoutRow, ...]:
    from studio.desk.demo import DATA, TURNOUT_FILE
    from studio.rehearsal.scenario import read_turnout

    return read_turnout((DATA / TURNOUT_FILE).read_text(encoding="utf-8"), day)


def _regions() -> dict[str, tuple[str, str]]:
    from studio.regions import regions

    return {region.id: (region.kk, region.ru) for region in regions().values()}


def _speed(speed: float) -> str:
    return f"{speed:g}x"


def _console_command(settings: Settings, store: Path) -> str:
    return f"studio --store {store} run --rehearsal {settings.rundown_path}"
