"""`studio rehearse` against real OBS, as a person runs it: a short day (a studio segment, two live inclusions,
a briefing) at high speed, whose schedule kills both live feeds on air. The watchdog must report both losses
and put the slate up, and the programme's recording must have no black stretch (the CI test of issue 17).

Real OBS (the `obs` fixture's: its port and password given through the config and the env variable the
product reads), real ffmpeg feeds, one `studio` subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.rehearsal.feeds import schedule
from studio.rundown.load import load_rundown
from tests.obs.obs_process import PASSWORD_ENV, ObsProcess
from tests.obs.obs_show import free_udp_port, has_ffmpeg, tag, udp_url

pytestmark = [
    pytest.mark.obs,
    pytest.mark.xdist_group("obs"),
    pytest.mark.skipif(not has_ffmpeg(), reason="needs ffmpeg for the feeds: apt-get install -y ffmpeg"),
]

ROOT = Path(__file__).resolve().parents[2]
YOUTUBE_SIGN_IN = {  # its token endpoint is a closed loopback port: the refresh fails, nothing leaves the machine
    "token": "ya29.secret-access-token-never-shown", "refresh_token": "1//secret-refresh-token-never-shown",
    "client_id": "studio-test.apps.googleusercontent.com", "client_secret": "GOCSPX-secret-client-never-shown",
    "token_uri": "http://127.0.0.1:9/token", "scopes": ["https://www.googleapis.com/auth/youtube"],
    "expiry": "2000-01-01T00:00:00Z",
}
SPEED, SEED = 30, 4
RUNDOWN = """\
[show]
id = "rehearse-obs-{t}"
title = {{ kk = "Сынақ күні", ru = "Пробный день" }}
date = 2026-03-15
zone = "Asia/Almaty"
start = 10:00:00

[[segment]]
id = "open"
kind = "studio"
title = {{ kk = "Студия", ru = "Студия" }}
duration = "1m"
scene = "Studio {t}"

[[segment]]
id = "live-astana"
kind = "live"
title = {{ kk = "Астанадан тікелей", ru = "Прямое включение из Астаны" }}
duration = "4m"
region = "astana"
scene = "Live {t}"
feed = "{astana}"

[[segment]]
id = "live-east"
kind = "live"
title = {{ kk = "Шығыстан тікелей", ru = "Прямое включение с востока" }}
duration = "4m"
region = "east-kz"
scene = "Live {t}"
feed = "{east}"

[[segment]]
id = "briefing"
kind = "briefing"
title = {{ kk = "ОРК брифингі", ru = "Брифинг ЦРК" }}
duration = "2m"
scene = "Briefing {t}"
feed = "{briefing}"
"""


@pytest.fixture(scope="module")
def rehearsed(obs: ObsProcess, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("rehearse-obs")
    t = tag()
    rundown = folder / "day.toml"
    rundown.write_text(RUNDOWN.format(t=t, astana=udp_url(free_udp_port()), east=udp_url(free_udp_port()),
                                      briefing=udp_url(free_udp_port())), encoding="utf-8")
    config = folder / "config.toml"
    token_file = folder / "youtube-token.json"  # a sign-in whose refresh is refused: YouTube is off, said once
    token_file.write_text(json.dumps(YOUTUBE_SIGN_IN), encoding="utf-8")
    token_file.chmod(0o600)
    config.write_text(f'[obs]\nport = {obs.port}\npassword_env = "{PASSWORD_ENV}"\n'
                      f'[youtube]\ntoken_file = "{token_file}"\n', encoding="utf-8")
    env = os.environ | {"XDG_DATA_HOME": str(folder / "data"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "studio", "--lang", "en", "--config", str(config), "rehearse", str(rundown),
         "--speed", str(SPEED), "--seed", str(SEED), "--youtube", "unlisted"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=240,
    )
    print(done.stdout)
    assert done.returncode == 0, done.stderr
    [report] = (folder / "data" / "studio").glob("rehearsal-rehearse-obs-*.json")
    return done, json.loads(report.read_text(encoding="utf-8")), rundown, folder


def test_the_schedule_kills_both_live_feeds(rehearsed) -> None:
    _, _, rundown, _ = rehearsed
    from datetime import timedelta

    from studio.rehearsal.on_obs import MIN_DOWN_REAL_SECONDS

    deaths = schedule(load_rundown(rundown).segments, seed=SEED,
                      min_down=timedelta(seconds=MIN_DOWN_REAL_SECONDS * SPEED))
    assert [death.segment for death in deaths] == ["live-astana", "live-east"]


def test_both_feed_losses_put_the_slate_up(rehearsed) -> None:
    done, found, _, _ = rehearsed
    losses = [loss for loss in found["feeds"]["losses"] if loss.get("lost_at")]
    assert [loss["segment"] for loss in losses] == ["live-astana", "live-east"], found["feeds"]
    for loss in losses:
        assert loss["killed_at"] < loss["lost_at"] <= loss["slate_at"]
        assert 0 < loss["detected_ms"] <= loss["slate_ms"], loss
    assert "feed losses: 2 reported by the watchdog" in done.stdout
    assert found["rehearsal"]["obs"]["headless"] is False and found["takes"]["latency_ms"]["count"] >= 4


def test_the_recording_has_no_black_stretch(rehearsed) -> None:
    done, found, _, _ = rehearsed
    checked = found["never_black"]
    recording = Path(checked["recording"])
    assert recording.is_file() and recording.stat().st_size > 0
    assert f"recording of the programme: {recording}" in done.stdout
    assert checked["recording_seconds"] > 10
    assert checked["black"] == [], checked["black"]


def test_with_a_refused_sign_in_youtube_is_off_and_the_day_goes_on(rehearsed) -> None:
    """--youtube unlisted whose sign-in cannot be refreshed: said, in the report, and nothing made on YouTube
    (tests/rehearsal/test_rehearsal_youtube.py goes live on the whole chain)."""
    done, found, _, _ = rehearsed
    assert found["youtube"]["broadcast"] is None and found["youtube"]["error"]
    assert found["takes"]["latency_ms"]["count"] >= 4  # the day was played all the same


def test_no_secret_reaches_an_output_a_report_a_log_or_the_store(rehearsed, obs: ObsProcess) -> None:
    """The OBS password and the YouTube sign-in's secrets, searched for in everything the rehearsal wrote and
    said: its output, its report (JSON, HTML, text), its store, its graphics, its recording and logs."""
    done, _, _, folder = rehearsed
    secrets = [obs.password, *(YOUTUBE_SIGN_IN[key] for key in ("token", "refresh_token", "client_secret"))]
    written = [path for path in (folder / "data").rglob("*") if path.is_file()]
    assert any(path.suffix == ".db" for path in written) and any(path.suffix == ".html" for path in written)
    for secret in secrets:
        assert secret not in done.stdout + done.stderr
        leaked = [path for path in written if secret.encode() in path.read_bytes()]
        assert leaked == [], f"a secret is written in {leaked}"
