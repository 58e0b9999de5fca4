"""One rehearsed day on real OBS, streamed to YouTube (`--youtube unlisted`), with YouTube failing on purpose and
every secret of the station in play; then everything it left behind is searched for those secrets.

- YouTube (the loopback fake, through the real googleapiclient, streamed to over RTMP by OBS): the broadcast's
  insert answers 500 after it made the broadcast (a lost answer), the wait for the stream meets rate limits
  (429), the transition to testing answers 503 after it happened, and the sign-in is revoked from a moment of
  the rehearsal's simulated day on (its clock read from its store): the end meets invalid_grant at refresh.
  Each is retried or said once with what to do; the day goes on; there is one broadcast.
- Secrets: the OBS password (the `obs` fixture's, written in OBS's config, never on its command line), the
  YouTube sign-in (a token file that studio refreshes and saves), the observers' intake tokens (the rehearsal
  issues them: recorded as they are made), the control API's token and an operator's passphrase (a `studio
  serve` on the rehearsal's store while it runs, asked with the right token and a wrong one), and the stream
  key YouTube gives. None may be in the rehearsal's output, any log record (every logger, DEBUG), OBS's own
  logs, the API's output and answers, the as-run and provenance exports, a screenshot of the desk and of the
  console, the report or any file in the rehearsal's folder and store. The token file is 0600.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Callable

import pytest

from studio.config import load_config
from studio.rehearsal.clock import following
from studio.rehearsal.run import Settings, rehearse
from studio.rundown.load import load_rundown
from studio.store import open_store
from studio.store.operators import add_operator
from studio.store.youtube import YouTubeStore
from tests.obs.obs_process import PASSWORD_ENV, ObsProcess, free_port
from tests.obs.obs_show import free_udp_port, has_ffmpeg, tag, udp_url
from tests.rehearsal.test_rehearse_obs import RUNDOWN, SEED, SPEED
from tests.youtube.conftest import rtmp_ingest, youtube_server  # noqa: F401 (fixtures)
from tests.youtube.fake_youtube import FakeYouTube
from tests.youtube.test_youtube_api import write_token

pytestmark = [
    pytest.mark.obs,
    pytest.mark.xdist_group("obs"),
    pytest.mark.skipif(not has_ffmpeg(), reason="needs ffmpeg for the feeds: apt-get install -y ffmpeg"),
]

ROOT = Path(__file__).resolve().parents[2]
API_TOKEN_ENV = "STUDIO_TEST_API_TOKEN"
API_TOKEN = "api-secret-token-never-shown-7f3a9c"
OPERATOR = "timur"
REVOKED_AFTER = timedelta(minutes=5)
"""The sign-in is revoked this far into the simulated day, once the broadcast is live, before it ends."""


@dataclass
class Day:
    folder: Path
    store: Path
    found: dict[str, Any]
    said: str
    logged: str
    token_file: Path
    token_saved_by_studio: bool
    secrets: dict[str, str]
    api: dict[str, Any]
    seen: dict[str, str] = field(default_factory=dict)  # what else was read: exports, screenshots, OBS's logs
    obs_files: dict[Path, int] = field(default_factory=dict)  # OBS's home: each file holding a secret, its mode


def rehearsal_clock(store_path: Path) -> Callable[[], datetime]:
    """The rehearsal's simulated clock as another process reads it (its mark in its store); before the day
    begins, the day's start."""

    def now() -> datetime:
        mark = _mark(store_path)
        if mark is None:
            return datetime.min.replace(tzinfo=UTC)
        if mark.begun_at is None:
            return mark.simulated_start
        return following(mark, lambda: datetime.now(UTC))()

    return now


class LogRecords(logging.Handler):
    """Every record of every logger, as a handler would write it (tracebacks included)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def studio(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "studio", "--lang", "en", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=timeout)


class ApiAtWork(threading.Thread):
    """Once the rehearsal's day has begun: an operator for its store, and `studio serve` on it, asked with the
    right token and a wrong one; what it said and answered is kept."""

    def __init__(self, store: Path, rundown: Path, config: Path, env: dict[str, str]) -> None:
        super().__init__(name="api-at-work", daemon=True)
        self.store, self.rundown, self.config, self.env = store, rundown, config, env
        self.passphrase = ""
        self.answers: list[tuple[int, str]] = []
        self.output = ""
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            self._work()
        except BaseException as failure:  # noqa: BLE001 (the test reports it)
            self.failure = failure

    def _work(self) -> None:
        begun = lambda: (mark := _mark(self.store)) is not None and mark.begun_at is not None  # noqa: E731
        _wait(begun, "the rehearsal's day to begin", 300)
        store = open_store(self.store)
        try:
            self.passphrase = add_operator(store.db, OPERATOR, by="test", at=datetime.now(UTC))
        finally:
            store.close()
        port = free_port()
        env = self.env | {API_TOKEN_ENV: API_TOKEN, "STUDIO_OPERATOR_KEY": self.passphrase}
        serving = subprocess.Popen(
            [sys.executable, "-m", "studio", "--lang", "en", "--config", str(self.config), "--store", str(self.store),
             "serve", str(self.rundown), "--operator", OPERATOR, "--port", str(port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)
        try:
            base = f"http://127.0.0.1:{port}/"
            _wait(lambda: serving.poll() is not None or self._get(base + "openapi.json", None)[0] == 200,
                  "studio serve to answer", 120)
            for token in (API_TOKEN, "a-wrong-token-of-sixteen", None):
                self.answers.append(self._get(base + "state", token))
            self.answers.append(self._request(base + "take/no-such-segment", API_TOKEN, b"{}"))
        finally:
            serving.terminate()
            self.output = serving.communicate(timeout=30)[0]

    def _get(self, url: str, token: str | None) -> tuple[int, str]:
        return self._request(url, token, None)

    @staticmethod
    def _request(url: str, token: str | None, body: bytes | None) -> tuple[int, str]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers), timeout=10) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except OSError:
            return 0, ""


def _mark(store_path: Path) -> Any:
    if not store_path.exists():
        return None
    store = open_store(store_path)
    try:
        return store.rehearsal_mark()
    finally:
        store.close()


def _wait(check: Callable[[], bool], what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.2)


def screenshots(store: Path, rundown: Path, config: Any) -> dict[str, str]:
    """The desk and the console on the rehearsal's store, as SVG screenshots."""
    from studio.show import Controller
    from studio.show.services import ShowServices
    from studio.store.desk import open_desk
    from studio.tui import StudioApp
    from studio.tui.desk.app import make_desk

    async def shot(app: Any) -> str:
        app.animation_level = "none"
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            return app.export_screenshot()

    desk = make_desk(open_desk(store), config, operator=OPERATOR, live=False)
    controller = Controller(open_store(store), load_rundown(rundown), operator=OPERATOR, origin="console")
    console = StudioApp(ShowServices(controller, store), config, rundown_path=rundown, live=False)
    try:
        return {"desk screenshot": asyncio.run(shot(desk)), "console screenshot": asyncio.run(shot(console))}
    finally:
        desk.client.store.close()
        controller.close()


@pytest.fixture(scope="module")
def day(obs: ObsProcess, rtmp_ingest, youtube_server: FakeYouTube, tmp_path_factory: pytest.TempPathFactory):  # noqa: F811
    fake = youtube_server
    fake.reset()
    folder = tmp_path_factory.mktemp("rehearsal-under-faults")
    t = tag()
    rundown = folder / "day.toml"
    rundown.write_text(RUNDOWN.format(t=t, astana=udp_url(free_udp_port()), east=udp_url(free_udp_port()),
                                      briefing=udp_url(free_udp_port())), encoding="utf-8")
    (folder / "sign-in").mkdir()
    token_file = write_token(fake, folder / "sign-in" / "token.json", expired=True)  # refreshed on the first call
    first_token = fake.access_token
    config_path = folder / "config.toml"
    config_path.write_text(
        f'[obs]\nport = {obs.port}\npassword_env = "{PASSWORD_ENV}"\n'
        f'[youtube]\ntoken_file = "{token_file.path}"\napi_endpoint = "{fake.url}"\ntoken_uri = "{fake.url}token"\n'
        f'[api]\ntoken_env = "{API_TOKEN_ENV}"\n', encoding="utf-8")
    store_path = folder / "rehearsal.db"
    env = os.environ | {"XDG_DATA_HOME": str(folder / "data"), "HOME": str(folder), "PYTHONPATH": str(ROOT)}
    env.pop("STUDIO_STORE", None)

    # YouTube's faults, each waiting for its moment
    fake.fail_next("liveBroadcasts.insert", status=500, lost=True)
    fake.fail_next("liveStreams.list", status=429, reason="rateLimitExceeded", nth=2, times=2)
    fake.fail_next("liveBroadcasts.transition", status=503, lost=True)
    day_clock = rehearsal_clock(store_path)
    live: list[bool] = []

    def after_going_live() -> datetime:
        # The simulated clock runs from the rehearsal's mark, before YouTube is live: a machine slow to start the
        # stream would reach REVOKED_AFTER while going live. The revocation is meant for a live broadcast: its
        # clock starts once the rehearsal has logged going live (after the transition's last answer).
        if not live and store_path.exists():
            with closing(sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)) as db:
                live.extend(db.execute("SELECT 1 FROM event WHERE action = 'youtube_live'").fetchall()[:1])
        return day_clock() if live else datetime.min.replace(tzinfo=UTC)

    fake.clock = after_going_live
    rundown_start = load_rundown(rundown).show.starts_at
    fake.revoke(from_time=rundown_start + REVOKED_AFTER)

    observer_tokens: list[str] = []
    import studio.store.observers as observers

    issue = observers.add_observer

    def recorded(*args: Any, **kwargs: Any) -> str:
        token = issue(*args, **kwargs)
        observer_tokens.append(token)
        return token

    records = LogRecords()
    root = logging.getLogger()
    api = ApiAtWork(store_path, rundown, config_path, env)
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", env["XDG_DATA_HOME"])  # the rehearsal's report and folder go there
        patch.setenv("HOME", env["HOME"])
        patch.delenv("STUDIO_STORE", raising=False)
        patch.setenv(API_TOKEN_ENV, API_TOKEN)  # set for the whole day, though only `studio serve` reads it
        patch.setattr(observers, "add_observer", recorded)
        level = root.level
        root.setLevel(logging.DEBUG)
        root.addHandler(records)
        config = load_config(config_path)
        config = config.model_copy(update={"station": config.station.model_copy(update={"language": "en"})})
        settings = Settings(rundown_path=rundown, speed=SPEED, start=None, auto=True, obs=True, store=store_path,
                            seed=SEED, language="en", youtube=True)
        api.start()
        try:
            found = rehearse(settings, config, load_rundown(rundown), out=out, err=err)
        finally:
            root.removeHandler(records)
            root.setLevel(level)
            api.join(timeout=180)
    print(out.getvalue())
    assert api.failure is None, api.failure

    saved = json.loads(token_file.path.read_text(encoding="utf-8"))
    store = open_store(store_path)
    record = YouTubeStore(store.db).broadcast(load_rundown(rundown).show.id)
    store.close()
    stream = fake.stream(record.stream_id)
    secrets = {
        "the OBS password": obs.password, "the control API's token": API_TOKEN,
        "the operator's passphrase": api.passphrase,
        "the YouTube access token": first_token, "the refreshed YouTube access token": saved["token"],
        "the YouTube refresh token": fake.refresh_token, "the YouTube client secret": fake.client_secret,
        "the YouTube stream key": stream["cdn"]["ingestionInfo"]["streamName"],
        **{f"observer token {n}": token for n, token in enumerate(observer_tokens)},
    }
    seen = screenshots(store_path, rundown, config)
    exports = {
        "as-run export (json)": ("asrun", "export", "--format", "json", "--rundown", str(rundown)),
        "as-run export (csv)": ("asrun", "export", "--format", "csv", "--rundown", str(rundown)),
        "provenance export (json)": ("provenance", "export", "--all", "--format", "json"),
        "provenance export (csv)": ("provenance", "export", "--all", "--format", "csv"),
    }
    for what, args in exports.items():
        done = studio("--config", str(config_path), "--store", str(store_path), *args, env=env)
        assert done.returncode == 0, done.stderr
        seen[what] = done.stdout + done.stderr
    for log in [obs.log_path, *(obs.home / ".config" / "obs-studio" / "logs").glob("*")]:
        seen[f"OBS's log {log.name}"] = log.read_text(encoding="utf-8", errors="replace")
    seen["OBS's command line"] = Path(f"/proc/{obs.pid}/cmdline").read_bytes().decode(errors="replace")
    kept = (obs.password.encode(), secrets["the YouTube stream key"].encode())  # OBS's to keep
    holding = {path: stat.S_IMODE(path.stat().st_mode) for path in obs.root.rglob("*")
               if path.is_file() and any(secret in path.read_bytes() for secret in kept)}
    yield Day(folder, store_path, found, out.getvalue() + err.getvalue(), "\n".join(records.lines), token_file.path,
              saved["token"] != first_token, secrets, {"output": api.output, "answers": api.answers}, seen, holding)
    fake.reset()


def inserts(fake: FakeYouTube) -> list[int]:
    return [call.status for call in fake.calls if call.method == "liveBroadcasts.insert"]


# --- YouTube's faults ----------------------------------------------------------------------------------------


def test_a_lost_insert_answer_makes_one_broadcast_and_it_went_live(day: Day, youtube_server: FakeYouTube) -> None:  # noqa: F811
    assert inserts(youtube_server) == [500]  # it made the broadcast; the look found it; never sent again
    (broadcast_id,) = youtube_server.broadcasts
    youtube = day.found["youtube"]
    assert youtube["broadcast"] == broadcast_id and youtube["live_s"] is not None and youtube["to_live_s"] > 0
    assert f"YouTube: the rehearsal's own broadcast is live, unlisted: https://www.youtube.com/watch?v={broadcast_id}" \
        in day.said


def test_rate_limits_and_a_lost_transition_answer_were_retried(day: Day, youtube_server: FakeYouTube) -> None:  # noqa: F811
    statuses = [(call.method, call.status) for call in youtube_server.calls]
    assert statuses.count(("liveStreams.list", 429)) == 2 and ("liveBroadcasts.transition", 503) in statuses
    (broadcast_id,) = youtube_server.broadcasts
    assert youtube_server.broadcast(broadcast_id)["status"]["lifeCycleStatus"] == "live"  # never completed: revoked


def test_a_sign_in_revoked_mid_day_is_said_once_at_the_end_and_the_day_went_on(day: Day) -> None:
    youtube = day.found["youtube"]
    ended = [line for line in day.said.splitlines() if "did not end" in line]
    assert len(ended) == 1 and "revoked" in ended[0] and "studio youtube auth" in ended[0]
    assert ended[0].endswith("end it in YouTube Studio")
    assert youtube["ended"] is None and "revoked" in youtube["error"]
    assert "YouTube trouble, the rehearsal went on without it:" in day.said  # the summary printed at the end
    assert day.found["takes"]["latency_ms"]["count"] >= 4  # the day was played to its end all the same


def test_the_report_has_the_youtube_line(day: Day) -> None:
    [html] = (day.folder / "data" / "studio").glob("rehearsal-rehearse-obs-*.html")
    assert "YouTube trouble, the rehearsal went on without it:" in html.read_text(encoding="utf-8")
    assert "studio youtube auth" in html.read_text(encoding="utf-8")


# --- secrets -------------------------------------------------------------------------------------------------


def test_the_api_was_asked_with_its_token_and_refused_a_wrong_one(day: Day) -> None:
    assert [status for status, _ in day.api["answers"]] == [200, 401, 401, 404]


def test_what_is_searched_holds_the_days_traces(day: Day) -> None:
    """The search below looks where the secrets went through: not at empty or unrelated texts."""
    assert day.found["reports"]["accepted"] > 0  # the observers' tokens were used at the intake
    assert "obsws_python" in day.logged and "googleapiclient" in day.logged  # OBS's and YouTube's clients logged
    assert all(day.seen[f"{what} screenshot"].startswith("<svg") for what in ("desk", "console"))
    assert "live-astana" in day.seen["as-run export (json)"] and day.seen["provenance export (json)"].strip()
    assert '"segments"' in day.api["answers"][0][1] or "on_air" in day.api["answers"][0][1]


def test_no_secret_reaches_any_output_log_export_screenshot_report_or_file(day: Day) -> None:
    texts = {"the rehearsal's output": day.said, "every log record": day.logged, "studio serve's output":
             day.api["output"], "the API's answers": "\n".join(body for _, body in day.api["answers"]), **day.seen}
    files = [path for path in day.folder.rglob("*") if path.is_file() and path != day.token_file]
    assert any(path.suffix == ".db" for path in files) and any(path.suffix == ".mkv" for path in files)
    assert len(day.secrets) > 8 and all(day.secrets.values())
    leaks = [f"{secret} in {where}" for secret, value in day.secrets.items() for where, text in texts.items()
             if value in text]
    leaks += [f"{secret} in {path}" for path in files for secret, value in day.secrets.items()
              if value.encode() in path.read_bytes()]
    assert leaks == []


def test_the_token_file_studio_saved_is_0600_and_holds_the_only_copy(day: Day) -> None:
    assert day.token_saved_by_studio  # refreshed and written back by studio, not only by the test
    assert stat.S_IMODE(day.token_file.stat().st_mode) == 0o600
    assert not list(day.token_file.parent.glob(".*.tmp"))  # no temporary copy left beside it


def test_obs_keeps_its_password_and_the_stream_key_in_files_only_their_owner_reads(day: Day, obs: ObsProcess) -> None:
    """studio/obs/headless.py writes the password into OBS's global.ini (0600), and OBS writes it again, and the
    stream key studio gave it into its profile's service.json: both 0600 (OBS runs with umask 077)."""
    config = obs.home / ".config" / "obs-studio"
    assert set(day.obs_files) == {config / "global.ini", config / "basic" / "profiles" / "CI" / "service.json"}
    assert set(day.obs_files.values()) == {0o600}


def test_obs_has_no_password_on_its_command_line_or_in_its_logs(day: Day) -> None:
    """The fixture writes the password into OBS's config (global.ini), never on the command line OBS logs."""
    password = day.secrets["the OBS password"]
    assert "obs" in day.seen["OBS's command line"] and password not in day.seen["OBS's command line"]
    logs = [text for where, text in day.seen.items() if where.startswith("OBS's log")]
    assert any("Command Line Arguments" in text or "obs" in text for text in logs)
    assert all(password not in text for text in logs)
