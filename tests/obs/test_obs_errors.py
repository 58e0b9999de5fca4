"""Connection failures: a typed ObsError that says what to do, and never the password."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.obs import ObsAdapter, ObsError, ObsSettings
from tests.obs.obs_process import ObsProcess, free_port

pytestmark = pytest.mark.xdist_group("obs")  # one OBS per run under --dist loadgroup

WRONG_ENV = "STUDIO_TEST_WRONG_OBS_PASSWORD"
WRONG = "wrong-but-secret-Zq81"


@pytest.fixture
def wrong_password() -> Iterator[str]:
    os.environ[WRONG_ENV] = WRONG
    yield WRONG
    os.environ.pop(WRONG_ENV, None)


def assert_no_secret(error: ObsError, logs: pytest.LogCaptureFixture, *secrets: str) -> None:
    shown = [str(error), repr(error), logs.text] + [r.getMessage() for r in logs.records]
    for secret in secrets:
        assert not any(secret in text for text in shown), f"{secret!r} leaked"


@pytest.mark.obs
def test_wrong_password(
    obs: ObsProcess, wrong_password: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    adapter = ObsAdapter(ObsSettings(obs.host, obs.port, WRONG_ENV, timeout=5))
    with pytest.raises(ObsError) as caught:
        adapter.connect()
    error = caught.value
    assert error.failure == "auth"
    assert WRONG_ENV in str(error) and f"{obs.host}:{obs.port}" in str(error)
    assert error.__cause__ is None and error.__suppress_context__  # no library traceback
    assert "Connecting with parameters" in caplog.text  # obsws-python did log, redacted
    assert_no_secret(error, caplog, wrong_password, obs.password)
    assert not adapter.connected
    assert WRONG not in repr(adapter)


@pytest.mark.obs
def test_password_env_unset(obs: ObsProcess, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ObsError) as caught:
        ObsAdapter(ObsSettings(obs.host, obs.port, "STUDIO_TEST_UNSET_PASSWORD")).connect()
    assert caught.value.failure == "auth"
    assert "STUDIO_TEST_UNSET_PASSWORD is empty or unset" in str(caught.value)


def test_wrong_port(wrong_password: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    port = free_port()  # nothing listens there
    with pytest.raises(ObsError) as caught:
        ObsAdapter(ObsSettings("127.0.0.1", port, WRONG_ENV, timeout=2)).connect()
    error = caught.value
    assert error.failure == "refused"
    assert f"127.0.0.1:{port}" in str(error) and "is OBS running" in str(error)
    assert_no_secret(error, caplog, wrong_password)
    assert not any(r.exc_info for r in caplog.records)  # no tracebacks in the log


def test_not_a_websocket_server(wrong_password: str) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]

        def answer_http() -> None:
            connection, _ = server.accept()
            with connection:
                connection.recv(4096)
                connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")

        threading.Thread(target=answer_http, daemon=True).start()
        with pytest.raises(ObsError) as caught:
            ObsAdapter(ObsSettings("127.0.0.1", port, WRONG_ENV, timeout=2)).connect()
    assert caught.value.failure == "protocol"
    assert "not as obs-websocket" in str(caught.value)


def test_settings_repr_holds_only_the_env_var_name(wrong_password: str) -> None:
    settings = ObsSettings("127.0.0.1", 4455, WRONG_ENV)
    assert WRONG not in repr(settings) and WRONG_ENV in repr(settings)
    assert WRONG not in repr(ObsAdapter(settings))


def wait_until_stopped(pid: int) -> None:
    """kill() returns before every thread has stopped; one could still answer."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        states = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                states.append((task / "stat").read_text().rsplit(")", 1)[1].split()[0])
            except OSError:
                pass  # a thread that ended meanwhile
        if states and all(state == "T" for state in states):
            return
        time.sleep(0.01)
    raise AssertionError(f"OBS (pid {pid}) did not stop")


@pytest.mark.obs
def test_frozen_obs_times_out_and_drops_the_link(obs: ObsProcess) -> None:
    adapter = ObsAdapter(obs.settings(timeout=1))
    adapter.connect()
    assert obs.pid is not None
    os.kill(obs.pid, signal.SIGSTOP)  # hung, not dead: the socket stays open
    wait_until_stopped(obs.pid)
    try:
        with pytest.raises(ObsError) as caught:
            adapter.program_scene()
    finally:
        os.kill(obs.pid, signal.SIGCONT)
    assert caught.value.failure == "timeout"
    assert "did not answer GetCurrentProgramScene within 1 s" in str(caught.value)
    assert not adapter.connected  # a late answer must never be read as the next one's
    adapter.connect()
    assert adapter.program_scene()
    adapter.close()
