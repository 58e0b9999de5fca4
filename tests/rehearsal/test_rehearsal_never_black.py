"""Never black, measured: ffmpeg's stderr parsed, recording seconds put on the simulated day, each stretch with
the as-run entry at that moment; frozen pictures count only on a live feed not under the slate. Pure, but for
one real ffmpeg run over a made-up recording."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from studio.rehearsal.never_black import (
    Entry, Stretch, black_stretches, detect, entry_at, frozen_stretches, judged, recorded_seconds,
)
from tests.obs.obs_show import has_ffmpeg

T0 = datetime(2026, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
STDERR = """\
[freezedetect @ 0x5626d341cf40] lavfi.freezedetect.freeze_start: 0
[blackdetect @ 0x5626d341c340] black_start:0 black_end:2 black_duration:2
[freezedetect @ 0x5626d341cf40] lavfi.freezedetect.freeze_duration: 2
[freezedetect @ 0x5626d341cf40] lavfi.freezedetect.freeze_end: 2
frame=  100 fps=0.0 q=-0.0 size=N/A time=00:00:04.00 bitrate=N/A speed= 134x\r\
[freezedetect @ 0x5626d341cf40] lavfi.freezedetect.freeze_start: 5.2
frame=  175 fps=0.0 q=-0.0 Lsize=N/A time=00:00:07.00 bitrate=N/A speed= 212x
"""


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_ffmpegs_words_are_read_whole() -> None:
    assert black_stretches(STDERR) == [Stretch(0, 2)]
    assert recorded_seconds(STDERR) == 7.0
    assert frozen_stretches(STDERR, 7.0) == [Stretch(0, 2), Stretch(5.2, 7.0)]  # the last one ends with the file
    assert black_stretches("") == [] and recorded_seconds("") == 0.0


DAY = [
    Entry("open", "studio", "Студия", at(0), at(1), live=False),
    Entry("live-a", "live", "Астана", at(1), at(5), live=True),
    Entry("break", "break", "Үзіліс", at(5), None, live=False),
]


def test_the_entry_on_air_at_a_moment() -> None:
    assert entry_at(DAY, at(0.5)).segment == "open" and entry_at(DAY, at(1)).segment == "live-a"
    assert entry_at(DAY, at(99)).segment == "break" and entry_at(DAY, at(-1)) is None


def judge(black=(), frozen=(), slate=(), dying=()) -> dict:
    # at 60x, one recording second is one simulated minute; the recording began at T0
    return judged(black, frozen, anchor=T0, speed=60, entries=DAY, slate=slate, length=600, dying=dying)


def test_every_black_stretch_is_listed_with_its_time_and_entry_whatever_was_on_air() -> None:
    found = judge(black=[Stretch(0.2, 0.9), Stretch(2.0, 2.4)])
    assert [(b["segment"], b["at"], b["seconds"]) for b in found["black"]] == [("open", at(0.2).isoformat(), 0.7)]


def test_a_frozen_live_feed_is_listed_a_still_card_or_the_slate_is_not() -> None:
    found = judge(frozen=[Stretch(0.0, 0.95), Stretch(2.0, 3.0), Stretch(5.5, 9.0)])
    assert [(f["segment"], f["seconds"], f["feed_dying"]) for f in found["frozen"]] == [("live-a", 1.0, False)]
    assert found["still_by_nature"]["count"] == 2 and "still pictures by nature" in found["still_by_nature"]["why"]


def test_a_frozen_stretch_counts_only_for_its_part_on_the_live_feed() -> None:
    # the studio card is still until 1 min, and the live feed froze 0.3 s after it: 0.3 s is not over 0.5 s
    assert judge(frozen=[Stretch(0.0, 1.3)])["frozen"] == []
    # over the take onto the feed and 0.8 s into it: listed from the take
    [listed] = judge(frozen=[Stretch(0.0, 1.8)])["frozen"]
    assert listed["at"] == at(1).isoformat() and listed["seconds"] == 0.8


def test_under_the_slate_a_still_picture_is_expected_and_a_dying_feed_says_so() -> None:
    slate = [(at(3), at(4))]
    assert judge(frozen=[Stretch(3.0, 4.0)], slate=slate)["frozen"] == []
    [dying] = judge(frozen=[Stretch(2.0, 3.0)], slate=slate, dying=[(at(2), at(3))])["frozen"]
    assert dying["feed_dying"] is True and dying["segment"] == "live-a"
    # a card still since before the death, then the feed frozen on its own after the slate: not the dying feed's
    [own] = judge(frozen=[Stretch(0.0, 1.8)], slate=slate, dying=[(at(0.5), at(0.9))])["frozen"]
    assert own["feed_dying"] is False


@pytest.mark.skipif(not has_ffmpeg(), reason="needs ffmpeg: apt-get install -y ffmpeg")
def test_detect_finds_the_black_and_the_freeze_in_a_real_file(tmp_path) -> None:
    made = tmp_path / "programme.mkv"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=2",
         "-f", "lavfi", "-i", "color=black:size=320x180:rate=25:duration=1.5", "-f", "lavfi", "-i",
         "color=0x0B1F3A:size=320x180:rate=25:duration=2", "-filter_complex", "[0][1][2]concat=n=3:v=1",
         "-c:v", "libx264", str(made)], check=True)
    black, frozen, length = detect(made)
    assert [(round(s.start, 1), round(s.end, 1)) for s in black] == [(2.0, 3.5)]  # the slate's navy is not black
    assert [round(s.start, 1) for s in frozen] == [2.0, 3.5] and 5.4 < length < 5.6  # black, then the navy
    with pytest.raises(ValueError):
        detect(tmp_path / "missing.mkv")
