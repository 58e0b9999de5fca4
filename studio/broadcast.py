"""Going live on YouTube: the one place that combines the YouTube adapter with OBS's stream output.

The order is the safe one: the broadcast exists and is bound before OBS gets the
ingest; OBS streams before YouTube is asked for anything; ``testing`` only once
YouTube says it receives the stream (``streamStatus`` active); ``live`` only on
the producer's confirmed command; at the end ``complete`` first, then OBS stops,
so viewers never see the stream die before the broadcast ends. The broadcast id
is written to the store the moment YouTube returns it, so a restart or a retried
command reuses it: never two broadcasts for one show. Every step lands in the
show's event log. Everything here blocks: run it in a worker thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Protocol, Sequence

from studio.i18n import Msg
from studio.rundown.model import Rundown
from studio.store.show import AsRunRow, ShowStore
from studio.store.youtube import BroadcastRecord, YouTubeStore
from studio.youtube.chapters import ChaptersError, chapters_from_asrun, clean, description_with_chapters
from studio.youtube.errors import YouTubeError
from studio.youtube.live import Broadcast, Stream, YouTube

TITLE_LIMIT = 100  # YouTube's limit for a broadcast title
RECEIVE_TIMEOUT = 90.0  # YouTube takes 5-30 s to see a new RTMP stream as active
TITLE_LIMITS = (100, 60, 40, 30, 20)  # chapter title lengths tried, longest first


class StreamOutput(Protocol):
    """OBS's stream output, as studio.obs.ObsAdapter offers it."""

    def set_stream_service(self, server: str, key: str) -> None: ...
    def stream_service(self) -> tuple[str, str]: ...
    def streaming(self) -> bool: ...
    def start_stream(self) -> None: ...
    def stop_stream(self) -> None: ...


@dataclass(frozen=True, slots=True)
class LiveStatus:
    broadcast: Broadcast | None
    stream: Stream | None


def unprepared(store: ShowStore, show_id: str, *, streaming: bool) -> list[YouTubeError]:
    """What the show's broadcast lacks, read from the store (no call to YouTube), each saying what to do:
    none scheduled; for ``streaming`` (going live) also no stream bound, so no stream key for OBS."""
    record = YouTubeStore(store.db).broadcast(show_id)
    if record is None:
        return [YouTubeError("no_broadcast", Msg("youtube.ready.no_broadcast", show=show_id))]
    if streaming and record.stream_id is None:
        return [YouTubeError("stream_not_found", Msg("youtube.ready.no_stream", broadcast=record.broadcast_id))]
    return []


def _sanitised(text: str) -> str:
    return clean(text)


def broadcast_title(rundown: Rundown, language: str) -> str:
    """Both on-air languages when they fit in YouTube's 100 characters, else the show's language."""
    title = rundown.show.title
    both = _sanitised(f"{title.kk} / {title.ru}") if title.kk != title.ru else _sanitised(title.kk)
    return both if len(both) <= TITLE_LIMIT else _sanitised(title.text(language))[:TITLE_LIMIT]


def broadcast_description(rundown: Rundown) -> str:
    """The show in both languages and its fixed times (the commission's briefings), from the rundown.

    Times are written 10.00, not 10:00: YouTube reads any H:MM in a description as a timestamp,
    and clock times would become bogus chapter links.
    """
    show = rundown.show
    lines = [show.title.kk, show.title.ru, "", f"{show.date.isoformat()}, {show.start:%H.%M} ({show.zone.key})", ""]
    for segment in rundown.segments:
        if segment.fixed is not None:
            lines.append(f"{segment.fixed:%H.%M} {segment.title.kk} / {segment.title.ru}")
    return _sanitised_lines(lines)


def _sanitised_lines(lines: Sequence[str]) -> str:
    return "\n".join(_sanitised(line) for line in lines).strip()[:5000]


class Broadcaster:
    def __init__(
        self,
        youtube: YouTube,
        store: ShowStore,
        rundown: Rundown,
        *,
        output: StreamOutput | None,
        privacy: str,
        language: str,
        operator: str,
        origin: str,
        clock: Callable[[], datetime],
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.youtube, self.store, self.rundown, self.output = youtube, store, rundown, output
        self.records = YouTubeStore(store.db)
        self.privacy, self.language, self.operator, self.origin = privacy, language, operator, origin
        self._clock, self._sleep, self._monotonic = clock, sleep, monotonic

    @property
    def show_id(self) -> str:
        return self.rundown.show.id

    def _log(self, action: str, **detail: object) -> None:
        with self.store.write():
            self.store.log(self.show_id, self._clock(), action, self.operator, self.origin, **detail)

    # --- verbs -----------------------------------------------------------------

    def schedule(self, *, new: bool = False) -> Broadcast:
        """The show's broadcast, bound to a stream: reused when it exists, created once otherwise."""
        record = self.records.broadcast(self.show_id)
        if record is not None and not new:
            broadcast = self.youtube.broadcast(record.broadcast_id)
            if broadcast is None:
                raise YouTubeError(
                    "broadcast_not_found", Msg("youtube.advice.broadcast_id_gone", broadcast=record.broadcast_id)
                )
            if broadcast.life_cycle in ("complete", "revoked"):
                raise YouTubeError(
                    "broadcast_ended",
                    Msg("youtube.advice.broadcast_ended", broadcast=broadcast.id, state=broadcast.life_cycle),
                )
        else:
            title, start = broadcast_title(self.rundown, self.language), self.rundown.show.starts_at
            # A crash between YouTube creating the broadcast and the store remembering it must not
            # make a second one: look for it on the channel first (1 unit) unless a new one is asked for.
            found = None if new else self.youtube.find_upcoming(title, start)
            broadcast = found or self.youtube.create_broadcast(
                title, broadcast_description(self.rundown), start, self.privacy
            )
            self._remember(broadcast, adopted=found is not None)
        return self._bound(broadcast, record)

    def schedule_apart(self, title: str, description: str, start: datetime) -> Broadcast:
        """A new broadcast that is not the show's (a rehearsal's), bound to a stream of its own.

        Never looks for an upcoming broadcast to adopt, so the show's own is never taken over;
        the store's record (show id → broadcast) is this one's from now on: use a store of its own.
        """
        broadcast = self.youtube.create_broadcast(_sanitised(title)[:TITLE_LIMIT], description, start, self.privacy)
        self._remember(broadcast, adopted=False)
        return self._bound(broadcast, None)

    def _remember(self, broadcast: Broadcast, *, adopted: bool) -> None:
        self.records.remember_broadcast(self.show_id, broadcast.id, self._clock(), self.operator)
        self._log("youtube_scheduled", broadcast_id=broadcast.id, privacy=broadcast.privacy, adopted=adopted)

    def _bound(self, broadcast: Broadcast, record: BroadcastRecord | None) -> Broadcast:
        """``broadcast`` bound to a stream (a new one when it has none), the stream remembered in the store."""
        if broadcast.stream_id is None:
            stream = self.youtube.create_stream(f"{self.show_id} studio")
            self.records.remember_stream(self.show_id, stream.id)
            broadcast = self.youtube.bind(broadcast.id, stream.id)
            self._log("youtube_bound", broadcast_id=broadcast.id, stream_id=stream.id)
        elif record is None or record.stream_id != broadcast.stream_id:
            self.records.remember_stream(self.show_id, broadcast.stream_id)
        return broadcast

    def status(self) -> LiveStatus:
        record = self.records.broadcast(self.show_id)
        if record is None:
            return LiveStatus(None, None)
        broadcast = self.youtube.broadcast(record.broadcast_id)
        stream_id = (broadcast.stream_id if broadcast else None) or record.stream_id
        return LiveStatus(broadcast, self.youtube.stream(stream_id) if stream_id else None)

    def preview(self, progress: Callable[[str], None] = lambda step: None) -> Broadcast:
        """OBS streams to the broadcast's ingest and YouTube receives it: the broadcast goes to testing.

        Viewers see nothing yet; the monitor stream in YouTube Studio shows what YouTube gets.
        """
        broadcast = self.schedule()
        if broadcast.life_cycle in ("testing", "liveStarting", "live"):
            return broadcast
        stream = self._stream(broadcast)
        progress("obs")
        self._start_output(stream)
        progress("receiving")
        self._wait_receiving(stream.id)
        progress("testing")
        broadcast = self.youtube.transition(broadcast.id, "testing")
        self._log("youtube_testing", broadcast_id=broadcast.id)
        return broadcast

    def go_live(self, progress: Callable[[str], None] = lambda step: None) -> Broadcast:
        """Viewers see the stream: call only on the producer's confirmed command."""
        broadcast = self.preview(progress)
        if broadcast.life_cycle == "live":
            return broadcast
        progress("live")
        broadcast = self.youtube.transition(broadcast.id, "live")
        self._log("youtube_live", broadcast_id=broadcast.id, actual_start=str(broadcast.actual_start))
        return broadcast

    def end(self) -> Broadcast:
        """Complete the broadcast, then stop OBS streaming (in that order: viewers see an ending, not a dead stream)."""
        record = self.records.broadcast(self.show_id)
        if record is None:
            raise YouTubeError("no_broadcast", Msg("youtube.advice.nothing_to_end"))
        broadcast = self.youtube.broadcast(record.broadcast_id)
        if broadcast is None:
            raise YouTubeError(
                "broadcast_not_found", Msg("youtube.advice.broadcast_id_gone_end", broadcast=record.broadcast_id)
            )
        if broadcast.life_cycle in ("testing", "live", "testStarting", "liveStarting"):
            broadcast = self.youtube.transition(broadcast.id, "complete")
            self._log("youtube_complete", broadcast_id=broadcast.id, actual_end=str(broadcast.actual_end))
        if self.output is not None and self.output.streaming():
            self.output.stop_stream()
        return broadcast

    def chapters(self, *, dry_run: bool) -> str:
        """The video description with chapters from the as-run log; written to YouTube unless ``dry_run``."""
        record = self.records.broadcast(self.show_id)
        broadcast = self.youtube.broadcast(record.broadcast_id) if record else None
        if broadcast is None or broadcast.actual_start is None:
            raise YouTubeError("not_started", Msg("youtube.advice.not_started"))
        state = self.store.state(self.show_id)
        rows: tuple[AsRunRow, ...] = state.played + ((state.on_air,) if state.on_air else ())
        description, snippet = self.youtube.description(broadcast.id)
        text, chapters = self._chapters_text(rows, broadcast, description)
        if not dry_run:
            self.youtube.set_description(broadcast.id, snippet, text)
            self._log("youtube_chapters", broadcast_id=broadcast.id, chapters=len(chapters))
        return text

    # --- steps -----------------------------------------------------------------

    def _chapters_text(self, rows: Sequence[AsRunRow], broadcast: Broadcast, description: str) -> tuple[str, list]:
        """A whole day's chapters overflow YouTube's 5,000-byte description in full titles (82 segments in
        Kazakh: ~5.9 KB), so titles are shortened step by step until the description fits."""
        refusals: list[ChaptersError] = []
        for limit in TITLE_LIMITS:
            try:
                chapters = chapters_from_asrun(
                    rows, broadcast.actual_start, broadcast.actual_end or self._clock(), self.language, title_limit=limit
                )
                heading = Msg("youtube.chapters.heading").render(self.language)
                return description_with_chapters(description, chapters, heading), chapters
            except ChaptersError as refused:
                refusals.append(refused)
        # the reason at the shortest titles
        raise YouTubeError("chapters", Msg("youtube.advice.doing", doing=Msg("youtube.doing.chapters"),
                                           advice=refusals[-1].message))

    def _stream(self, broadcast: Broadcast) -> Stream:
        stream = self.youtube.stream(broadcast.stream_id) if broadcast.stream_id else None
        if stream is None or stream.ingest is None:
            raise YouTubeError("stream_not_found", Msg("youtube.advice.stream_gone"))
        return stream

    def _start_output(self, stream: Stream) -> None:
        if self.output is None:
            raise YouTubeError("no_obs", Msg("youtube.advice.no_obs"))
        assert stream.ingest is not None
        if self.output.streaming():
            if self.output.stream_service() == (stream.ingest.server, stream.ingest.key):
                return
            raise YouTubeError("obs_busy", Msg("youtube.advice.obs_busy"))
        self.output.set_stream_service(stream.ingest.server, stream.ingest.key)
        self.output.start_stream()
        self._log("obs_stream_started", stream_id=stream.id)

    def _wait_receiving(self, stream_id: str, timeout: float = RECEIVE_TIMEOUT) -> Stream:
        deadline = self._monotonic() + timeout
        delay = 1.0
        while True:
            stream = self.youtube.stream(stream_id)
            if stream is not None and stream.receiving:
                return stream
            if self._monotonic() > deadline:
                status = stream.status if stream else Msg("youtube.advice.stream_missing")
                raise YouTubeError(
                    "stream_inactive", Msg("youtube.advice.not_receiving", seconds=f"{timeout:.0f}", status=status)
                )
            self._sleep(delay)
            delay = min(delay * 1.5, 5.0)
