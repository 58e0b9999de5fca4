"""ObsSwitcher: the controller's Switcher, on OBS. A segment in, a wanted state out.

The controller calls take/slate/end from its worker thread after the store has
committed. The switcher turns the call into an ObsWanted (wanted_for, pure),
hands it to its own applier thread and waits for OBS's answer at most
``ack_timeout`` (normally one frame, ~35 ms: the batch runs on one frame). It
never raises to the controller and never waits on a missing OBS: the wanted
state is kept, and every (re)connect re-asserts it in one batch.

Never black: a live segment whose feed is not known to show frames (dead, or
not started yet) is taken onto the slate, in the take's own batch, with its
feed set to play off air; the watchdog calls back at its first frames and the
programme cuts to the segment then. A feed that never comes is reported lost
(the slate stays, the console alarms).

Threads: the ObsLink's (connect, probe, backoff), the applier's (the only one
that changes OBS: takes and re-asserts, plus a status read about once a second)
and the feed watchdog's (polls the on-air and the cued feed). The link is given no wanted
state of its own: if it re-asserted too, a take landing between its read of the
wanted state and its batch could be undone by a stale one.

One piece (~500 lines) on purpose: the wanted state, the applier that converges
OBS to it, the wait for a feed's first frames and the health snapshot share one
condition variable; split, each half would reach into the other's lock.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence

from studio.canvas import DESIGN, Size, fit
from studio.i18n import Msg
from studio.obs.adapter import ObsAdapter
from studio.obs.errors import ObsError
from studio.obs.link import BACKOFF, PROBE_EVERY, LinkEvent, ObsLink
from studio.obs.names import (
    FALLBACK_SCENE,
    feed_input,
    feed_item,
    feed_items,
    graphic_inputs,
    graphic_items,
    video_item,
    video_items,
)
from studio.obs.state import Item, ObsActual, ObsWanted, Place
from studio.obs.watchdog import (
    FeedWatchdog,
    Verdict,
    WatchSettings,
    feed_up,
    media_reader,
)
from studio.onair import OnAirGraphic
from studio.rundown.model import Segment
from studio.show.health import ObsHealth, ObsStatus

log = logging.getLogger(__name__)

ACK_TIMEOUT = 0.5  # the longest a take waits for OBS's answer; one frame is usual
STATUS_EVERY = 1.0  # seconds between status reads for the console panel
PROBE_KEPT = 1.0  # seconds a probe's answer stands: the controller's check and the take ask in turn


# -- the pure part ----------------------------------------------------------------


def wanted_for(
    segment: Segment,
    managed_feeds: Iterable[Item] = (),
    cued: Mapping[str, str] | None = None,
    graphics: Iterable[OnAirGraphic] = (),
    canvas: Size = DESIGN,
) -> ObsWanted:
    """What OBS must show for ``segment``: its scene, its feed (if any) playing and visible,
    and its ``graphics`` on top, each its template's image source (or its twin: see
    studio.obs.state.resolve) showing its file.

    Every other known item is hidden (``managed_feeds``: all the feed, video and graphic
    items of the rundown). ``cued`` feeds (input -> URL) are set too, so the next
    inclusion's input already plays its URL, unless that input is the one on air.
    A graphic's PNG is its template's region, drawn for a canvas: it is placed there
    at scale 1 when that is OBS's ``canvas``; one drawn for another size (taken before
    OBS said its size) is scaled and centred to fit (studio.canvas.fit), never off-frame.
    """
    item = feed_item(segment)
    video = video_item(segment)  # a video segment's clip: shown (and so restarted) with the take
    managed = frozenset(managed_feeds) | ({item} if item else frozenset())
    feeds = {name: url for name, url in (cued or {}).items() if not item or name != item[1]}
    if item and segment.feed:
        feeds[item[1]] = segment.feed
    shown = {i for i in (item, video) if i}
    images: dict[str, str] = {}
    placements: dict[Item, Place] = {}
    twins: dict[Item, Item] = {}
    for graphic in graphics:
        if segment.scene is None or graphic.scene != segment.scene:
            continue  # a graphic belongs to its segment's scene
        source, twin = ((segment.scene, name) for name in graphic_inputs(graphic.template))
        shown.add(source)
        images[source[1]] = graphic.file
        placements[source] = _place(graphic, canvas)
        twins[source] = twin
    return ObsWanted(
        program_scene=segment.scene,
        overlays=frozenset(shown),
        feeds=feeds,
        managed=managed | shown,
        images=images,
        placements=placements,
        twins=twins,
    )


def _place(graphic: OnAirGraphic, canvas: Size) -> Place:
    to = fit(graphic.canvas, canvas)
    x, y = to.point(graphic.placement[0], graphic.placement[1])
    return x, y, to.scale


def slate_wanted(managed_feeds: Iterable[Item] = (), cued: Mapping[str, str] | None = None) -> ObsWanted:
    """The fallback slate on programme, every feed hidden: never black, never a dead feed.
    ``cued`` feeds still play their URLs off air (a feed awaited on the slate among them)."""
    return ObsWanted(FALLBACK_SCENE, frozenset(), dict(cued or {}), frozenset(managed_feeds))


# -- the switcher ---------------------------------------------------------------------


class ObsSwitcher:
    """Call start() once, stop() at exit. take/slate/end are safe from any thread."""

    def __init__(
        self,
        adapter: ObsAdapter,
        segments: Iterable[Segment] = (),
        *,
        on_feed_lost: Callable[[str], object] | None = None,
        on_link: Callable[[LinkEvent], None] | None = None,
        ack_timeout: float = ACK_TIMEOUT,
        status_every: float = STATUS_EVERY,
        watch: WatchSettings = WatchSettings(),
        backoff: Sequence[float] = BACKOFF,
        probe_every: float = PROBE_EVERY,
        canvas: Size = DESIGN,
    ) -> None:
        """``segments``: the rundown's, so every feed and graphic item in OBS is known and
        kept hidden but the on-air ones. ``canvas``: OBS's base size until OBS says it (it is
        read again on every connect), to draw and place the graphics. ``on_feed_lost(segment_id)`` (wire it to Controller.feed_lost)
        runs on the watchdog's thread; ``on_link`` on the link's thread."""
        self.adapter = adapter
        self.ack_timeout = ack_timeout
        self.status_every = status_every
        self.on_feed_lost = on_feed_lost
        self._on_link_user = on_link
        self._cond = threading.Condition()
        segments = tuple(segments)
        self._canvas = canvas
        self._managed: set[Item] = set(feed_items(segments)) | set(graphic_items(segments)) | set(video_items(segments))
        self._graphics: tuple[OnAirGraphic, ...] = ()
        self._wanted: ObsWanted | None = None
        self._cued: dict[str, str] = {}
        self._on_air: Segment | None = None  # None: the slate, once anything was wanted
        self._slate_report: Callable[[bool], object] | None = None  # watch_slate's
        self._slate_covers = False  # the slate went up over a taken segment and its picture is not back
        self._awaiting = False  # the on-air segment's feed shows nothing yet: the slate stands in
        self._probed: tuple[str, str | None, float, bool | None] | None = None  # input, URL, when, answer
        self._generation = 0  # bumped by every change of the wanted state
        self._done = 0  # the last generation OBS answered (applied or refused)
        self._reassert = False  # a (re)connect happened: assert the wanted state again
        self._known: ObsActual | None = None  # what OBS has after our last batch; None: read it first
        self._error: str | None = None
        self._connected = False
        self._reason: str = Msg("obs.link.not_started")
        self._status: ObsStatus | None = None
        self._status_at: float | None = None
        self._program: str | None = None
        self._preview: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._read_back = False  # a batch went out (on any thread): the status thread reads OBS back
        self._applying = threading.Lock()  # one thread at a time brings OBS to the wanted state
        self._read = media_reader(adapter)
        self.watchdog = FeedWatchdog(self._read, self._feed_lost, watch, on_up=self._feed_came)
        self.link = ObsLink(adapter, lambda: None, self._link_changed, backoff=backoff, probe_every=probe_every)

    # -- life cycle -------------------------------------------------------------

    def start(self) -> None:
        self._stop.clear()
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="obs-switcher", daemon=True)
            self._thread.start()
        self.watchdog.start()
        self.link.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        self.watchdog.stop(timeout)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self.link.stop(timeout)

    # -- the Switcher protocol ----------------------------------------------------

    def take(self, segment: Segment, graphics: Sequence[OnAirGraphic] = ()) -> None:
        """Put ``segment`` on the programme with ``graphics`` over it, in one batch.

        A live segment whose feed is not known to be up goes to the slate instead, in
        that batch, and to the programme at its feed's first frames (never black).
        Returns once OBS answered, or after ack_timeout."""
        try:
            if segment.scene is None:
                # Nothing to switch to: leave the picture as it is (never black) and
                # let the operator drive OBS by hand for this one.
                log.warning("segment %s names no OBS scene: the programme stays as it is", segment.id)
                self.watchdog.unwatch()
                return
            item = feed_item(segment)
            awaiting = item is not None and self.feed_up(segment) is not True
            if awaiting:
                log.warning("the feed of %s shows nothing yet: the slate until its first frames", segment.id)
            with self._cond:
                if item:
                    self._managed.add(item)
                self._on_air = segment
                self._awaiting = awaiting
                self._graphics = tuple(graphics)
                generation = self._want()
            if item:
                self.watchdog.watch(segment.id, item[1], awaiting=awaiting)
            else:
                self.watchdog.unwatch()
            self._await(generation)
            self._report_slate(awaiting)
        except Exception:  # the controller has committed; OBS trouble must not undo that
            log.exception("taking %s to OBS failed", segment.id)

    def slate(self) -> None:
        """Cut to the fallback slate (a dead feed must never leave the programme black)."""
        try:
            self.watchdog.unwatch()
            with self._cond:
                self._on_air = None
                self._awaiting = False
                generation = self._want()
            self._await(generation)
            self._report_slate(True)
        except Exception:
            log.exception("putting up the slate failed")

    def end(self) -> None:
        """The show is over: the slate, never black."""
        self.slate()

    def graphics(self, items: Sequence[OnAirGraphic]) -> None:
        """Show exactly ``items`` over the on-air segment (none: every graphic hidden)."""
        try:
            with self._cond:
                self._graphics = tuple(items)
                generation = self._want()
            self._await(generation)
        except Exception:
            log.exception("changing the graphics on air failed")

    def watch_slate(self, report: Callable[[bool], object]) -> None:
        """``report(True)`` once the slate is on programme in place of a segment, ``report(False)`` once a
        segment is back; on the thread that changed the programme, after OBS answered (or ack_timeout)."""
        self._slate_report = report

    def _report_slate(self, covers: bool) -> None:
        """Tell watch_slate's reporter about a change of whether the slate covers the programme (outside the lock)."""
        with self._cond:
            changed, self._slate_covers = self._slate_covers != covers, covers
        if changed and self._slate_report is not None:
            try:
                self._slate_report(covers)
            except Exception:  # the programme is right; only the word of it was lost, and the log says so
                log.exception("reporting the slate to the controller failed")

    # -- extras for the console ---------------------------------------------------

    def cue(self, segment: Segment | None) -> None:
        """Let the next segment's feed input play its URL already (for feed_up), unless
        that input is on air now. Without a feed (or None), nothing is cued."""
        try:
            item = feed_item(segment) if segment else None
            cued = {item[1]: segment.feed} if item and segment and segment.feed else {}
            self.watchdog.cue(segment.id if item and segment else None, item[1] if item else None)
            with self._cond:
                if cued == self._cued:
                    return
                self._cued = cued
                if item:
                    self._managed.add(item)
                if self._wanted is None:
                    return  # nothing taken yet: the first take carries the cue
                generation = self._want()
            self._await(generation)
        except Exception:
            log.exception("cueing the next feed failed")

    def feed_up(self, target: Segment | str) -> bool | None:
        """Pre-flight: is this segment's (or input's) feed playing and advancing?

        None when OBS cannot be asked or the segment has no feed; False when the input
        is missing, stopped, still, or about to be set to another URL (the take restarts
        it: no frames until the new stream's first keyframe). The watchdog's verdict on
        the cued or on-air feed answers at once; otherwise a probe blocks ~0.4 s: call
        it from a worker.
        """
        name = feed_input(target) if isinstance(target, Segment) else target
        if name is None:
            return None
        url = target.feed if isinstance(target, Segment) else None
        with self._cond:
            playing = self._wanted.feeds.get(name) if self._wanted is not None else None
            probed = self._probed
        if url is not None and playing is not None and playing != url:
            return False
        verdict = self.watchdog.verdict(name)
        if verdict is Verdict.ALIVE or verdict is Verdict.DEAD:
            return verdict is Verdict.ALIVE
        if probed and probed[:2] == (name, url) and time.monotonic() - probed[2] < PROBE_KEPT:
            return probed[3]
        answer = feed_up(self._read, name)
        with self._cond:
            self._probed = (name, url, time.monotonic(), answer)
        return answer

    @property
    def canvas(self) -> Size:
        """OBS's canvas (base) size as last read on connect; the one given until OBS is reached."""
        with self._cond:
            return self._canvas

    def wanted(self) -> ObsWanted | None:
        with self._cond:
            return self._wanted

    def health(self) -> ObsHealth:
        with self._cond:
            status = self._status
            return ObsHealth(
                connected=self._connected and self.adapter.connected,
                reason=self._reason,
                wanted_scene=self._wanted.program_scene if self._wanted else None,
                in_sync=self._wanted is not None and self._done >= self._generation and self._error is None,
                error=self._error,
                program_scene=self._program,
                preview_scene=self._preview,
                streaming=status.streaming if status else None,
                recording=status.recording if status else None,
                stream_congestion=status.stream_congestion if status else None,
                stream_dropped_frames=status.stream_dropped_frames if status else None,
                render_skipped_frames=status.render_skipped_frames if status else None,
                encoder_skipped_frames=status.encoder_skipped_frames if status else None,
                active_fps=status.active_fps if status else None,
                cpu_percent=status.cpu_percent if status else None,
                status_age=time.monotonic() - self._status_at if self._status_at is not None else None,
                feed=self.watchdog.health(),
                cued=self.watchdog.cued_health(),
                awaiting_feed=self._awaiting,
                status=status,
            )

    # -- inside ---------------------------------------------------------------------

    def _want(self) -> int:
        """Under the lock: compose the wanted state anew and wake the applier."""
        if self._on_air is None:
            self._wanted = slate_wanted(self._managed, self._cued)
        elif self._awaiting:  # the segment's feed plays off air; the slate stands in until its first frames
            awaited = wanted_for(self._on_air, self._managed, self._cued)
            self._wanted = slate_wanted(self._managed | awaited.managed, awaited.feeds)
        else:
            self._wanted = wanted_for(self._on_air, self._managed, self._cued, self._graphics, self._canvas)
            self._managed |= self._wanted.managed
        self._generation += 1
        self._cond.notify_all()
        return self._generation

    def _await(self, generation: int) -> None:
        """Wait for OBS's answer to ``generation``, but never for a missing OBS. When the applier is idle, the
        caller sends the batch itself: a take then costs no hop to another thread and back."""
        if self._thread is not None:
            self._apply_pending(blocking=False)
        with self._cond:
            self._cond.wait_for(
                lambda: self._done >= generation or not self.adapter.connected or self._stop.is_set(),
                timeout=self.ack_timeout,
            )

    def _feed_came(self, segment_id: str) -> None:
        """The watchdog saw the first frames of a feed awaited on the slate: cut to its segment."""
        with self._cond:
            if not self._awaiting or self._on_air is None or self._on_air.id != segment_id:
                return  # another take or the slate came meanwhile
            self._awaiting = False
            generation = self._want()
        self._await(generation)
        self._report_slate(False)

    def _feed_lost(self, segment_id: str) -> None:
        if self.on_feed_lost is not None:
            self.on_feed_lost(segment_id)
        else:  # nobody to tell (no controller): put the slate up ourselves
            self.slate()

    def _link_changed(self, event: LinkEvent) -> None:
        canvas = self._read_canvas() if event.connected else None
        with self._cond:
            self._connected = event.connected
            self._reason = event.reason
            if canvas is not None and canvas != self._canvas:
                self._canvas = canvas
                if self._wanted is not None:
                    self._want()  # the graphics' places follow the new size
            if event.connected:
                self._reassert = True
            self._cond.notify_all()
        if self._on_link_user is not None:
            self._on_link_user(event)

    def _read_canvas(self) -> Size | None:
        """OBS's canvas, read on the link's thread at each connect; None (keep the last) if OBS will not say."""
        try:
            return self.adapter.canvas()
        except ObsError as error:
            log.warning("OBS did not say its canvas size: %s", error)
            return None

    def _pending(self) -> bool:
        return self.adapter.connected and (self._reassert or self._done < self._generation)

    def _run(self) -> None:
        next_status = 0.0
        while not self._stop.is_set():
            with self._cond:
                self._cond.wait_for(
                    lambda: self._stop.is_set() or self._pending() or self._read_back,
                    timeout=max(0.0, next_status - time.monotonic()),
                )
                if self._stop.is_set():
                    return
            self._apply_pending(blocking=True)
            with self._cond:
                read_back, self._read_back = self._read_back, False
            if read_back or time.monotonic() >= next_status:  # a batch went out: read the programme back at once
                self._read_status()
                next_status = time.monotonic() + self.status_every

    def _apply_pending(self, *, blocking: bool) -> None:
        """Bring OBS to the wanted state on this thread if it lacks it. Without ``blocking``, nothing when
        another thread is applying: that thread takes the newest wanted state next."""
        if not self._applying.acquire(blocking=blocking):
            return
        try:
            with self._cond:
                if not self._pending():
                    return
                job = (self._generation, self._wanted, self._reassert)
                self._reassert = False
            self._apply(*job)
        finally:
            self._applying.release()

    def _apply(self, generation: int, wanted: ObsWanted | None, reassert: bool) -> None:
        """Bring OBS to ``wanted``: after a (re)connect by reading it first, otherwise
        from what our last batch left (a take is then one batch, no read)."""
        error: str | None = None
        if wanted is not None:
            started = time.monotonic()
            try:
                self._known = self.adapter.converge(wanted, None if reassert else self._known)
                log.info("OBS now shows %s (%.0f ms)", wanted.program_scene, (time.monotonic() - started) * 1000)
            except ObsError as e:
                self._known = None
                error = e.message  # a Msg: the console says it in its language
                log.warning("OBS did not take the wanted state: %s", e)
            except Exception:
                self._known = None
                error = Msg("obs.error.internal")
                log.exception("applying the wanted state failed")
        with self._cond:
            if self.adapter.connected or error is None:
                self._done = max(self._done, generation)
                self._error = error
            # else: the link broke mid-way; the reconnect re-asserts.
            self._read_back = True
            self._cond.notify_all()

    def _read_status(self) -> None:
        if not self.adapter.connected:
            return
        try:
            status = self.adapter.status()
            program = self.adapter.program_scene()
            preview = self.adapter.preview_scene()
        except ObsError:
            return  # the link notices and reconnects
        except Exception:
            log.exception("reading OBS status failed")
            return
        with self._cond:
            self._status, self._program, self._preview = status, program, preview
            self._status_at = time.monotonic()
            wanted = self._wanted.program_scene if self._wanted else None
            if wanted and program != wanted and self._done >= self._generation:
                # Someone switched OBS by hand (or a batch was lost): studio owns the
                # programme, so read OBS afresh and put the wanted state back.
                log.warning("OBS shows %s, not the wanted %s: re-asserting", program, wanted)
                self._known = None
                self._reassert = True
                self._cond.notify_all()
