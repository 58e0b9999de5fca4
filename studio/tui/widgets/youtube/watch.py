"""The console's YouTube: signing in off the first paint, the joined health poll, and the actions.

No Textual here: the YouTube panel runs ``run`` in a thread worker, the app's
action workers call ``act``, and both hand what they learn to ``report``
(which posts a message). One lock serialises every use of the broadcaster: its
API client (httplib2) and its store connection take one call at a time, and a
health poll never interleaves with a go-live.

Quota (studio/youtube/quota.py): a look at YouTube costs 2 units, so YouTube
is read at the interval the day's allowance affords (``poll_interval``, at
least 30 s) and only while it matters; OBS's figures cost nothing (the
switcher reads them anyway) and are judged every second against the last
YouTube reading, so OBS dropping the stream alerts at once, not a poll later.
Nothing here ever holds a stream key: a stream's reading keeps its status,
health and issues, never its ingest.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from studio.paths import youtube_token_file
from studio.youtube.errors import YouTubeError, not_signed_in
from studio.youtube.health import ON_AIR, HealthHistory, Sample, Verdict, judge

if TYPE_CHECKING:
    from studio.broadcast import Broadcaster
    from studio.config import Config
    from studio.errors import StudioError
    from studio.obs.switcher import ObsHealth, ObsSwitcher
    from studio.rundown.model import Rundown
    from studio.store.health import Publisher
    from studio.youtube.live import Broadcast

log = logging.getLogger("studio.tui.youtube")

SOURCE = "youtube"
"""The show process's YouTube health in the store (studio/store/health.py), for the control API."""
VOLATILE = frozenset({"obs_congestion", "obs_dropped", "quota_spent", "next_look"})

OBS_EVERY = 1.0
"""Seconds between judgements with fresh OBS figures (free: the switcher's own ~1 Hz reads)."""
NOT_YET = timedelta(minutes=1)
"""No broadcast yet: status() then reads the store only (0 units), so a look costs nothing; once a
minute is enough to notice one scheduled from a terminal (`studio youtube schedule`); one scheduled
here is shown at once. Also how often a missing or refused sign-in is tried again."""
BEFORE_AIR = timedelta(minutes=2)
"""Scheduled but not on air: nothing to watch but the binding; at most a look every 2 minutes."""
AFTER_AIR = timedelta(minutes=10)
"""Complete or revoked: nothing changes but by a command; a look every 10 minutes. Also the wait
once today's allowance is down to the reserve (then YouTube is not read, only the ledger)."""
ENDED = frozenset({"complete", "revoked"})


class Ledger(Protocol):
    def spent_today(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Link:
    """What signing in gives the console: the broadcaster, today's quota, where health is published."""

    broadcaster: Broadcaster
    ledger: Ledger
    publisher: Publisher | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """The last failure, as the panel shows it: a stable code (``youtube.error.<code>``) and English detail."""

    code: str
    detail: str

    @classmethod
    def of(cls, error: StudioError) -> Problem:
        return cls(error.code, str(error))


@dataclass(frozen=True, slots=True)
class YouTubeView:
    """One snapshot for the panel (and the store): no token, no stream key."""

    signed_in: bool
    connected: bool  # signed in and the client is built
    broadcast: Broadcast | None
    sample: Sample | None  # the latest joined sample: YouTube's last reading with fresh OBS figures
    verdicts: tuple[Verdict, ...]
    spent: int | None  # units spent today; None: not read yet
    allowance: int
    next_look: datetime | None  # when YouTube is read next
    polling: bool  # False: today's allowance is down to the reserve, no more health polls today
    problem: Problem | None

    @property
    def verdict(self) -> tuple[Verdict, str]:
        return judge(self.sample) if self.sample is not None else ("off", "")

    def detail(self) -> dict[str, Any]:
        """The snapshot as a JSON object for the store."""
        broadcast, sample = self.broadcast, self.sample
        verdict, reason = self.verdict
        return {
            "signed_in": self.signed_in,
            "connected": self.connected,
            "broadcast_id": broadcast.id if broadcast else None,
            "life_cycle": broadcast.life_cycle if broadcast else None,
            "privacy": broadcast.privacy if broadcast else None,
            "watch_url": broadcast.watch_url if broadcast else None,
            "stream_status": sample.stream_status if sample else None,
            "youtube_health": sample.youtube_health if sample else None,
            "issues": list(sample.issues) if sample else [],
            "obs_streaming": sample.obs_streaming if sample else None,
            "obs_reconnecting": sample.obs_reconnecting if sample else False,
            "obs_congestion": round(sample.obs_congestion, 3) if sample else 0.0,
            "obs_dropped": sample.obs_dropped if sample else 0,
            "verdict": verdict,
            "reason": reason,
            "history": list(self.verdicts),
            "quota_spent": self.spent,
            "quota_allowance": self.allowance,
            "next_look": self.next_look.isoformat() if self.next_look else None,
            "polling": self.polling,
            "error_code": self.problem.code if self.problem else None,
            "error": self.problem.detail if self.problem else None,
        }


Report = Callable[[YouTubeView, "str | None"], object]
"""Receives each snapshot and, when the joined verdict has just turned bad, the reason (an alert)."""


class YouTubeWatch:
    """The show process's YouTube, for the console. ``run`` on one thread; ``act`` from any other."""

    def __init__(
        self,
        token_file: Path,
        connect: Callable[[], Link],
        *,
        allowance: int,
        obs: Callable[[], ObsHealth | None],
        clock: Callable[[], datetime],
    ) -> None:
        self.token_file = token_file
        self.signed_in = token_file.exists()  # checked again by the watch's thread, never on the event loop
        self.report: Report = lambda view, alert: None
        self._connect, self._allowance, self._obs, self._clock = connect, allowance, obs, clock
        self._lock = threading.Lock()
        self._link: Link | None = None
        self._broadcast: Broadcast | None = None
        self._reading: tuple[str | None, str | None, tuple[str, ...]] = (None, None, ())  # status, health, issues
        self._history = HealthHistory()
        self._spent: int | None = None
        self._due: datetime | None = None
        self._polling = True
        self._problem: Problem | None = None

    # --- the two entry points ---------------------------------------------------

    def run(self, stop: threading.Event | None) -> None:
        """Sign in, then look until ``stop`` is set; without ``stop``, one look (a still frame in tests)."""
        while True:
            delay = self.poll()
            if delay and (stop is None or stop.wait(delay)):  # 0: signed in just now, look at once
                return

    def act(self, call: Callable[[Broadcaster], Broadcast]) -> Broadcast:
        """Run ``call`` (schedule, go live, end) on the broadcaster, then read YouTube to show the result.

        Waits for a health look in progress; a failure is shown in the panel and raised for the app to
        report, OBS's (it streams for YouTube) as a YouTubeError with the code ``obs``.
        """
        # The show process has OBS loaded already; the console's start does not wait for it.
        from studio.obs.errors import ObsError

        with self._lock:
            if self._link is None:
                self._sign_in()
            if self._link is None:
                if self._problem is not None:
                    raise YouTubeError(self._problem.code, self._problem.detail)
                raise not_signed_in(str(self.token_file))
            try:
                broadcast = call(self._link.broadcaster)
            except (YouTubeError, ObsError) as error:
                failure = error if isinstance(error, YouTubeError) else YouTubeError("obs", str(error))
                self._problem = Problem.of(failure)
                self._report(None)
                raise failure from None
            self._due = None  # read YouTube now: the panel shows what the action did
            self._look()
            return broadcast

    # --- one step -----------------------------------------------------------------

    def poll(self) -> float:
        """One step of the watch; the seconds until the next. Skipped while an action has the broadcaster."""
        if not self._lock.acquire(blocking=False):
            return OBS_EVERY  # the action reports its own progress and reads YouTube when done
        try:
            if self._link is None:
                return self._sign_in()
            return self._look()
        finally:
            self._lock.release()

    def _sign_in(self) -> float:
        self.signed_in = self.token_file.exists()
        if self.signed_in:
            try:
                self._link = self._connect()  # googleapiclient's import and build: ~0.5 s
                self._problem = None
            except YouTubeError as error:  # an unreadable or revoked token: shown, tried again later
                self._problem = Problem.of(error)
        self._report(None)
        return 0.0 if self._link is not None else NOT_YET.total_seconds()

    def _look(self) -> float:
        now = self._clock()
        read = self._due is None or now >= self._due
        if read:
            self._read_youtube(now)
        sample = self._sample(now)
        latest = self._history.latest
        alert = None
        if read or latest is None or judge(sample)[0] != latest[1]:  # a poll, or OBS changed the verdict
            alert = self._history.add(sample)
        self._report(alert, sample)
        assert self._due is not None
        return max(0.0, min(OBS_EVERY, (self._due - now).total_seconds()))

    def _read_youtube(self, now: datetime) -> None:
        # The quota module reads the store's ledger (~45 ms of imports): kept off the first paint.
        from studio.youtube.quota import poll_interval

        assert self._link is not None
        self._spent = self._link.ledger.spent_today()
        interval = poll_interval(self._spent, now, self._allowance)
        self._polling = interval is not None
        if interval is None:  # the rest of today's units are the reserve for schedule, go live and end
            self._due = now + AFTER_AIR
            return
        try:
            status = self._link.broadcaster.status()  # 2 units with a broadcast; a store read without
        except YouTubeError as error:  # shown; tried again as often as the quota allows
            self._problem = Problem.of(error)
            self._due = now + interval
        else:
            self._problem = None
            self._broadcast, stream = status.broadcast, status.stream
            self._reading = (stream.status, stream.health, stream.issues) if stream else (None, None, ())
            self._due = now + self._cadence(interval)
        self._spent = self._link.ledger.spent_today()

    def _cadence(self, interval: timedelta) -> timedelta:
        life_cycle = self._broadcast.life_cycle if self._broadcast else None
        if life_cycle is None:
            return NOT_YET
        if life_cycle in ENDED:
            return AFTER_AIR
        if life_cycle in ON_AIR or life_cycle == "testStarting":
            return interval
        return max(interval, BEFORE_AIR)

    def _sample(self, now: datetime) -> Sample:
        obs = self._obs()
        connected = obs is not None and obs.connected
        status, health, issues = self._reading
        return Sample(
            at=now,
            life_cycle=self._broadcast.life_cycle if self._broadcast else None,
            stream_status=status,
            youtube_health=health,
            issues=issues,
            obs_streaming=bool(obs.streaming) if connected else None,
            obs_reconnecting=bool(connected and obs.status and obs.status.stream_reconnecting),
            obs_congestion=(obs.stream_congestion or 0.0) if connected else 0.0,
            obs_dropped=(obs.stream_dropped_frames or 0) if connected else 0,
        )

    # --- telling -------------------------------------------------------------------

    def view(self, sample: Sample | None = None) -> YouTubeView:
        latest = self._history.latest
        return YouTubeView(
            signed_in=self.signed_in,
            connected=self._link is not None,
            broadcast=self._broadcast,
            sample=sample if sample is not None else latest[0] if latest else None,
            verdicts=self._history.verdicts(),
            spent=self._spent,
            allowance=self._allowance,
            next_look=self._due,
            polling=self._polling,
            problem=self._problem,
        )

    def _report(self, alert: str | None, sample: Sample | None = None) -> None:
        view = self.view(sample)
        self.report(view, alert)
        publisher = self._link.publisher if self._link else None
        if publisher is None:
            return
        try:
            publisher.offer(view.detail(), self._clock())
        except (sqlite3.Error, ValueError) as error:  # a busy store must not stop the watch
            log.warning("cannot publish YouTube health: %s", error)


def show_watch(
    config: Config,
    store_path: Path,
    rundown: Rundown,
    switcher: ObsSwitcher,
    clock: Callable[[], datetime],
    operator: str | None = None,
) -> YouTubeWatch:
    """The show process's watch: signed in with `studio youtube auth`, streaming through the switcher's OBS;
    its go-live and end are logged as ``operator`` (the console's signed-in one)."""

    def connect() -> Link:  # on the watch's thread, after the first paint
        # google-api-python-client's import and the client's build: ~0.5 s
        from studio.store import open_store
        from studio.store.health import Publisher
        from studio.youtube.cli import make_broadcaster

        store = open_store(store_path)  # a connection of its own: the controller's serves takes on other threads
        try:
            broadcaster, ledger = make_broadcaster(
                config, store, rundown, switcher.adapter, "console", operator=operator
            )
        except BaseException:
            store.close()
            raise
        publisher = Publisher(store.db, SOURCE, volatile=VOLATILE)
        return Link(broadcaster, ledger, publisher)

    return YouTubeWatch(
        youtube_token_file(config.youtube.token_file),
        connect,
        allowance=config.youtube.daily_quota,
        obs=switcher.health,
        clock=clock,
    )
