"""Where studio finds things outside its checkout: the shipped files, the default rundown, a station's own
templates and rundown named in config.toml (relative to the file), and `studio locate` (issue 16 part 8)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from studio.cli import main
from studio.config import load_config
from studio.graphics import Renderer
from studio.paths import default_rundown, sample_data, sample_rundown, shipped, store_files, template_folders
from tests.test_config import problems

SMALL = Path(__file__).resolve().parent / "data" / "small.toml"


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder to start studio in, away from the checkout."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_what_studio_ships_is_found_inside_the_package() -> None:
    package = Path(__file__).resolve().parent.parent / "studio"
    assert sample_rundown() == package / "sample" / "referendum-day.toml" and sample_rundown().is_file()
    assert (sample_data() / "referendum-2026-turnout.csv").is_file()
    assert (shipped("overlays", "fonts", "NotoSans-Bold.ttf")).is_file()
    assert (sample_rundown().parent / "media" / "sample-clip.mp4").is_file()  # the sample's video = "media/..."


def test_the_default_rundown_is_the_configured_one_then_the_folders_then_the_sample(elsewhere: Path) -> None:
    assert default_rundown() == (sample_rundown(), "sample")
    (elsewhere / "rundowns").mkdir()
    shutil.copy(SMALL, elsewhere / "rundowns" / "referendum-day.toml")
    assert default_rundown() == (Path("rundowns/referendum-day.toml"), "folder")
    assert default_rundown(str(SMALL)) == (SMALL, "config")


def test_a_command_given_no_rundown_says_which_it_uses(elsewhere: Path, capsys) -> None:
    assert main(["--lang", "en", "check"]) == 0
    captured = capsys.readouterr()
    assert f"studio: note: no rundown given: {sample_rundown()} (the sample show that studio ships" in captured.err
    assert "fixed starts: 7, hit exactly: 7" in captured.out
    (elsewhere / "rundowns").mkdir()
    shutil.copy(SMALL, elsewhere / "rundowns" / "referendum-day.toml")
    assert main(["--lang", "ru", "check"]) == 0
    assert "план эфира не указан: rundowns/referendum-day.toml (rundowns/referendum-day.toml в этой папке)" in (
        capsys.readouterr().err
    )


def test_relative_paths_in_the_config_are_taken_from_its_folder(tmp_path: Path, elsewhere: Path, capsys) -> None:
    station = tmp_path / "station"
    (station / "shows").mkdir(parents=True)
    (station / "templates").mkdir()
    shutil.copy(SMALL, station / "shows" / "day.toml")
    config = station / "config.toml"
    config.write_text(
        '[show]\nrundown = "shows/day.toml"\n[store]\npath = "day.db"\n'
        '[graphics]\nout = "png"\ntemplates = "templates"\n[youtube]\ntoken_file = "~/token.json"\n',
        "utf-8",
    )
    loaded = load_config(config)
    assert loaded.show.rundown == str(station / "shows" / "day.toml")
    assert (loaded.store.path, loaded.graphics.out) == (str(station / "day.db"), str(station / "png"))
    assert loaded.graphics.templates == str(station / "templates")
    assert loaded.youtube.token_file == "~/token.json"  # the home folder stays the home folder
    on_server = station / "on-server.toml"
    on_server.write_text('[store]\npath = "postgresql://desk@db.centre.kz/studio"\n', "utf-8")
    assert load_config(on_server).store.path == "postgresql://desk@db.centre.kz/studio"  # an address is no file
    assert main(["--lang", "en", "--config", str(config), "check"]) == 0
    assert f"no rundown given: {station / 'shows' / 'day.toml'} (named by [show] rundown in the config)" in (
        capsys.readouterr().err
    )


def test_a_configured_rundown_or_templates_folder_that_is_not_there_is_an_error_at_its_line(tmp_path: Path) -> None:
    found = problems(tmp_path, '[show]\nrundown = "day.toml"\n[graphics]\ntemplates = "ours"\n')
    config = tmp_path / "config.toml"
    assert found[0].startswith(f"{config}:2: error: [show] rundown: no file at {tmp_path / 'day.toml'}")
    assert found[1].startswith(f"{config}:4: error: [graphics] templates: no folder at {tmp_path / 'ours'}")
    assert "hint: expected folder of the station's own templates" in found[1]


def test_templates_are_searched_in_order_and_a_station_template_uses_the_shipped_fonts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, theirs = tmp_path / "ours", tmp_path / "env"
    ours.mkdir()
    theirs.mkdir()
    lower = shipped("overlays", "lower-third.toml").read_text("utf-8")
    (ours / "lower-third.toml").write_text(lower.replace("max_length = 60", "max_length = 20", 1), "utf-8")
    (ours / "sponsor.toml").write_text(lower, "utf-8")  # no fonts/ beside it: the shipped Noto Sans
    user = tmp_path / "xdg-data" / "studio" / "overlays"
    assert template_folders(str(ours)) == [ours, user, shipped("overlays")]
    renderer = Renderer(template_folders(str(ours)), tmp_path / "out")
    assert renderer.templates["lower-third"].path == ours / "lower-third.toml"
    assert renderer.templates["sponsor"].font_path("bold") == shipped("overlays", "fonts", "NotoSans-Bold.ttf")
    assert renderer.templates["slate"].path == shipped("overlays", "slate.toml")
    monkeypatch.setenv("STUDIO_OVERLAYS", str(theirs))
    assert template_folders(str(ours))[:2] == [theirs, ours]


def test_studio_render_takes_the_stations_template_named_in_the_config(tmp_path: Path, elsewhere: Path, capsys) -> None:
    ours = tmp_path / "ours"
    ours.mkdir()
    lower = shipped("overlays", "lower-third.toml").read_text("utf-8")
    (ours / "sponsor.toml").write_text(lower, "utf-8")
    config = tmp_path / "config.toml"
    config.write_text('[graphics]\ntemplates = "ours"\n', "utf-8")
    data = tmp_path / "d.json"
    data.write_text('{"name": "Дана Ким"}', "utf-8")
    out = tmp_path / "sponsor.png"
    assert main(["--config", str(config), "render", "sponsor", "--data", str(data), "--out", str(out)]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert main(["--lang", "en", "--config", str(config), "render", "sponsr", "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert f"no template {ours / 'sponsr.toml'}" in err and "sponsor" in err and "lower-third" in err


def test_locate_prints_every_search_path_marked_there_or_not(tmp_path: Path, elsewhere: Path, capsys) -> None:
    ours = tmp_path / "ours"
    ours.mkdir()
    config = elsewhere / "config.toml"
    config.write_text('[graphics]\ntemplates = "../ours"\n', "utf-8")
    assert main(["--lang", "en", "--config", str(config), "locate"]) == 0
    lines = capsys.readouterr().out.splitlines()
    data_home = tmp_path / "xdg-data" / "studio"
    today = datetime.now(ZoneInfo("Asia/Almaty")).date()  # the station's day: the config names no other zone
    assert lines == [
        f"config:    {config}  (there)",
        "config search: --config, else $STUDIO_CONFIG, else the first of these that is there",
        f"  {elsewhere / 'config.toml'}  (there)",
        f"  {tmp_path / 'xdg-config' / 'studio' / 'config.toml'}  (not there)",
        f"store:     {tmp_path / 'default-store.db'}  (not there)",
        f"media:     {tmp_path / 'media'}  (not there)",
        f"rehearsal: {tmp_path / f'default-store.rehearsal-{today}.db'}  (not there)",
        f"graphics:  {data_home / 'graphics'}  (not there)",
        f"social:    {data_home / 'social'}  (not there)",
        "templates: each template is taken from the first of these folders that has it",
        f"  {elsewhere / '..' / 'ours'}  (there)",
        f"  {data_home / 'overlays'}  (not there)",
        f"  {shipped('overlays')}  (there)",
        f"rundown:   {sample_rundown()}  (there)",
        "  the sample show that studio ships: the config names no [show] rundown and this folder has no "
        "rundowns/referendum-day.toml",
        f"sample:    {sample_rundown()}  (there)",
        f"data:      {sample_data()}  (there)",
    ]


def test_locate_shows_a_postgresql_stores_files_folder_from_the_config_unless_studio_files(
    tmp_path: Path, elsewhere: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = elsewhere / "config.toml"
    config.write_text('[store]\npath = "postgresql://desk@db.centre.kz/studio"\nfiles = "shared"\n', "utf-8")
    monkeypatch.delenv("STUDIO_STORE")  # the config's URL, not the tests' own file
    today = datetime.now(ZoneInfo("Asia/Almaty")).date()

    def located() -> list[str]:
        assert main(["--lang", "en", "--config", str(config), "locate"]) == 0
        lines = capsys.readouterr().out.splitlines()
        return [line for line in lines if line.startswith(("store:", "media:", "rehearsal:"))]

    # the rehearsal's SQLite file stays on this machine, never in a folder other machines share
    rehearsal = f"rehearsal: {store_files('postgresql://desk@db.centre.kz/studio') / f'studio.rehearsal-{today}.db'}"
    assert located() == [
        "store:     postgresql://desk@db.centre.kz/studio",
        f"media:     {elsewhere / 'shared' / 'media'}  (not there)",
        f"{rehearsal}  (not there)",
    ]
    monkeypatch.setenv("STUDIO_FILES", str(tmp_path / "mount"))
    assert located()[1:] == [f"media:     {tmp_path / 'mount' / 'media'}  (not there)", f"{rehearsal}  (not there)"]
