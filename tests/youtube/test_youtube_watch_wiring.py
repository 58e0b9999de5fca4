"""The console's YouTube watch as `studio run` wires it (youtube_watch: config, token file, store),
talking through the real client to the loopback fake: sign in, schedule, look, publish for the API."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from studio.config import load_config
from studio.show.services import youtube_watch
from studio.store import open_store
from studio.store.health import read
from studio.youtube.errors import YouTubeError
from tests.youtube.test_youtube_api import write_token


def test_the_show_process_signs_in_schedules_looks_and_publishes(fake_youtube, small_rundown, tmp_path):
    token = write_token(fake_youtube, tmp_path / "token.json")
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        f'[youtube]\ntoken_file = "{token.path}"\napi_endpoint = "{fake_youtube.url}"\ntoken_uri = "{fake_youtube.url}token"\n'
    )
    store_path = tmp_path / "studio.db"
    open_store(store_path).close()
    obs = SimpleNamespace(adapter=None, health=lambda: None)  # OBS away: the watch still works
    watch = youtube_watch(load_config(config_file), store_path, small_rundown, obs, lambda: datetime.now(UTC))
    views = []
    watch.report = lambda view, alert: views.append((view, alert))

    assert watch.poll() == 0.0 and views[-1][0].connected  # signed in on the watch's thread
    broadcast = watch.act(lambda broadcaster: broadcaster.schedule())
    assert broadcast.life_cycle == "ready" and len(fake_youtube.broadcasts) == 1
    view = views[-1][0]
    assert view.broadcast is not None and view.broadcast.id == broadcast.id
    assert view.spent == fake_youtube.units_spent  # the ledger the panel shows is what YouTube charged

    published = read(open_store(store_path).db)["youtube"].detail
    assert published["broadcast_id"] == broadcast.id and published["life_cycle"] == "ready"
    (stream,) = fake_youtube.streams.values()
    assert stream["cdn"]["ingestionInfo"]["streamName"] not in str(published)  # never the stream key


def test_a_revoked_sign_in_is_shown_and_the_watch_goes_on(fake_youtube, small_rundown, tmp_path):
    token = write_token(fake_youtube, tmp_path / "token.json", expired=True)
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        f'[youtube]\ntoken_file = "{token.path}"\napi_endpoint = "{fake_youtube.url}"\ntoken_uri = "{fake_youtube.url}token"\n'
    )
    store_path = tmp_path / "studio.db"
    obs = SimpleNamespace(adapter=None, health=lambda: None)
    watch = youtube_watch(load_config(config_file), store_path, small_rundown, obs, lambda: datetime.now(UTC))
    views = []
    watch.report = lambda view, alert: views.append(view)
    watch.poll()
    fake_youtube.revoke()
    with pytest.raises(YouTubeError) as refused:
        watch.act(lambda broadcaster: broadcaster.schedule())
    assert refused.value.code == "auth" and "studio youtube auth" in str(refused.value)
    assert views[-1].problem is not None and views[-1].problem.code == "auth"
    assert watch.poll() >= 0  # the watch keeps going
