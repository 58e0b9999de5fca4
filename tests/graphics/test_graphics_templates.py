"""Template files: the shipped ones load; broken ones fail at load with file, line and what to fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from studio.diagnostics import DiagnosticsError
from studio.graphics import load_template, load_templates
from studio.graphics.template import GATED_TYPES

GOOD = """\
version = 1
region = { x = 96, y = 806, width = 1040, height = 190 }

[colors]
panel = "#0B1F3AF0"
text = "#FFFFFF"

[fonts]
bold = "NotoSans-Bold.ttf"

[fields.name]
type = "text"
max_length = 60

[[box]]
kind = "rect"
x = 96
y = 806
width = 1040
height = 190
fill = "panel"

[[box]]
kind = "text"
x = 136
y = 806
width = 976
height = 112
text = "{name}"
font = "bold"
size = 60
min_size = 40
color = "text"
"""


@pytest.fixture
def folder(tmp_path: Path, overlays: Path) -> Path:
    target = tmp_path / "overlays"
    (target / "fonts").mkdir(parents=True)
    for font in (overlays / "fonts").glob("*.ttf"):
        shutil.copy(font, target / "fonts" / font.name)
    return target


def load(folder: Path, text: str, name: str = "card") -> DiagnosticsError:
    path = folder / f"{name}.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(DiagnosticsError) as caught:
        load_template(path)
    return caught.value


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def test_shipped_templates_load_with_1080p_canvas_and_regions_inside_the_safe_area(templates) -> None:
    assert len(templates) == 11  # the seven of the issue, the scene card (overlays/card.toml), issue 21's two maps and results board
    for template in templates.values():
        assert (template.canvas.width, template.canvas.height) == (1920, 1080)
        assert template.fonts and template.fields and template.boxes
        assert template.version >= 1


def test_fact_templates_take_no_free_text(templates) -> None:
    for name in ("fact-card", "debunk-card", "turnout-board", "results-board"):
        types = {spec.type for spec in templates[name].fields.values()}
        assert types & set(GATED_TYPES) and "text" not in types, name
    for name in ("lower-third", "breaking-banner", "slate", "card"):
        assert not templates[name].gated


def test_a_good_template_loads(folder: Path) -> None:
    (folder / "card.toml").write_text(GOOD, "utf-8")
    template = load_template(folder / "card.toml")
    assert template.name == "card"
    assert (template.safe.x, template.safe.y, template.safe.width, template.safe.height) == (96, 54, 1728, 972)


def test_malformed_toml_names_the_line(folder: Path) -> None:
    text = GOOD.replace('text = "#FFFFFF"', 'text = "#FFFFFF')
    error = load(folder, text)
    [problem] = error.diagnostics
    assert problem.line == line_of(text, 'text = "#FFFFFF')
    assert "TOML syntax" in problem.message
    assert str(problem).startswith(f"{folder / 'card.toml'}:{problem.line}:")


def test_unknown_key_names_the_line_and_the_nearest_key(folder: Path) -> None:
    text = GOOD.replace("min_size = 40", "min_sise = 40")
    [problem] = load(folder, text).diagnostics
    assert problem.line == line_of(text, "min_sise")
    assert "unknown key" in problem.message
    assert "did you mean 'min_size'?" in problem.hint


def test_unknown_top_level_key(folder: Path) -> None:
    text = "colour = 1\n" + GOOD
    [problem] = load(folder, text).diagnostics
    assert problem.line == 1 and "unknown key" in problem.message and "colors" in problem.hint


def test_missing_font_file_names_the_line_and_the_fonts_there(folder: Path) -> None:
    text = GOOD.replace("NotoSans-Bold.ttf", "NotoSans-Blod.ttf")
    [problem] = load(folder, text).diagnostics
    assert problem.line == line_of(text, "NotoSans-Blod.ttf")
    assert "NotoSans-Blod.ttf not found" in problem.message
    assert "NotoSans-Bold.ttf" in problem.hint


def test_a_font_without_kazakh_letters_is_refused_at_load(folder: Path) -> None:
    from fontTools import subset

    options = subset.Options()
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя")
    from fontTools.ttLib import TTFont

    font = TTFont(folder / "fonts" / "NotoSans-Bold.ttf")
    subsetter.subset(font)
    font.save(folder / "fonts" / "Russian-Only.ttf")
    text = GOOD.replace("NotoSans-Bold.ttf", "Russian-Only.ttf")
    [problem] = load(folder, text).diagnostics
    assert problem.line == line_of(text, "Russian-Only.ttf")
    assert "no glyphs for" in problem.message and "Ә" in problem.message and "ğ" in problem.message
    assert "boxes" in problem.message


def test_box_outside_the_safe_area_and_region(folder: Path) -> None:
    text = GOOD.replace("x = 136", "x = 60")
    problems = load(folder, text).diagnostics
    assert any("title-safe" in p.message for p in problems)
    assert any("outside the region" in p.message for p in problems)
    second_box = [n for n, line in enumerate(text.splitlines(), 1) if line == "[[box]]"][1]
    assert {p.line for p in problems} == {second_box}


def test_unknown_placeholder_colour_and_font_are_each_reported(folder: Path) -> None:
    text = GOOD.replace("{name}", "{nmae}").replace('color = "text"', 'color = "txet"').replace(
        'font = "bold"', 'font = "regular"')
    problems = load(folder, text).diagnostics
    messages = " | ".join(p.message for p in problems)
    assert "{nmae} names no field" in messages
    assert "colour 'txet'" in messages
    assert "font 'regular' is not declared" in messages
    assert {p.line for p in problems} == {line_of(text, "{nmae}"), line_of(text, '"txet"'), line_of(text, '"regular"')}


def test_a_placeholder_attribute_a_field_does_not_have(folder: Path) -> None:
    text = GOOD.replace("{name}", "{name.claim_kk}")
    [problem] = load(folder, text).diagnostics
    assert "not available for a text field" in problem.message and "{name}" in problem.hint


def test_min_size_larger_than_size_and_illegible_sizes(folder: Path) -> None:
    problems = load(folder, GOOD.replace("min_size = 40", "min_size = 70")).diagnostics
    assert any("larger than size" in p.message for p in problems)
    problems = load(folder, GOOD.replace("min_size = 40", "min_size = 9")).diagnostics
    assert any("not legible" in p.message for p in problems)


def test_box_too_short_for_its_lines(folder: Path) -> None:
    problems = load(folder, GOOD.replace("min_size = 40", "min_size = 40\nmax_lines = 3")).diagnostics
    assert any("cannot hold 3 line(s)" in p.message for p in problems)


def test_free_text_in_a_fact_template_is_refused(folder: Path) -> None:
    text = GOOD + '\n[fields.fact]\ntype = "fact"\n'
    [problem] = load(folder, text).diagnostics
    assert "free text is not allowed in a template that states facts" in problem.message
    assert problem.line == line_of(text, "[fields.name]") + 1


def test_bad_colour_and_unknown_box_kind(folder: Path) -> None:
    text = GOOD.replace('"#0B1F3AF0"', '"navy"').replace('kind = "rect"', 'kind = "circle"')
    problems = load(folder, text).diagnostics
    assert any("'navy' is not a colour" in p.message and p.line == line_of(text, '"navy"') for p in problems)
    assert any("kind 'circle' is not known" in p.message and p.line == line_of(text, "circle") for p in problems)


def test_literal_text_with_a_hostile_character_is_refused(folder: Path) -> None:
    text = GOOD.replace('text = "{name}"', 'text = "LIVE\u202e {name}"')
    [problem] = load(folder, text).diagnostics
    assert "U+202E" in problem.message


def test_every_problem_in_every_file_is_reported_at_once(folder: Path) -> None:
    (folder / "a.toml").write_text(GOOD.replace("min_size = 40", "min_sise = 40"), "utf-8")
    (folder / "b.toml").write_text(GOOD.replace("NotoSans-Bold.ttf", "Missing.ttf"), "utf-8")
    (folder / "c.toml").write_text(GOOD, "utf-8")
    with pytest.raises(DiagnosticsError) as caught:
        load_templates(folder)
    assert sorted(d.path.name for d in caught.value.diagnostics) == ["a.toml", "b.toml"]


def test_unreadable_template(tmp_path: Path) -> None:
    with pytest.raises(DiagnosticsError, match="cannot read the template"):
        load_template(tmp_path / "nope.toml")


def test_a_file_that_is_not_a_font_is_refused_at_load(folder: Path) -> None:
    (folder / "fonts" / "Broken.ttf").write_bytes(b"\x00\x01\x00\x00 this is not a font" * 10)
    text = GOOD.replace("NotoSans-Bold.ttf", "Broken.ttf")
    [problem] = load(folder, text).diagnostics
    assert problem.line == line_of(text, "Broken.ttf")
    assert "cannot read" in problem.message and "not a TrueType/OpenType font" in problem.message


def test_a_default_from_the_catalogue_is_the_word_in_the_fields_language(folder: Path) -> None:
    from studio.graphics import render

    text = GOOD.replace('max_length = 60\n', 'max_length = 60\nlanguage = "ru"\ndefault_from = "onair.live"\nrequired = false\n')
    path = folder / "card.toml"
    path.write_text(text, "utf-8")
    template = load_template(path)
    assert render(template, {}).prepared.resolved.values["name"] == "ПРЯМОЙ ЭФИР"
    assert render(template, {"name": "ЭФИРДЕ"}).prepared.resolved.values["name"] == "ЭФИРДЕ"  # the station's word


def test_a_default_from_a_key_the_catalogue_lacks_or_for_the_wrong_field_is_refused(folder: Path) -> None:
    text = GOOD.replace('max_length = 60\n', 'max_length = 60\nlanguage = "kk"\ndefault_from = "onair.lve"\n')
    [problem] = load(folder, text).diagnostics
    assert "the catalogue has no key 'onair.lve'" in problem.message and "onair.live" in problem.hint
    assert problem.line == line_of(text, "default_from")
    text = GOOD.replace('max_length = 60\n', 'max_length = 60\ndefault_from = "onair.live"\n')  # language "any"
    [problem] = load(folder, text).diagnostics
    assert "default_from needs a text field with language kk or ru" in problem.message
