"""`studio rehearse --youtube unlisted`: the rehearsal's own unlisted broadcast, and the show's never touched.

The real googleapiclient talks to the loopback fake YouTube (tests/youtube/fake_youtube.py). In each test
the show's broadcast exists on the fake first, scheduled by the show's own Broadcaster from the show's
store: had the rehearsal called ``Broadcaster.schedule``, it would have adopted that one (same title and
start). The tests marked ``obs`` go live through a real headless OBS streaming over RTMP to nginx-rtmp,
which tells the fake that the stream arrives (tests/obs/test_youtube_chain.py is the show's own chain).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.broadcast import Broadcaster
from studio.config import Config
from studio.i18n import Msg
from studio.obs import ObsAdapter
from studio.rehearsal.youtube import RehearsalYouTube
from studio.store import open_store
from studio.store.show import RehearsalMark
from studio.store.youtube import YouTubeStore
from studio.youtube.api import YouTubeApi
from studio.youtube.live import YouTube
from studio.youtube.quota import StoreLedger
from tests.clock import Clock
from tests.obs.obs_process import ObsProcess
from tests.obs.obs_show import wait_for
from tests.youtube.conftest import fake_youtube, rtmp_ingest, youtube_server  # noqa: F401 (fixtures)
from tests.youtube.test_youtube_api import write_token

SIMULATED = datetime(2026, 3, 15, 4, 30, tzinfo=UTC)  # 09:30 in Almaty: the plan's day, on the rehearsal's clock
SMALL = Path(__file__).parents[1] / "data" / "small.toml"


@pytest.fixture
def show(fake_youtube, small_rundown, tmp_path):  # noqa: F811
    """The real show's store with its broadcast scheduled on the fake (public, ready, bound to its stream)."""
    store = open_store(tmp_path / "show.db")
    token = write_token(fake_youtube, tmp_path / "token.json")
    ledger = StoreLedger(YouTubeStore(store.db), lambda: datetime.now(UTC))
    api = YouTubeApi(token.load(), ledger, endpoint=fake_youtube.url, token_file=token)
    broadcaster = Broadcaster(YouTube(api), store, small_rundown, output=None, privacy="public", language="kk",
                              operator="timur", origin="console", clock=Clock(datetime.now(UTC)))
    broadcast = broadcaster.schedule()
    yield store, broadcast.id, ledger
    store.close()


def config_for(fake, tmp_path: Path) -> Config:
    return Config.model_validate({"youtube": {
        "token_file": str(tmp_path / "token.json"), "api_endpoint": fake.url, "token_uri": fake.url + "token",
        "privacy": "public",  # the show's; a rehearsal is unlisted whatever the config says
    }})


def rehearsal_store(tmp_path: Path, show_id: str) -> Path:
    """A store marked as a rehearsal's, as studio/rehearsal/run.py leaves it before the day begins."""
    path = tmp_path / "rehearsal.db"
    store = open_store(path)
    with store.write():
        store.mark_rehearsal(RehearsalMark(show_id, datetime.now(UTC), SIMULATED, 60.0, 1))
    store.close()
    return path


def rehearsal(fake, tmp_path, rundown, store_path, output, said: list[str]) -> RehearsalYouTube:
    return RehearsalYouTube(config_for(fake, tmp_path), store_path, rundown, output, operator="rehearsal-producer",
                            clock=Clock(SIMULATED), say=lambda message: said.append(message.render("en")))


def looks_for_upcoming(fake) -> int:
    """How often the channel's upcoming broadcasts were listed: what ``Broadcaster.schedule`` adopts from."""
    return sum(1 for call in fake.calls if call.params.get("broadcastStatus") == "upcoming")


def untouched(fake, broadcast_id: str, before: dict) -> bool:
    return fake.broadcast(broadcast_id) == before


# --- without OBS -----------------------------------------------------------------------------------------


def test_youtube_needs_obs_and_is_only_ever_unlisted(capsys) -> None:
    from studio.cli import main

    assert main(["--lang", "en", "rehearse", str(SMALL), "--no-obs", "--youtube", "unlisted"]) == 2
    assert "--youtube needs OBS" in capsys.readouterr().err
    with pytest.raises(SystemExit) as refused:
        main(["--lang", "en", "rehearse", str(SMALL), "--youtube", "public"])
    assert refused.value.code == 2 and "invalid choice: 'public'" in capsys.readouterr().err


def test_the_rehearsal_makes_its_own_broadcast_and_never_adopts_the_shows(fake_youtube, show, small_rundown, tmp_path):  # noqa: F811
    show_store, show_broadcast, _ = show
    before = fake_youtube.broadcast(show_broadcast)
    store_path = rehearsal_store(tmp_path, small_rundown.show.id)
    looks = looks_for_upcoming(fake_youtube)
    said: list[str] = []
    made = rehearsal(fake_youtube, tmp_path, small_rundown, store_path, None, said).schedule()

    assert made is not None and made.id != show_broadcast and said == []
    assert made.privacy == "unlisted" and made.title == "РЕПЕТИЦИЯ · Сынақ эфирі / Тестовый эфир"
    assert made.life_cycle == "ready" and made.stream_id not in (None, before["contentDetails"]["boundStreamId"])
    assert set(fake_youtube.broadcasts) == {show_broadcast, made.id} and untouched(fake_youtube, show_broadcast, before)
    # the rehearsal's one look is the insert's own (what was there before it, never adopted: see
    # studio/youtube/live.py create_broadcast)
    assert looks_for_upcoming(fake_youtube) == looks + 1
    assert YouTubeStore(show_store.db).broadcast(small_rundown.show.id).broadcast_id == show_broadcast
    store = open_store(store_path)
    assert YouTubeStore(store.db).broadcast(small_rundown.show.id).broadcast_id == made.id
    events = [e for e in store.events(small_rundown.show.id) if e.action.startswith("youtube_")]
    assert [e.action for e in events] == ["youtube_scheduled", "youtube_bound"]
    assert all(e.rehearsal and e.at == SIMULATED and e.origin == "rehearse" for e in events)
    store.close()


def test_without_a_sign_in_or_obs_youtube_is_off_and_nothing_is_asked(fake_youtube, small_rundown, tmp_path):  # noqa: F811
    said: list[str] = []
    youtube = rehearsal(fake_youtube, tmp_path, small_rundown, rehearsal_store(tmp_path, "small"), None, said)

    assert youtube.start() is False
    (line,) = said
    assert line.startswith("YouTube is off for this rehearsal, which goes on without it:")
    assert "no OBS to stream from" in line and "studio youtube auth" in line  # both, said together
    assert fake_youtube.calls == [] and fake_youtube.broadcasts == {}
    figures = youtube.end()
    assert figures["broadcast"] is None and figures["privacy"] == "unlisted" and figures["live_s"] is None
    assert "no OBS" in figures["error"] and figures["quota_units_today"] is None


def test_the_shows_store_is_refused(fake_youtube, show, small_rundown, tmp_path):  # noqa: F811
    show_store, show_broadcast, _ = show
    before, calls = fake_youtube.broadcast(show_broadcast), len(fake_youtube.calls)
    said: list[str] = []
    youtube = rehearsal(fake_youtube, tmp_path, small_rundown, tmp_path / "show.db", None, said)

    assert youtube.schedule() is None
    assert "show.db is not a rehearsal's own store" in said[0] and "leave out --store" in said[0]
    assert len(fake_youtube.calls) == calls and untouched(fake_youtube, show_broadcast, before)
    assert YouTubeStore(show_store.db).broadcast(small_rundown.show.id).broadcast_id == show_broadcast


@pytest.mark.parametrize("trouble, says", [
    ("revoked", "was revoked"),
    ("quota", "quota"),
])
def test_a_revoked_sign_in_or_no_quota_is_said_and_the_rehearsal_goes_on(fake_youtube, show, small_rundown, tmp_path, trouble, says):  # noqa: F811
    _, show_broadcast, _ = show
    before = fake_youtube.broadcast(show_broadcast)
    if trouble == "revoked":
        fake_youtube.revoke()
    else:
        fake_youtube.set_quota_limit(fake_youtube.units_spent)
    said: list[str] = []
    youtube = rehearsal(fake_youtube, tmp_path, small_rundown, rehearsal_store(tmp_path, "small"), None, said)

    assert youtube.schedule() is None
    assert said[0].startswith("YouTube is off for this rehearsal") and says in said[0].lower()
    assert set(fake_youtube.broadcasts) == {show_broadcast} and untouched(fake_youtube, show_broadcast, before)
    assert says in youtube.end()["error"].lower()


# --- with real OBS ---------------------------------------------------------------------------------------


@pytest.mark.obs
@pytest.mark.xdist_group("obs")
def test_it_goes_live_unlisted_through_obs_ends_and_leaves_the_shows_broadcast_alone(obs: ObsProcess, rtmp_ingest, fake_youtube, show, small_rundown, tmp_path):  # noqa: F811
    _, show_broadcast, show_ledger = show
    before = fake_youtube.broadcast(show_broadcast)
    output = ObsAdapter(obs.settings())
    output.connect()
    said: list[str] = []
    youtube = rehearsal(fake_youtube, tmp_path, small_rundown, rehearsal_store(tmp_path, "small"), output, said)
    try:
        assert youtube.start() is True, said
        (mine,) = set(fake_youtube.broadcasts) - {show_broadcast}
        live = fake_youtube.broadcast(mine)
        assert live["status"]["lifeCycleStatus"] == "live" and live["status"]["privacyStatus"] == "unlisted"
        assert live["snippet"]["title"].startswith("РЕПЕТИЦИЯ · ")
        assert said == [f"YouTube: the rehearsal's own broadcast is live, unlisted: https://www.youtube.com/watch?v={mine}"]
        server, key = output.stream_service()
        assert output.streaming() and server == rtmp_ingest.url and key not in "\n".join(said)
        assert fake_youtube.stream_id_for_key(key) == live["contentDetails"]["boundStreamId"]
        assert untouched(fake_youtube, show_broadcast, before)

        figures = youtube.end()
        print(f"the rehearsal on YouTube, with real OBS and RTMP: {figures}")
        assert fake_youtube.broadcast(mine)["status"]["lifeCycleStatus"] == "complete"
        assert wait_for(lambda: not output.streaming(), timeout=10)
        assert untouched(fake_youtube, show_broadcast, before)
        assert figures["broadcast"] == mine and figures["privacy"] == "unlisted" and figures["ended"] == "complete"
        assert figures["error"] is None and figures["live_s"] >= 0 and figures["to_live_s"] > 0
        assert figures["quota_units_today"] == fake_youtube.units_spent - show_ledger.spent_today()
        assert said[-1] == f"YouTube: the rehearsal's broadcast {mine} ended after {figures['live_s']:g} s live"
        store = open_store(tmp_path / "rehearsal.db")
        actions = [(e.action, e.rehearsal, e.at) for e in store.events("small")]
        store.close()
        assert [a for a, _, _ in actions] == ["youtube_scheduled", "youtube_bound", "obs_stream_started",
                                              "youtube_testing", "youtube_live", "youtube_complete"]
        assert all(marked and at == SIMULATED for _, marked, at in actions)
    finally:
        if output.connected and output.streaming():  # the session's OBS serves other tests
            output.stop_stream()
        output.close()


@pytest.mark.obs
@pytest.mark.xdist_group("obs")
def test_an_obs_that_streams_already_is_left_alone(obs: ObsProcess, rtmp_ingest, fake_youtube, show, small_rundown, tmp_path):  # noqa: F811
    _, show_broadcast, _ = show
    output = ObsAdapter(obs.settings())
    output.connect()
    show_stream = fake_youtube.stream(fake_youtube.broadcast(show_broadcast)["contentDetails"]["boundStreamId"])
    show_key = show_stream["cdn"]["ingestionInfo"]["streamName"]
    output.set_stream_service(rtmp_ingest.url, show_key)  # OBS streams the show
    output.start_stream()
    said: list[str] = []
    try:
        assert wait_for(output.streaming, timeout=10)
        youtube = rehearsal(fake_youtube, tmp_path, small_rundown, rehearsal_store(tmp_path, "small"), output, said)
        assert youtube.start() is False
        assert Msg("youtube.advice.obs_busy").render("en") in said[0]
        assert set(fake_youtube.broadcasts) == {show_broadcast}
        assert output.streaming() and output.stream_service() == (rtmp_ingest.url, show_key)
        assert youtube.end()["broadcast"] is None and output.streaming()
    finally:
        if output.connected and output.streaming():
            output.stop_stream()
        output.close()
