"""A rehearsal on YouTube (`studio rehearse --youtube unlisted`): a broadcast of its own, never the show's.

``start`` makes a NEW broadcast, always unlisted, titled "REHEARSAL · <the show's title>" (catalogue
``rehearse.youtube.title``), remembered in the rehearsal's own store, and goes live through the OBS the
rehearsal drives; ``end`` completes it, then OBS's stream stops (studio/broadcast.py keeps that order).

The show's broadcast is never touched: ``Broadcaster.schedule`` adopts an upcoming broadcast of the
channel with the show's title and start, so the rehearsal never calls it; ``schedule_apart`` creates
one. A store that is not a rehearsal's own (``--store`` naming the show's) is refused: its record of
the show's broadcast would be overwritten. So is an OBS that streams already (it may be the show's).

Every failure (not signed in, a revoked sign-in, the quota, OBS, YouTube not receiving) is said once
and the rehearsal goes on without YouTube; ``figures`` says what happened, for the report. Everything
here blocks (the API, OBS, up to 90 s until YouTube receives): the rehearsal calls ``start`` before its
day begins and ``end`` after it ends, on its main thread.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from studio.errors import StudioError
from studio.i18n import Joined, Msg
from studio.machine import utc_now
from studio.show.ports import Clock

if TYPE_CHECKING:
    from studio.broadcast import Broadcaster, StreamOutput
    from studio.rundown.model import Rundown
    from studio.store.show import ShowStore
    from studio.youtube.live import Broadcast
    from studio.youtube.quota import StoreLedger

PRIVACY = "unlisted"
"""Whatever [youtube] privacy says: a rehearsal is never public."""
ORIGIN = "rehearse"


class RehearsalYouTube:
    """The rehearsal's broadcast: ``start()`` at the start, ``end()`` at the end (it returns ``figures``).

    ``output``: the switcher's OBS (``services.switcher.adapter``); ``clock``: the rehearsal's clock, for
    its event log; ``wall``: the machine's, for YouTube (the broadcast starts now, the quota day is real);
    ``say``: prints a line to the person rehearsing.
    """

    def __init__(
        self, config: Any, store_path: Path, rundown: Rundown, output: StreamOutput | None, *,
        operator: str, clock: Clock, say: Callable[[Msg], object], wall: Clock = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config, self.store_path, self.rundown, self.output = config, store_path, rundown, output
        self.operator, self.clock, self.say, self.wall, self.monotonic = operator, clock, say, wall, monotonic
        self._store: ShowStore | None = None
        self._broadcaster: Broadcaster | None = None
        self._ledger: StoreLedger | None = None
        self._live_at: float | None = None
        self.figures: dict[str, Any] = {"broadcast": None, "privacy": PRIVACY, "to_live_s": None, "live_s": None,
                                        "ended": None, "quota_units_today": None, "error": None}

    def start(self) -> bool:
        """Schedule the rehearsal's broadcast and go live; False when YouTube is off (said, and in ``figures``).

        Everything missing (OBS, the sign-in, a store of its own) is found before YouTube is asked
        anything, and said together: no broadcast is made for a rehearsal that cannot stream.
        """
        began = self.monotonic()
        problems = self._obs_problems() + self._link()
        if problems:
            self._off(problems)
            return False
        if self._scheduled() is None:
            return False
        assert self._broadcaster is not None
        try:
            live = self._broadcaster.go_live()
        except StudioError as error:
            self._off([error])
            self._wind_down()
            return False
        self._live_at = self.monotonic()
        self.figures["to_live_s"] = round(self._live_at - began, 1)
        self.say(Msg("rehearse.youtube.live", url=live.watch_url))
        return True

    def schedule(self) -> Broadcast | None:
        """The broadcast ``start`` goes live on, made alone (no OBS is asked): None when YouTube is off."""
        problems = self._link()
        if problems:
            self._off(problems)
            return None
        return self._scheduled()

    def end(self) -> dict[str, Any]:
        """Complete the broadcast, then OBS stops streaming; the figures for the report."""
        if self._live_at is not None:
            self.figures["live_s"] = round(self.monotonic() - self._live_at, 1)
            self._live_at = None
            self._wind_down()
            if self.figures["ended"] == "complete":
                self.say(Msg("rehearse.youtube.ended", broadcast=self.figures["broadcast"],
                             seconds=f"{self.figures['live_s']:g}"))
        if self._ledger is not None:
            self.figures["quota_units_today"] = self._ledger.spent_today()
        if self._store is not None:
            self._store.close()
            self._store = self._broadcaster = self._ledger = None
        return self.figures

    # --- steps -------------------------------------------------------------------------------------

    def _obs_problems(self) -> list[StudioError]:
        from studio.youtube.errors import YouTubeError

        if self.output is None:
            return [YouTubeError("no_obs", Msg("rehearse.youtube.no_obs"))]
        try:
            streaming = self.output.streaming()
        except StudioError as error:
            return [error]
        return [YouTubeError("obs_busy", Msg("youtube.advice.obs_busy"))] if streaming else []

    def _link(self) -> list[StudioError]:
        """The broadcaster on the rehearsal's own store, signed in; else what is missing."""
        if self._broadcaster is not None:
            return []
        from studio.show.services import make_broadcaster, youtube_token
        from studio.store import open_store

        problems: list[StudioError] = []
        store = open_store(self.store_path, rehearses=True)
        if store.rehearsal_mark() is None:
            problems.append(StudioError(Msg("rehearse.youtube.not_own_store", store=str(self.store_path))))
        try:
            credentials = youtube_token(self.config).load()
        except StudioError as error:
            problems.append(error)
        if problems:
            store.close()
            return problems
        self._store = store
        self._broadcaster, self._ledger = make_broadcaster(
            self.config, store, self.rundown, self.output, ORIGIN, operator=self.operator, credentials=credentials,
            privacy=PRIVACY, clock=self.clock,
        )
        return []

    def _scheduled(self) -> Broadcast | None:
        from studio.broadcast import broadcast_description, broadcast_title

        assert self._broadcaster is not None
        language = self.config.station.language
        title = Msg("rehearse.youtube.title", title=broadcast_title(self.rundown, language)).render(language)
        description = f"{Msg('rehearse.youtube.description').render(language)}\n\n{broadcast_description(self.rundown)}"
        records, show_id = self._broadcaster.records, self.rundown.show.id
        before = records.broadcast(show_id)
        try:
            broadcast = self._broadcaster.schedule_apart(title, description, self.wall())
        except StudioError as error:
            made = records.broadcast(show_id)
            if made is not None and made != before:  # made but not bound: never live; the report names it
                self.figures["broadcast"] = made.broadcast_id
            self._off([error])
            return None
        self.figures["broadcast"] = broadcast.id
        return broadcast

    def _wind_down(self) -> None:
        """End what was started (the broadcast completes if it is testing or live, OBS stops streaming);
        a failure is said and OBS is stopped all the same."""
        if self._broadcaster is None or self.figures["broadcast"] is None:
            return
        try:
            self.figures["ended"] = self._broadcaster.end().life_cycle
        except StudioError as error:
            self._off([error], ending=True)
            try:
                if self.output is not None and self.output.streaming():
                    self.output.stop_stream()
            except StudioError:  # OBS is gone: nothing streams through it
                pass

    def _off(self, problems: list[StudioError], *, ending: bool = False) -> None:
        """Say why YouTube is off (or why the end failed) and keep it, in English, for the report."""
        why = Joined([problem.message for problem in problems], "; ")
        self.say(Msg("rehearse.youtube.end_failed", broadcast=self.figures["broadcast"], why=why) if ending
                 else Msg("rehearse.youtube.off", why=why))
        said = [str(problem) for problem in problems]
        self.figures["error"] = "; ".join(filter(None, [self.figures["error"], *said]))
