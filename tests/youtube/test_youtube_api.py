"""studio's YouTube adapter with the real googleapiclient against the loopback fake.

The fake keeps broadcast and stream state and enforces the real rules (see
fake_youtube.py); these tests check what studio makes of it: quota charged for
every attempt, bounded retries, errors that say what to do, the token file.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from datetime import UTC, datetime

import pytest

from studio.store.db import connect
from studio.store.youtube import YouTubeStore
from studio.youtube.api import TRIES, TokenFile, YouTubeApi
from studio.youtube.errors import YouTubeError
from studio.youtube.live import YouTube
from studio.youtube.quota import StoreLedger
from tests.clock import Clock

START = datetime(2026, 3, 15, 2, 0, tzinfo=UTC)


def write_token(fake, path, *, expired: bool = False) -> TokenFile:
    """The file `studio youtube auth` leaves behind, pointing at the fake's token endpoint."""
    info = fake.authorized_user() | {
        "scopes": ["https://www.googleapis.com/auth/youtube"],
        "expiry": "2000-01-01T00:00:00Z" if expired else "2999-01-01T00:00:00Z",
    }
    path.write_text(json.dumps(info))
    path.chmod(0o600)
    return TokenFile(path, fake.url + "token")


@pytest.fixture
def ledger(tmp_path):
    return StoreLedger(YouTubeStore(connect(tmp_path / "studio.db")), Clock(START))


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def api(fake_youtube, tmp_path, ledger, sleeps):
    token_file = write_token(fake_youtube, tmp_path / "token.json")
    return YouTubeApi(
        token_file.load(), ledger, endpoint=fake_youtube.url, token_file=token_file, sleep=sleeps.append,
        jitter=lambda: 1.0,
    )


@pytest.fixture
def adapter(api):
    return YouTube(api, sleep=lambda s: None)


def schedule(adapter: YouTube):
    broadcast = adapter.create_broadcast("Референдум 2026", "test", START, "unlisted")
    stream = adapter.create_stream("studio")
    return adapter.bind(broadcast.id, stream.id), stream


def test_schedule_and_bind_through_the_real_client(adapter, fake_youtube, ledger):
    broadcast, stream = schedule(adapter)
    assert broadcast.life_cycle == "ready" and broadcast.stream_id == stream.id and broadcast.monitor
    assert stream.ingest is not None and stream.ingest.key and stream.ingest.key not in repr(stream)
    stored = fake_youtube.broadcast(broadcast.id)
    assert stored["contentDetails"]["enableAutoStart"] is False
    assert stored["status"]["privacyStatus"] == "unlisted"
    # The ledger charged what the fake charged, call for call: the look before the insert, 3 x 50.
    assert ledger.spent_today() == fake_youtube.units_spent == 151


def test_server_errors_are_retried_with_backoff_and_every_attempt_is_charged(adapter, fake_youtube, ledger, sleeps):
    fake_youtube.fail_next("liveBroadcasts.insert", status=503, reason="backendError", times=2)
    adapter.create_broadcast("t", "d", START, "unlisted")
    assert sleeps == [1.0, 2.0] and len(fake_youtube.broadcasts) == 1
    # three attempts of 50; a list before them, and after each failure a look for what it may have made
    assert ledger.spent_today() == fake_youtube.units_spent == 153


def inserts(fake) -> list[int]:
    return [call.status for call in fake.calls if call.method == "liveBroadcasts.insert"]


def test_an_insert_whose_answer_is_lost_is_not_sent_again_when_it_made_the_broadcast(adapter, fake_youtube):
    earlier = adapter.create_broadcast("REHEARSAL · t", "an earlier one, never started", START, "unlisted")
    fake_youtube.fail_next("liveBroadcasts.insert", status=500, lost=True)
    made = adapter.create_broadcast("REHEARSAL · t", "d", START, "unlisted")
    assert made.id != earlier.id and set(fake_youtube.broadcasts) == {earlier.id, made.id}
    assert fake_youtube.broadcast(made.id)["snippet"]["description"] == "d"
    assert inserts(fake_youtube) == [200, 500]  # never a third broadcast


def test_an_insert_that_made_nothing_is_sent_again_and_an_older_namesake_is_not_taken(adapter, fake_youtube):
    earlier = adapter.create_broadcast("REHEARSAL · t", "an earlier one, never started", START, "unlisted")
    fake_youtube.fail_next("liveBroadcasts.insert", status=500)
    made = adapter.create_broadcast("REHEARSAL · t", "d", START, "unlisted")
    assert made.id != earlier.id and len(fake_youtube.broadcasts) == 2 and inserts(fake_youtube) == [200, 500, 200]


def test_when_no_look_can_tell_the_insert_fails_rather_than_make_a_second(adapter, fake_youtube):
    fake_youtube.fail_next("liveBroadcasts.insert", status=500, lost=True)
    fake_youtube.fail_next("liveBroadcasts.list", status=503, nth=2, times=TRIES)  # every look after the first
    with pytest.raises(YouTubeError) as failed:
        adapter.create_broadcast("t", "d", START, "unlisted")
    assert failed.value.code == "server" and len(fake_youtube.broadcasts) == 1 and inserts(fake_youtube) == [500]


def test_rate_limits_are_retried_a_bounded_number_of_times(adapter, fake_youtube, sleeps):
    fake_youtube.fail_next("liveStreams.insert", status=403, reason="rateLimitExceeded", times=TRIES)
    with pytest.raises(YouTubeError) as refused:
        adapter.create_stream("studio")
    assert refused.value.code == "rate_limit" and len(sleeps) == TRIES - 1
    assert max(sleeps) <= 16.0


def test_quota_exhausted_is_not_retried_and_says_when_it_resets(adapter, fake_youtube, sleeps):
    fake_youtube.set_quota_limit(0)
    with pytest.raises(YouTubeError) as refused:
        adapter.create_broadcast("t", "d", START, "unlisted")
    assert refused.value.code == "quota" and "midnight Pacific" in str(refused.value) and sleeps == []


def test_transition_while_youtube_receives_nothing(adapter):
    broadcast, _ = schedule(adapter)
    with pytest.raises(YouTubeError) as refused:
        adapter.transition(broadcast.id, "testing")
    assert refused.value.code == "stream_inactive" and "OBS" in str(refused.value)


def test_invalid_transition_and_missing_broadcast(adapter):
    broadcast, _ = schedule(adapter)
    with pytest.raises(YouTubeError) as refused:
        adapter.transition(broadcast.id, "complete")
    assert refused.value.code == "invalid_transition" and "status" in str(refused.value)
    with pytest.raises(YouTubeError) as missing:
        adapter.transition("nosuchbroadcast", "live")
    assert missing.value.code == "broadcast_not_found" and "schedule --new" in str(missing.value)
    assert adapter.broadcast("nosuchbroadcast") is None


def test_insufficient_permissions(adapter, fake_youtube):
    fake_youtube.fail_next("liveBroadcasts.insert", status=403, reason="insufficientPermissions")
    with pytest.raises(YouTubeError) as refused:
        adapter.create_broadcast("t", "d", START, "unlisted")
    assert refused.value.code == "permission" and "studio youtube auth" in str(refused.value)


def test_an_expired_access_token_is_refreshed_and_saved_0600(fake_youtube, tmp_path, ledger):
    token_file = write_token(fake_youtube, tmp_path / "token.json", expired=True)
    fake_youtube.expire_access_tokens()
    old = fake_youtube.access_token
    adapter = YouTube(YouTubeApi(token_file.load(), ledger, endpoint=fake_youtube.url, token_file=token_file))
    adapter.create_stream("studio")
    saved = json.loads(token_file.path.read_text())
    assert saved["token"] != old and fake_youtube.token_refreshes == 1
    assert stat.S_IMODE(os.stat(token_file.path).st_mode) == 0o600


def test_a_token_past_its_expiry_is_refreshed_before_it_is_sent_even_on_a_test_endpoint(fake_youtube, tmp_path, ledger):
    token_file = write_token(fake_youtube, tmp_path / "token.json", expired=True)
    fake_youtube.expire_access_tokens()
    YouTube(YouTubeApi(token_file.load(), ledger, endpoint=fake_youtube.url, token_file=token_file)).create_stream("s")
    assert [call.status for call in fake_youtube.calls] == [200]  # no 401 first
    assert fake_youtube.token_refreshes == 1 and json.loads(token_file.path.read_text())["expiry"] > "2000-01-01T00:00:00"


def test_a_revoked_sign_in_says_which_command_fixes_it_and_leaks_nothing(fake_youtube, tmp_path, ledger, caplog):
    caplog.set_level(logging.DEBUG)
    token_file = write_token(fake_youtube, tmp_path / "token.json", expired=True)
    fake_youtube.revoke()
    adapter = YouTube(YouTubeApi(token_file.load(), ledger, endpoint=fake_youtube.url, token_file=token_file))
    with pytest.raises(YouTubeError) as refused:
        adapter.create_stream("studio")
    text = str(refused.value)
    assert refused.value.code == "auth" and "studio youtube auth" in text
    for secret in (fake_youtube.access_token, fake_youtube.refresh_token, fake_youtube.client_secret):
        assert secret not in text and secret not in caplog.text and secret not in repr(refused.value)


def test_a_revoked_access_token_mid_show(fake_youtube, api, adapter):
    fake_youtube.revoke()
    with pytest.raises(YouTubeError) as refused:
        adapter.create_stream("studio")
    assert refused.value.code == "auth"


def test_no_token_file(tmp_path):
    with pytest.raises(YouTubeError) as refused:
        TokenFile(tmp_path / "none.json").load()
    assert "studio youtube auth" in str(refused.value)
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(YouTubeError) as broken:
        TokenFile(tmp_path / "broken.json").load()
    assert "broken.json" in str(broken.value)


def test_the_description_keeps_title_and_category(adapter, fake_youtube):
    broadcast, _ = schedule(adapter)
    description, snippet = adapter.description(broadcast.id)
    adapter.set_description(broadcast.id, snippet, description + "\n\n0:00 Ашылу")
    video = fake_youtube.video(broadcast.id)
    assert video["snippet"]["description"].endswith("0:00 Ашылу")
    assert video["snippet"]["title"] == "Референдум 2026"
