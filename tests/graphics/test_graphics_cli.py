"""``studio render TEMPLATE --data FILE | --fact ID --out PNG`` through render_command."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image

from studio.graphics.cli import render_command


def run(*args, **kwargs) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = render_command(*args, stdout=out, stderr=err, **kwargs)
    return status, out.getvalue(), err.getvalue()


def test_render_a_lower_third_from_a_toml_data_file(tmp_path: Path, overlays: Path) -> None:
    data = tmp_path / "who.toml"
    data.write_text('name = "Айгерім Сәрсенбаева"\nrole = "жүргізуші"\n', "utf-8")
    status, out, err = run("lower-third", data, None, tmp_path / "lt.png", None, overlays=overlays)
    assert (status, err) == (0, "")
    assert "960x174 at x=96, y=822" in out
    with Image.open(tmp_path / "lt.png") as image:
        assert image.size == (960, 174)
    assert json.loads((tmp_path / "lt.json").read_text("utf-8"))["data"]["name"] == "Айгерім Сәрсенбаева"


def test_render_from_json_and_into_the_graphics_folder(tmp_path: Path, overlays: Path) -> None:
    data = tmp_path / "bug.json"
    data.write_text('{"region": "almaty-region", "time": "12:00"}', "utf-8")
    folder = tmp_path / "overlays"
    folder.mkdir()
    for path in overlays.glob("*.toml"):
        (folder / path.name).write_text(path.read_text("utf-8"), "utf-8")
    (folder / "fonts").symlink_to(overlays / "fonts")
    status, out, _ = run("location-bug", data, None, None, None, overlays=folder, graphics=tmp_path / "graphics")
    assert status == 0
    [png] = (tmp_path / "graphics").glob("location-bug-*.png")
    assert str(png) in out
    assert not (folder / "out").exists()  # never beside the templates, in the checkout


def test_render_a_verified_fact_by_id(tmp_path: Path, overlays: Path, facts, national) -> None:
    status, out, err = run("fact-card", None, national.id, tmp_path / "fact.png", facts, overlays=overlays)
    assert status == 0, err
    assert json.loads((tmp_path / "fact.json").read_text("utf-8"))["facts"][0]["status"] == "verified"


def test_a_data_error_names_the_data_file_line(tmp_path: Path, overlays: Path) -> None:
    data = tmp_path / "who.toml"
    data.write_text('name = "Дана Ким"\nrole = "тілші\u202e"\n', "utf-8")
    status, _, err = run("lower-third", data, None, tmp_path / "x.png", None, overlays=overlays)
    assert status == 2
    assert err.startswith(f"{data}:2:1: error: lower-third: field 'role': contains U+202E")
    assert not (tmp_path / "x.png").exists()


def test_template_errors_and_usage_errors_exit_2_with_a_message(tmp_path: Path, overlays: Path, facts) -> None:
    status, _, err = run("lower-thrid", None, None, None, None, overlays=overlays)
    assert status == 2 and "no template" in err and "lower-third" in err
    status, _, err = run("lower-third", None, "f-101", None, facts, overlays=overlays)
    assert status == 2 and "this template takes none" in err
    status, _, err = run("lower-third", None, None, tmp_path / "x.jpg", None, overlays=overlays)
    assert status == 2 and "is not a .png file" in err
    broken = tmp_path / "broken.toml"
    broken.write_text("version = \n", "utf-8")
    status, _, err = run(str(broken), None, None, None, None, overlays=overlays)
    assert status == 2 and f"{broken}:1:" in err
    data = tmp_path / "bad.toml"
    data.write_text('name = "x\n', "utf-8")
    status, _, err = run("lower-third", data, None, None, None, overlays=overlays)
    assert status == 2 and f"{data}:1:" in err


def test_the_fact_given_twice_is_refused(tmp_path: Path, overlays: Path, facts) -> None:
    data = tmp_path / "f.toml"
    data.write_text('fact = "f-101"\n', "utf-8")
    status, _, err = run("fact-card", data, "f-101", None, facts, overlays=overlays)
    assert status == 2 and "given twice" in err


def test_the_record_beside_the_png_never_overwrites_the_data_file(tmp_path: Path, overlays: Path) -> None:
    data = tmp_path / "lt.json"  # --out lt.png writes its record to lt.json: this very file
    given = '{"name": "Айгерім Сәрсенбаева", "role": "жүргізуші"}'
    data.write_text(given, "utf-8")
    status, out, err = run("lower-third", data, None, tmp_path / "lt.png", None, overlays=overlays)
    assert (status, out) == (2, "") and f"--out {tmp_path / 'lt.png'}" in err and "another name" in err
    assert data.read_text("utf-8") == given and not (tmp_path / "lt.png").exists()
