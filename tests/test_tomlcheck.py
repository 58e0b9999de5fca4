"""The one path from a TOML file through pydantic to ``FILE:LINE: error`` (studio/tomlcheck.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import Field

from studio.config import load_config
from studio.desk.mapping import load_mapping
from studio.diagnostics import DiagnosticsError
from studio.graphics.template import load_template, parse_template
from studio.rundown.load import load_rundown
from studio.tomlcheck import TomlCheck, owner
from studio.validated import Clock, Strict, Zone, parse_zone


class _Window(Strict):
    opens: Clock
    closes: Clock


class _Station(Strict):
    zone: Zone
    window: _Window
    windows: list[_Window] = []
    note: str = Field(default="", max_length=3)


TEXT = """\
zone = "Asia/Nowhere"
note = "longer"
windows = [{ opens = "09:00", closes = "18:00", shuts = "x" }]

[window]
opens = "8 am"
closes = "20:00"
"""


def test_every_problem_is_reported_at_once_in_file_order_at_its_key() -> None:
    check = TomlCheck(Path("s.toml"), TEXT)
    assert check.validate(_Station, check.table) is None
    with pytest.raises(DiagnosticsError) as raised:
        check.finish(None)
    assert raised.value.render("en").splitlines() == [
        "s.toml:1:1: error: zone: unknown time zone 'Asia/Nowhere'",
        "s.toml:2:1: error: note: String should have at most 3 character(s)",
        "s.toml:3:49: error: windows.0.shuts: unknown key",
        "  hint: known keys: opens, closes",
        "s.toml:6:1: error: window.opens: '8 am' is not a time of day like 10:00:00",
    ]


def test_a_syntax_error_stops_at_once_with_its_line_and_column() -> None:
    with pytest.raises(DiagnosticsError) as raised:
        TomlCheck(Path("s.toml"), 'zone = "Asia/Almaty"\nwindow = \n')
    assert str(raised.value).startswith("s.toml:2:10: error: ")


def test_an_unknown_key_is_hinted_with_the_keys_of_its_own_table() -> None:
    assert owner(_Station, ("window", "opns")) is _Window
    assert owner(_Station, ("windows", 0, "opns")) is _Window
    assert owner(_Station, ("zonee",)) is _Station
    check = TomlCheck(Path("s.toml"), '[window]\nopns = "09:00"\ncloses = "18:00"\n')
    check.validate(_Station, check.table | {"zone": "UTC"})
    unknown = [d for d in check.diagnostics if "unknown key" in str(d.message)]
    assert [str(d.hint) for d in unknown] == ["did you mean 'opens'? known keys: opens, closes"]


def test_a_templates_nested_table_lists_its_own_keys(tmp_path: Path) -> None:
    text = "version = 1\nregion = { x = 0, y = 0, widht = 10, height = 10 }\n[fonts]\nbold = \"x.ttf\"\n[[box]]\nkind = \"rect\"\n"
    with pytest.raises(DiagnosticsError) as raised:
        parse_template(tmp_path / "card.toml", text)
    found = [d for d in raised.value.diagnostics if "widht" in str(d.message)]
    assert [str(d.hint) for d in found] == ["did you mean 'width'? known: x, y, width, height"]


@pytest.mark.parametrize(
    ("load", "said"),
    [
        (load_rundown, "cannot read the rundown: "),
        (load_config, "cannot read the config: "),
        (load_mapping, "cannot read the mapping: "),
        (load_template, "cannot read the template: "),
    ],
)
def test_a_file_that_cannot_be_read_is_one_diagnostic_said_the_same_way(tmp_path: Path, load, said) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(b"\xff\xfe bad")
    with pytest.raises(DiagnosticsError) as raised:
        load(path)
    assert str(raised.value).startswith(f"{path}:1: error: {said}'utf-8' codec can't decode")



@pytest.mark.parametrize("name", ["=/==/==" * 300, "Asia/" + "x" * 300, "Asia//Almaty", "../../etc/passwd", ""])
def test_a_zone_not_shaped_like_an_iana_name_is_refused_before_zoneinfo_reads_it(name: str) -> None:
    check = TomlCheck(Path("s.toml"), f'zone = "{name}"\n[window]\nopens = "09:00"\ncloses = "18:00"\n')
    assert check.validate(_Station, check.table) is None
    with pytest.raises(DiagnosticsError) as raised:
        check.finish(None)
    assert raised.value.render("en").startswith("s.toml:1:1: error: zone: unknown time zone")


@pytest.mark.parametrize("name", ["Asia/Almaty", "America/Argentina/Buenos_Aires", "Etc/GMT-5", "UTC"])
def test_every_shape_of_an_iana_name_is_read(name: str) -> None:
    assert str(parse_zone(name)) == name
