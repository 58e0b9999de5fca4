"""Golden images: every shipped template, with Kazakh and Russian text from the sample show.

Rendered at the template's own region (a lower third is 960x174, not a
1920x1080 frame). Tolerance: mean absolute difference per channel < 2 and
fewer than 0.5% of pixels off by more than 32. Regenerate with
STUDIO_UPDATE_GOLDEN=1 and look at the images before committing them.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from studio.canvas import fit
from studio.graphics import render
from studio.graphics.render import prepare

from .conftest import OVERLAYS

CASES = [
    ("lower-third-kk", "lower-third", {"name": "Айгерім Сәрсенбаева", "role": "жүргізуші"}),
    ("lower-third-ru", "lower-third", {"name": "Тимур Ахметов", "role": "ведущий"}),
    ("lower-third-long-role", "lower-third",
     {"name": "Асқар Бекмұхамбетов", "role": "бақылаушылар желісінің үйлестірушісі"}),
    ("lower-third-name-only", "lower-third", {"name": "Дана Ким"}),
    ("location-bug-east-kz", "location-bug", {"region": "east-kz"}),
    ("location-bug-astana", "location-bug", {"region": "astana", "time": "07:02"}),
    ("location-bug-almaty-region", "location-bug", {"region": "almaty-region"}),
    ("fact-card-national-10", "fact-card", {"fact": "f-101"}),
    ("debunk-card-closing-time", "debunk-card", {"fact": "f-102"}),
    ("turnout-board-10-kk", "turnout-board", {"hour": "10:00"}),
    ("turnout-board-20-ru", "turnout-board", {"hour": "20:00", "language": "ru"}),
    ("turnout-map-10-kk", "turnout-map", {"hour": "10:00"}),
    ("turnout-map-corner-10-ru", "turnout-map-corner", {"hour": "10:00", "language": "ru"}),
    ("breaking-banner", "breaking-banner",
     {"text_kk": "ОРК сағат 12:00-дегі қатысуды жариялады: 37,54%", "text_ru": "ЦРК объявила явку на 12:00: 37,54%"}),
    ("slate", "slate", {}),
    ("location-bug-astana-no-clock", "location-bug", {"region": "astana", "time": "off"}),
    ("location-bug-almaty-station-word", "location-bug",
     {"region": "almaty", "time": "07:02", "live_kk": "ЭФИРДЕ", "live_ru": "ЭФИРДЕ"}),
    ("card-studio", "card", {"title_kk": "Студия", "title_ru": "Студия"}),  # the same word: said once
    ("card-break", "card", {"title_kk": "Үзіліс", "title_ru": "Перерыв"}),
    ("results-board-final-kk", "results-board", {"result": "final"}),
    ("results-board-final-ru", "results-board", {"result": "final", "language": "ru"}),
]

# Drawn for OBS's canvas: geometry and text sizes scaled, text rasterised at that size (no bitmap scaled).
CANVAS_CASES = [
    ("lower-third-kk-720p", "lower-third", {"name": "Айгерім Сәрсенбаева", "role": "жүргізуші"}, (1280, 720)),
    ("location-bug-east-kz-720p", "location-bug", {"region": "east-kz", "time": "05:12"}, (1280, 720)),
    ("location-bug-east-kz-2160p", "location-bug", {"region": "east-kz", "time": "05:12"}, (3840, 2160)),
    ("lower-third-ru-4x3", "lower-third", {"name": "Тимур Ахметов", "role": "ведущий"}, (1440, 1080)),
]


@pytest.mark.parametrize(("golden_name", "template", "data"), CASES, ids=[c[0] for c in CASES])
def test_template_matches_golden_image(templates, facts, golden, now, golden_name, template, data) -> None:
    rendered = render(templates[template], data, facts, now=now)
    region = templates[template].region
    assert rendered.image.size == (region.width, region.height)
    assert rendered.image.mode == "RGBA"
    golden(rendered.image, golden_name)


@pytest.mark.parametrize(("golden_name", "template", "data", "canvas"), CANVAS_CASES, ids=[c[0] for c in CANVAS_CASES])
def test_a_template_drawn_for_another_canvas_matches_its_golden_image(
    templates, golden, golden_name, template, data, canvas
) -> None:
    rendered = render(templates[template], data, canvas=canvas)
    fitted = fit((1920, 1080), canvas)
    design = templates[template].region
    placed = rendered.placement
    assert rendered.image.size == (placed.width, placed.height)
    assert (placed.x, placed.y) == tuple(round(v) for v in fitted.point(design.x, design.y))
    assert abs(placed.width - design.width * fitted.scale) <= 1 and abs(placed.height - design.height * fitted.scale) <= 1
    assert rendered.prepared.record()["canvas"] == {"width": canvas[0], "height": canvas[1]}
    golden(rendered.image, golden_name)


def test_the_output_size_is_in_the_file_name_and_the_key() -> None:
    from studio.graphics import load_template

    template = load_template(OVERLAYS / "lower-third.toml")
    names = {prepare(template, {"name": "Дана Ким"}, canvas=size).name for size in ((1280, 720), (1920, 1080))}
    assert {name.split("-")[2] for name in names} == {"1280x720", "1920x1080"}
    assert len({name.rsplit("-", 1)[1] for name in names}) == 2  # the content key differs too
    assert prepare(template, {"name": "Дана Ким"}).name == prepare(template, {"name": "Дана Ким"}, canvas=(1920, 1080)).name


def test_every_shipped_template_has_a_golden_case(templates) -> None:
    assert {case[1] for case in CASES} == set(templates)


def test_shipped_templates_are_the_seven_of_the_issue_and_the_scene_card(templates) -> None:
    assert sorted(templates) == [
        "breaking-banner", "card", "debunk-card", "fact-card", "location-bug", "lower-third", "results-board", "slate",
        "turnout-board", "turnout-map", "turnout-map-corner",  # issue 21
    ]


def test_every_graphic_of_the_sample_rundown_passes_the_check(overlays, tmp_path, now, root) -> None:
    """The real show: 70 lower thirds and 31 location bugs render and fit; fact graphics are well formed."""
    from studio.graphics import Renderer
    from studio.rundown.load import load_rundown

    rundown = load_rundown(root / "studio" / "sample" / "referendum-day.toml")
    renderer = Renderer(overlays, tmp_path / "out", clock=lambda: now)
    cues = [cue for segment in rundown.segments for cue in segment.graphics]
    for cue in cues:
        renderer.check(cue)
    assert len(cues) > 100 and not (tmp_path / "out").exists()  # checking writes nothing


def test_the_check_catches_what_can_never_air(templates) -> None:
    from studio.graphics import DataError, TextDoesNotFit, check

    with pytest.raises(TextDoesNotFit):
        check(templates["lower-third"], {"name": "Ә" * 58})
    with pytest.raises(DataError, match="hour"):
        check(templates["turnout-board"], {"hour": "ten"})
    with pytest.raises(DataError, match="is required"):
        check(templates["fact-card"], {})
    with pytest.raises(DataError, match="not a field"):
        check(templates["fact-card"], {"fact": "f-1", "claim_kk": "typed"})
    check(templates["fact-card"], {"fact": "[08:00 №1: тексерілетін мәлімдеме]"})  # the sample's placeholder id


def test_turnout_board_at_14_shows_only_what_was_published(templates, facts, now) -> None:
    """14:00 had only the national figure and Astana: the board shows those, nothing invented."""
    rendered = render(templates["turnout-board"], {"hour": "14:00"}, facts, now=now)
    resolved = rendered.prepared.resolved
    assert resolved.values["hour.national"] == "51,93%"
    assert [row.region for row in resolved.boards["hour"].rows] == ["astana"]
    assert resolved.values["hour.count"] == "1/20"


def test_a_board_names_the_regions_it_holds_and_lacks_instead_of_a_silent_gap(templates, facts, now, golden) -> None:
    """Astana's 10:00 figure is held (two outlets disagree), Ulytau has none: the board draws neither number,
    and its footer says how many regions it shows, which are held and which are missing."""
    astana = facts.facts["turnout-1000-astana"]
    facts.add(replace(astana, status="conflict"))
    del facts.facts["turnout-1000-ulytau"]
    for language, footer in (
        ("kk", "Өңірлер: 18 / 20 · ұсталды, дереккөздер сәйкес емес: Астана · дерек жоқ: Ұлытау облысы"),
        ("ru", "Регионы: 18 из 20 · задержаны, источники расходятся: Астана · нет данных: Область Ұлытау"),
    ):
        rendered = render(templates["turnout-board"], {"hour": "10:00", "language": language}, facts, now=now)
        resolved = rendered.prepared.resolved
        assert resolved.values["hour.coverage"] == footer
        board = resolved.boards["hour"]
        assert (board.held, board.missing, board.checking) == (("astana",), ("ulytau",), ("astana",))
        assert "astana" not in [row.region for row in board.rows]
        assert astana.value not in json.dumps(rendered.prepared.resolved.facts)  # stated nowhere
    golden(rendered.image, "turnout-board-10-ru-held")


def test_a_board_names_three_missing_regions_at_most(templates, facts, now) -> None:
    rendered = render(templates["turnout-board"], {"hour": "14:00", "language": "ru"}, facts, now=now)
    assert rendered.prepared.resolved.values["hour.coverage"] == (
        "Регионы: 1 из 20 · нет данных: Алматы, Шымкент, Абайская область +16")


def test_turnout_board_sorts_highest_first_with_the_exact_published_figures(templates, facts, now) -> None:
    rendered = render(templates["turnout-board"], {"hour": "10:00"}, facts, now=now)
    rows = rendered.prepared.resolved.boards["hour"].rows
    assert [r.region for r in rows[:3]] == ["karaganda", "kyzylorda", "aktobe"]  # 26.64, 24.02, 21.80
    assert rows[-1].region == "almaty" and rows[-1].value == "9.54"  # the city, not the region (18.10)
    assert len(rows) == 20


def test_clock_defaults_to_local_time_in_almaty(templates, now) -> None:
    rendered = render(templates["location-bug"], {"region": "astana"}, now=now)  # 09:05 UTC
    assert rendered.prepared.resolved.values["time"] == "14:05"
