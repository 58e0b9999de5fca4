"""What a rehearsal against real OBS adds to the simulated day (studio/rehearsal/run.py drives it).

- OBS: the configured one (``[obs]``, its password from its env var, as the show uses it); when nothing
  answers there and ``obs`` and ``Xvfb`` are installed, a headless OBS of the rehearsal's own
  (studio/obs/headless.py: a throw-away home in the rehearsal's folder, a free port, the password in its
  config file only), stopped at the end. The rundown's scenes are set up as `studio obs setup` does.
- The feeds (studio/rehearsal/feeds.py): ffmpeg test patterns to the rundown's feed URLs, some killed on
  air on a seeded schedule; each loss the watchdog reports goes to the controller (the slate), and is timed.
- The programme recorded (studio/obs/recording.py) into the rehearsal's folder, watched while it runs (a
  recording that stops by itself, e.g. on a full disk, is said at once), and at the end checked for
  black and frozen stretches (studio/rehearsal/never_black.py).

Threads: the watchdog's and the switcher's callbacks only add to the ``Record``; everything else runs on
the main loop.
"""

from __future__ import annotations

import os
import shutil
import time
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable

from studio.errors import Kind, StudioError
from studio.i18n import Msg
from studio.rehearsal.feeds import Record

HEADLESS_PASSWORD_ENV = "STUDIO_REHEARSAL_OBS_PASSWORD"
HEADLESS_CANVAS, HEADLESS_FPS = (640, 360), 25  # cheap for software rendering and x264 on 2 cores
CONNECT_SECONDS = 15.0
STATUS_EVERY = 2.0  # real seconds between two looks at the recording
MIN_DOWN_REAL_SECONDS = 3.5
"""A feed's outage lasts at least this many real seconds: the watchdog's verdict (<= 1.6 s), some time on
the slate, then the return and the retake."""
BYTES_PER_REAL_SECOND = 2_500_000 // 8 * 2  # a recording at up to 2.5 Mbit/s, twice over for safety
MB = 1024 * 1024


class RehearsalError(StudioError):
    """A rehearsal that cannot start; the message says what to do."""

    kind = Kind.REFUSED


class ObsRehearsal:
    """``open`` (before the services are built: which OBS, its scenes), ``begin`` (once they run: the feeds and
    the recording), ``step`` each tick, ``finish`` for the report's parts, ``close`` always."""

    def __init__(self, config: Any, rundown: Any, folder: Path, speed: float, seed: int,
                 said: Callable[[Msg], None], err: Any) -> None:
        self.config, self.rundown, self.folder, self.speed, self.seed = config, rundown, folder, speed, seed
        self.said, self.err = said, err
        self.record = Record()
        self.headless: Any = None
        self.versions: Any = None
        self.recording: Any = None
        self.feeds: Any = None
        self.deaths: tuple[Any, ...] = ()
        self._stack = ExitStack()
        self._recording_began: float | None = None  # time.monotonic() when OBS said it records
        self._anchor: datetime | None = None  # the simulated instant of the recording's second 0
        self._recording_stopped: dict[str, Any] | None = None
        self._next_status = 0.0

    # --- before the day ---------------------------------------------------------------------------------

    @staticmethod
    def check_tools() -> None:
        from studio.rehearsal.feeds import ffmpeg_missing

        if ffmpeg_missing():
            raise RehearsalError(Msg("rehearse.error.no_ffmpeg"))

    def reach(self) -> None:
        """The configured OBS, or (nothing answers there) a headless one. Call before anything is written,
        but for the headless OBS's home; a RehearsalError says what to do."""
        from studio.obs.adapter import ObsAdapter
        from studio.obs.cli import settings_from
        from studio.obs.errors import ObsError
        from studio.obs.headless import HeadlessObs, missing_binaries

        obs = self.config.obs
        adapter = ObsAdapter(settings_from(obs))
        try:
            self.versions = adapter.connect()
            return
        except ObsError as error:
            if error.failure != "refused":  # something answers there, but not as the OBS we may use
                raise RehearsalError(Msg("rehearse.error.obs", host=obs.host, port=obs.port, error=error.message)
                                     ) from None
        finally:
            adapter.close()
        if missing := missing_binaries():
            raise RehearsalError(Msg("rehearse.error.no_obs_to_start", host=obs.host, port=obs.port,
                                     missing=" and ".join(missing)))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.headless = HeadlessObs(self.folder / "obs", password_env=HEADLESS_PASSWORD_ENV,
                                    width=HEADLESS_CANVAS[0], height=HEADLESS_CANVAS[1], fps=HEADLESS_FPS)
        self.headless.root.mkdir(parents=True, exist_ok=True)
        os.environ[HEADLESS_PASSWORD_ENV] = self.headless.password
        self._stack.callback(os.environ.pop, HEADLESS_PASSWORD_ENV, None)
        self._stack.callback(self.headless.stop)
        try:
            self.headless.start()
        except ObsError as error:
            raise RehearsalError(Msg("rehearse.error.headless", error=error.message)) from None
        self.config = self.config.model_copy(update={"obs": obs.model_copy(update={
            "host": self.headless.host, "port": self.headless.port, "password_env": HEADLESS_PASSWORD_ENV})})
        self.said(Msg("rehearse.obs.headless", host=obs.host, port=obs.port, folder=str(self.headless.root)))

    def set_up(self, config: Any, language: str, real_seconds: float) -> None:
        """The rundown's scenes, as `studio obs setup` makes them (the cards and slate drawn into the
        rehearsal's graphics folder); and enough disk for the recording."""
        from studio.obs.adapter import ObsAdapter
        from studio.obs.cli import set_up, settings_from
        from studio.obs.errors import ObsError

        self.folder.mkdir(parents=True, exist_ok=True)
        need = int(real_seconds * BYTES_PER_REAL_SECOND)
        free = shutil.disk_usage(self.folder).free
        if free < need:
            raise RehearsalError(Msg("rehearse.error.disk", folder=str(self.folder), free=free // MB, need=need // MB))
        adapter = ObsAdapter(settings_from(config.obs))
        try:
            self.versions = adapter.connect()
            done = set_up(adapter, config, self.rundown, self.err, language)
        except ObsError as error:
            raise RehearsalError(Msg("rehearse.error.obs", host=config.obs.host, port=config.obs.port,
                                     error=error.message)) from None
        finally:
            adapter.close()
        self.said(Msg("rehearse.obs.ready", version=self.versions.obs, host=config.obs.host, port=config.obs.port,
                      created=len(done.created), updated=len(done.updated)))
        for problem in done.problems:
            self.said(Msg("rehearse.obs.setup_problem", problem=problem))

    def begin(self, services: Any, clock: Any, config: Any) -> None:
        """Once the services run: wait for the switcher's link, wire its alarms, put the slate up, start the
        feeds and the recording."""
        from studio.obs.adapter import ObsAdapter
        from studio.obs.cli import settings_from
        from studio.obs.errors import ObsError
        from studio.obs.recording import Recording
        from studio.regions import regions
        from studio.rehearsal.feeds import Senders, SimulatedFeeds, feeds, schedule, sender_env

        switcher, controller = services.switcher, services.controller
        deadline = time.monotonic() + CONNECT_SECONDS
        while not switcher.health().connected:
            if time.monotonic() > deadline:
                raise RehearsalError(Msg("rehearse.error.obs", host=config.obs.host, port=config.obs.port,
                                         error=switcher.health().reason))
            time.sleep(0.05)

        def lost(segment_id: str) -> None:  # the watchdog's thread
            self.record.add("lost", segment_id, clock())
            controller.feed_lost(segment_id)

        def slate(covers: bool) -> None:  # the thread that changed the programme, after OBS answered
            self.record.add("slate_on" if covers else "slate_off", None, clock())
            controller.slate_reported(covers)

        services.on_feed_lost(lost)
        switcher.watch_slate(slate)
        switcher.slate()  # before the first take: the slate, never OBS's empty default scene
        names = {region.id: (region.kk, region.ru) for region in regions().values()}
        known = feeds(self.rundown.segments, names)
        self.deaths = schedule(self.rundown.segments, seed=self.seed,
                               min_down=timedelta(seconds=MIN_DOWN_REAL_SECONDS * self.speed))
        senders = Senders(known, self.folder / "feeds", sender_env())
        self._stack.callback(senders.close)
        self.feeds = SimulatedFeeds(senders, self.deaths, self.speed, self.record)
        adapter = ObsAdapter(settings_from(config.obs))
        try:
            adapter.connect()
            self._stack.callback(adapter.close)
            self.recording = Recording(adapter, self.folder / "recording")
            self.recording.start()
            self._recording_began = time.monotonic()
        except ObsError as error:
            raise RehearsalError(Msg("rehearse.error.recording", error=error.message)) from None
        self._stack.callback(self._stop_recording)

    # --- the day ------------------------------------------------------------------------------------------

    def step(self, view: Any, now: datetime, clock: Any) -> None:
        self.feeds.step(view, now)
        if time.monotonic() < self._next_status or self._recording_stopped is not None:
            return
        self._next_status = time.monotonic() + STATUS_EVERY
        from studio.obs.errors import ObsError

        try:
            active, _ = self.recording.status()
        except ObsError as error:  # OBS died or hangs: the recording ends here, and the day goes on without it
            log = str(self.headless.log_path) if self.headless is not None else None
            self._recording_stopped = {"at": now.isoformat(), "cause": "obs_gone", "error": str(error), "log": log}
            self.said(Msg("rehearse.obs.gone", at=f"{now:%H:%M}", error=error.message,
                          log=Msg("rehearse.obs.its_log", log=log) if log else ""))
            return
        if active and self._anchor is None and self._recording_began is not None:
            # StartRecord's answer, not GetRecordStatus's duration: that one counts the frames encoded, which
            # trail the programme by the encoder's delay (~0.6 s measured), and would shift every stretch later.
            self._anchor = clock.at(self._recording_began)
        if not active:
            free = shutil.disk_usage(self.recording.folder).free // MB
            self._recording_stopped = {"at": now.isoformat(), "cause": "stopped", "free_mb": free}
            self.said(Msg("rehearse.obs.recording_stopped", at=f"{now:%H:%M}", folder=str(self.recording.folder),
                          free=free))

    # --- after the day ----------------------------------------------------------------------------------

    def _stop_recording(self) -> None:
        from studio.obs.errors import ObsError

        if self.recording is not None and self.recording.path is None:
            try:
                self.recording.path = self.recording.stop()
            except ObsError:
                self.recording.path = self.recording.newest()

    def finish(self, controller: Any, end: datetime) -> tuple[dict[str, Any], dict[str, Any]]:
        """The report's ``feeds`` and ``never_black`` parts. The recording is stopped first."""
        from studio.rehearsal import never_black
        from studio.rehearsal.feeds import dying_spans, outages, slate_spans

        self._stop_recording()
        happened = self.record.copy()
        fed = {
            "losses": outages(happened),
            "schedule": [{"segment": d.segment, "after_s": d.after.total_seconds(),
                          "down_for_s": d.down_for.total_seconds()} for d in self.deaths],
            "senders_started": self.feeds.senders.started if self.feeds else 0,
            "measured": "kill of the feed's ffmpeg to the watchdog's report (detected_ms) and to the slate on the"
                        " programme, OBS's answer included (slate_ms); real milliseconds",
        }
        path = self.recording.path if self.recording is not None else None
        checked: dict[str, Any] = {"recording": str(path) if path else None}
        if self._recording_stopped is not None:
            checked["recording_stopped"] = self._recording_stopped
        if path is None or not path.exists():
            return fed, checked | {"not measured": "OBS made no recording"}
        if self._anchor is None:
            return fed, checked | {"not measured": "OBS never said the recording was running"}
        try:
            black, frozen, length = never_black.detect(path)
        except (OSError, ValueError) as error:
            return fed, checked | {"not measured": f"ffmpeg could not read the recording: {error}"}
        entries = [self._entry(row, controller.rundown) for row in controller.asrun()]
        return fed, checked | never_black.judged(
            black, frozen, anchor=self._anchor, speed=self.speed, entries=entries,
            slate=slate_spans(happened, end), length=length, dying=dying_spans(fed["losses"]))

    @staticmethod
    def _entry(row: Any, rundown: Any) -> Any:
        from studio.rehearsal.never_black import Entry

        segment = rundown.get(row.segment_id)
        live = segment is not None and bool(segment.feed) and row.kind in ("live", "briefing")
        return Entry(row.segment_id, row.kind, row.title_kk, row.started_at, row.ended_at, live)

    def described(self) -> dict[str, Any]:
        """Which OBS the rehearsal ran against."""
        obs = self.config.obs
        return {"version": self.versions.obs if self.versions else None, "host": obs.host, "port": obs.port,
                "headless": self.headless is not None,
                "canvas": list(HEADLESS_CANVAS) if self.headless is not None else None}

    def close(self) -> None:
        self._stack.close()
