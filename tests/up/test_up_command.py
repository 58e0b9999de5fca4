"""``studio up`` as a person runs it: a real supervisor process, its children on free loopback ports.

Each test waits for conditions (a status line, an answer) with generous
timeouts, never for a length of time.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from studio.machine import utc_now
from studio.store.desk import open_desk
from studio.store.observers import add_observer
from tests.web.http_helpers import SHOW, TOKEN, http

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "obs-password-never-shown-0123456789"
WAIT = 120.0  # seconds: three Python children starting on a loaded machine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Up:
    """A running ``studio up``: its status lines as they come, its standard error kept whole."""

    def __init__(self, process: subprocess.Popen[str], ports: dict[str, int]) -> None:
        self.process, self.ports = process, ports
        self.lines: list[str] = []
        self.errors: list[str] = []
        self.seen: dict[str, int] = {}  # per service: the status lines already matched
        self.changed = threading.Condition()
        threading.Thread(target=self._read, args=(process.stdout, self._status), daemon=True).start()
        self.stderr_done = threading.Thread(target=self._read, args=(process.stderr, self.errors.append), daemon=True)
        self.stderr_done.start()

    @staticmethod
    def _read(stream, keep: Callable[[str], None]) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            keep(line.rstrip("\n"))

    def _status(self, line: str) -> None:
        with self.changed:
            self.lines.append(line)
            self.changed.notify_all()

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def wait_for(self, service: str, pattern: str) -> re.Match[str]:
        """The next status line of ``service`` (after the last one matched) that matches ``pattern``."""
        deadline = time.monotonic() + WAIT
        with self.changed:
            while time.monotonic() < deadline:
                for index in range(self.seen.get(service, 0), len(self.lines)):
                    found = re.search(rf"\s{service}\s.*{pattern}", self.lines[index])
                    if found:
                        self.seen[service] = index + 1
                        return found
                assert self.process.poll() is None, f"studio up ended: {self.lines}\n{self.errors}"
                self.changed.wait(1.0)
        raise AssertionError(f"no '{pattern}' for {service} in {self.lines}\n{self.errors}")

    def stop(self) -> str:
        """Ctrl+C; everything it wrote afterwards."""
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)
        self.stderr_done.join(10)
        return "\n".join(self.lines + self.errors)


@pytest.fixture
def studio_up(tmp_path: Path) -> Iterator[Callable[..., Up]]:
    started: list[subprocess.Popen[str]] = []

    def start(*arguments: str, environment: dict[str, str] | None = None, ports: dict[str, int] | None = None) -> Up:
        ports = ports or {name: free_port() for name in ("api", "prompter", "intake")}
        config = tmp_path / "config.toml"
        config.write_text(
            "[operators]\nsign_in = false\n"
            + "".join(f"[{name}]\nport = {port}\n" for name, port in ports.items()),
            "utf-8",
        )
        without_token = {key: value for key, value in os.environ.items() if key != "STUDIO_API_TOKEN"}
        process = subprocess.Popen(
            [sys.executable, "-m", "studio", "--lang", "en", "--config", str(config),
             "--store", str(tmp_path / "studio.db"), "up", str(SHOW), *arguments],
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=without_token | {"PYTHONPATH": str(ROOT), "OBS_PASSWORD": PASSWORD} | (environment or {}),
        )
        started.append(process)
        return Up(process, ports)

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def observer_token(store: Path) -> str:
    desk = open_desk(store)
    try:
        return add_observer(desk.db, "aigerim", by="desk", at=utc_now())
    finally:
        desk.close()


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # a zombie still answers until its parent reaps it; it holds no port and runs nothing
    return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"


def test_every_service_answers_and_ctrl_c_stops_them_all(studio_up, tmp_path: Path) -> None:
    up = studio_up(environment={"STUDIO_API_TOKEN": TOKEN})
    pids = {name: int(up.wait_for(name, r"up \(pid (\d+)\)").group(1)) for name in ("intake", "api", "prompter")}

    state = http("GET", f"{up.url('api')}/state")
    assert state.status == 200 and state.body["show"]["id"] == "referendum"
    assert http("GET", f"{up.url('api')}/state", token=None).status == 401
    assert http("GET", f"{up.url('intake')}/health", token=None).body == {"status": "ok"}
    report = {"region": "astana", "station": 12, "kind": "violation", "text": "Вбросы на участке 12"}
    token = observer_token(tmp_path / "studio.db")
    deadline = time.monotonic() + WAIT
    # the intake rereads its tokens at most every RELOAD_SECONDS: a token issued now is refused until then
    while (sent := http("POST", f"{up.url('intake')}/reports", token=token, json_body=report)).status == 401:
        assert time.monotonic() < deadline, "the intake never took the new token"
        time.sleep(0.2)
    assert sent.status == 201 and sent.body["observer"] == "aigerim"  # the one store every service is on
    page = http("GET", f"{up.url('prompter')}/", token=None)
    assert page.status == 200 and "<html" in page.body

    said = up.stop()
    assert up.process.returncode == 0, said
    assert "Traceback" not in said
    for name in pids:
        assert re.search(rf"\s{name}\s.*\sstopped$", said, re.MULTILINE), said
    assert all(gone(pid) for pid in pids.values())
    assert TOKEN not in said and PASSWORD not in said
    assert "store " in said and "show referendum" in said  # the header names the store and the show


def test_a_killed_service_is_restarted_and_a_killed_supervisor_takes_its_children(studio_up) -> None:
    up = studio_up("--service", "api", "--service", "prompter", environment={"STUDIO_API_TOKEN": TOKEN})
    first = int(up.wait_for("api", r"up \(pid (\d+)\)").group(1))
    prompter = int(up.wait_for("prompter", r"up \(pid (\d+)\)").group(1))

    os.kill(first, signal.SIGKILL)
    up.wait_for("api", r"restarting \(attempt 2, next in 1 s\) — last error: killed by SIGKILL")
    up.wait_for("api", r"starting \(attempt 2\)")
    second = int(up.wait_for("api", r"up \(pid (\d+)\)").group(1))
    assert second != first
    assert http("GET", f"{up.url('api')}/state").status == 200
    assert not any(re.search(r"\sintake\s", line) for line in up.lines)  # only the services asked for

    up.process.kill()  # the supervisor dies without a word: its children must not keep the ports
    up.process.wait(10)
    deadline = time.monotonic() + WAIT
    while not (gone(second) and gone(prompter)):
        assert time.monotonic() < deadline, "children outlived studio up"
        time.sleep(0.1)


def test_a_taken_port_and_a_missing_token_are_said_once_and_never_retried(studio_up) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        ports = {"api": free_port(), "prompter": free_port(), "intake": taken.getsockname()[1]}
        up = studio_up(ports=ports)
        up.wait_for("intake", rf"stopped — last error: 127\.0\.0\.1:{ports['intake']} is taken .*\[intake\] port")
        up.wait_for("api", r"stopped — last error: .*\$STUDIO_API_TOKEN")
        up.wait_for("prompter", r"up \(pid \d+\)")
        said = up.stop()
    assert up.process.returncode == 0, said
    for name in ("intake", "api"):  # one line each: refused before any start, no loop
        lines = [line for line in up.lines if re.search(rf"\s{name}\s", line)]
        assert len(lines) == 1 and "starting" not in lines[0], lines
    assert "Traceback" not in said


def test_a_service_on_a_taken_port_exits_2_with_one_line(tmp_path: Path) -> None:
    """What the supervisor counts on: a studio service that cannot listen waits for a person (exit 2)."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "studio", "--lang", "en", "--store", str(tmp_path / "studio.db"), "intake",
             "--port", str(port)],
            cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120,
        )
    assert result.returncode == 2, result.stderr
    error = result.stderr.splitlines()[-1]
    assert error.startswith(f"studio: error: cannot listen on 127.0.0.1:{port}: ") and "Traceback" not in result.stderr
