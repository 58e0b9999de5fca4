"""The go-live controller's order and memory, over an in-process YouTube (no network).

The same verbs run against the real client and a loopback server in
test_youtube_api.py and, with real OBS and RTMP, in test_youtube_chain.py.
"""

from __future__ import annotations

import re

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from studio.broadcast import Broadcaster, broadcast_description, broadcast_title
from studio.show import Controller
from studio.store import open_store
from studio.youtube.errors import YouTubeError
from studio.youtube.live import Broadcast, Ingest, Stream

SERVER, KEY = "rtmp://ingest.test/live2", "abcd-efgh-ijkl"


class InProcessYouTube:
    """YouTube's verbs with its state rules, recording the order of calls in a shared list."""

    def __init__(self, calls: list[str], clock) -> None:
        self.calls, self.clock = calls, clock
        self.broadcasts: dict[str, Broadcast] = {}
        self.streams: dict[str, Stream] = {}
        self.receiving_after_polls = 2
        self.description_text = "Show."

    def broadcast(self, broadcast_id: str) -> Broadcast | None:
        return self.broadcasts.get(broadcast_id)

    def find_upcoming(self, title, start) -> Broadcast | None:
        return next(
            (b for b in self.broadcasts.values()
             if b.title == title and b.scheduled_start == start and b.life_cycle in ("created", "ready", "testing")),
            None,
        )

    def create_broadcast(self, title, description, start, privacy) -> Broadcast:
        self.calls.append("insert broadcast")
        b = Broadcast(f"b{len(self.broadcasts) + 1}", title, "created", privacy, None, start, None, None, True)
        self.broadcasts[b.id] = b
        return b

    def stream(self, stream_id: str) -> Stream | None:
        s = self.streams.get(stream_id)
        if s is not None and s.status != "active" and "obs start" in self.calls:
            self.receiving_after_polls -= 1
            if self.receiving_after_polls <= 0:
                s = self.streams[stream_id] = replace(s, status="active", health="good")
        return s

    def create_stream(self, title: str) -> Stream:
        self.calls.append("insert stream")
        s = Stream(f"s{len(self.streams) + 1}", "ready", "noData", (), Ingest(SERVER, KEY))
        self.streams[s.id] = s
        return s

    def bind(self, broadcast_id: str, stream_id: str) -> Broadcast:
        self.calls.append("bind")
        b = self.broadcasts[broadcast_id] = replace(self.broadcasts[broadcast_id], stream_id=stream_id, life_cycle="ready")
        return b

    def transition(self, broadcast_id: str, status: str) -> Broadcast:
        b = self.broadcasts[broadcast_id]
        if status == "testing" and self.streams[b.stream_id].status != "active":
            raise YouTubeError("stream_inactive", "not receiving")
        self.calls.append(f"transition {status}")
        changes = {"life_cycle": status}
        if status == "live":
            changes["actual_start"] = self.clock()
        if status == "complete":
            changes["actual_end"] = self.clock()
        b = self.broadcasts[broadcast_id] = replace(b, **changes)
        return b

    def description(self, video_id: str):
        return self.description_text, {"title": "t", "categoryId": "25", "description": self.description_text}

    def set_description(self, video_id, snippet, description) -> None:
        self.calls.append("videos.update")
        self.description_text = description


class FakeOutput:
    def __init__(self, calls: list[str]) -> None:
        self.calls, self.active, self.service = calls, False, ("", "")

    def set_stream_service(self, server: str, key: str) -> None:
        self.calls.append("obs service")
        self.service = (server, key)

    def stream_service(self) -> tuple[str, str]:
        return self.service

    def streaming(self) -> bool:
        return self.active

    def start_stream(self) -> None:
        self.calls.append("obs start")
        self.active = True

    def stop_stream(self) -> None:
        self.calls.append("obs stop")
        self.active = False


@pytest.fixture
def calls() -> list[str]:
    return []


@pytest.fixture
def youtube(calls, clock) -> InProcessYouTube:
    return InProcessYouTube(calls, clock)


@pytest.fixture
def output(calls) -> FakeOutput:
    return FakeOutput(calls)


def make(tmp_path: Path, rundown, youtube, output, clock) -> Broadcaster:
    return Broadcaster(
        youtube, open_store(tmp_path / "show.db"), rundown, output=output, privacy="unlisted", language="kk",
        operator="timur", origin="console", clock=clock, sleep=lambda s: clock.advance(seconds=s),
        monotonic=lambda: clock().timestamp(),
    )


def test_schedule_creates_once_and_a_restart_reuses_it(tmp_path, small_rundown, youtube, output, clock, calls):
    first = make(tmp_path, small_rundown, youtube, output, clock).schedule()
    assert calls == ["insert broadcast", "insert stream", "bind"]
    assert first.life_cycle == "ready" and first.stream_id == "s1"
    again = make(tmp_path, small_rundown, youtube, output, clock).schedule()  # a new process, same store
    assert again.id == first.id and calls == ["insert broadcast", "insert stream", "bind"]
    newer = make(tmp_path, small_rundown, youtube, output, clock).schedule(new=True)
    assert newer.id != first.id


def test_a_crash_before_the_store_remembered_the_broadcast_does_not_make_a_second(tmp_path, small_rundown, youtube, output, clock, calls):
    first = make(tmp_path / "a", small_rundown, youtube, output, clock).schedule()
    again = make(tmp_path / "b", small_rundown, youtube, output, clock).schedule()  # a store that never heard of it
    assert again.id == first.id and calls.count("insert broadcast") == 1
    assert make(tmp_path / "b", small_rundown, youtube, output, clock).schedule(new=True).id != first.id


def test_a_broadcast_deleted_on_youtube_is_reported_not_silently_replaced(tmp_path, small_rundown, youtube, output, clock):
    broadcaster = make(tmp_path, small_rundown, youtube, output, clock)
    broadcaster.schedule()
    youtube.broadcasts.clear()
    with pytest.raises(YouTubeError) as refused:
        broadcaster.schedule()
    assert refused.value.code == "broadcast_not_found" and "schedule --new" in str(refused.value)


def test_go_live_streams_first_waits_for_youtube_then_tests_then_goes_live(tmp_path, small_rundown, youtube, output, clock, calls):
    broadcaster = make(tmp_path, small_rundown, youtube, output, clock)
    steps: list[str] = []
    live = broadcaster.go_live(steps.append)
    assert calls == ["insert broadcast", "insert stream", "bind", "obs service", "obs start", "transition testing", "transition live"]
    assert steps == ["obs", "receiving", "testing", "live"]
    assert output.service == (SERVER, KEY) and live.life_cycle == "live" and live.actual_start is not None
    actions = [e.action for e in broadcaster.store.events(small_rundown.show.id)]
    assert actions == ["youtube_scheduled", "youtube_bound", "obs_stream_started", "youtube_testing", "youtube_live"]
    # A retried command changes nothing.
    assert broadcaster.go_live().id == live.id and calls.count("transition live") == 1


def test_go_live_gives_up_when_youtube_never_receives(tmp_path, small_rundown, youtube, output, clock, calls):
    youtube.receiving_after_polls = 10**6
    with pytest.raises(YouTubeError) as refused:
        make(tmp_path, small_rundown, youtube, output, clock).go_live()
    assert refused.value.code == "stream_inactive" and "OBS panel" in str(refused.value)
    assert not any(c.startswith("transition") for c in calls)


def test_obs_streaming_elsewhere_is_never_cut_off(tmp_path, small_rundown, youtube, output, clock, calls):
    output.active, output.service = True, ("rtmp://elsewhere/app", "other")
    with pytest.raises(YouTubeError) as refused:
        make(tmp_path, small_rundown, youtube, output, clock).go_live()
    assert refused.value.code == "obs_busy"
    assert "obs stop" not in calls and "obs service" not in calls


def test_end_completes_the_broadcast_before_obs_stops(tmp_path, small_rundown, youtube, output, clock, calls):
    broadcaster = make(tmp_path, small_rundown, youtube, output, clock)
    broadcaster.go_live()
    clock.advance(minutes=30)
    ended = broadcaster.end()
    assert calls[-2:] == ["transition complete", "obs stop"] and ended.life_cycle == "complete"


def test_chapters_come_from_the_as_run_and_need_a_start(tmp_path, small_rundown, youtube, output, clock, calls):
    broadcaster = make(tmp_path, small_rundown, youtube, output, clock)
    with pytest.raises(YouTubeError) as refused:
        broadcaster.chapters(dry_run=True)
    assert refused.value.code == "not_started"
    controller = Controller(broadcaster.store, small_rundown, operator="timur", clock=clock)
    broadcaster.go_live()
    for minutes in (0, 5, 7, 12):
        clock.advance(minutes=minutes)
        controller.take_next()
    clock.advance(minutes=3)
    text = broadcaster.chapters(dry_run=True)
    assert "0:00" in text and "videos.update" not in calls
    broadcaster.chapters(dry_run=False)
    assert youtube.description_text == text and calls[-1] == "videos.update"


def test_title_and_description_come_from_the_rundown(small_rundown):
    title = broadcast_title(small_rundown, "kk")
    assert small_rundown.show.title.kk in title and len(title) <= 100
    description = broadcast_description(small_rundown)
    assert small_rundown.show.title.ru in description and "<" not in description
    assert any(line.startswith("10.00") for line in description.splitlines())
    assert not re.search(r"\d:\d\d", description)  # YouTube would take a clock time for a chapter link


def test_a_whole_referendum_day_fits_the_description_by_shortening_titles(tmp_path, youtube, output, clock, calls):
    from studio.rundown.load import load_rundown

    day = load_rundown(Path(__file__).parents[2] / "studio" / "sample" / "referendum-day.toml")
    broadcaster = make(tmp_path, day, youtube, output, clock)
    broadcaster.go_live()
    controller = Controller(broadcaster.store, day, operator="timur", clock=clock)
    for segment in day.segments:
        controller.take_next()
        clock.advance(seconds=segment.duration.total_seconds())
    text = broadcaster.chapters(dry_run=False)
    lines = [line for line in text.splitlines() if re.match(r"\d+:\d\d", line)]
    assert len(lines) >= 80 and lines[0].startswith("0:00 ")
    assert len(text.encode("utf-8")) <= 5000
