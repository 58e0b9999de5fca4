"""The whole YouTube chain against real components: real headless OBS streams over RTMP to a
real nginx-rtmp ingest; the real googleapiclient talks to the loopback fake YouTube, which
reports the stream active only because nginx says OBS is publishing.

schedule → OBS gets the ingest and streams → YouTube receives → testing → live → health →
chapters from the as-run → complete → OBS stops → YouTube sees the stream go.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.broadcast import Broadcaster
from studio.obs import ObsAdapter
from studio.show import Controller
from studio.store import open_store
from studio.store.youtube import YouTubeStore
from studio.youtube.api import YouTubeApi
from studio.youtube.health import HealthHistory, Sample, judge
from studio.youtube.live import YouTube
from studio.youtube.quota import StoreLedger
from tests.clock import Clock
from tests.obs.obs_process import ObsProcess
from tests.obs.obs_show import wait_for
from tests.youtube.conftest import fake_youtube, rtmp_ingest, youtube_server  # noqa: F401 (fixtures)
from tests.youtube.test_youtube_api import write_token

pytestmark = [pytest.mark.obs, pytest.mark.xdist_group("obs")]


def test_schedule_stream_go_live_health_chapters_and_end(obs: ObsProcess, rtmp_ingest, fake_youtube, small_rundown, tmp_path):  # noqa: F811
    store = open_store(tmp_path / "studio.db")
    ledger = StoreLedger(YouTubeStore(store.db), lambda: datetime.now(UTC))
    token_file = write_token(fake_youtube, tmp_path / "token.json")
    youtube = YouTube(YouTubeApi(token_file.load(), ledger, endpoint=fake_youtube.url, token_file=token_file))
    output = ObsAdapter(obs.settings())
    output.connect()
    clock = Clock(datetime.now(UTC))
    broadcaster = Broadcaster(
        youtube, store, small_rundown, output=output, privacy="unlisted", language="kk", operator="timur",
        origin="console", clock=clock,
    )
    try:
        scheduled = broadcaster.schedule()
        assert scheduled.life_cycle == "ready"
        assert broadcaster.schedule().id == scheduled.id  # a retried command: still one broadcast
        assert len(fake_youtube.broadcasts) == 1

        steps: list[str] = []
        began = time.monotonic()
        live = broadcaster.go_live(steps.append)
        assert steps == ["obs", "receiving", "testing", "live"]
        assert live.life_cycle == "live" and live.actual_start is not None
        assert output.streaming() and output.stream_service()[0] == rtmp_ingest.url
        print(f"schedule→live with real OBS and RTMP: {time.monotonic() - began:.2f} s")

        status = broadcaster.status()
        assert status.stream is not None and status.stream.status == "active" and status.stream.health == "good"
        obs_status = output.status()
        sample = Sample(
            at=clock(), life_cycle=status.broadcast.life_cycle, stream_status=status.stream.status,
            youtube_health=status.stream.health, obs_streaming=obs_status.streaming,
            obs_reconnecting=obs_status.stream_reconnecting, obs_congestion=obs_status.stream_congestion,
        )
        assert judge(sample) == ("good", "")
        history = HealthHistory()
        assert history.add(sample) is None
        fake_youtube.set_health(status.stream.id, "bad", [{"type": "bitrateLow", "severity": "error", "reason": "low", "description": "The stream's bitrate is too low"}])
        bad = broadcaster.status().stream
        assert bad is not None and bad.health == "bad" and "bitrate" in bad.issues[0]
        assert history.add(replace(sample, youtube_health=bad.health, issues=bad.issues)) == "youtube_bad"

        # The show runs: the as-run is measured from YouTube's own actualStartTime.
        clock.now = live.actual_start
        controller = Controller(store, small_rundown, operator="timur", clock=clock)
        for minutes in (0, 10, 5, 5):
            clock.advance(minutes=minutes)
            controller.take_next()
        clock.advance(minutes=2)
        description = broadcaster.chapters(dry_run=False)
        written = fake_youtube.video(live.id)["snippet"]["description"]
        assert written == description and [line for line in written.splitlines() if line.startswith("0:00 ")]

        ended = broadcaster.end()
        assert ended.life_cycle == "complete" and ended.actual_end is not None
        assert wait_for(lambda: not output.streaming(), timeout=10)
        assert wait_for(lambda: youtube.stream(scheduled.stream_id).status != "active", timeout=10)
        actions = [e.action for e in store.events(small_rundown.show.id)]
        for expected in ("youtube_scheduled", "youtube_bound", "obs_stream_started", "youtube_testing", "youtube_live", "youtube_chapters", "youtube_complete"):
            assert expected in actions
        assert ledger.spent_today() == fake_youtube.units_spent
    finally:
        if output.connected and output.streaming():
            output.stop_stream()
        output.close()


def test_the_command_line_goes_live_and_ends(obs: ObsProcess, rtmp_ingest, fake_youtube, tmp_path, capsys, monkeypatch):  # noqa: F811
    from studio.cli import main

    token = write_token(fake_youtube, tmp_path / "token.json")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[obs]\nhost = "{obs.host}"\nport = {obs.port}\npassword_env = "{obs.password_env}"\n'
        f'[youtube]\ntoken_file = "{token.path}"\napi_endpoint = "{fake_youtube.url}"\ntoken_uri = "{fake_youtube.url}token"\n'
    )
    small = Path(__file__).parents[1] / "data" / "small.toml"
    options = ["--config", str(config), "--store", str(tmp_path / "studio.db"), "--lang", "en", "youtube"]
    adapter = ObsAdapter(obs.settings())  # a second client, to see what the command line did to OBS
    adapter.connect()
    try:
        monkeypatch.setattr("builtins.input", lambda prompt: "n")
        assert main([*options, "golive", str(small)]) == 2  # OBS is there and signed in: only the broadcast lacks
        assert "no broadcast is scheduled" in capsys.readouterr().err and not adapter.streaming()
        assert main([*options, "schedule", str(small)]) == 0
        assert main([*options, "golive", "--yes", str(small)]) == 0
        out = capsys.readouterr().out
        (broadcast,) = fake_youtube.broadcasts.values()
        assert f"LIVE: https://www.youtube.com/watch?v={broadcast['id']}" in out
        assert fake_youtube.broadcast(broadcast["id"])["status"]["lifeCycleStatus"] == "live"
        (stream,) = fake_youtube.streams.values()
        assert stream["cdn"]["ingestionInfo"]["streamName"] not in out and obs.password not in out
        asked: list[str] = []
        monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "жоқ")
        kazakh = [*options[:-3], "--lang", "kk", "youtube"]
        assert main([*kazakh, "end", str(small)]) == 1  # everything is there: asked, and «жоқ» is no
        assert asked == ["Трансляцияны көрермендер үшін қазір аяқтау керек пе? [иә/жоқ] "]
        assert "аяқталмады" in capsys.readouterr().out
        assert fake_youtube.broadcast(broadcast["id"])["status"]["lifeCycleStatus"] == "live" and adapter.streaming()
        monkeypatch.setattr("builtins.input", lambda prompt: "иә")
        assert main([*kazakh, "end", str(small)]) == 0
        assert fake_youtube.broadcast(broadcast["id"])["status"]["lifeCycleStatus"] == "complete"
        assert wait_for(lambda: not adapter.streaming(), timeout=10)  # `end` stopped OBS streaming
    finally:
        if adapter.streaming():  # the session's OBS serves other tests
            adapter.stop_stream()
        adapter.close()
