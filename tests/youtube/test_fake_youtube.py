"""The fake YouTube behaves like Google for the real googleapiclient: shapes, rules, quota, auth."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from google.auth.exceptions import RefreshError
from googleapiclient.errors import HttpError

from tests.youtube.fake_youtube import FakeYouTube, youtube_client
from tests.youtube.rtmp import RtmpIngest, publish

START = "2026-03-15T04:30:00Z"
BROADCAST = {
    "snippet": {"title": "Referendum day", "scheduledStartTime": START},
    "status": {"privacyStatus": "unlisted"},
    "contentDetails": {"enableAutoStart": False, "enableAutoStop": False, "monitorStream": {"enableMonitorStream": True}},
}
STREAM = {"snippet": {"title": "Programme"}, "cdn": {"ingestionType": "rtmp", "resolution": "variable", "frameRate": "variable"}}


def reason(error: HttpError) -> str:
    """Google's machine-readable reason (HttpError.reason is only the message)."""
    return json.loads(error.content)["error"]["errors"][0]["reason"]


def failure(call: Callable[[], Any]) -> HttpError:
    with pytest.raises(HttpError) as raised:
        call()
    return raised.value


def wait_for(check: Callable[[], Any], what: str, timeout: float = 10.0) -> Any:
    """Poll `check` until it returns something truthy; fail naming `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def new_broadcast(youtube: Any, **content: Any) -> dict[str, Any]:
    body = {**BROADCAST, "contentDetails": {**BROADCAST["contentDetails"], **content}}
    return youtube.liveBroadcasts().insert(part="snippet,status,contentDetails", body=body).execute()


def new_stream(youtube: Any) -> dict[str, Any]:
    return youtube.liveStreams().insert(part="snippet,cdn,contentDetails,status", body=STREAM).execute()


def bound_pair(youtube: Any, **content: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    broadcast, stream = new_broadcast(youtube, **content), new_stream(youtube)
    youtube.liveBroadcasts().bind(id=broadcast["id"], streamId=stream["id"], part="id,status").execute()
    return broadcast, stream


def lifecycle(youtube: Any, broadcast_id: str) -> str:
    return youtube.liveBroadcasts().list(id=broadcast_id, part="status").execute()["items"][0]["status"]["lifeCycleStatus"]


def stream_status(youtube: Any, stream_id: str) -> dict[str, Any]:
    return youtube.liveStreams().list(id=stream_id, part="status").execute()["items"][0]["status"]


def transition(youtube: Any, broadcast_id: str, status: str) -> dict[str, Any]:
    return youtube.liveBroadcasts().transition(broadcastStatus=status, id=broadcast_id, part="id,snippet,status").execute()


# ----- resources and shapes ----------------------------------------------------------------


def test_insert_answers_only_the_requested_parts_with_ids_kind_and_etag(youtube: Any) -> None:
    inserted = youtube.liveBroadcasts().insert(part="snippet,status", body=BROADCAST).execute()
    assert inserted["kind"] == "youtube#liveBroadcast" and len(inserted["id"]) == 11 and inserted["etag"]
    assert set(inserted) == {"kind", "etag", "id", "snippet", "status"}
    assert inserted["status"]["lifeCycleStatus"] == "created"
    listed = youtube.liveBroadcasts().list(id=inserted["id"], part="contentDetails").execute()
    assert listed["kind"] == "youtube#liveBroadcastListResponse"
    assert set(listed["items"][0]) == {"kind", "etag", "id", "contentDetails"}
    details = listed["items"][0]["contentDetails"]
    assert details["enableAutoStart"] is False and details["monitorStream"]["enableMonitorStream"] is True


def test_a_stream_reports_the_configured_ingest_and_its_key(fake_youtube: FakeYouTube, youtube: Any) -> None:
    stream = new_stream(youtube)
    info = stream["cdn"]["ingestionInfo"]
    assert info["ingestionAddress"] == fake_youtube.ingest_address and len(info["streamName"]) == 24
    assert stream["cdn"]["ingestionType"] == "rtmp"
    assert stream["status"]["streamStatus"] == "ready" and stream["status"]["healthStatus"]["status"] == "noData"


@pytest.mark.parametrize(
    ("part", "body", "expected"),
    [
        ("snippet,status", {**BROADCAST, "snippet": {"scheduledStartTime": START}}, "titleRequired"),
        ("snippet,status", {**BROADCAST, "snippet": {"title": "x"}}, "scheduledStartTimeRequired"),
        ("snippet,status", {**BROADCAST, "snippet": {"title": "x", "scheduledStartTime": "15.03.2026"}}, "invalidScheduledStartTime"),
        ("snippet,status", {**BROADCAST, "snippet": {"title": "x", "scheduledStartTime": START, "scheduledEndTime": "2026-03-15T04:00:00Z"}}, "invalidScheduledEndTime"),
        ("snippet,status", {**BROADCAST, "status": {}}, "privacyStatusRequired"),
        ("snippet,status", {**BROADCAST, "snippet": {"title": "a <b>", "scheduledStartTime": START}}, "invalidTitle"),
        ("status", BROADCAST, "titleRequired"),  # a snippet outside `part` is ignored, as at Google
    ],
)
def test_insert_validates_required_fields(youtube: Any, part: str, body: dict[str, Any], expected: str) -> None:
    error = failure(youtube.liveBroadcasts().insert(part=part, body=body).execute)
    assert (error.status_code, reason(error)) == (400, expected)


def test_unknown_ids_are_404_with_googles_reasons(youtube: Any) -> None:
    broadcast = new_broadcast(youtube)
    missing_stream = failure(youtube.liveBroadcasts().bind(id=broadcast["id"], streamId="nope", part="id").execute)
    assert (missing_stream.status_code, reason(missing_stream)) == (404, "liveStreamNotFound")
    missing_broadcast = failure(youtube.liveBroadcasts().transition(broadcastStatus="testing", id="nope", part="id").execute)
    assert (missing_broadcast.status_code, reason(missing_broadcast)) == (404, "liveBroadcastNotFound")
    assert youtube.liveBroadcasts().list(id="nope", part="id").execute()["items"] == []


def test_mine_lists_page_five_at_a_time_by_default(youtube: Any) -> None:
    made = {new_broadcast(youtube)["id"] for _ in range(6)}
    first = youtube.liveBroadcasts().list(mine=True, part="id").execute()
    second = youtube.liveBroadcasts().list(mine=True, part="id", pageToken=first["nextPageToken"]).execute()
    assert len(first["items"]) == 5 and "nextPageToken" not in second
    assert {i["id"] for i in first["items"] + second["items"]} == made


def test_deleting_is_204_and_forgets_the_broadcast(youtube: Any) -> None:
    broadcast = new_broadcast(youtube)
    assert youtube.liveBroadcasts().delete(id=broadcast["id"]).execute() == ""
    assert youtube.liveBroadcasts().list(id=broadcast["id"], part="id").execute()["items"] == []


# ----- videos: where chapters are written ----------------------------------------------


def test_a_broadcast_is_a_video_whose_update_needs_title_and_category(fake_youtube: FakeYouTube, youtube: Any) -> None:
    broadcast = new_broadcast(youtube)
    video = youtube.videos().list(id=broadcast["id"], part="snippet").execute()["items"][0]
    assert video["kind"] == "youtube#video" and video["snippet"]["liveBroadcastContent"] == "upcoming"
    chapters = "00:00 Студия\n05:00 Астана"
    without_category = {"id": broadcast["id"], "snippet": {"title": "Referendum day", "description": chapters}}
    error = failure(youtube.videos().update(part="snippet", body=without_category).execute)
    assert (error.status_code, reason(error)) == (400, "invalidVideoMetadata")
    snippet = {"title": "Referendum day", "description": chapters, "categoryId": "25"}
    updated = youtube.videos().update(part="snippet", body={"id": broadcast["id"], "snippet": snippet}).execute()
    assert updated["snippet"]["description"] == chapters and updated["snippet"]["categoryId"] == "25"
    assert fake_youtube.broadcast(broadcast["id"])["snippet"]["description"] == chapters


def test_video_update_overwrites_omitted_fields_and_counts_description_bytes(youtube: Any) -> None:
    broadcast = new_broadcast(youtube)
    full = {"title": "T", "description": "kept?", "categoryId": "25"}
    youtube.videos().update(part="snippet", body={"id": broadcast["id"], "snippet": full}).execute()
    cleared = youtube.videos().update(part="snippet", body={"id": broadcast["id"], "snippet": {"title": "T", "categoryId": "25"}}).execute()
    assert cleared["snippet"]["description"] == ""  # Google clears what an update leaves out
    too_long = {"title": "T", "categoryId": "25", "description": "Ә" * 2501}  # 2501 characters, 5002 bytes
    error = failure(youtube.videos().update(part="snippet", body={"id": broadcast["id"], "snippet": too_long}).execute)
    assert reason(error) == "invalidDescription"


# ----- lifecycle rules without media ----------------------------------------------------


def test_transitions_are_refused_by_the_rules(youtube: Any) -> None:
    unbound = new_broadcast(youtube)
    assert reason(failure(lambda: transition(youtube, unbound["id"], "testing"))) == "invalidTransition"
    broadcast, _ = bound_pair(youtube)
    assert lifecycle(youtube, broadcast["id"]) == "ready"
    inactive = failure(lambda: transition(youtube, broadcast["id"], "testing"))
    assert (inactive.status_code, reason(inactive)) == (403, "errorStreamInactive")
    assert reason(failure(lambda: transition(youtube, broadcast["id"], "live"))) == "invalidTransition"  # monitor on: test first
    assert reason(failure(lambda: transition(youtube, broadcast["id"], "complete"))) == "invalidTransition"


def test_without_a_monitor_stream_there_is_no_testing(youtube: Any) -> None:
    broadcast, _ = bound_pair(youtube, monitorStream={"enableMonitorStream": False})
    assert reason(failure(lambda: transition(youtube, broadcast["id"], "testing"))) == "invalidTransition"
    assert reason(failure(lambda: transition(youtube, broadcast["id"], "live"))) == "errorStreamInactive"


# ----- quota, faults, auth ------------------------------------------------------------------


def test_every_request_is_charged_and_an_exhausted_quota_is_403(fake_youtube: FakeYouTube, youtube: Any) -> None:
    fake_youtube.set_quota_limit(120)
    new_broadcast(youtube)
    invalid = failure(youtube.liveBroadcasts().insert(part="snippet,status", body={}).execute)
    assert invalid.status_code == 400 and fake_youtube.units_spent == 100  # invalid requests cost too
    exhausted = failure(lambda: new_broadcast(youtube))
    body = json.loads(exhausted.content)["error"]
    assert (exhausted.status_code, body["errors"][0]["reason"], body["errors"][0]["domain"]) == (403, "quotaExceeded", "youtube.quota")
    youtube.liveBroadcasts().list(mine=True, part="id").execute()  # 1 unit still fits
    assert fake_youtube.units_spent == 101
    assert [(c.method, c.status) for c in fake_youtube.calls] == [
        ("liveBroadcasts.insert", 200), ("liveBroadcasts.insert", 400), ("liveBroadcasts.insert", 403), ("liveBroadcasts.list", 200),
    ]  # fmt: skip


def test_an_injected_500_reaches_the_client_and_clears(fake_youtube: FakeYouTube, youtube: Any) -> None:
    fake_youtube.fail_next("liveBroadcasts.list")
    error = failure(youtube.liveBroadcasts().list(mine=True, part="id").execute)
    assert (error.status_code, reason(error)) == (500, "backendError")
    assert youtube.liveBroadcasts().list(mine=True, part="id").execute()["items"] == []
    assert fake_youtube.units_spent == 2


def test_a_fault_can_wait_for_the_nth_call(fake_youtube: FakeYouTube, youtube: Any) -> None:
    fake_youtube.fail_next("liveStreams.insert", status=429, reason="rateLimitExceeded", nth=2, times=2)
    new_stream(youtube)
    assert reason(failure(lambda: new_stream(youtube))) == "rateLimitExceeded"
    assert failure(lambda: new_stream(youtube)).status_code == 429
    new_stream(youtube)
    assert [c.status for c in fake_youtube.calls] == [200, 429, 429, 200] and len(fake_youtube.streams) == 2


def test_a_fault_and_a_revocation_can_wait_for_a_moment_of_the_tests_clock(fake_youtube: FakeYouTube, youtube: Any) -> None:
    from datetime import UTC, datetime, timedelta

    now = [datetime(2026, 3, 15, 5, 0, tzinfo=UTC)]
    fake_youtube.clock = lambda: now[0]
    fake_youtube.fail_next("liveBroadcasts.list", status=403, reason="quotaExceeded", from_time=now[0] + timedelta(hours=1))
    fake_youtube.revoke(from_time=now[0] + timedelta(hours=2))
    assert youtube.liveBroadcasts().list(mine=True, part="id").execute()["items"] == []
    now[0] += timedelta(hours=1)
    assert reason(failure(youtube.liveBroadcasts().list(mine=True, part="id").execute)) == "quotaExceeded"
    assert youtube.liveBroadcasts().list(mine=True, part="id").execute()["items"] == []  # it happened once
    now[0] += timedelta(hours=1)
    with pytest.raises(RefreshError, match="invalid_grant"):  # the 401, then the refresh refused
        youtube.liveBroadcasts().list(mine=True, part="id").execute()


def test_a_lost_answer_fails_a_method_that_did_its_work(fake_youtube: FakeYouTube, youtube: Any) -> None:
    fake_youtube.fail_next("liveBroadcasts.insert", status=500, lost=True)
    assert failure(lambda: new_broadcast(youtube)).status_code == 500
    (made,) = fake_youtube.broadcasts.values()
    assert made["snippet"]["title"] == "Referendum day" and fake_youtube.units_spent == 50


def test_the_client_retries_rate_limits_but_not_permission_errors(fake_youtube: FakeYouTube, youtube: Any) -> None:
    fake_youtube.fail_next("/youtube/v3/liveStreams", status=403, reason="rateLimitExceeded")
    request = youtube.liveStreams().list(mine=True, part="id")
    request._rand = lambda: 0.0  # the client's back-off sleeps rand() * 2**n seconds
    assert request.execute(num_retries=2)["items"] == []
    fake_youtube.fail_next("liveStreams.list", status=403, reason="insufficientPermissions")
    error = failure(lambda: youtube.liveStreams().list(mine=True, part="id").execute(num_retries=2))
    assert reason(error) == "insufficientPermissions"
    assert [c.status for c in fake_youtube.calls] == [403, 200, 403]


def test_an_unknown_token_is_401_in_googles_shape_and_costs_nothing(fake_youtube: FakeYouTube) -> None:
    request = urllib.request.Request(fake_youtube.url + "youtube/v3/liveBroadcasts?part=id&mine=true", headers={"Authorization": "Bearer forged"})
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=5)
    error = json.loads(raised.value.read())["error"]
    assert (raised.value.code, error["status"], error["errors"][0]["reason"], error["errors"][0]["domain"]) == (401, "UNAUTHENTICATED", "authError", "global")
    assert fake_youtube.units_spent == 0


def test_an_expired_access_token_is_refreshed_through_the_token_endpoint(fake_youtube: FakeYouTube, youtube: Any) -> None:
    fake_youtube.expire_access_tokens()
    assert youtube.liveBroadcasts().list(mine=True, part="id").execute()["items"] == []
    assert fake_youtube.token_refreshes == 1
    assert [c.status for c in fake_youtube.calls] == [401, 200]


def test_a_revoked_grant_raises_refresh_error(fake_youtube: FakeYouTube, youtube: Any) -> None:
    fake_youtube.revoke()
    with pytest.raises(RefreshError, match="invalid_grant"):
        youtube.liveBroadcasts().list(mine=True, part="id").execute()


def test_a_wrong_client_secret_cannot_refresh(fake_youtube: FakeYouTube) -> None:
    fake_youtube.expire_access_tokens()
    with pytest.raises(RefreshError, match="invalid_client"):
        youtube_client(fake_youtube, client_secret="wrong").liveStreams().list(mine=True, part="id").execute()


def test_tokens_never_reach_the_log(fake_youtube: FakeYouTube, youtube: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    old_token, refresh_token = fake_youtube.access_token, fake_youtube.refresh_token
    new_broadcast(youtube)
    fake_youtube.expire_access_tokens()
    new_stream(youtube)
    assert fake_youtube.token_refreshes == 1 and "/youtube/v3/liveStreams" in caplog.text
    for secret in (old_token, fake_youtube.access_token, refresh_token, fake_youtube.client_secret):
        assert secret not in caplog.text


# ----- with real RTMP media ------------------------------------------------------------------


def test_the_whole_lifecycle_with_a_real_rtmp_stream(fake_youtube: FakeYouTube, youtube: Any, rtmp_ingest: RtmpIngest) -> None:
    broadcast, stream = bound_pair(youtube)
    info = stream["cdn"]["ingestionInfo"]
    assert info["ingestionAddress"] == rtmp_ingest.url
    assert reason(failure(lambda: transition(youtube, broadcast["id"], "testing"))) == "errorStreamInactive"
    with publish(info["ingestionAddress"], info["streamName"]) as ffmpeg:
        wait_for(lambda: stream_status(youtube, stream["id"])["streamStatus"] == "active", "the stream to turn active")
        assert stream_status(youtube, stream["id"])["healthStatus"]["status"] == "good"
        assert transition(youtube, broadcast["id"], "testing")["status"]["lifeCycleStatus"] == "testStarting"
        assert reason(failure(lambda: transition(youtube, broadcast["id"], "testing"))) == "redundantTransition"
        assert reason(failure(lambda: transition(youtube, broadcast["id"], "live"))) == "invalidTransition"  # still starting
        wait_for(lambda: lifecycle(youtube, broadcast["id"]) == "testing", "testing")
        assert transition(youtube, broadcast["id"], "live")["status"]["lifeCycleStatus"] == "liveStarting"
        wait_for(lambda: lifecycle(youtube, broadcast["id"]) == "live", "live")
        snippet = youtube.liveBroadcasts().list(id=broadcast["id"], part="snippet").execute()["items"][0]["snippet"]
        assert snippet["actualStartTime"].endswith("Z") and "actualEndTime" not in snippet
        assert reason(failure(youtube.liveBroadcasts().delete(id=broadcast["id"]).execute)) == "liveBroadcastDeletionNotAllowed"
        assert transition(youtube, broadcast["id"], "complete")["snippet"]["actualEndTime"] >= snippet["actualStartTime"]
        assert reason(failure(lambda: transition(youtube, broadcast["id"], "complete"))) == "redundantTransition"
        assert ffmpeg.poll() is None, "ffmpeg stopped publishing on its own"
    wait_for(lambda: stream_status(youtube, stream["id"])["streamStatus"] == "inactive", "the stream to turn inactive")
    assert stream_status(youtube, stream["id"])["healthStatus"]["status"] == "noData"
    video = youtube.videos().list(id=broadcast["id"], part="snippet,liveStreamingDetails").execute()["items"][0]
    assert video["snippet"]["liveBroadcastContent"] == "none" and "actualEndTime" in video["liveStreamingDetails"]


def test_auto_start_takes_a_ready_broadcast_live_when_media_arrives(youtube: Any, rtmp_ingest: RtmpIngest) -> None:
    broadcast, stream = bound_pair(youtube, enableAutoStart=True)
    info = stream["cdn"]["ingestionInfo"]
    with publish(info["ingestionAddress"], info["streamName"]):
        wait_for(lambda: lifecycle(youtube, broadcast["id"]) == "live", "auto start to go live")


def test_the_ingest_refuses_an_unknown_stream_key(youtube: Any, rtmp_ingest: RtmpIngest) -> None:
    new_stream(youtube)
    with publish(rtmp_ingest.url, "not-a-key") as ffmpeg:
        wait_for(lambda: ffmpeg.poll() is not None, "ffmpeg to be refused")
        assert ffmpeg.returncode != 0


def test_forced_health_shows_until_the_next_publish_event(fake_youtube: FakeYouTube, youtube: Any, rtmp_ingest: RtmpIngest) -> None:
    stream = new_stream(youtube)
    info = stream["cdn"]["ingestionInfo"]
    with publish(info["ingestionAddress"], info["streamName"]):
        wait_for(lambda: stream_status(youtube, stream["id"])["streamStatus"] == "active", "the stream to turn active")
        issue = {"type": "bitrateLow", "severity": "error", "reason": "Low bitrate", "description": "The bitrate is too low."}
        fake_youtube.set_health(stream["id"], "bad", issues=[issue])
        health = stream_status(youtube, stream["id"])["healthStatus"]
        assert health["status"] == "bad" and health["configurationIssues"] == [issue]
    wait_for(lambda: stream_status(youtube, stream["id"])["healthStatus"]["status"] == "noData", "health to reset")
