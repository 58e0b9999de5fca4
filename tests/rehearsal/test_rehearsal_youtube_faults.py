"""YouTube failing while `studio rehearse --youtube unlisted` schedules its broadcast: each transient fault is
retried, quota and a revoked sign-in are said once with what to do, and there is never a second broadcast.

The real googleapiclient against the loopback fake (tests/youtube/fake_youtube.py), which fails the nth call
of a method, or answers an error for an insert that did its work (a lost answer). The whole day on real OBS,
with faults while it runs, is tests/rehearsal/test_rehearsal_under_faults.py.
"""

from __future__ import annotations

import pytest

from studio.store import open_store
from studio.store.youtube import YouTubeStore
from tests.rehearsal.test_rehearsal_youtube import rehearsal, rehearsal_store, show  # noqa: F401 (fixture)
from tests.youtube.conftest import fake_youtube, youtube_server  # noqa: F401 (fixtures)


def inserts(fake) -> list[int]:
    """The statuses of every liveBroadcasts.insert the fake answered."""
    return answered(fake, "liveBroadcasts.insert")


def answered(fake, method: str, since: int = 0) -> list[int]:
    """The statuses of the fake's answers to ``method``, from its ``since``-th call on."""
    return [call.status for call in fake.calls[since:] if call.method == method]


def scheduled(fake, tmp_path, rundown, said):
    youtube = rehearsal(fake, tmp_path, rundown, rehearsal_store(tmp_path, rundown.show.id), None, said)
    return youtube, youtube.schedule()


@pytest.mark.parametrize("method, fault, sent", [
    ("liveBroadcasts.insert", {"status": 500, "lost": True}, 1),  # YouTube made it; only its answer failed
    ("liveBroadcasts.insert", {"status": 503, "times": 2}, 3),  # it made nothing: sent again
    ("liveBroadcasts.insert", {"status": 403, "reason": "rateLimitExceeded"}, 2),
    ("liveStreams.insert", {"status": 429, "reason": "rateLimitExceeded"}, 1),
    ("liveBroadcasts.bind", {"status": 500, "lost": True}, 1),
    ("liveBroadcasts.bind", {"status": 403, "reason": "userRateLimitExceeded"}, 1),
    ("liveBroadcasts.list", {"status": 502, "nth": 2}, 1),  # the look after a lost answer, failing in its turn
], ids=lambda value: value if isinstance(value, str) else "-".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, dict) else str(value))
def test_a_transient_fault_is_retried_and_makes_one_broadcast(fake_youtube, show, small_rundown, tmp_path, method, fault, sent):  # noqa: F811
    _, show_broadcast, _ = show
    if method == "liveBroadcasts.list":  # the insert's answer lost, then its look fails once
        fake_youtube.fail_next("liveBroadcasts.insert", status=500, lost=True)
    fake_youtube.fail_next(method, **fault)
    before = len(inserts(fake_youtube))
    said: list[str] = []
    youtube, made = scheduled(fake_youtube, tmp_path, small_rundown, said)

    assert made is not None and said == [], said
    assert set(fake_youtube.broadcasts) == {show_broadcast, made.id}  # one of the rehearsal's, never two
    assert fake_youtube.broadcast(made.id)["status"]["lifeCycleStatus"] == "ready"
    assert len(inserts(fake_youtube)) - before == sent
    store = open_store(tmp_path / "rehearsal.db")
    assert YouTubeStore(store.db).broadcast(small_rundown.show.id).broadcast_id == made.id
    store.close()
    assert youtube.end()["error"] is None


def test_the_quota_running_out_midway_is_said_once_with_what_to_do(fake_youtube, show, small_rundown, tmp_path):  # noqa: F811
    _, show_broadcast, _ = show
    fake_youtube.fail_next("liveBroadcasts.bind", status=403, reason="quotaExceeded")
    since = len(fake_youtube.calls)
    said: list[str] = []
    youtube, made = scheduled(fake_youtube, tmp_path, small_rundown, said)

    assert made is None
    (line,) = said
    assert line.startswith("YouTube is off for this rehearsal, which goes on without it: binding")
    assert "quota" in line and "midnight Pacific" in line and "ask Google for more quota" in line
    (mine,) = set(fake_youtube.broadcasts) - {show_broadcast}  # made, never bound, never live
    assert answered(fake_youtube, "liveBroadcasts.bind", since) == [403]  # not retried
    figures = youtube.end()
    assert figures["broadcast"] == mine and figures["live_s"] is None and "quota" in figures["error"]


def test_a_rate_limit_that_does_not_pass_is_said_after_bounded_retries(fake_youtube, show, small_rundown, tmp_path):  # noqa: F811
    from studio.youtube.api import TRIES

    fake_youtube.fail_next("liveStreams.insert", status=429, reason="rateLimitExceeded", times=TRIES)
    since = len(fake_youtube.calls)
    said: list[str] = []
    youtube, made = scheduled(fake_youtube, tmp_path, small_rundown, said)

    assert made is None and len(said) == 1 and "wait a minute and try again" in said[0]
    assert answered(fake_youtube, "liveStreams.insert", since) == [429] * TRIES
    assert len(inserts(fake_youtube)) == 2  # the show's and the rehearsal's: one each
    assert "rate limit" in youtube.end()["error"]
