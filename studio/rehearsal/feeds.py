"""The rehearsal's regional feeds: an ffmpeg test pattern per feed URL, some of them killed on air.

- ``feeds``: every feed URL the rundown's segments name, with the words burned into its picture (the
  region's name in Kazakh and Russian, or the segment's title for a feed without a region, such as the
  commission's press centre).
- ``schedule`` (pure, seeded): which live inclusions lose their feed while on air, how long after their
  take and for how long. An outage lasts at least ``min_down`` (the rehearsal gives a few real seconds,
  so the watchdog, the slate and the retake all get their turn at any speed) and ends before the
  segment's end.
- ``Senders``: the ffmpeg processes (moving testsrc2 with the words, 640x360 at 25 fps, x264
  ultrafast, MPEG-TS to the loopback URL). Only the feeds on air or about to be are running: about 5 %
  of a core each.
- ``SimulatedFeeds``: the main loop's part, on the rehearsal's clock: it starts a feed shortly before its
  segment is expected, kills it when the schedule says and brings it back.
- ``outages`` (pure): each loss, from what the rehearsal recorded as it happened.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from studio.rundown.model import Kind, Segment

SIZE, RATE, KEYFRAME_EVERY = "640x360", 25, 25  # a keyframe a second: a restarted feed shows quickly
DEATH_SHARE = 0.15
"""About this share of the eligible live inclusions lose their feed (at least two)."""
LEAD_REAL_SECONDS = 5.0
"""A feed starts this many real seconds before its segment is expected: ffmpeg's start and its first keyframe."""
FONT = Path(__file__).resolve().parents[1] / "overlays" / "fonts" / "NotoSans-Bold.ttf"  # Cyrillic, Kazakh letters


@dataclass(frozen=True, slots=True)
class Feed:
    url: str
    words: tuple[str, ...]  # the lines burned into the picture
    segments: tuple[str, ...]  # the ids of the segments that play it


@dataclass(frozen=True, slots=True)
class FeedDeath:
    """``segment``'s feed dies ``after`` its take and comes back ``down_for`` later (simulated time)."""

    segment: str
    url: str
    after: timedelta
    down_for: timedelta


def feeds(segments: Iterable[Segment], regions: Mapping[str, tuple[str, str]]) -> dict[str, Feed]:
    """Every feed URL of the rundown, by URL; ``regions``: region id -> (Kazakh, Russian) name."""
    found: dict[str, Feed] = {}
    for segment in segments:
        if not segment.feed:
            continue
        known = found.get(segment.feed)
        if known is not None:
            found[segment.feed] = Feed(known.url, known.words, (*known.segments, segment.id))
            continue
        named = regions.get(segment.region or "")
        words = named if named else (segment.title.kk, segment.title.ru)
        found[segment.feed] = Feed(segment.feed, tuple(dict.fromkeys(words)), (segment.id,))
    return found


def schedule(segments: Sequence[Segment], *, seed: int, min_down: timedelta, at_least: int = 2,
             share: float = DEATH_SHARE) -> tuple[FeedDeath, ...]:
    """The feed deaths of the day, the same for the same seed: live inclusions long enough to lose their feed
    for ``min_down`` well inside their slot (it dies after 15-35 % of it and is back by 80 % of it)."""
    rng = random.Random(f"feeds-{seed}")
    eligible = [s for s in segments if s.kind is Kind.LIVE and s.feed and s.duration * 0.65 >= min_down]
    count = min(len(eligible), max(at_least, round(len(eligible) * share)))
    chosen = sorted(rng.sample(range(len(eligible)), count))
    deaths = []
    for index in chosen:
        segment = eligible[index]
        latest = min(segment.duration * 0.35, segment.duration * 0.8 - min_down)
        after = segment.duration * 0.15 + (latest - segment.duration * 0.15) * rng.random()
        down_for = min(max(min_down, segment.duration * rng.uniform(0.2, 0.4)), segment.duration * 0.8 - after)
        deaths.append(FeedDeath(segment.id, str(segment.feed), after, down_for))
    return tuple(deaths)


# --- the senders --------------------------------------------------------------------------------------


def ffmpeg_missing() -> bool:
    return shutil.which("ffmpeg") is None


class Senders:
    """One ffmpeg per running feed; ``want`` starts and stops them. The pictures' words and the font are
    files in ``folder`` (its cwd), so no path or region name needs escaping in ffmpeg's filter."""

    def __init__(self, known: Mapping[str, Feed], folder: Path, env: Mapping[str, str]) -> None:
        self.known, self.folder, self.env = known, folder, dict(env)
        self.running: dict[str, subprocess.Popen[bytes]] = {}
        self.started = 0
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FONT, folder / "font.ttf")
        self._words = {}
        for number, feed in enumerate(known.values()):
            words = folder / f"feed-{number}.txt"
            words.write_text("\n".join(feed.words), encoding="utf-8")
            self._words[feed.url] = words.name
        self._log = open(folder / "ffmpeg.log", "ab")  # noqa: SIM115 - open while the feeds run
        self._epoch = time.monotonic()

    def want(self, urls: set[str]) -> None:
        for url in [url for url in self.running if url not in urls]:
            self.stop(url)
        for url in urls - set(self.running):
            self._start(url)

    def _start(self, url: str) -> None:
        text = (f"drawtext=fontfile=font.ttf:textfile={self._words[url]}:expansion=none:fontsize=30:"
                "fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=10:line_spacing=8:x=(w-tw)/2:y=h-th-30")
        self.running[url] = subprocess.Popen(
            ["ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
             f"testsrc2=size={SIZE}:rate={RATE}", "-vf", text, "-c:v", "libx264", "-preset", "ultrafast",
             "-tune", "zerolatency", "-g", str(KEYFRAME_EVERY), "-pix_fmt", "yuv420p",
             # one timeline for every start of a feed, as an encoder that keeps its clock: OBS 29's media source
             # crashed here (free(): corrupted unsorted chunks) after dozens of restarts that began again at 0
             "-output_ts_offset", f"{time.monotonic() - self._epoch:.3f}", "-f", "mpegts", url],
            cwd=self.folder, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._log,
        )
        self.started += 1

    def stop(self, url: str) -> float:
        """Kill the feed's sender at once, as a dropped link would; the monotonic time of the kill."""
        process = self.running.pop(url)
        process.kill()
        killed = time.perf_counter()
        process.wait(5)
        return killed

    def close(self) -> None:
        for url in list(self.running):
            self.stop(url)
        self._log.close()


# --- on the rehearsal's clock -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Happened:
    """What the rehearsal saw, as it happened: ``what`` is killed, returned (the schedule's), lost (the
    watchdog's report), slate_on, slate_off (the switcher's, once OBS answered), retaken (the producer's)."""

    what: str
    segment: str | None
    at: datetime  # simulated
    perf: float  # time.perf_counter()


@dataclass
class Record:
    """The thread-safe list of what happened: the main loop, the watchdog's and the switcher's threads add."""

    happened: list[Happened] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, what: str, segment: str | None, at: datetime) -> None:
        with self._lock:
            self.happened.append(Happened(what, segment, at, time.perf_counter()))

    def copy(self) -> list[Happened]:
        with self._lock:
            return list(self.happened)


class SimulatedFeeds:
    """Each tick: the feeds that should be sending, and the schedule's deaths and returns, on ``view``'s show."""

    def __init__(self, senders: Senders, deaths: Sequence[FeedDeath], speed: float, record: Record) -> None:
        self.senders, self.deaths, self.record = senders, {d.segment: d for d in deaths}, record
        self.lead = timedelta(seconds=LEAD_REAL_SECONDS * speed)
        self._down: dict[str, tuple[str, datetime]] = {}  # segment -> (url, back at), while its feed is dead
        self._done: set[str] = set()

    def step(self, view: Any, now: datetime) -> None:
        wanted = {segment.feed for segment in self._soon(view, now) if segment.feed}
        on_air, row = view.on_air_segment, view.on_air
        death = self.deaths.get(on_air.id) if on_air is not None else None
        if death is not None and death.segment not in self._done and now >= row.started_at + death.after:
            self._done.add(death.segment)
            self._down[death.segment] = (death.url, now + death.down_for)
            if death.url in self.senders.running:
                self.senders.stop(death.url)
            self.record.add("killed", death.segment, now)
        for segment, (url, back_at) in list(self._down.items()):
            if now < back_at:
                wanted.discard(url)
            else:
                del self._down[segment]
                self.record.add("returned", segment, now)
        self.senders.want(wanted)

    def back(self, segment_id: str) -> bool:
        """Is ``segment_id``'s feed sending again after its death (or never died)?"""
        return segment_id not in self._down

    def _soon(self, view: Any, now: datetime) -> list[Segment]:
        """The segment on air and those expected to start within the lead."""
        soon = [view.on_air_segment] if view.on_air_segment is not None else []
        for expected in view.timing.expected:
            if expected.start <= now + self.lead:
                segment = view.rundown.get(expected.segment_id)
                if segment is not None:
                    soon.append(segment)
        return soon


def sender_env() -> dict[str, str]:
    """ffmpeg's environment: this process's, less any OBS password it holds."""
    return {name: value for name, value in os.environ.items() if "PASSWORD" not in name.upper()}


# --- the losses -----------------------------------------------------------------------------------------


def outages(happened: Sequence[Happened]) -> list[dict[str, Any]]:
    """Each feed loss: the watchdog's report (``lost``) with what led to it and what followed, and each
    scheduled death the watchdog never reported. Milliseconds are real: from the kill to the watchdog's
    report (``detected_ms``) and to the slate on the programme (``slate_ms``), from the feed's return to its
    retake (``retake_ms``); ``slate_off_at``: when a picture replaced the slate again (the retake's feed, or the
    next segment)."""
    found: list[dict[str, Any]] = []
    reported: set[int] = set()  # indices of the kills a loss was matched to

    def first(what: str, segment: str | None, after: int) -> tuple[int, Happened] | tuple[None, None]:
        for index in range(after + 1, len(happened)):
            event = happened[index]
            if event.what == what and (segment is None or event.segment == segment):
                return index, event
        return None, None

    for index, event in enumerate(happened):
        if event.what != "lost":
            continue
        kill_index = next((i for i in range(index - 1, -1, -1) if happened[i].what == "killed"
                           and happened[i].segment == event.segment and i not in reported), None)
        killed = happened[kill_index] if kill_index is not None else None
        if kill_index is not None:
            reported.add(kill_index)
        _, slate = first("slate_on", None, index)
        _, returned = first("returned", event.segment, kill_index if kill_index is not None else index)
        _, retaken = first("retaken", event.segment, index)
        _, back = first("slate_off", None, index)
        ms = lambda later, earlier: None if later is None or earlier is None else round(  # noqa: E731
            (later.perf - earlier.perf) * 1000, 1)
        found.append({
            "segment": event.segment, "killed_at": killed.at.isoformat() if killed else None,
            "lost_at": event.at.isoformat(), "detected_ms": ms(event, killed),
            "slate_ms": ms(slate, killed) if killed else ms(slate, event),
            "slate_at": slate.at.isoformat() if slate else None,
            "returned_at": returned.at.isoformat() if returned else None,
            "retaken_at": retaken.at.isoformat() if retaken else None, "retake_ms": ms(retaken, returned),
            "slate_off_at": back.at.isoformat() if back else None,
        })
    for index, event in enumerate(happened):
        if event.what == "killed" and index not in reported:
            found.append({"segment": event.segment, "killed_at": event.at.isoformat(), "lost_at": None,
                          "not_reported": "the watchdog never reported it lost (its segment ended first?)"})
    return found


def slate_spans(happened: Sequence[Happened], end: datetime) -> list[tuple[datetime, datetime]]:
    """When the slate covered a taken segment (simulated): from each slate_on to the next slate_off, or ``end``."""
    spans, since = [], None
    for event in happened:
        if event.what == "slate_on" and since is None:
            since = event.at
        elif event.what == "slate_off" and since is not None:
            spans.append((since, event.at))
            since = None
    if since is not None:
        spans.append((since, end))
    return spans


def dying_spans(losses: Sequence[dict[str, Any]]) -> list[tuple[datetime, datetime]]:
    """From each feed's death to the slate (simulated), of the losses ``outages`` found."""
    return [(datetime.fromisoformat(loss["killed_at"]), datetime.fromisoformat(loss["slate_at"]))
            for loss in losses if loss.get("killed_at") and loss.get("slate_at")]
