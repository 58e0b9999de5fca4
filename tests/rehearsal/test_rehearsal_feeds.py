"""The feeds' day, without OBS: the seeded schedule of deaths (deterministic, only on air, long enough to be
seen) and the losses as the rehearsal recorded them; and one real ffmpeg sender on loopback."""

from __future__ import annotations

import socket
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from studio.paths import sample_rundown
from studio.rehearsal.feeds import Feed, Happened, Senders, dying_spans, feeds, outages, schedule, sender_env, slate_spans
from studio.rundown.load import load_rundown
from studio.rundown.model import Kind
from tests.obs.obs_show import has_ffmpeg, udp_url

DAY = load_rundown(sample_rundown())
T0 = datetime(2026, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
MIN_DOWN = timedelta(minutes=3, seconds=30)  # 3.5 real seconds at 60x


@pytest.mark.parametrize("seed", [1, 2, 7])
def test_the_same_seed_kills_the_same_feeds_at_the_same_moments(seed: int) -> None:
    first = schedule(DAY.segments, seed=seed, min_down=MIN_DOWN)
    assert first == schedule(DAY.segments, seed=seed, min_down=MIN_DOWN)
    assert first != schedule(DAY.segments, seed=seed + 100, min_down=MIN_DOWN)


@pytest.mark.parametrize("seed", range(6))
def test_deaths_are_of_live_feeds_and_come_back_while_their_segment_is_on_air(seed: int) -> None:
    deaths = schedule(DAY.segments, seed=seed, min_down=MIN_DOWN)
    assert len(deaths) >= 2
    for death in deaths:
        segment = DAY.get(death.segment)
        assert segment.kind is Kind.LIVE and death.url == segment.feed
        assert death.after > timedelta(0) and death.down_for >= MIN_DOWN
        assert death.after + death.down_for <= segment.duration * 0.8  # back before the slot ends


def test_segments_too_short_for_an_outage_keep_their_feed() -> None:
    assert schedule(DAY.segments, seed=1, min_down=timedelta(minutes=30)) == ()


def test_every_feed_url_has_its_regions_name_in_both_languages() -> None:
    found = feeds(DAY.segments, {"astana": ("Астана", "Астана"), "east-kz": ("Шығыс Қазақстан облысы",
                                                                             "Восточно-Казахстанская область")})
    assert len(found) == len({s.feed for s in DAY.segments if s.feed})
    astana = found["udp://127.0.0.1:9101?pkt_size=1316"]
    assert astana.words == ("Астана",) and len(astana.segments) > 1  # one sender for every inclusion from there
    assert found["udp://127.0.0.1:9109?pkt_size=1316"].words == ("Шығыс Қазақстан облысы",
                                                                 "Восточно-Казахстанская область")
    assert found["udp://127.0.0.1:9100?pkt_size=1316"].words[0].startswith("ОРК брифингі")  # no region: its title


def happened(*events: tuple[str, str | None, int, float]) -> list[Happened]:
    return [Happened(what, segment, T0 + timedelta(seconds=at), perf) for what, segment, at, perf in events]


def test_a_loss_is_timed_from_the_kill_to_the_report_and_to_the_slate() -> None:
    record = happened(("slate_off", None, 0, 0.0), ("killed", "live-a", 60, 10.0), ("lost", "live-a", 90, 11.2),
                      ("slate_on", None, 95, 11.3), ("returned", "live-a", 200, 14.0),
                      ("retaken", "live-a", 230, 14.5), ("slate_off", None, 240, 14.6),
                      ("killed", "live-b", 600, 30.0))
    [loss, missed] = outages(record)
    assert loss["segment"] == "live-a" and loss["detected_ms"] == 1200.0 and loss["slate_ms"] == 1300.0
    assert loss["retake_ms"] == 500.0 and loss["slate_off_at"] == (T0 + timedelta(seconds=240)).isoformat()
    assert missed["segment"] == "live-b" and missed["lost_at"] is None and "never reported" in missed["not_reported"]
    assert dying_spans([loss]) == [(T0 + timedelta(seconds=60), T0 + timedelta(seconds=95))]
    assert slate_spans(record, T0 + timedelta(hours=1)) == [(T0 + timedelta(seconds=95), T0 + timedelta(seconds=240))]


def test_a_loss_the_schedule_did_not_cause_is_reported_too() -> None:
    [loss] = outages(happened(("lost", "live-a", 90, 11.2), ("slate_on", None, 95, 11.3)))
    assert loss["killed_at"] is None and loss["detected_ms"] is None and loss["slate_ms"] == 100.0


@pytest.mark.skipif(not has_ffmpeg(), reason="needs ffmpeg: apt-get install -y ffmpeg")
def test_a_sender_sends_mpeg_ts_to_its_loopback_url_until_killed(tmp_path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.settimeout(10)
        url = udp_url(listener.getsockname()[1])
        senders = Senders({url: Feed(url, ("Шығыс Қазақстан облысы", "Восточно-Казахстанская область"), ("x",))},
                          tmp_path, sender_env())
        try:
            senders.want({url})
            packet = listener.recv(2048)
            assert len(packet) == 1316 and packet[0] == 0x47  # seven MPEG-TS packets, each from its sync byte
            senders.want(set())
            assert senders.running == {} and senders.started == 1
        finally:
            senders.close()
        assert "Восточно" in (tmp_path / "feed-0.txt").read_text(encoding="utf-8")
