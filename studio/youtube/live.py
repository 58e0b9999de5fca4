"""The YouTube adapter's verbs: schedule, bind, ingest, transition, health, description.

The few things the show needs from the Live Streaming API, with its resource
shapes kept inside. States come back as small frozen dataclasses.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Callable

from studio.i18n import Msg
from studio.youtube.errors import YouTubeError

if TYPE_CHECKING:  # the verbs take any client with call(); google's library stays out of their import
    from studio.youtube.api import YouTubeApi

BROADCAST_PARTS = "id,snippet,status,contentDetails"
STREAM_PARTS = "id,snippet,cdn,status"
PRIVACY = ("public", "unlisted", "private")
SETTLED = {"testing": "testStarting", "live": "liveStarting"}
"""A transition answers at once with the *Starting state; the target state comes a little later."""


@dataclass(frozen=True, slots=True)
class Broadcast:
    id: str
    title: str
    life_cycle: str  # created, ready, testStarting, testing, liveStarting, live, complete, revoked
    privacy: str
    stream_id: str | None
    scheduled_start: datetime | None
    actual_start: datetime | None
    actual_end: datetime | None
    monitor: bool

    @property
    def watch_url(self) -> str:
        return f"https://www.youtube.com/watch?v={self.id}"

    @classmethod
    def from_api(cls, item: dict[str, Any]) -> Broadcast:
        snippet, status, details = item.get("snippet", {}), item.get("status", {}), item.get("contentDetails", {})
        return cls(
            id=item["id"],
            title=snippet.get("title", ""),
            life_cycle=status.get("lifeCycleStatus", "created"),
            privacy=status.get("privacyStatus", ""),
            stream_id=details.get("boundStreamId"),
            scheduled_start=_time(snippet.get("scheduledStartTime")),
            actual_start=_time(snippet.get("actualStartTime")),
            actual_end=_time(snippet.get("actualEndTime")),
            monitor=bool(details.get("monitorStream", {}).get("enableMonitorStream", False)),
        )


@dataclass(frozen=True, slots=True)
class Ingest:
    """Where OBS sends the stream. The key is a secret: it never appears in a repr, log or screen."""

    server: str
    key: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class Stream:
    id: str
    status: str  # created, ready, active, inactive, error
    health: str  # good, ok, bad, noData, revoked
    issues: tuple[str, ...]  # configuration issues YouTube reports, worded by YouTube
    ingest: Ingest | None

    @property
    def receiving(self) -> bool:
        return self.status == "active"

    @classmethod
    def from_api(cls, item: dict[str, Any]) -> Stream:
        cdn, status = item.get("cdn", {}), item.get("status", {})
        info = cdn.get("ingestionInfo") or {}
        health = status.get("healthStatus") or {}
        return cls(
            id=item["id"],
            status=status.get("streamStatus", ""),
            health=health.get("status", "noData"),
            issues=tuple(
                str(issue.get("description") or issue.get("reason") or issue.get("type", ""))
                for issue in health.get("configurationIssues", [])
            ),
            ingest=Ingest(info["ingestionAddress"], info["streamName"]) if info.get("ingestionAddress") else None,
        )


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _rfc3339(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


class YouTube:
    """Blocking verbs over one YouTubeApi (run them in a worker thread)."""

    def __init__(
        self, api: YouTubeApi, *, sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._api, self._sleep, self._clock = api, sleep, clock

    def broadcast(self, broadcast_id: str) -> Broadcast | None:
        items = self._api.call(
            "liveBroadcasts.list", Msg("youtube.doing.read_broadcast"), part=BROADCAST_PARTS, id=broadcast_id
        ).get("items", [])
        return Broadcast.from_api(items[0]) if items else None

    def find_upcoming(self, title: str, start: datetime) -> Broadcast | None:
        """A not-yet-live broadcast of the channel with this title and scheduled start (one page of 50: 1 unit)."""
        for broadcast in map(Broadcast.from_api, self._upcoming(Msg("youtube.doing.find_broadcast"))):
            if broadcast.title == title and broadcast.scheduled_start == start:
                return broadcast
        return None

    def create_broadcast(self, title: str, description: str, start: datetime, privacy: str) -> Broadcast:
        """A new broadcast, never two: an insert whose answer is lost may have made it all the same, so the
        channel's upcoming broadcasts with this title are listed first (1 unit), and after a lost answer one
        that was not there before is the one made (studio/youtube/api.py ``made``)."""
        doing = Msg("youtube.doing.schedule")
        there_before = {item["id"] for item in self._upcoming(doing, title)}
        body = {
            "snippet": {"title": title, "description": description, "scheduledStartTime": _rfc3339(start)},
            "status": {"privacyStatus": privacy, "selfDeclaredMadeForKids": False},
            # Monitor stream on: the testing state shows the stream to us before viewers see it.
            # Auto-start/stop off: YouTube goes live and ends only on the producer's command.
            "contentDetails": {
                "monitorStream": {"enableMonitorStream": True, "broadcastStreamDelayMs": 0},
                "enableAutoStart": False,
                "enableAutoStop": False,
            },
        }

        def made() -> dict[str, Any] | None:
            return next((item for item in self._upcoming(doing, title) if item["id"] not in there_before), None)

        item = self._api.call("liveBroadcasts.insert", doing, made=made, part=BROADCAST_PARTS, body=body)
        return Broadcast.from_api(item)

    def _upcoming(self, doing: Msg, title: str | None = None) -> list[dict[str, Any]]:
        """The channel's not-yet-live broadcasts (one page of 50: 1 unit), those titled ``title`` when given."""
        items = self._api.call(
            "liveBroadcasts.list", doing, part=BROADCAST_PARTS, broadcastStatus="upcoming", maxResults=50,
        ).get("items", [])
        return [item for item in items if title is None or item.get("snippet", {}).get("title") == title]

    def stream(self, stream_id: str) -> Stream | None:
        doing = Msg("youtube.doing.read_stream")
        items = self._api.call("liveStreams.list", doing, part=STREAM_PARTS, id=stream_id).get("items", [])
        return Stream.from_api(items[0]) if items else None

    def create_stream(self, title: str) -> Stream:
        body = {
            "snippet": {"title": title},
            "cdn": {"ingestionType": "rtmp", "resolution": "variable", "frameRate": "variable"},
            "contentDetails": {"isReusable": True},
        }
        doing = Msg("youtube.doing.create_stream")
        return Stream.from_api(self._api.call("liveStreams.insert", doing, part=STREAM_PARTS, body=body))

    def bind(self, broadcast_id: str, stream_id: str) -> Broadcast:
        item = self._api.call(
            "liveBroadcasts.bind", Msg("youtube.doing.bind"), part=BROADCAST_PARTS, id=broadcast_id,
            streamId=stream_id,
        )
        return Broadcast.from_api(item)

    def transition(self, broadcast_id: str, status: str, *, settle_timeout: float = 60.0) -> Broadcast:
        """Move the broadcast to ``status`` and wait until it is there (not just *Starting)."""
        doing = Msg("youtube.doing.transition", status=status)
        try:
            broadcast = Broadcast.from_api(
                self._api.call(
                    "liveBroadcasts.transition", doing, part=BROADCAST_PARTS, id=broadcast_id, broadcastStatus=status
                )
            )
        except YouTubeError as e:
            if e.code != "redundant_transition":
                raise
            broadcast = self._must(broadcast_id)  # a retried command: already there is success
        deadline = self._clock() + settle_timeout
        delay = 0.25
        while broadcast.life_cycle == SETTLED.get(status):
            if self._clock() > deadline:
                advice = Msg("youtube.advice.settle", state=broadcast.life_cycle, seconds=f"{settle_timeout:.0f}")
                raise YouTubeError("timeout", Msg("youtube.advice.doing", doing=doing, advice=advice))
            self._sleep(delay)
            delay = min(delay * 2, 4.0)
            broadcast = self._must(broadcast_id)
        return broadcast

    def description(self, video_id: str) -> tuple[str, dict[str, Any]]:
        """The video's description and its whole snippet (videos.update must send the snippet back)."""
        doing = Msg("youtube.doing.read_video")
        items = self._api.call("videos.list", doing, part="snippet", id=video_id).get("items", [])
        if not items:
            advice = Msg("youtube.advice.no_video", video=video_id)
            raise YouTubeError("video_not_found", Msg("youtube.advice.doing", doing=doing, advice=advice))
        snippet = items[0]["snippet"]
        return snippet.get("description", ""), snippet

    def set_description(self, video_id: str, snippet: dict[str, Any], description: str) -> None:
        # videos.update replaces the whole snippet: title and categoryId are required, the rest is kept as read.
        keep = {k: snippet[k] for k in ("title", "categoryId", "tags", "defaultLanguage") if k in snippet}
        self._api.call(
            "videos.update", Msg("youtube.doing.write_chapters"), part="snippet",
            body={"id": video_id, "snippet": {**keep, "description": description}},
        )

    def _must(self, broadcast_id: str) -> Broadcast:
        broadcast = self.broadcast(broadcast_id)
        if broadcast is None:
            raise YouTubeError("broadcast_not_found", Msg("youtube.advice.broadcast_gone"))
        return broadcast
