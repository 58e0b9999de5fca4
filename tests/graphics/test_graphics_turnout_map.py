"""The turnout map (studio/overlays/turnout-map*.toml, studio/graphics/tilemap.py): its layout, its colours,
its golden images, the safe area, the gate, and the frames of the day."""

from __future__ import annotations

import colorsys
import io
import json
import shutil
import subprocess
from dataclasses import replace
from datetime import time
from pathlib import Path

import pytest

from studio.diagnostics import DiagnosticsError
from studio.graphics import load_template, render
from studio.graphics.errors import FactRefused
from studio.graphics.frames import frames_command, frames_video, render_frames
from studio.graphics.scale import at_canvas
from studio.graphics.schema import RectBox, TurnoutMap
from studio.graphics.tilemap import contrast, label_colour, luminance, step_labels
from studio.regions import regions

MAPS = ("turnout-map", "turnout-map-corner")
HOURS = [time(h) for h in (10, 12, 14, 16, 18, 20)]


def map_box(template) -> TurnoutMap:
    (box,) = [b for b in template.boxes if isinstance(b, TurnoutMap)]
    return box


@pytest.mark.parametrize("name", MAPS)
def test_the_layout_has_every_unit_once_on_cells_of_its_own_inside_the_grid(templates, name) -> None:
    box = map_box(templates[name])
    assert len(box.tiles) == 20 and set(box.tiles) == set(regions())
    cells = list(box.tiles.values())
    assert len(set(cells)) == 20  # no two tiles overlap: one cell each, and cells are apart by the gap
    assert all(0 <= c < box.columns and 0 <= r < box.rows for c, r in cells)
    assert box.gap >= 0


def test_both_placements_have_the_same_layout(templates) -> None:
    assert map_box(templates["turnout-map"]).tiles == map_box(templates["turnout-map-corner"]).tiles


@pytest.mark.parametrize(("tile", "said"), [
    ("almaty = [4, 0]", "pavlodar and almaty are both at column 4, row 0"),
    ("almaty = [9, 4]", "the tile of almaty at column 9, row 4 is outside the grid"),
    ("almaty = [4, 4]\nbaikonur = [0, 0]", "units that studio/regions.toml does not have: baikonur"),
])
def test_a_broken_layout_is_refused_at_load(tmp_path: Path, overlays: Path, tile, said) -> None:
    text = (overlays / "turnout-map.toml").read_text("utf-8").replace("almaty = [4, 4]", tile)
    (tmp_path / "turnout-map.toml").write_text(text, "utf-8")
    with pytest.raises(DiagnosticsError) as caught:
        load_template(tmp_path / "turnout-map.toml")
    assert said in caught.value.render("en")


def test_a_layout_without_a_unit_is_refused(tmp_path: Path, overlays: Path) -> None:
    text = (overlays / "turnout-map.toml").read_text("utf-8").replace("ulytau = [2, 2]\n", "")
    (tmp_path / "turnout-map.toml").write_text(text, "utf-8")
    with pytest.raises(DiagnosticsError) as caught:
        load_template(tmp_path / "turnout-map.toml")
    assert "has no tile for: ulytau" in caught.value.render("en")


@pytest.mark.parametrize("name", MAPS)
def test_the_scale_darkens_step_by_step_and_every_label_reads_at_4_5_to_1(templates, name) -> None:
    template = templates[name]
    box = map_box(template)
    fills = [template.color(ref) for ref in box.scale]
    lightness = [luminance(fill) for fill in fills]
    assert lightness == sorted(lightness, reverse=True) and len(set(lightness)) == len(lightness)
    dark, light = template.color(box.color), template.color(box.light_color)
    for fill in fills:
        assert contrast(label_colour(fill, dark, light), fill) >= 4.5, fill
    for ground in (box.hatch, box.stripe, "panel"):  # hatched tiles, and the legend on the panel
        assert contrast(light, template.color(ground)) >= 4.5, ground
    # one hue: every step blue, within 20 degrees of each other (ColorBrewer's Blues span 15)
    hues = [colorsys.rgb_to_hsv(*(c / 255 for c in fill[:3]))[0] * 360 for fill in fills]
    assert max(hues) - min(hues) < 20


def test_contrast_is_the_wcag_ratio() -> None:
    assert contrast((0, 0, 0, 255), (255, 255, 255, 255)) == pytest.approx(21)
    assert contrast((255, 255, 255, 255), (118, 118, 118, 255)) == pytest.approx(4.54, abs=0.01)


def test_the_legend_names_every_step(templates) -> None:
    assert step_labels(map_box(templates["turnout-map"])) == ["0–20%", "20–40%", "40–60%", "60–80%", "80–100%"]


@pytest.mark.parametrize("name", MAPS)
@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (3840, 2160)])
def test_text_stays_inside_the_title_safe_area(templates, name, size) -> None:
    template = at_canvas(templates[name], size)
    for box in template.boxes:
        if not isinstance(box, RectBox):
            assert template.safe.contains(box), box


def _hold_and_drop(facts) -> None:
    """Astana's 10:00 figure held in a conflict; Ulytau's and West Kazakhstan's never published."""
    facts.add(replace(facts.facts["turnout-1000-astana"], status="conflict"))
    del facts.facts["turnout-1000-ulytau"]
    del facts.facts["turnout-1000-west-kz"]


GOLDEN = [  # with every unit: turnout-map-10-kk and turnout-map-corner-10-ru, in test_graphics_render.py
    ("turnout-map-10-ru-held", "turnout-map", "ru"),
    ("turnout-map-corner-10-kk-held", "turnout-map-corner", "kk"),
]


@pytest.mark.parametrize(("golden_name", "name", "language"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_the_map_with_held_and_missing_units_matches_its_golden_image(templates, facts, golden, now, golden_name,
                                                                      name, language) -> None:
    """The longest names are on it: «Солтүстік Қазақстан», «Батыс Қазақстан» in kk (the tile's short forms
    of «... облысы»), «Кызылординская», «Карагандинская» in ru (СКО, ЗКО, ВКО there)."""
    _hold_and_drop(facts)
    rendered = render(templates[name], {"hour": "10:00", "language": language}, facts, now=now)
    golden(rendered.image, golden_name)


def test_a_held_or_missing_unit_is_hatched_with_its_word_and_no_figure_of_any_hour(templates, facts, now) -> None:
    _hold_and_drop(facts)
    rendered = render(templates["turnout-map"], {"hour": "10:00", "language": "ru"}, facts, now=now)
    board = rendered.prepared.resolved.boards["hour"]
    assert board.checking == ("astana",) and board.held == ("astana",)
    assert set(board.missing) == {"ulytau", "west-kz"}
    stated = {fact["id"] for fact in rendered.prepared.resolved.facts}
    assert not any("astana" in id_ or "ulytau" in id_ or "west-kz" in id_ for id_ in stated)
    assert all(fact["status"] == "verified" for fact in rendered.prepared.resolved.facts)
    assert "20.68" not in json.dumps(rendered.prepared.resolved.facts)  # Astana's held figure stated nowhere
    assert "12:00" not in json.dumps(rendered.prepared.record())  # nothing from another hour
    # a hatched tile is the hatch's two colours, a tile with a figure the colour of its step
    template = templates["turnout-map"]
    box = map_box(template)
    for region, colours in (("ulytau", {box.hatch, box.stripe}), ("astana", {box.hatch, box.stripe}),
                            ("almaty", {box.scale[0]})):  # Almaty 9.54%: the lightest step
        pixel = rendered.image.getpixel(_cell_centre(template, box, *box.tiles[region]))
        assert pixel in {template.color(ref) for ref in colours}, region


def _cell_centre(template, box: TurnoutMap, column: int, row: int) -> tuple[int, int]:
    grid_width = box.width - box.legend_size - box.gap
    cell_w = (grid_width - box.gap * (box.columns - 1)) // box.columns
    cell_h = (box.height - box.gap * (box.rows - 1)) // box.rows
    return (box.x - template.region.x + column * (cell_w + box.gap) + 8,  # inside a city's ring
            box.y - template.region.y + row * (cell_h + box.gap) + cell_h // 2)


def test_the_map_states_exactly_the_verified_facts_it_shows(templates, facts, now) -> None:
    rendered = render(templates["turnout-map"], {"hour": "20:00"}, facts, now=now)
    resolved = rendered.prepared.resolved
    shown = {row.id for row in resolved.boards["hour"].rows} | {resolved.boards["hour"].national.id}
    assert {fact["id"] for fact in resolved.facts} == shown
    assert all({"id", "version", "status"} <= fact.keys() for fact in resolved.facts)


@pytest.mark.parametrize("name", MAPS)
@pytest.mark.parametrize("status", ["in_review", "conflict", "retracted"])
def test_the_gate_refuses_a_map_whose_national_figure_is_not_verified(templates, facts, now, name, status) -> None:
    facts.add(replace(facts.facts["turnout-1000-national"], status=status))
    with pytest.raises(FactRefused):
        render(templates[name], {"hour": "10:00"}, facts, now=now)


def test_two_verified_figures_for_one_unit_refuse_the_map(templates, facts, now) -> None:
    facts.add(replace(facts.facts["turnout-1000-astana"], id="turnout-1000-astana-2", value="20.86"))
    with pytest.raises(FactRefused, match="astana"):
        render(templates["turnout-map"], {"hour": "10:00"}, facts, now=now)


def test_the_frames_of_the_day_are_numbered_in_hour_order_each_from_its_own_hour(templates, facts, tmp_path) -> None:
    folder = tmp_path / "frames"
    folder.mkdir()
    (folder / "07-2200.png").write_bytes(b"stale")  # a frame of an earlier run goes
    (folder / "notes.txt").write_text("kept")
    facts.add(replace(facts.facts["turnout-1200-national"], status="conflict"))  # 12:00 is refused
    frames = render_frames(templates["turnout-map"], HOURS, facts, folder, {"language": "ru"})
    assert [p.name for p in frames.written] == ["01-1000.png", "02-1400.png", "03-1600.png", "04-1800.png",
                                                "05-2000.png"]
    assert [hour for hour, _ in frames.refused] == [time(12)]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [p.name for p in frames.written] + [p.with_suffix(".json").name for p in frames.written] + ["notes.txt"])
    for path in frames.written:
        record = json.loads(path.with_suffix(".json").read_text("utf-8"))
        hour = path.stem.split("-")[1]
        assert record["data"]["hour"] == f"{hour[:2]}:{hour[2:]}"
        assert all(fact["id"].startswith(f"turnout-{hour}-") for fact in record["facts"])


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg not installed")
def test_the_frames_become_a_video_with_ffmpeg(templates, facts, tmp_path) -> None:
    frames = render_frames(templates["turnout-map-corner"], HOURS, facts, tmp_path, {})
    video = frames_video(frames.written, tmp_path)
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=width,height",
                            "-of", "json", str(video)], capture_output=True, text=True, check=True)
    info = json.loads(probe.stdout)
    assert (info["streams"][0]["width"], info["streams"][0]["height"]) == (960, 540)
    assert float(info["format"]["duration"]) == pytest.approx(2 * len(frames.written), abs=0.6)
    assert not list(tmp_path.glob(".*"))  # no temporary file left


def test_frames_of_a_template_without_an_hour_or_with_no_verified_hour_say_why(overlays, facts, tmp_path) -> None:
    err = io.StringIO()
    assert frames_command("lower-third", None, overlays, HOURS, facts, tmp_path, video=False, language="en",
                          stdout=io.StringIO(), stderr=err) == 2
    assert "one turnout field" in err.getvalue()
    err = io.StringIO()
    assert frames_command("turnout-map", None, overlays, [time(11)], facts, tmp_path, video=False, language="en",
                          stdout=io.StringIO(), stderr=err) == 2
    assert "no frame for 11:00" in err.getvalue() and "no frame was made" in err.getvalue()


def test_the_frames_command_goes_through_the_desk_s_gate(tmp_path: Path, capsys, monkeypatch) -> None:
    """`studio render turnout-map --frames DIR`: figures imported but not yet verified make no frame."""
    from studio.cli import main

    root = Path(__file__).resolve().parents[2]
    store = ["--store", str(tmp_path / "show.db"), "--lang", "en"]
    assert main([*store, "operators", "add", "aigerim"]) == 0
    monkeypatch.setenv("STUDIO_OPERATOR_KEY", capsys.readouterr().out.strip())
    turnout = root / "tests" / "data" / "referendum-2026-turnout.csv"
    assert main([*store, "import-turnout", str(turnout), "--operator", "aigerim",
                 "--rejects", str(tmp_path / "r.csv")]) == 0
    capsys.readouterr()
    frames = tmp_path / "frames"
    rundown = ["--rundown", str(root / "tests" / "data" / "small.toml")]
    assert main([*store, "render", "turnout-map", "--frames", str(frames), "--video", *rundown]) == 2
    said = capsys.readouterr().err
    assert said.count("no frame for") == 6 and "'in_review'" in said and "no frame was made" in said
    assert "Traceback" not in said and not list(frames.glob("*.png"))
    assert main([*store, "render", "turnout-map", "--video", *rundown]) == 2
    assert "--video needs --frames DIR" in capsys.readouterr().err
