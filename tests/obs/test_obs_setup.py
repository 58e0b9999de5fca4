"""`studio obs setup` and `studio obs check` against a real, headless OBS."""

from __future__ import annotations

import argparse
import types
from pathlib import Path

import pytest
from PIL import Image

from studio.obs import ObsAdapter
from studio.obs.cli import obs_check_command, obs_setup_command
from studio.obs.names import FALLBACK_SCENE, SLATE_BACKGROUND, SLATE_IMAGE
from studio.obs.setup import check, setup
from studio.rundown.model import Kind
from tests.obs.obs_checks import raw_client
from tests.obs.obs_process import ObsProcess, free_port
from tests.obs.obs_show import free_udp_port, rundown, segment, tag, udp_url

pytestmark = [pytest.mark.obs, pytest.mark.xdist_group("obs")]


def test_setup_twice_changes_nothing_the_second_time(adapter: ObsAdapter, obs: ObsProcess, tmp_path: Path) -> None:
    t = tag()
    url = udp_url(free_udp_port())
    show = rundown(
        segment("open", Kind.STUDIO, f"Studio {t}", graphics=("lower-third",)),
        segment("live", Kind.LIVE, f"Live {t}", region=f"region-{t}", feed=url, graphics=("location-bug",)),
    )
    before = check(adapter, show)
    assert not before.ok
    assert f"scene 'Studio {t}'" in before.missing and f"scene 'Live {t}'" in before.missing
    assert f"feed 'feed-region-{t}' (in scene 'Live {t}')" in before.missing

    first = setup(adapter, show)
    assert first.changed and not first.problems
    assert f"scene 'Live {t}'" in first.created
    second = setup(adapter, show)
    assert (second.created, second.updated, second.problems) == ((), (), ())
    after = check(adapter, show)
    assert after.ok and second.unchanged == after.checked  # every scene, source and scene item

    with raw_client(obs) as client:
        settings = client.get_input_settings(f"feed-region-{t}").input_settings
        assert settings["input"] == url and settings["is_local_file"] is False
        assert settings["restart_on_activate"] is False and settings["close_when_inactive"] is False
        items = {i["sourceName"]: i for i in client.get_scene_item_list(f"Live {t}").scene_items}
        assert not items[f"feed-region-{t}"]["sceneItemEnabled"]  # hidden until taken
        assert not items["gfx-location-bug"]["sceneItemEnabled"]
        assert items["gfx-location-bug"]["sceneItemIndex"] > items[f"feed-region-{t}"]["sceneItemIndex"]
        assert items[f"feed-region-{t}"]["sceneItemTransform"]["boundsType"] == "OBS_BOUNDS_SCALE_INNER"
        slate = [i["sourceName"] for i in client.get_scene_item_list(FALLBACK_SCENE).scene_items]
        assert slate[0] == SLATE_BACKGROUND and len(slate) >= 5


def test_setup_corrects_what_drifted_and_leaves_visibility_alone(adapter: ObsAdapter, obs: ObsProcess) -> None:
    t = tag()
    show = rundown(segment("live", Kind.LIVE, f"Live {t}", region=f"region-{t}", feed=udp_url(free_udp_port())))
    setup(adapter, show)
    name = f"feed-region-{t}"
    with raw_client(obs) as client:
        client.set_input_settings(name, {"restart_on_activate": True}, True)
        item = client.get_scene_item_id(f"Live {t}", name).scene_item_id
        client.set_scene_item_enabled(f"Live {t}", item, True)  # on air: setup must not touch it
    report = check(adapter, show)
    assert report.differing == (f"feed '{name}': restart_on_activate differ",) and not report.missing
    fixed = setup(adapter, show)
    assert fixed.updated == (f"feed '{name}': restart_on_activate differ",) and fixed.created == ()
    with raw_client(obs) as client:
        assert client.get_input_settings(name).input_settings["restart_on_activate"] is False
        assert client.get_scene_item_enabled(f"Live {t}", item).scene_item_enabled is True
    assert check(adapter, show).ok


# -- the CLI ---------------------------------------------------------------------------


def config_for(obs: ObsProcess, **changes: object) -> types.SimpleNamespace:
    settings = {
        "host": obs.host, "port": obs.port, "password_env": obs.password_env, "timeout": 5.0, "studio_camera": "",
    } | changes
    return types.SimpleNamespace(obs=types.SimpleNamespace(**settings), graphics=types.SimpleNamespace(out="", templates=""))


def rundown_file(tmp_path: Path, t: str) -> Path:
    path = tmp_path / f"cli-{t}.toml"
    path.write_text(
        f"""
[show]
id = "cli-{t}"
title = {{ kk = "Сынақ", ru = "Тест" }}
date = 2026-03-15
zone = "Asia/Almaty"
start = 09:30:00

[[segment]]
id = "open"
kind = "studio"
title = {{ kk = "Ашылу", ru = "Открытие" }}
duration = "5m"
scene = "Studio {t}"
graphics = [{{ template = "lower-third", data = {{ name = "Дана Ким", role = "корреспондент" }} }}]

[[segment]]
id = "crc"
kind = "briefing"
title = {{ kk = "ОРК брифингі", ru = "Брифинг ЦРК" }}
duration = "10m"
scene = "Briefing {t}"
feed = "{udp_url(free_udp_port())}"
""",
        "utf-8",
    )
    return path


def run(command, args: argparse.Namespace, config: object, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    code = command(args, config)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_check_then_setup_then_check(obs: ObsProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t = tag()
    path = rundown_file(tmp_path, t)
    picture = tmp_path / "slate.png"
    Image.new("RGB", (64, 36), (11, 31, 58)).save(picture)
    config = config_for(obs)
    check_args = argparse.Namespace(rundown=path)
    setup_args = argparse.Namespace(rundown=path, slate=picture, text_slate=False)

    code, out, err = run(obs_check_command, check_args, config, capsys)
    assert code == 1, out + err
    assert out.startswith("OBS 29.") or out.startswith("OBS "), out
    assert "obs-websocket 5." in out
    assert f"missing: scene 'Studio {t}'" in out and f"missing: feed 'feed-briefing-{t}'" in out
    assert f"run `studio obs setup {path}`" in out

    code, out, err = run(obs_setup_command, setup_args, config, capsys)
    assert code == 0, out + err
    assert f"+ scene 'Briefing {t}'" in out and "setup: " in out

    code, out, err = run(obs_setup_command, setup_args, config, capsys)
    assert code == 0, out + err
    assert "setup: 0 created, 0 updated" in out and "OBS already had everything" in out
    assert "+ " not in out and "~ " not in out

    code, out, err = run(obs_check_command, check_args, config, capsys)
    assert code == 0, out + err
    assert f"check: OBS has everything rundown {path} needs" in out

    code, out, err = run(obs_check_command, argparse.Namespace(rundown=None), config, capsys)
    assert code == 0 and "the fallback slate (no rundown given)" in out
    with raw_client(obs) as client:
        assert client.get_input_settings(SLATE_IMAGE).input_settings["file"] == str(picture.resolve())
    assert obs.password not in out + err


def test_cli_obs_trouble_is_one_clear_line_and_exit_2(
    obs: ObsProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = rundown_file(tmp_path, tag())
    closed = config_for(obs, port=free_port(), timeout=1.0)
    code, out, err = run(obs_check_command, argparse.Namespace(rundown=path), closed, capsys)
    assert code == 2 and out == ""
    assert err.startswith("studio: error: cannot connect to OBS at 127.0.0.1:") and "Traceback" not in err

    monkeypatch.setenv("STUDIO_WRONG_OBS_PASSWORD", "not-" + obs.password)
    wrong = config_for(obs, password_env="STUDIO_WRONG_OBS_PASSWORD")
    setup_args = argparse.Namespace(rundown=path, slate=None, text_slate=True)
    code, out, err = run(obs_setup_command, setup_args, wrong, capsys)
    assert code == 2 and "refused the password" in err and "STUDIO_WRONG_OBS_PASSWORD" in err
    assert obs.password not in out + err and "Traceback" not in err

    code, out, err = run(obs_check_command, argparse.Namespace(rundown=tmp_path / "none.toml"), config_for(obs), capsys)
    assert code == 2 and "no rundown at" in err
