"""The console's YouTube watch, step by step on a clock the test moves: no thread, no network.

What it reads when (quota), what it joins (OBS sending, YouTube receiving),
when it alerts, how failures show, and that no stream key leaves it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from studio.obs.errors import ObsError
from studio.obs.switcher import ObsHealth
from studio.store import open_store
from studio.store.health import Publisher, read
from studio.youtube.errors import YouTubeError
from studio.youtube.watch import AFTER_AIR, BEFORE_AIR, NOT_YET, OBS_EVERY, SOURCE, VOLATILE, YouTubeWatch
from tests.clock import Clock
from tests.tui.conftest import START
from tests.tui.test_obs_panel import CONNECTED
from tests.tui.youtube_fakes import KEY, LIVE, RECEIVING, SCHEDULED, FakeBroadcaster, fake_watch

NOT_STREAMING = replace(CONNECTED, streaming=False)


class Obs:
    """The switcher's health() as the test sets it."""

    def __init__(self, health: ObsHealth | None = CONNECTED) -> None:
        self.health = health

    def __call__(self) -> ObsHealth | None:
        return self.health


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


def watching(tmp_path: Path, clock: Clock, broadcaster: FakeBroadcaster, obs: Obs | None = None, **options: Any):
    watch = fake_watch(tmp_path, broadcaster, clock=clock, obs=obs or Obs(), **options)
    reports: list[tuple[Any, str | None]] = []
    watch.report = lambda view, alert: reports.append((view, alert))
    return watch, reports


def signed_in(watch: YouTubeWatch) -> None:
    assert watch.poll() == 0.0  # signed in: look at once


def test_without_a_token_it_says_so_and_tries_again_later_without_connecting(tmp_path, clock) -> None:
    broadcaster = FakeBroadcaster()
    watch, reports = watching(tmp_path, clock, broadcaster, signed_in=False)
    assert watch.poll() == NOT_YET.total_seconds()
    view = reports[-1][0]
    assert not view.signed_in and not view.connected and broadcaster.calls == []
    watch.token_file.write_text("{}", "utf-8")  # `studio youtube auth` in another terminal
    assert watch.poll() == 0.0 and watch.signed_in and reports[-1][0].connected


def test_a_refused_sign_in_shows_the_error_and_is_tried_again(tmp_path, clock) -> None:
    attempts: list[int] = []

    def connect():
        attempts.append(1)
        raise YouTubeError("auth", "the YouTube token file is unreadable; run `studio youtube auth`")

    watch = YouTubeWatch(tmp_path, connect, allowance=10_000, obs=Obs(), clock=clock)  # tmp_path exists: "signed in"
    reports: list[Any] = []
    watch.report = lambda view, alert: reports.append(view)
    assert watch.poll() == NOT_YET.total_seconds()
    assert reports[-1].problem.code == "auth" and not reports[-1].connected
    with pytest.raises(YouTubeError, match="unreadable"):
        watch.act(lambda broadcaster: broadcaster.schedule())
    assert len(attempts) == 2  # the action tried to sign in again before refusing


def test_without_a_broadcast_it_looks_once_a_minute_and_that_costs_nothing(tmp_path, clock) -> None:
    broadcaster = FakeBroadcaster()
    watch, reports = watching(tmp_path, clock, broadcaster, Obs(NOT_STREAMING))
    signed_in(watch)
    assert watch.poll() == OBS_EVERY
    assert broadcaster.calls == ["status"] and broadcaster.units == 0
    view = reports[-1][0]
    assert view.broadcast is None and view.next_look == clock.now + NOT_YET and view.verdict == ("off", "")
    clock.advance(seconds=59)
    watch.poll()
    assert broadcaster.calls == ["status"]  # OBS judged again, YouTube not read
    clock.advance(seconds=1)
    watch.poll()
    assert broadcaster.calls == ["status", "status"]


def test_on_air_it_reads_youtube_at_the_interval_the_quota_allows_and_joins_obs(tmp_path, clock) -> None:
    broadcaster = FakeBroadcaster(LIVE, RECEIVING)
    watch, reports = watching(tmp_path, clock, broadcaster)
    signed_in(watch)
    watch.poll()
    view = reports[-1][0]
    assert view.verdict == ("good", "") and view.spent == 2
    assert view.next_look == clock.now + timedelta(seconds=30)  # quota.MIN_POLL: the day is young
    for _ in range(29):
        clock.advance(seconds=1)
        watch.poll()
    assert broadcaster.calls == ["status"]
    clock.advance(seconds=1)
    watch.poll()
    assert broadcaster.calls == ["status", "status"] and reports[-1][0].spent == 4
    assert reports[-1][0].verdicts == ("good", "good")  # one sample a YouTube read while nothing changes


def test_obs_dropping_the_stream_alerts_at_once_and_only_once(tmp_path, clock) -> None:
    obs = Obs()
    broadcaster = FakeBroadcaster(LIVE, RECEIVING)
    watch, reports = watching(tmp_path, clock, broadcaster, obs)
    signed_in(watch)
    watch.poll()
    obs.health = NOT_STREAMING
    clock.advance(seconds=1)
    watch.poll()
    assert reports[-1][1] == "obs_not_streaming" and broadcaster.calls == ["status"]  # no YouTube read needed
    for _ in range(40):
        clock.advance(seconds=1)
        watch.poll()
    assert [alert for _, alert in reports if alert] == ["obs_not_streaming"]
    assert reports[-1][0].verdicts == ("good", "bad", "bad")  # the turn, then the next YouTube read
    obs.health = None  # the switcher is gone: bad already, no second alert
    watch.poll()
    assert [alert for _, alert in reports if alert] == ["obs_not_streaming"]


def test_youtube_rating_the_stream_bad_alerts(tmp_path, clock) -> None:
    broadcaster = FakeBroadcaster(LIVE, RECEIVING)
    watch, reports = watching(tmp_path, clock, broadcaster)
    signed_in(watch)
    watch.poll()
    broadcaster.stream = replace(RECEIVING, health="bad", issues=("Video bitrate is lower than recommended",))
    clock.advance(seconds=30)
    watch.poll()
    view, alert = reports[-1]
    assert alert == "youtube_bad" and view.sample.issues == ("Video bitrate is lower than recommended",)


def test_a_youtube_error_is_shown_and_the_watch_goes_on(tmp_path, clock) -> None:
    broadcaster = FakeBroadcaster(LIVE, RECEIVING)
    watch, reports = watching(tmp_path, clock, broadcaster)
    signed_in(watch)
    broadcaster.fail = YouTubeError("network", "reading the stream: cannot reach YouTube (ServerNotFoundError)")
    assert watch.poll() == OBS_EVERY
    problem = reports[-1][0].problem
    assert (problem.code, problem.detail) == ("network", str(broadcaster.fail))
    broadcaster.fail = None
    clock.advance(seconds=30)
    watch.poll()
    assert reports[-1][0].problem is None and reports[-1][0].broadcast == LIVE


@pytest.mark.parametrize(
    ("broadcast", "wait"),
    [(SCHEDULED, BEFORE_AIR), (replace(LIVE, life_cycle="complete"), AFTER_AIR)],
    ids=["scheduled", "ended"],
)
def test_before_and_after_air_it_looks_rarely(tmp_path, clock, broadcast, wait) -> None:
    watch, reports = watching(tmp_path, clock, FakeBroadcaster(broadcast, RECEIVING))
    signed_in(watch)
    watch.poll()
    assert reports[-1][0].next_look == clock.now + wait


def test_down_to_the_reserve_it_stops_reading_youtube(tmp_path, clock) -> None:
    broadcaster = FakeBroadcaster(LIVE, RECEIVING)
    watch, reports = watching(tmp_path, clock, broadcaster, spent=9_000)  # quota.RESERVE is the last 1,000
    signed_in(watch)
    watch.poll()
    view = reports[-1][0]
    assert broadcaster.calls == [] and not view.polling and view.spent == 9_000
    assert view.next_look == clock.now + AFTER_AIR


def test_an_action_runs_alone_reports_progress_and_shows_its_result(tmp_path, clock) -> None:
    broadcaster = FakeBroadcaster(SCHEDULED, RECEIVING)
    watch, reports = watching(tmp_path, clock, broadcaster)
    signed_in(watch)
    steps: list[str] = []
    looks: list[float] = []
    broadcaster.during = lambda: looks.append(watch.poll())  # the watch's thread, while go_live has the broadcaster
    broadcast = watch.act(lambda b: b.go_live(steps.append))
    assert steps == ["obs", "receiving", "testing", "live"] and broadcast.life_cycle == "live"
    assert looks == [OBS_EVERY] * 4 and broadcaster.calls == ["go_live", "status"]  # then read, to show the result
    assert reports[-1][0].broadcast.life_cycle == "live"


def test_a_refused_action_is_shown_and_raised_and_obs_refusals_become_youtube_errors(tmp_path, clock) -> None:
    broadcaster = FakeBroadcaster(SCHEDULED, RECEIVING)
    watch, reports = watching(tmp_path, clock, broadcaster)
    broadcaster.fail = YouTubeError("stream_inactive", "YouTube has not received the stream after 90 s")
    with pytest.raises(YouTubeError) as refused:
        watch.act(lambda b: b.go_live())
    assert refused.value is broadcaster.fail and reports[-1][0].problem.code == "stream_inactive"
    broadcaster.fail = ObsError("disconnected", "not connected to OBS")
    with pytest.raises(YouTubeError) as refused:
        watch.act(lambda b: b.end())
    assert refused.value.code == "obs" and "not connected to OBS" in str(refused.value)


def test_run_signs_in_and_looks_once_without_a_stop_event_and_stops_when_told(tmp_path, clock) -> None:
    broadcaster = FakeBroadcaster(LIVE, RECEIVING)
    watch, reports = watching(tmp_path, clock, broadcaster)
    watch.run(None)
    assert broadcaster.calls == ["status"] and reports[-1][0].connected
    stop = threading.Event()
    stop.set()
    watch.run(stop)
    assert len(broadcaster.calls) == 1  # the next look waits for its time; the stop came first


def test_the_snapshot_published_for_other_processes_has_no_stream_key(tmp_path, clock) -> None:
    store = open_store(tmp_path / "studio.db")
    try:
        publisher = Publisher(store.db, SOURCE, volatile=VOLATILE)
        watch, reports = watching(tmp_path, clock, FakeBroadcaster(LIVE, RECEIVING), publisher=publisher)
        signed_in(watch)
        watch.poll()
        detail = read(store.db)[SOURCE].detail
        assert detail["watch_url"] == "https://www.youtube.com/watch?v=Xy12abCD34e"
        assert (detail["life_cycle"], detail["verdict"], detail["quota_spent"]) == ("live", "good", 2)
        assert KEY not in json.dumps(detail) and KEY not in repr(reports)
    finally:
        store.close()
