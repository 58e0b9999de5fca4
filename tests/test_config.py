"""config.toml: defaults, the shipped file, and errors that name the line."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from studio.config import Config, load_config
from studio.diagnostics import DiagnosticsError
from studio.paths import config_file, store_file

ROOT = Path(__file__).resolve().parent.parent


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "config.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(DiagnosticsError) as raised:
        load_config(path)
    return [str(d) for d in raised.value.diagnostics]


def test_shipped_config_equals_the_defaults_but_runs_the_sample_day_as_a_rehearsal() -> None:
    shipped = load_config(ROOT / "config.toml")
    assert shipped.operators.sign_in is False and Config().operators.sign_in is True  # absent: sign-in on
    dumped = shipped.model_dump(exclude={"source"})
    assert dumped | {"operators": {"sign_in": True}} == Config().model_dump(exclude={"source"})
    assert shipped.station.zone.key == "Asia/Almaty"
    assert shipped.station.turnout_hours == [time(10), time(12), time(14), time(16), time(18), time(20)]


def test_every_problem_names_its_line_and_what_to_do(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        '[station]\nlanguge = "kk"\nzone = "Mars/Olympus"\nturnout_hours = ["25:00"]\n[youtube]\nchannel = "x"\n[stoer]\n',
    )
    assert found[0] == (
        f"{tmp_path}/config.toml:2: error: [station] languge: unknown key\n"
        "  hint: did you mean 'language'? known keys: zone, language, operator, turnout_hours"
    )
    assert found[1].startswith(f"{tmp_path}/config.toml:3: error: [station] zone: unknown time zone 'Mars/Olympus'")
    assert "config.toml:4: error:" in found[2] and "time of day" in found[2]
    assert "config.toml:6: error: [youtube] channel: unknown key" in found[3]
    assert "config.toml:7: error: stoer: unknown key" in found[4] and "did you mean 'store'" in found[4]


def test_wrong_type_and_syntax(tmp_path: Path) -> None:
    assert "[station] operator: Input should be a valid string" in problems(tmp_path, "[station]\noperator = 5\n")[0]
    assert "config.toml:1:" in problems(tmp_path, "[station\n")[0]


def test_keymap_is_binding_id_to_keys(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"rundown.take_next" = "f5,space"\n', "utf-8")
    assert load_config(path).keymap == {"rundown.take_next": "f5,space"}
    assert "empty key" in problems(tmp_path, '[keymap]\n"rundown.take_next" = "f5,"\n')[0]


def test_search_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STUDIO_CONFIG")
    monkeypatch.chdir(tmp_path)
    assert config_file(None) is None
    (tmp_path / "config.toml").write_text("")
    assert config_file(None) == tmp_path / "config.toml"
    monkeypatch.setenv("STUDIO_CONFIG", "/elsewhere.toml")
    assert config_file(None) == Path("/elsewhere.toml")
    assert config_file(Path("given.toml")) == Path("given.toml")
    monkeypatch.delenv("STUDIO_STORE")
    assert store_file(None, "~/show.db") == Path.home() / "show.db"
    assert store_file(None, "").name == "studio.db"
    monkeypatch.setenv("STUDIO_STORE", "/env.db")
    assert store_file(None, "~/show.db") == Path("/env.db")
    # a PostgreSQL address is kept as it is (a Path would fold its //), from wherever it comes
    assert store_file("postgresql://desk@db:5433/studio", "") == "postgresql://desk@db:5433/studio"
    monkeypatch.setenv("STUDIO_STORE", "postgres://desk@db/studio")
    assert store_file(None, "~/show.db") == "postgres://desk@db/studio"


# fuzz (tests/fuzz/test_fuzz_config.py): what hostile configs found, each once by hand


def test_a_section_that_is_not_a_table_says_how_to_write_it(tmp_path: Path) -> None:
    assert problems(tmp_path, 'obs = "127.0.0.1"\n') == [
        f"{tmp_path}/config.toml:1: error: obs: Input should be a table\n"
        "  hint: write it as a table: a line [obs], then its keys one per line: host, port, password_env, timeout,"
        " studio_camera"
    ]


@pytest.mark.parametrize("path", ["x" * 5000, "~nobody-on-this-machine/rundown.toml"])
def test_a_path_no_file_system_takes_is_no_file(tmp_path: Path, path: str) -> None:
    found = problems(tmp_path, f'[show]\nrundown = "{path}"\n[graphics]\ntemplates = "{path}"\n')
    assert [line.split(": error: ")[1].split(" at ")[0] for line in found] == [
        "[show] rundown: no file", "[graphics] templates: no folder"
    ]
