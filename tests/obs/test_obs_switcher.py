"""ObsSwitcher against a real, headless OBS: takes, the slate, health, an OBS crash mid-show."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from studio.obs import ObsAdapter
from studio.obs.names import FALLBACK_SCENE
from studio.obs.setup import setup
from studio.obs.switcher import ObsSwitcher
from studio.rundown.model import Kind, Rundown
from tests.obs.obs_checks import raw_client
from tests.obs.obs_process import ObsProcess
from tests.obs.obs_show import Sender, free_udp_port, rundown, segment, tag, udp_url, wait_for
from tests.obs.test_obs_reconnect import watch_first_accept

pytestmark = [pytest.mark.obs, pytest.mark.xdist_group("obs")]


@pytest.fixture
def show(adapter: ObsAdapter, obs: ObsProcess) -> Iterator[Rundown]:
    """Studio, two live regions in one Live scene (their feeds sending), a second studio segment; set up in OBS."""
    t = tag()
    made = rundown(
        segment("open", Kind.STUDIO, f"Studio {t}"),
        segment("live-a", Kind.LIVE, f"Live {t}", region=f"a-{t}", feed=udp_url(free_udp_port())),
        segment("live-b", Kind.LIVE, f"Live {t}", region=f"b-{t}", feed=udp_url(free_udp_port())),
        segment("talk", Kind.STUDIO, f"Talk {t}"),
    )
    setup(adapter, made)
    with raw_client(obs) as client:
        client.set_current_scene_transition("Cut")
    # A take onto a feed shows the slate until the feed's first frames: a keyframe every second.
    senders = [Sender(str(live.feed), gop=25) for live in made.segments[1:3]]
    for sender in senders:
        sender.start()
    yield made
    for sender in senders:
        sender.stop()


@pytest.fixture
def switcher(obs: ObsProcess, show: Rundown) -> Iterator[ObsSwitcher]:
    made = ObsSwitcher(ObsAdapter(obs.settings()), show.segments)
    made.start()
    assert wait_for(lambda: made.health().connected, timeout=10), made.health().reason
    yield made
    made.stop()


def program(obs: ObsProcess) -> str:
    with raw_client(obs) as client:
        return str(client.get_current_program_scene().current_program_scene_name)


def answered(switcher: ObsSwitcher, action) -> bool:  # type: ignore[no-untyped-def]
    """Run a take, slate or end: did it return with OBS's answer (not after waiting out ack_timeout)?
    How fast OBS answers is bench/obs_take.py's business."""
    action()
    return switcher.health().in_sync


def test_take_studio_then_live_switches_the_scene_and_the_feed(
    switcher: ObsSwitcher, show: Rundown, obs: ObsProcess
) -> None:
    studio, live_a, live_b, _ = show.segments
    feed_a, feed_b = f"feed-{live_a.region}", f"feed-{live_b.region}"
    with raw_client(obs) as client:  # someone pointed the input elsewhere: the take puts it back
        client.set_input_settings(feed_a, {"input": "udp://127.0.0.1:9?pkt_size=1316"}, True)

    assert answered(switcher, lambda: switcher.take(studio))
    assert program(obs) == studio.scene  # applied when take returns
    assert switcher.feed_up(live_a) is False  # the pre-flight the console runs in a worker: not playing it yet
    assert answered(switcher, lambda: switcher.take(live_a))  # the slate at once, the feed at its first frames
    assert wait_for(lambda: program(obs) == live_a.scene, timeout=5), program(obs)
    with raw_client(obs) as client:
        assert client.get_input_settings(feed_a).input_settings["input"] == live_a.feed

        def shown() -> dict[str, bool]:
            return {i["sourceName"]: i["sceneItemEnabled"] for i in client.get_scene_item_list(live_a.scene).scene_items}

        # The batch may run over several frames on a loaded machine: the feed shows a frame after the cut.
        assert wait_for(lambda: shown()[feed_a], timeout=2), shown()
        assert shown()[feed_b] is False

    switcher.feed_up(live_b)
    assert answered(switcher, lambda: switcher.take(live_b))  # same scene, the other region
    assert wait_for(lambda: program(obs) == live_b.scene, timeout=5), program(obs)
    with raw_client(obs) as client:
        items = {i["sourceName"]: i["sceneItemEnabled"] for i in client.get_scene_item_list(live_b.scene).scene_items}
    assert items == {**items, feed_a: False, feed_b: True}

    assert answered(switcher, switcher.slate)
    assert program(obs) == FALLBACK_SCENE
    with raw_client(obs) as client:
        items = {i["sourceName"]: i["sceneItemEnabled"] for i in client.get_scene_item_list(live_b.scene).scene_items}
    assert items[feed_a] is False and items[feed_b] is False
    switcher.take(studio)
    assert answered(switcher, switcher.end)
    assert program(obs) == FALLBACK_SCENE  # the end of the show is the slate, never black

    health = wait_for(lambda: (h := switcher.health()).program_scene == FALLBACK_SCENE and h, timeout=3)
    assert health and health.connected and health.in_sync and health.error is None
    assert health.wanted_scene == FALLBACK_SCENE and health.preview_scene is None
    assert health.streaming is False and health.recording is False
    assert health.active_fps and health.active_fps > 0 and health.cpu_percent is not None
    assert health.status_age is not None and health.status_age < 2
    assert "connected to OBS" in health.reason and obs.password not in repr(health)


def test_refused_wanted_state_is_reported_not_raised(switcher: ObsSwitcher) -> None:
    ghost = segment("ghost", Kind.STUDIO, f"No such scene {tag()}")
    switcher.take(ghost)  # returns, never raises
    health = switcher.health()
    assert health.error and "SetCurrentProgramScene" in health.error and not health.in_sync


def test_obs_crash_mid_show_reconnects_and_reasserts_and_a_take_while_down_lands(
    switcher: ObsSwitcher, show: Rundown, obs: ObsProcess
) -> None:
    studio, live_a, _, talk = show.segments
    switcher.take(live_a)
    assert wait_for(lambda: program(obs) == live_a.scene, timeout=5), program(obs)
    with raw_client(obs) as client:  # drift: someone clicks another scene in OBS
        client.set_current_program_scene(studio.scene)

    obs.kill()
    assert wait_for(lambda: not switcher.health().connected, timeout=5)
    assert not answered(switcher, lambda: switcher.take(talk))  # nobody answers; the wanted state is kept
    assert switcher.wanted() is not None and switcher.wanted().program_scene == talk.scene  # type: ignore[union-attr]

    accepting = watch_first_accept(obs.host, obs.port)
    obs.start()
    in_place = wait_for(lambda: switcher.health().connected and program(obs) == talk.scene and time.monotonic(), 10)
    assert in_place, f"OBS shows {program(obs)!r}, wanted {talk.scene!r}"
    after_accept = in_place - accepting[0]
    print(f"\nOBS restarted: the take made while it was down was on programme {after_accept:.3f} s after it accepted")
    assert wait_for(lambda: switcher.health().in_sync, timeout=2)

    switcher.take(live_a)  # and the show goes on
    assert wait_for(lambda: program(obs) == live_a.scene, timeout=5), program(obs)
    with raw_client(obs) as client:
        assert client.get_input_settings(f"feed-{live_a.region}").input_settings["input"] == live_a.feed
        client.set_current_scene_transition("Cut")


def test_obs_crash_reasserts_the_on_air_scene(switcher: ObsSwitcher, show: Rundown, obs: ObsProcess) -> None:
    studio, live_a, _, _ = show.segments
    switcher.take(live_a)
    assert wait_for(lambda: program(obs) == live_a.scene, timeout=5), program(obs)
    obs.kill()
    assert wait_for(lambda: not switcher.health().connected, timeout=5)
    accepting = watch_first_accept(obs.host, obs.port)
    obs.start()
    in_place = wait_for(lambda: program(obs) == live_a.scene and time.monotonic(), 10)
    assert in_place, f"OBS shows {program(obs)!r} after the restart"
    print(f"\nOBS restarted: the on-air scene was back {in_place - accepting[0]:.3f} s after OBS accepted")
    with raw_client(obs) as client:
        item = client.get_scene_item_id(live_a.scene, f"feed-{live_a.region}").scene_item_id
        # SerialFrame runs one request per frame: the feed may show a frame after the scene switched.
        assert wait_for(lambda: client.get_scene_item_enabled(live_a.scene, item).scene_item_enabled, timeout=2)
        client.set_current_scene_transition("Cut")


def test_a_scene_switched_by_hand_in_obs_is_put_back(switcher: ObsSwitcher, show: Rundown, obs: ObsProcess) -> None:
    studio = show.segments[0]
    switcher.take(studio)
    assert program(obs) == studio.scene
    with raw_client(obs) as client:
        client.set_current_program_scene(FALLBACK_SCENE)  # an operator's hand in OBS
    # the next status read (about once a second) sees the drift and re-asserts
    assert wait_for(lambda: program(obs) == studio.scene, timeout=5)
    # a take after that is one batch from the known state again, and lands
    switcher.take(show.segments[3])
    assert program(obs) == show.segments[3].scene


def test_the_slate_is_reported_once_per_change_when_obs_shows_it(
    switcher: ObsSwitcher, show: Rundown, obs: ObsProcess
) -> None:
    """The controller learns through Switcher.watch_slate that the slate covers the programme, and when it stops."""
    studio, _, _, talk = show.segments
    heard: list[tuple[bool, str]] = []
    switcher.watch_slate(lambda covers: heard.append((covers, program(obs))))
    switcher.take(studio)  # nothing covered: nothing to say
    switcher.slate()
    switcher.slate()  # already up: said once
    switcher.take(talk)
    assert heard == [(True, FALLBACK_SCENE), (False, talk.scene)]
