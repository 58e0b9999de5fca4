"""What the show's outputs tell a screen: OBS's health and YouTube's, as plain snapshots.

The port between the devices and the consoles. The adapters (studio/obs/,
studio/youtube/) fill these in on their own threads; the consoles (studio/tui/)
only read them, and never import an adapter. No field ever holds a password,
a token or a stream key. Pure: no device, no Textual.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from studio.errors import StudioError

if TYPE_CHECKING:
    from studio.broadcast import Broadcaster
    from studio.youtube.health import Sample

# --- OBS -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObsStatus:
    """OBS's output figures, as its GetStreamStatus, GetRecordStatus and GetStats give them."""

    streaming: bool
    stream_reconnecting: bool
    stream_congestion: float  # 0..1, how full the network send buffer is
    stream_dropped_frames: int  # frames the network could not take
    stream_total_frames: int
    recording: bool
    recording_paused: bool
    render_skipped_frames: int  # frames the GPU was too late for
    render_total_frames: int
    encoder_skipped_frames: int  # frames the encoder was too late for
    encoder_total_frames: int
    active_fps: float
    cpu_percent: float


class Verdict(StrEnum):
    """The feed watchdog's word on a feed (studio/obs/watchdog.py)."""

    STARTING = "starting"
    ALIVE = "alive"
    DEAD = "dead"
    UNKNOWN = "unknown"  # OBS cannot be asked right now


@dataclass(frozen=True)
class FeedHealth:
    """What the watchdog sees of the on-air feed, for a console panel."""

    segment_id: str | None = None
    input_name: str | None = None
    verdict: Verdict = Verdict.UNKNOWN
    cursor: int | None = None
    reported: bool = False  # on_lost was called for this inclusion


@dataclass(frozen=True)
class ObsHealth:
    """One snapshot for a console panel. No field ever holds the password."""

    connected: bool
    reason: str  # the link's last word: "connected to OBS 29.0.2 at ...", or why not
    wanted_scene: str | None = None  # what studio wants on programme
    in_sync: bool = False  # OBS has acknowledged the latest wanted state
    error: str | None = None  # OBS refused the latest wanted state (e.g. a scene is missing)
    program_scene: str | None = None
    preview_scene: str | None = None  # None: studio mode is off
    streaming: bool | None = None
    recording: bool | None = None
    stream_congestion: float | None = None  # 0..1
    stream_dropped_frames: int | None = None
    render_skipped_frames: int | None = None
    encoder_skipped_frames: int | None = None
    active_fps: float | None = None
    cpu_percent: float | None = None
    status_age: float | None = None  # seconds since these OBS figures were read; None: never
    feed: FeedHealth = field(default_factory=FeedHealth)  # the watched on-air feed
    cued: FeedHealth = field(default_factory=FeedHealth)  # the next segment's feed, judged off air
    awaiting_feed: bool = False  # a live segment is taken but the slate shows until its feed's first frames
    status: ObsStatus | None = None  # the full last status, for a detail view


# --- YouTube ---------------------------------------------------------------------------


class Broadcast(Protocol):
    """A YouTube broadcast as a screen shows it (studio.youtube.live.Broadcast is one)."""

    @property
    def id(self) -> str: ...

    @property
    def life_cycle(self) -> str: ...  # created, ready, testStarting, testing, liveStarting, live, complete, revoked

    @property
    def privacy(self) -> str: ...

    @property
    def watch_url(self) -> str: ...


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
    verdicts: tuple[str, ...]  # the last joined verdicts, oldest first: off, good, warn, bad
    spent: int | None  # units spent today; None: not read yet
    allowance: int
    next_look: datetime | None  # when YouTube is read next
    polling: bool  # False: today's allowance is down to the reserve, no more health polls today
    problem: Problem | None
    verdict: tuple[str, str] = ("off", "")  # the sample's joined verdict and its reason (studio.youtube.health.judge)

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


class YouTubeWatch(Protocol):
    """The show process's YouTube as a screen drives it (studio.youtube.watch.YouTubeWatch is it).

    ``run`` on one worker thread, ``act`` from the action workers; both hand each
    snapshot to ``report`` (the screen posts it to its own loop).
    """

    signed_in: bool
    report: Callable[[YouTubeView, str | None], object]

    def run(self, stop: threading.Event | None) -> None: ...

    def act(self, call: Callable[[Broadcaster], Broadcast]) -> Broadcast: ...

    def view(self) -> YouTubeView: ...
