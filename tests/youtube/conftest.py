"""The fake YouTube API (one per test session, reset for every test) and a real RTMP ingest.

`rtmp_ingest` needs nginx, its RTMP module and ffmpeg: without them its tests
are skipped locally but fail under CI=true, as real-OBS tests do, so CI never
passes by not testing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.youtube.fake_youtube import FakeYouTube, youtube_client
from tests.youtube.rtmp import INSTALL_HINT, RtmpError, RtmpIngest, missing_binaries


@pytest.fixture(scope="session")
def youtube_server() -> Iterator[FakeYouTube]:
    """The session's fake server; tests take `fake_youtube`, which resets it."""
    with FakeYouTube() as fake:
        yield fake


@pytest.fixture
def fake_youtube(youtube_server: FakeYouTube) -> FakeYouTube:
    """A running fake with no resources, a fresh access/refresh token pair and full quota."""
    youtube_server.reset()
    return youtube_server


@pytest.fixture
def youtube(fake_youtube: FakeYouTube) -> Any:
    """The real googleapiclient client, authorised with the fake's tokens."""
    return youtube_client(fake_youtube)


@pytest.fixture(scope="session")
def rtmp_ingest(youtube_server: FakeYouTube, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RtmpIngest]:
    """nginx-rtmp wired to the session's fake; new liveStreams report its address as ingestionAddress."""
    if missing := missing_binaries():
        reason = f"needs a real RTMP ingest: {', '.join(missing)} not found; {INSTALL_HINT}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    ingest = RtmpIngest(
        tmp_path_factory.mktemp("rtmp"),
        on_publish=youtube_server.on_publish_url,
        on_publish_done=youtube_server.on_publish_done_url,
    )
    try:
        ingest.start()
    except RtmpError as error:
        pytest.fail(str(error), pytrace=False)
    unreachable, youtube_server.ingest_address = youtube_server.ingest_address, ingest.url
    yield ingest
    youtube_server.ingest_address = unreachable
    ingest.stop()
