"""``studio serve`` and ``studio prompter --web`` as the CLI runs them: tokens from the
environment (never echoed), the [api] and [prompter] config sections, real servers
in a subprocess stopped with Ctrl+C."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studio.errors import UsageError
from studio.config import Api, Config, load_config
from studio.diagnostics import DiagnosticsError
from studio.i18n import Msg
from studio.web.commands import api_tokens, prompter_command, serve_command
from tests.web.http_helpers import SHOW, TOKEN, http

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cret-token-that-must-never-show-0123"


def test_the_token_comes_from_the_variable_the_config_names() -> None:
    assert api_tokens(Api(), {"STUDIO_API_TOKEN": SECRET}) == {"api": SECRET}
    settings = Api(token_env="DECK_TOKEN", tokens={"companion": "COMPANION_TOKEN"})
    environ = {"DECK_TOKEN": SECRET, "COMPANION_TOKEN": SECRET[::-1]}
    assert api_tokens(settings, environ) == {"api": SECRET, "companion": SECRET[::-1]}
    assert api_tokens(settings, {"COMPANION_TOKEN": SECRET}) == {"companion": SECRET}  # named ones suffice


@pytest.mark.parametrize(
    ("settings", "environ", "says"),
    [
        (Api(), {}, "$STUDIO_API_TOKEN"),
        (Api(), {"STUDIO_API_TOKEN": "   "}, "$STUDIO_API_TOKEN"),
        (Api(), {"STUDIO_API_TOKEN": "short"}, "at least 16 characters"),
        (Api(tokens={"deck": "DECK"}), {"STUDIO_API_TOKEN": SECRET, "DECK": SECRET}, "same token"),
        (Api(tokens={"deck": "DECK"}), {"STUDIO_API_TOKEN": SECRET}, "$DECK"),
    ],
)
def test_token_problems_name_the_variable_never_the_value(settings, environ, says) -> None:
    with pytest.raises(UsageError) as raised:
        api_tokens(settings, environ)
    assert says in str(raised.value)
    assert SECRET not in str(raised.value) and "short" not in str(raised.value).replace("too short", "")


def test_api_and_prompter_sections_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[api]\nport = 8765\ntoken = "x"\n[prompter]\nsize = 9\n', "utf-8")
    with pytest.raises(DiagnosticsError) as raised:
        load_config(path)
    found = [str(d) for d in raised.value.diagnostics]
    assert "config.toml:3: error: [api] token: unknown key" in found[0] and "token_env" in found[0]
    assert "config.toml:5: error: [prompter] size" in found[1]
    path.write_text('[api]\ntoken_env = "MY_TOKEN"\nhost = "0.0.0.0"\nport = 9000\n[api.tokens]\ndeck = "DECK_TOKEN"\n')
    config = load_config(path)
    assert (config.api.token_env, config.api.host, config.api.port) == ("MY_TOKEN", "0.0.0.0", 9000)
    assert config.api.tokens == {"deck": "DECK_TOKEN"}
    assert (Config().api.host, Config().prompter.host) == ("127.0.0.1", "127.0.0.1")  # loopback by default


def test_serve_refuses_a_controller_that_drives_the_switcher(controllers) -> None:
    from tests.web.test_api import RecordingSwitcher as Switcher

    args = argparse.Namespace(host=None, port=None)
    with pytest.raises(UsageError, match="must not drive OBS"):
        serve_command(args, Config(), controllers(origin="api", switcher=Switcher()))
    with pytest.raises(UsageError, match="without a switcher"):
        prompter_command(argparse.Namespace(web=True, host=None, port=None), Config(), controllers(switcher=Switcher()))


# The CLI wiring the lead adds to studio/cli.py, in miniature: build the controller, call the handler.
RUN = """
import argparse, sys
from pathlib import Path
from studio.config import Config
from studio.rundown.load import load_rundown
from studio.show import Controller
from studio.store import open_store
from studio.store.location import location_of
from studio.web.commands import prompter_command, serve_command
command, store, show, port = sys.argv[1:]
config = Config()
origin = "api" if command == "serve" else "prompter"
controller = Controller(open_store(location_of(store)), load_rundown(Path(show)), operator="api", origin=origin)
args = argparse.Namespace(web=True, host="127.0.0.1", port=int(port))
sys.exit((serve_command if command == "serve" else prompter_command)(args, config, controller))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: str, store: Path | str, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", RUN, command, str(store), str(SHOW), str(port)],
        cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)} | env, stderr=subprocess.PIPE, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, url
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise AssertionError(f"{command} did not start: {process.stderr.read()}") from None
            time.sleep(0.05)


def stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=15)
    return stderr


def test_studio_serve_runs_until_ctrl_c_and_never_prints_the_token(store_path, controllers) -> None:
    producer = controllers()
    process, url = start("serve", store_path, {"STUDIO_API_TOKEN": TOKEN})
    try:
        assert http("GET", f"{url}/state").status == 200
        assert http("POST", f"{url}/take/next").body["segment_id"] == "open"
        assert http("GET", f"{url}/state", token="wrong-token-0123456789").status == 401
    finally:
        stderr = stop(process)
    assert process.returncode == 0, stderr
    assert f"studio: {Msg('serve.api', url=f'{url}/', tokens='api').render('kk')}" in stderr  # the station's language
    assert TOKEN not in stderr
    producer.refresh()
    assert producer.view().on_air.origin == "api"


def test_studio_serve_without_a_token_says_what_to_set(tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "STUDIO_API_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-c", RUN, "serve", str(tmp_path / "studio.db"), str(SHOW), str(free_port())],
        cwd=ROOT, env=environment | {"PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode != 0 and "$STUDIO_API_TOKEN" in result.stderr


def test_studio_prompter_web_serves_the_page(store_path, controllers) -> None:
    controllers().take("astana-live")
    process, url = start("prompter", store_path, {})
    try:
        card = http("GET", f"{url}/card.json", token=None).body
        assert card["segment_id"] == "astana-live" and card["language"] == "kk"
        assert http("GET", f"{url}/", token=None).status == 200
    finally:
        stderr = stop(process)
    assert process.returncode == 0, stderr
    assert f"studio: {Msg('serve.prompter', url=f'{url}/').render('kk')}" in stderr
