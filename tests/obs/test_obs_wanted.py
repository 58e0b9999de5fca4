"""Segment -> ObsWanted, the names studio uses in OBS, and the switcher without OBS. No OBS needed."""

from __future__ import annotations

import threading

from studio.obs import ObsAdapter, ObsSettings
from studio.obs.names import FALLBACK_SCENE, feed_input, feed_item, feed_items, graphic_input, slug
from studio.obs.switcher import ObsSwitcher, slate_wanted, wanted_for
from studio.rundown.model import Kind
from tests.obs.obs_process import free_port
from tests.obs.obs_show import segment, wait_for

ASTANA = "udp://127.0.0.1:9101?pkt_size=1316"
ALMATY = "udp://127.0.0.1:9102?pkt_size=1316"
studio = segment("open", Kind.STUDIO, "Studio", graphics=("lower-third",))
astana = segment("live-astana", Kind.LIVE, "Live", region="astana", feed=ASTANA)
almaty = segment("live-almaty", Kind.LIVE, "Live", region="almaty", feed=ALMATY)
briefing = segment("crc-10", Kind.BRIEFING, "Briefing", feed="udp://127.0.0.1:9100?pkt_size=1316")
ALL_FEEDS = feed_items([studio, astana, almaty, briefing])


def test_names() -> None:
    assert feed_input(astana) == "feed-astana"
    assert feed_input(briefing) == "feed-briefing"  # no region: named after its scene
    assert feed_input(studio) is None
    assert feed_item(astana) == ("Live", "feed-astana")
    assert feed_item(segment("x", Kind.LIVE, None, region="abai", feed=ASTANA)) is None
    assert graphic_input("lower-third") == "gfx-lower-third"
    assert slug("North KZ / Солтүстік_Қазақстан") == "north-kz-солтүстік-қазақстан"
    assert ALL_FEEDS == {("Live", "feed-astana"), ("Live", "feed-almaty"), ("Briefing", "feed-briefing")}


def test_studio_segment_shows_its_scene_and_hides_every_feed() -> None:
    wanted = wanted_for(studio, ALL_FEEDS)
    assert wanted.program_scene == "Studio"
    assert wanted.overlays == frozenset()
    assert dict(wanted.feeds) == {}
    assert wanted.managed == ALL_FEEDS  # all hidden


def test_live_segment_plays_its_feed_visibly_and_hides_the_others() -> None:
    wanted = wanted_for(astana, ALL_FEEDS)
    assert wanted.program_scene == "Live"
    assert wanted.overlays == {("Live", "feed-astana")}
    assert dict(wanted.feeds) == {"feed-astana": ASTANA}
    assert wanted.managed == ALL_FEEDS
    # a feed item the switcher did not know yet becomes managed too
    assert ("Live", "feed-astana") in wanted_for(astana).managed


def test_cued_feed_is_set_but_never_the_one_on_air() -> None:
    wanted = wanted_for(astana, ALL_FEEDS, cued={"feed-almaty": ALMATY})
    assert dict(wanted.feeds) == {"feed-astana": ASTANA, "feed-almaty": ALMATY}
    assert wanted.overlays == {("Live", "feed-astana")}  # cued, not shown
    other_url = wanted_for(astana, ALL_FEEDS, cued={"feed-astana": "udp://127.0.0.1:1?x"})
    assert dict(other_url.feeds) == {"feed-astana": ASTANA}  # the on-air URL wins


def test_slate_hides_every_feed() -> None:
    wanted = slate_wanted(ALL_FEEDS)
    assert wanted.program_scene == FALLBACK_SCENE
    assert wanted.overlays == frozenset() and wanted.managed == ALL_FEEDS
    assert dict(wanted.feeds) == {}


def test_switcher_without_obs_keeps_the_wanted_state_and_never_blocks_or_raises() -> None:
    adapter = ObsAdapter(ObsSettings(port=free_port(), password_env="STUDIO_NO_SUCH_PASSWORD", timeout=1))
    caller = threading.current_thread()
    reached_obs_from: list[threading.Thread] = []
    connect = adapter.connect
    adapter.connect = lambda: reached_obs_from.append(threading.current_thread()) or connect()
    switcher = ObsSwitcher(adapter, [studio, astana, almaty])
    switcher.start()
    try:
        switcher.take(astana)
        switcher.take(studio)
        switcher.slate()
        switcher.take(almaty)
        assert wait_for(lambda: reached_obs_from), "the switcher's thread never tried OBS"
        assert caller not in reached_obs_from  # never blocks: only the switcher's own thread talks to OBS
        wanted = switcher.wanted()
        # Nobody can tell whether the feed is up: the slate until its first frames, its URL playing off air.
        assert wanted is not None and wanted.program_scene == FALLBACK_SCENE and switcher.health().awaiting_feed
        assert wanted.overlays == frozenset() and wanted.feeds["feed-almaty"] == ALMATY
        assert switcher.feed_up(almaty) is None  # cannot tell
        health = switcher.health()
        assert not health.connected and not health.in_sync
        assert health.wanted_scene == FALLBACK_SCENE and health.program_scene is None
        assert wait_for(lambda: "cannot connect" in switcher.health().reason), switcher.health().reason
    finally:
        switcher.stop()


def test_segment_without_scene_leaves_the_programme_alone() -> None:
    adapter = ObsAdapter(ObsSettings(port=free_port(), password_env="STUDIO_NO_SUCH_PASSWORD", timeout=1))
    switcher = ObsSwitcher(adapter, [studio])
    switcher.take(studio)
    switcher.take(segment("manual", Kind.VIDEO, None))
    wanted = switcher.wanted()
    assert wanted is not None and wanted.program_scene == "Studio"


def test_cue_sets_the_next_feed_url_without_showing_it_and_never_touches_the_on_air_input() -> None:
    adapter = ObsAdapter(ObsSettings(port=free_port(), password_env="STUDIO_NO_SUCH_PASSWORD", timeout=1))
    switcher = ObsSwitcher(adapter, [studio, astana, almaty])
    switcher.cue(almaty)  # nothing taken yet: kept for the first take
    assert switcher.wanted() is None
    switcher.take(astana)
    wanted = switcher.wanted()
    assert wanted is not None
    assert dict(wanted.feeds) == {"feed-astana": ASTANA, "feed-almaty": ALMATY}
    assert wanted.overlays == frozenset()  # no OBS to tell whether the feed is up: the slate until it shows
    switcher.cue(segment("live-astana-2", Kind.LIVE, "Live", region="astana", feed="udp://127.0.0.1:9301"))
    wanted = switcher.wanted()
    assert wanted is not None and dict(wanted.feeds) == {"feed-astana": ASTANA}  # on air: not re-pointed
    switcher.slate()
    switcher.cue(None)
    wanted = switcher.wanted()
    assert wanted is not None and wanted.program_scene == FALLBACK_SCENE and dict(wanted.feeds) == {}
