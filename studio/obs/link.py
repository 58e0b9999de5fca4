"""ObsLink: keeps an ObsAdapter connected and OBS showing the wanted state.

A background thread probes the connection, reconnects with capped exponential
backoff and, after every (re)connect, re-asserts the wanted state in one batch.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from studio.i18n import Msg
from studio.obs.adapter import ObsAdapter
from studio.obs.errors import ObsError
from studio.obs.state import ObsWanted

log = logging.getLogger(__name__)

# Retry delays in seconds; the last repeats. A retry to a closed local port costs
# about nothing, so the cap is set by the promise "connected again within 2 s of OBS
# accepting connections": a worst case of 1.0 s waiting + ~0.1 s login and reassert.
BACKOFF = (0.1, 0.2, 0.4, 0.8, 1.0)
# How often an idle link checks that OBS is still there (one GetVersion, ~2 ms).
PROBE_EVERY = 0.5


@dataclass(frozen=True)
class LinkEvent:
    connected: bool
    reason: str  # ObsError text or a short note; never holds the password


class ObsLink:
    """Call start() once; on_change runs on the link's thread, so a UI must post it on."""

    def __init__(
        self,
        adapter: ObsAdapter,
        wanted: Callable[[], ObsWanted | None],
        on_change: Callable[[LinkEvent], None],
        *,
        backoff: Sequence[float] = BACKOFF,
        probe_every: float = PROBE_EVERY,
    ) -> None:
        self.adapter = adapter
        self._wanted = wanted
        self._on_change = on_change
        self._backoff = tuple(backoff)
        self._probe_every = probe_every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last: LinkEvent | None = None

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="obs-link", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self.adapter.close()

    @property
    def connected(self) -> bool:
        return self.adapter.connected

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            if self.adapter.connected:
                if self._stop.wait(self._probe_every):
                    return
                try:
                    self.adapter.probe()
                except ObsError:
                    pass  # a lost link shows as adapter.connected turning False
                continue
            if self._last is not None and self._last.connected:
                last = self.adapter.last_error
                self._report(False, last.message if last is not None else Msg("obs.link.lost"))
            try:
                versions = self.adapter.connect()
            except Exception as error:  # a bug must not end the thread: keep retrying
                if not isinstance(error, ObsError):
                    log.exception("connecting to OBS failed unexpectedly")
                self._report(False, error.message if isinstance(error, ObsError) else str(error))
                delay = self._backoff[min(failures, len(self._backoff) - 1)]
                failures += 1
                self._stop.wait(delay)
                continue
            failures = 0
            s = self.adapter.settings
            self._report(True, Msg("obs.link.connected", version=versions.obs, host=s.host, port=s.port))
            self._reassert()

    def _reassert(self) -> None:
        try:
            wanted = self._wanted()
            if wanted is not None:
                sent = self.adapter.reassert(wanted)
                log.info("re-asserted the wanted state with %d request(s)", sent)
        except ObsError as error:
            if self.adapter.connected:  # OBS refused a request; the link itself is fine
                self._report(True, Msg("obs.link.restore_failed", error=error.message))
        except Exception:  # a bug in the caller's wanted(): keep the link alive
            log.exception("reading the wanted state failed")

    def _report(self, connected: bool, reason: str) -> None:
        event = LinkEvent(connected, reason)
        if event == self._last:
            return
        self._last = event
        try:
            self._on_change(event)
        except Exception:
            log.exception("the link's on_change callback failed")
