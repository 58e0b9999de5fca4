"""Never black, on real OBS at the stations' canvas sizes: after every kind of take, through a take
onto a dead feed (sampled rapidly), when a feed dies, and what `obs check` says of black scenes.

Real OBS (obs_at), real ffmpeg senders, the real Controller and ObsSwitcher on a throwaway store;
the scenes are made by `setup` with the cards rendered from overlays/card.toml, as `obs setup` does.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest

from studio.graphics import Renderer
from studio.obs import ObsAdapter
from studio.obs.names import FALLBACK_SCENE
from studio.obs.needs import scene_cards
from studio.obs.setup import black_scenes, check, setup, shown_in
from studio.obs.switcher import ObsSwitcher
from studio.rundown.model import Kind, Rundown
from studio.show import ControlError, Controller
from studio.store import open_store
from tests.obs.obs_checks import mean_luma, programme, raw_client, screenshot
from tests.obs.obs_process import ObsProcess
from tests.obs.obs_show import Sender, free_udp_port, has_ffmpeg, rundown, segment, tag, udp_url, wait_for

pytestmark = [
    pytest.mark.obs,
    pytest.mark.xdist_group("obs"),
    pytest.mark.skipif(not has_ffmpeg(), reason="needs ffmpeg to simulate a live feed: apt-get install -y ffmpeg"),
]

NOT_BLACK = 15.0  # mean luma: black is 0; the cards' and the slate's navy ~28; a feed's test pattern far more
SAMPLE = (320, 180)  # the size of the rapid screenshots
CLIP = Path(__file__).parents[2] / "studio" / "sample" / "media" / "sample-clip.mp4"


def day(t: str, good: str, dead: str) -> Rundown:
    return rundown(
        segment("studio", Kind.STUDIO, f"Studio {t}"),
        segment("live-good", Kind.LIVE, f"Live {t}", region=f"good-{t}", feed=good),
        segment("live-dead", Kind.LIVE, f"Live {t}", region=f"dead-{t}", feed=dead),
        replace(segment("video", Kind.VIDEO, f"Video {t}"), video=str(CLIP)),
        segment("break", Kind.BREAK, f"Break {t}"),
        show_id=f"black-{t}",
    )


def cards(show: Rundown) -> dict[str, Path]:
    renderer = Renderer()
    return {
        scene: renderer.render("card", {"title_kk": kk, "title_ru": ru}).png.resolve()
        for scene, (kk, ru) in scene_cards(show.segments).items()
    }


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["720p", "1080p"])
def test_no_take_ever_shows_black(obs_at, tmp_path: Path, size: tuple[int, int]) -> None:
    obs: ObsProcess = obs_at(*size)
    t = tag()
    good, dead = udp_url(free_udp_port()), udp_url(free_udp_port())
    show = day(t, good, dead)
    adapter = ObsAdapter(obs.settings())
    adapter.connect()
    try:
        setup(adapter, show, cards=cards(show))
    finally:
        adapter.close()
    switcher = ObsSwitcher(ObsAdapter(obs.settings()), show.segments)
    controller = Controller(open_store(tmp_path / "show.db"), show, operator="test", switcher=switcher)
    lost: list[str] = []

    def feed_lost(segment_id: str) -> bool:
        lost.append(segment_id)
        return controller.feed_lost(segment_id)

    switcher.on_feed_lost = feed_lost
    good_sender, dead_sender = Sender(good, gop=25), Sender(dead, gop=25)
    switcher.start()
    good_sender.start()
    with raw_client(obs) as client:
        client.set_current_scene_transition("Cut")

        def looks() -> tuple[str, float]:
            """The programme scene and its mean luma, from a small screenshot: quick enough to sample
            a take every few tens of milliseconds (a full 1080p PNG takes OBS ~0.3 s)."""
            scene = client.get_current_program_scene().current_program_scene_name
            return scene, mean_luma(screenshot(client, scene, SAMPLE))

        def taken(scene: str) -> tuple[str, float]:
            """What the programme shows once it is ``scene``: on a loaded machine OBS may answer a take
            after the switcher stopped waiting for it (ack_timeout). Every screenshot till then is checked too."""
            seen = [looks()]
            until = time.monotonic() + 2
            while seen[-1][0] != scene and time.monotonic() < until:
                seen.append(looks())
            assert all(luma > NOT_BLACK for _, luma in seen), min(seen, key=lambda s: s[1])
            return seen[-1]

        def watch(seconds: float) -> list[tuple[str, float]]:
            """Screenshots of the programme, back to back, for ``seconds``."""
            seen, until = [], time.monotonic() + seconds
            while time.monotonic() < until:
                seen.append(looks())
            return seen

        try:
            assert wait_for(lambda: switcher.health().connected, timeout=10)
            controller.take("studio")  # the placeholder card: no camera configured
            scene, luma = taken(f"Studio {t}")
            assert scene == f"Studio {t}" and luma > NOT_BLACK, (scene, luma)

            assert wait_for(lambda: switcher.feed_up(show.segments[1]), timeout=8), "the good feed never came up"
            controller.take_next(expect_on_air="studio", check=True)
            scene, luma = taken(f"Live {t}")
            assert scene == f"Live {t}" and luma > NOT_BLACK, (scene, luma)

            # The next feed is dead: the take asks; confirmed, the slate goes up at once, in the take's batch.
            with pytest.raises(ControlError, match="down or shows nothing"):
                controller.take_next(expect_on_air="live-good", check=True)
            controller.take_next(expect_on_air="live-good", check=True, confirm=True)
            seen = watch(4.0)  # the start grace (3 s) runs out: still the slate, and the alarm
            assert all(luma > NOT_BLACK for _, luma in seen), min(seen, key=lambda s: s[1])
            assert {scene for scene, _ in seen} == {FALLBACK_SCENE}
            print(f"\n{size[0]}x{size[1]}: confirmed take onto a dead feed: {len(seen)} screenshots in 4 s, "
                  f"all on the slate, darkest mean luma {min(s[1] for s in seen):.1f}")
            assert wait_for(lambda: lost == ["live-dead"], timeout=2)
            assert controller.view().on_air.note == "feed lost"

            # The feed comes back and is retaken (asked again: no frames yet): the slate until its first frames.
            dead_sender.start()
            with pytest.raises(ControlError):
                controller.take("live-dead")
            began = time.monotonic()
            controller.take("live-dead", confirm=True)
            seen = watch(0.3)
            # The feed's first frames may take long on a loaded machine (a CI run at load 11 needed over 12 s):
            # what matters is the slate until then, never black.
            seen += [looks()] if wait_for(lambda: looks()[0] == f"Live {t}", timeout=30) else []
            cut = time.monotonic() - began
            seen += watch(0.5)
            assert all(luma > NOT_BLACK for _, luma in seen), min(seen, key=lambda s: s[1])
            assert seen[0][0] == FALLBACK_SCENE and seen[-1][0] == f"Live {t}", seen
            print(f"\n{size[0]}x{size[1]}: dead feed back, confirmed take -> on the feed after {cut:.2f} s, "
                  f"{len(seen)} screenshots, darkest mean luma {min(s[1] for s in seen):.1f}")

            # A feed that dies on air: the slate, never black.
            dead_sender.kill()
            assert wait_for(lambda: looks()[0] == FALLBACK_SCENE, timeout=4), switcher.health().feed
            seen = watch(0.5)
            assert all(luma > NOT_BLACK for _, luma in seen) and {s for s, _ in seen} == {FALLBACK_SCENE}

            controller.take("video")
            scene, luma = taken(f"Video {t}")
            assert scene == f"Video {t}" and luma > NOT_BLACK, (scene, luma)
            state = client.get_media_input_status("video-video")
            assert state.media_state == "OBS_MEDIA_STATE_PLAYING"

            controller.take("break")
            scene, luma = taken(f"Break {t}")
            assert scene == f"Break {t}" and luma > NOT_BLACK, (scene, luma)
            assert mean_luma(programme(client, size)) > NOT_BLACK  # at the canvas size too
        finally:
            good_sender.stop()
            dead_sender.stop()
            switcher.stop()


def test_obs_check_names_every_scene_that_would_be_black(adapter: ObsAdapter, obs: ObsProcess) -> None:
    t = tag()
    show = rundown(segment("studio", Kind.STUDIO, f"Bare {t}"), segment("break", Kind.BREAK, f"Pause {t}"))
    with raw_client(obs) as client:  # scenes made by hand, before any setup: nothing in them
        client.create_scene(f"Bare {t}")
        client.create_scene(f"Pause {t}")
    report = check(adapter, show)
    assert not report.ok
    assert f"scene 'Bare {t}': no visible source" in report.black
    assert f"scene 'Pause {t}': no visible source" in report.black
    setup(adapter, show)  # without card pictures: the cards' colour is enough never to be black
    assert black_scenes(shown_in(adapter, [f"Bare {t}", f"Pause {t}", FALLBACK_SCENE])) == ()
    assert check(adapter, show).ok
