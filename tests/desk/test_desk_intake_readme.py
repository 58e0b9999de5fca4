"""The README's curl example works as written: run against a real `studio intake` on a loopback port."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from studio.config import Config
from studio.store.desk import open_desk
from studio.web.intake import RELOAD_SECONDS

ROOT = Path(__file__).resolve().parents[2]


def readme_example() -> str:
    """The shell block of the README's "Sending reports over HTTP" section."""
    text = (ROOT / "README.md").read_text("utf-8")
    section = text[text.index("### Sending reports over HTTP") :]
    found = re.search(r"```sh\n(.*?)```", section, re.S)
    assert found, "the section has a ```sh block"
    return found[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def intake(tmp_path: Path):
    """A `studio intake` process on a free port over a throwaway store: (port, environment)."""
    port = free_port()
    shims = tmp_path / "bin"
    shims.mkdir()
    studio = shims / "studio"
    studio.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m studio "$@"\n', "utf-8")
    studio.chmod(0o755)
    env = os.environ | {
        "STUDIO_STORE": str(tmp_path / "store.db"),
        "PYTHONPATH": str(ROOT),
        "PATH": f"{shims}{os.pathsep}{os.environ['PATH']}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "studio", "intake", "--port", str(port)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"studio intake did not start: {server.communicate()[1]}")
            time.sleep(0.1)
    time.sleep(RELOAD_SECONDS)  # a token issued now is seen at its first use (the intake rereads at most this often)
    yield port, env
    server.terminate()
    server.wait(10)


def test_the_readme_curl_example_stores_the_report_it_shows(intake, tmp_path: Path) -> None:
    port, env = intake
    example = readme_example()
    default = f"127.0.0.1:{Config().intake.port}"
    assert default in example and "studio observers add" in example and "curl" in example
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", example.replace(default, f"127.0.0.1:{port}")],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer.get("observer") == "Айгерім Сәрсенова" and answer["id"] == answer["group"], answer
    sent = json.loads(re.search(r"-d '(.*?)'", example, re.S)[1])
    store = open_desk(Path(env["STUDIO_STORE"]))
    try:
        report = store.report(answer["id"])
    finally:
        store.close()
    assert report is not None
    assert (report.region, report.station, report.kind.value, report.text, report.channel) == (
        sent["region"], sent["station"], sent["kind"], sent["text"], sent["channel"],
    )
    assert report.attachments == tuple(sent["attachments"])
