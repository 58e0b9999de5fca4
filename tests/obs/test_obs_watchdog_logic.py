"""The feed watchdog's decision, from (time, state, cursor) samples, and its thin poller. No OBS."""

from __future__ import annotations

import threading
import time

import pytest

from studio.obs.watchdog import (
    MISSING,
    PLAYING,
    FeedJudge,
    FeedWatchdog,
    Sample,
    Verdict,
    WatchSettings,
    judge,
    moving,
)

S = WatchSettings(poll_every=0.1, stall_after=0.8, start_grace=3.0)
ENDED = "OBS_MEDIA_STATE_ENDED"
OPENING = "OBS_MEDIA_STATE_OPENING"


def playing(*points: tuple[float, int]) -> list[Sample]:
    return [Sample(at, PLAYING, cursor) for at, cursor in points]


def steady(start: float, end: float, cursor0: int = 1000, every: float = 0.1) -> list[Sample]:
    """A healthy 25 fps feed sampled every 0.1 s: the cursor moves 100 ms per sample."""
    count = round((end - start) / every)
    return [Sample(start + i * every, PLAYING, cursor0 + i * 100) for i in range(count + 1)]


def test_an_advancing_cursor_is_alive() -> None:
    assert judge(steady(0, 2)) is Verdict.ALIVE


def test_a_cursor_that_stands_still_longer_than_the_stall_is_dead() -> None:
    samples = steady(0, 2)  # last move seen at t=2.0, cursor 3000
    still = [Sample(2.0 + 0.1 * i, PLAYING, 3000) for i in range(1, 9)]  # up to t=2.8
    assert judge(samples + still) is Verdict.ALIVE  # 0.8 s still: not yet
    assert judge(samples + still + [Sample(2.9, PLAYING, 3000)]) is Verdict.DEAD


def test_state_stays_playing_after_the_sender_dies_yet_it_is_dead() -> None:
    # What OBS 29 really reports for a dead udp:// feed: PLAYING, cursor frozen.
    samples = steady(0, 1) + [Sample(1 + 0.2 * i, PLAYING, 2000) for i in range(1, 6)]
    assert samples[-1].state == PLAYING
    assert judge(samples) is Verdict.DEAD


def test_a_cursor_jumping_back_is_still_moving() -> None:
    # a restarted sender: ffmpeg's clock starts again, the cursor drops
    samples = playing((0, 9000), (0.1, 9100), (0.2, 1480), (0.3, 1600), (1.0, 1700))
    assert judge(samples) is Verdict.ALIVE


@pytest.mark.parametrize("state", [ENDED, "OBS_MEDIA_STATE_ERROR", "OBS_MEDIA_STATE_STOPPED", MISSING])
def test_an_ended_errored_stopped_or_missing_input_is_dead_at_once_once_it_had_played(state: str) -> None:
    assert judge(steady(0, 1) + [Sample(1.1, state, None)]) is Verdict.DEAD


def test_a_new_feed_gets_a_grace_to_start() -> None:
    starting = [Sample(0, OPENING, None), Sample(0.5, PLAYING, 0), Sample(1.0, PLAYING, 0)]
    assert judge(starting) is Verdict.STARTING  # 1 s of cursor 0: a new URL opening
    assert judge(starting + [Sample(1.2, PLAYING, 1560)]) is Verdict.ALIVE
    never = starting + [Sample(2.0 + 0.5 * i, PLAYING, 0) for i in range(3)]  # up to 3.0 s
    assert judge(never) is Verdict.STARTING
    assert judge(never + [Sample(3.1, PLAYING, 0)]) is Verdict.DEAD
    assert judge([Sample(0, MISSING, None), Sample(3.2, MISSING, None)]) is Verdict.DEAD


def test_a_cursor_back_at_zero_is_a_restart_with_its_grace() -> None:
    # A take that changes the input's URL: the cursor drops to 0 until the first keyframe.
    samples = steady(0, 1) + [Sample(1.1 + 0.1 * i, PLAYING, 0) for i in range(25)]  # 0 up to t=3.5
    assert judge(samples) is Verdict.STARTING  # 2.5 s of 0, within the grace: no alarm
    assert judge(samples + [Sample(3.6, PLAYING, 11480)]) is Verdict.ALIVE
    assert judge(samples + [Sample(4.2, PLAYING, 0)]) is Verdict.DEAD  # nothing 3.1 s after the restart


def test_blind_samples_count_for_nothing_and_a_long_blind_gap_restarts_the_judgement() -> None:
    blind = [Sample(1.1 + 0.1 * i, None) for i in range(20)]  # OBS away for 2 s
    assert judge(steady(0, 1) + blind) is Verdict.UNKNOWN
    standing = FeedJudge(S)
    for sample in steady(0, 1) + blind:
        standing.observe(sample)
    assert standing.verdict is Verdict.ALIVE  # no evidence: the verdict so far stands, no alarm
    # OBS back (restarted): its feed needs ~1.2 s to move again; no false alarm
    back = [Sample(3.5, PLAYING, 0), Sample(4.0, PLAYING, 0), Sample(4.5, PLAYING, 0)]
    assert judge(steady(0, 1) + blind + back) is Verdict.STARTING
    assert judge(steady(0, 1) + blind + back + [Sample(4.7, PLAYING, 400)]) is Verdict.ALIVE
    # blind from the start: the clocks start at the first answer
    assert judge([Sample(0, None)] * 3 + [Sample(10.0, PLAYING, 5), Sample(10.1, PLAYING, 5)]) is Verdict.STARTING


def test_pre_flight_from_two_samples() -> None:
    assert moving(Sample(0, PLAYING, 100), Sample(0.4, PLAYING, 500)) is True
    assert moving(Sample(0, PLAYING, 100), Sample(0.4, PLAYING, 100)) is False
    assert moving(Sample(0, MISSING), Sample(0.4, MISSING)) is False
    assert moving(Sample(0, None), Sample(0.4, PLAYING, 1)) is None


class ScriptedFeed:
    """Reads for the poller: the cursor advances until kill(), as a real feed does."""

    def __init__(self) -> None:
        self.cursor = 0
        self.dead = False
        self.reads = 0

    def __call__(self, input_name: str) -> Sample:
        self.reads += 1
        if not self.dead:
            self.cursor += 100
        return Sample(time.monotonic(), PLAYING, self.cursor)


def test_poller_reports_a_dead_feed_once_and_only_for_the_watched_segment() -> None:
    feed = ScriptedFeed()
    lost: list[tuple[str, float]] = []
    fired = threading.Event()

    def on_lost(segment_id: str) -> None:
        lost.append((segment_id, time.monotonic()))
        fired.set()

    watchdog = FeedWatchdog(feed, on_lost, WatchSettings(poll_every=0.02, stall_after=0.2, start_grace=1))
    watchdog.start()
    try:
        watchdog.watch("live-1", "feed-astana")
        time.sleep(0.2)
        assert watchdog.health().verdict is Verdict.ALIVE and not lost
        feed.dead = True
        killed = time.monotonic()
        assert fired.wait(2)
        time.sleep(0.3)  # still dead: no second report
        assert [s for s, _ in lost] == ["live-1"]
        assert lost[0][1] > killed  # how soon is bench's business: a starved poller saw the last move earlier
        assert watchdog.health().reported and watchdog.health().verdict is Verdict.DEAD
        watchdog.unwatch()
        reads = feed.reads
        time.sleep(0.1)
        assert feed.reads == reads  # idle while nothing is watched
        assert watchdog.health().segment_id is None
    finally:
        watchdog.stop()


def test_poller_survives_a_failing_callback_and_a_take_resets_the_judgement() -> None:
    feed = ScriptedFeed()
    feed.dead = True

    def on_lost(segment_id: str) -> None:
        raise RuntimeError("controller exploded")

    watchdog = FeedWatchdog(feed, on_lost, WatchSettings(poll_every=0.01, stall_after=0.05, start_grace=0.05))
    watchdog.watch("a", "feed-a")
    verdicts = [watchdog.poll_once() for _ in range(3)]
    time.sleep(0.1)
    verdicts.append(watchdog.poll_once())
    assert verdicts[-1] is Verdict.DEAD and watchdog.health().reported
    watchdog.watch("a", "feed-a")  # the same inclusion again: its history stands
    assert watchdog.health().reported
    watchdog.watch("b", "feed-b")  # a new inclusion: judged afresh
    assert watchdog.poll_once() is Verdict.STARTING and not watchdog.health().reported
