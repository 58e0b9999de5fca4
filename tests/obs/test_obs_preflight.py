"""`studio preflight` against a real, headless OBS: what `obs setup` has not made yet is ✗ with the
command that makes it; after `obs setup` the OBS lines are ✓ and, with only warnings left, the exit is 0."""

from __future__ import annotations

import pytest

from studio.cli import main
from tests.obs.obs_process import ObsProcess
from tests.obs.obs_show import tag
from tests.obs.test_obs_setup import rundown_file
from tests.test_preflight import line, preflight, signed_in_youtube, write_config
from tests.youtube.conftest import fake_youtube, youtube_server  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.obs, pytest.mark.xdist_group("obs")]


def test_preflight_before_and_after_obs_setup(obs: ObsProcess, fake_youtube, tmp_path, capsys):  # noqa: F811
    assert obs.host == "127.0.0.1"  # write_config leaves [obs] host at its default
    rundown = rundown_file(tmp_path, tag())
    config = write_config(tmp_path, obs_port=obs.port, obs_env=obs.password_env,
                          youtube=signed_in_youtube(fake_youtube, tmp_path))
    options = ["--config", str(config), "--store", str(tmp_path / "studio.db"), "--lang", "en"]
    assert main([*options, "youtube", "schedule", str(rundown)]) == 0

    code, lines = preflight(tmp_path, config, capsys, "--lang", "en", rundown=rundown)
    assert code == 1
    assert line(lines, "OBS answers: OBS ")[0].startswith("✓") and "obs-websocket 5." in "\n".join(lines)
    said, advice = line(lines, "OBS lacks what rundown")
    assert said.startswith("✗") and advice == f"run `studio obs setup {rundown}`"
    assert [text for text in lines if text.startswith("✗")] == [said]  # the only thing that would fail

    assert main([*options, "obs", "setup", str(rundown), "--text-slate"]) == 0
    capsys.readouterr()
    code, lines = preflight(tmp_path, config, capsys, "--lang", "en", rundown=rundown)
    assert line(lines, "OBS answers")[0].startswith("✓")
    assert line(lines, "OBS has every scene and input")[0].startswith(f"✓ OBS has every scene and input rundown {rundown}")
    assert code == 0, "\n".join(lines)  # warnings alone (a plan not dated today, a UDP feed) do not fail
    assert any(text.startswith("! ") for text in lines) and not any(text.startswith("✗") for text in lines)
    assert obs.password not in "\n".join(lines)
