"""The command line: clear errors with exit 2, never a traceback."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from studio.cli import main

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "data" / "small.toml"


def test_check_prints_the_timed_plan(capsys) -> None:
    assert main(["--lang", "en", "check", str(SMALL)]) == 0
    out = capsys.readouterr().out
    assert "09:30:00 09:40:00" in out  # open
    assert "10:00:00*10:15:00" in out  # fixed briefing
    assert "fixed 10:00:00 not hit: gap 300 s: fill before it" in out
    assert "00:30:00*00:50:00" in out and "ends 2026-03-16 00:50:00" in out


def test_check_prints_the_plan_in_the_stations_language(capsys) -> None:
    """The test config's station speaks Kazakh: no English word in the plan (issue 17: it was all English)."""
    assert main(["check", str(SMALL)]) == 0
    out = capsys.readouterr().out
    assert "тұрақты уақыт 10:00:00 сақталмайды: 300 с бос қалады" in out
    assert "аяқталуы 2026-03-16 00:50:00" in out
    for english in ("on air", "segments", "fixed", "ends", "studio ", "briefing", "start", "Title"):
        assert english not in out, english
    assert main(["--lang", "ru", "check", str(SMALL)]) == 0
    assert "фиксированное начало 10:00:00 не выдержано: пауза 300 с" in capsys.readouterr().out


def test_check_reports_errors_with_exit_2(tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(SMALL.read_text("utf-8").replace('duration = "15m"', 'duration = "15 minutes"', 1), "utf-8")
    assert main(["--lang", "en", "check", str(broken)]) == 2  # the test config says kk: English asked for
    err = capsys.readouterr().err
    assert f"{broken}:23:1: error: segment 'guests': duration:" in err and "Traceback" not in err


def test_missing_rundown_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert main(["--lang", "en", "check", str(tmp_path / "nope.toml")]) == 2
    assert "no rundown at" in capsys.readouterr().err


def test_bad_config_is_reported_with_its_line(tmp_path: Path, capsys) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[station]\nlanguage = "de"\n', "utf-8")
    assert main(["--config", str(config), "locate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{config}:2: error: [station] language:") and "kk, ru or en" in err


def test_locate_honours_store_option(tmp_path: Path, capsys) -> None:
    assert main(["--lang", "en", "--store", str(tmp_path / "x.db"), "locate"]) == 0
    out = capsys.readouterr().out
    assert f"store:     {tmp_path / 'x.db'}  (not there)\n" in out
    today = datetime.now(ZoneInfo("Asia/Almaty")).date()  # the station's zone (tests/data/station.toml)
    assert f"rehearsal: {tmp_path / f'x.rehearsal-{today}.db'}  (not there)\n" in out  # today's, beside the show's


def test_locate_prints_the_graphics_folder_the_data_folder_unless_configured(tmp_path: Path, capsys) -> None:
    assert main(["--lang", "en", "locate"]) == 0
    printed = capsys.readouterr().out
    assert f"graphics:  {tmp_path / 'xdg-data' / 'studio' / 'graphics'}" in printed
    assert f"social:    {tmp_path / 'xdg-data' / 'studio' / 'social'}" in printed
    config = tmp_path / "config.toml"
    config.write_text(f'[graphics]\nout = "{tmp_path / "gfx"}"\n', "utf-8")
    assert main(["--lang", "en", "--config", str(config), "locate"]) == 0
    assert f"graphics:  {tmp_path / 'gfx'}" in capsys.readouterr().out


def test_render_writes_into_the_graphics_folder_never_into_the_checkout(tmp_path: Path, capsys) -> None:
    from studio.paths import shipped

    data = tmp_path / "dana.toml"
    data.write_text('name = "Дана Ким"\nrole = "корреспондент"\n', "utf-8")
    before = set((shipped("overlays") / "out").glob("*"))
    assert main(["--lang", "en", "render", "lower-third", "--data", str(data)]) == 0
    folder = tmp_path / "xdg-data" / "studio" / "graphics"
    [png] = folder.glob("lower-third-*.png")
    assert f"wrote {png} " in capsys.readouterr().out
    assert set((shipped("overlays") / "out").glob("*")) == before


def test_asrun_export_json_and_csv(tmp_path: Path, small_rundown, clock, capsys) -> None:
    from studio.show import Controller
    from studio.store import open_store

    store_path = tmp_path / "show.db"
    controller = Controller(open_store(store_path), small_rundown, operator="aigerim", clock=clock)
    controller.take_next()
    clock.advance(minutes=9, seconds=30)
    controller.take_next()
    out = tmp_path / "asrun.json"
    args = ["--store", str(store_path), "asrun", "export", "--rundown", str(SMALL)]
    assert main([*args, "--format", "json", "--out", str(out)]) == 0
    rows = json.loads(out.read_text("utf-8"))
    assert [(r["type"], r["segment_id"]) for r in rows] == [("segment", "open"), ("segment", "guests")]
    assert rows[0]["start_local"] == "2026-03-15T09:30:00+05:00" and rows[0]["deviation_s"] == -30.0
    assert rows[1]["end_utc"] == "" and rows[0]["taken_by"] == "aigerim"
    capsys.readouterr()
    assert main([*args, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("type,segment_id,kind,region,title_kk") and lines[1].startswith("segment,open,studio,,Ашылу")


def test_unopenable_store_is_a_clear_error(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["--store", str(blocker / "sub" / "s.db"), "asrun", "export", "--rundown", str(SMALL)]) == 2
    err = capsys.readouterr().err
    assert "cannot create the store folder" in err and "Traceback" not in err


@pytest.mark.parametrize("given", ["option", "environment", "config"])
def test_a_store_address_with_a_password_is_refused_and_never_shown(
    given: str, tmp_path: Path, capsys, monkeypatch
) -> None:
    """A password on a command line shows in ``ps``, in a config file it travels with the file: refused wherever
    the URL comes from, saying where the password goes; never taken for a folder called "postgresql:"."""
    monkeypatch.chdir(tmp_path)
    url = "postgresql://desk:hunter2@db.example.kz/studio?password=hunter3"
    store = ["--store", url] if given == "option" else []
    if given == "environment":
        monkeypatch.setenv("STUDIO_STORE", url)
    if given == "config":
        monkeypatch.delenv("STUDIO_STORE")
        (tmp_path / "config.toml").write_text(f'[store]\npath = "{url}"\n', "utf-8")
        monkeypatch.setenv("STUDIO_CONFIG", str(tmp_path / "config.toml"))
    assert main(["--lang", "en", *store, "asrun", "export", "--rundown", str(SMALL)]) == 2
    err = capsys.readouterr().err
    assert "postgresql://desk@db.example.kz/studio carries a password" in err and "PGPASSWORD or ~/.pgpass" in err
    assert "hunter" not in err and "Traceback" not in err
    assert [p.name for p in tmp_path.iterdir()] == (["config.toml"] if given == "config" else [])


def test_render_and_the_gate_through_the_command_line(store_location, tmp_path: Path, capsys, monkeypatch) -> None:
    """On either store: ``--store`` takes a file's path or a PostgreSQL URL (issue 22)."""
    store = ["--store", str(store_location)]
    turnout = ROOT / "tests" / "data" / "referendum-2026-turnout.csv"
    assert main([*store, "operators", "add", "aigerim"]) == 0
    monkeypatch.setenv("STUDIO_OPERATOR_KEY", capsys.readouterr().out.strip())
    assert main([*store, "import-turnout", str(turnout), "--operator", "aigerim", "--rejects", str(tmp_path / "r.csv")]) == 0
    data = tmp_path / "board.toml"
    data.write_text('hour = "10:00"\nlanguage = "kk"\n', "utf-8")
    capsys.readouterr()
    # imported official figures arrive in review: nothing unverified can be rendered
    args = [*store, "render", "turnout-board", "--data", str(data), "--out", str(tmp_path / "b.png"), "--rundown", str(SMALL)]
    assert main(args) == 2
    said = capsys.readouterr().err  # in the console's language (Kazakh unless configured)
    assert "10:00 кезіндегі жалпыұлттық көрсеткіш «тексерілуде»: тақта қабылданбады" in said
    assert main([*store, "--lang", "en", *args[len(store):]]) == 2
    assert "the national figure for 10:00 is 'in_review': the board is refused" in capsys.readouterr().err
    assert not (tmp_path / "b.png").exists()
    lower = tmp_path / "lt.toml"
    lower.write_text('name = "Айгерім Сәрсенбаева"\nrole = "жүргізуші"\n', "utf-8")
    assert main([*store, "render", "lower-third", "--data", str(lower), "--out", str(tmp_path / "lt.png")]) == 0
    assert (tmp_path / "lt.png").stat().st_size > 1000


def test_lang_is_the_language_of_every_screen_the_command_opens(monkeypatch) -> None:
    """`studio --lang en desk` on a Kazakh station opens an English desk (issue 17: it stayed Kazakh)."""
    from studio.commands.common import read_config as _config
    from studio.commands.parser import parser as _parser

    monkeypatch.delenv("STUDIO_LANG", raising=False)
    assert _config(_parser().parse_args(["desk"])).station.language == "kk"  # the test station speaks Kazakh
    assert _config(_parser().parse_args(["--lang", "en", "desk"])).station.language == "en"
    monkeypatch.setenv("STUDIO_LANG", "ru")
    assert _config(_parser().parse_args(["desk"])).station.language == "ru"


def test_a_rehearsal_refuses_a_shared_database(tmp_path: Path, capsys, monkeypatch) -> None:
    """A rehearsal writes a show of its own: never into the PostgreSQL database the desks share."""
    monkeypatch.chdir(tmp_path)
    url = "postgresql://desk@db.example.kz/studio"
    assert main(["--lang", "en", "--store", url, "rehearse", str(SMALL), "--no-obs"]) == 2
    err = capsys.readouterr().err
    assert "SQLite file of its own" in err and url in err and "Traceback" not in err
    assert not any(tmp_path.iterdir())
