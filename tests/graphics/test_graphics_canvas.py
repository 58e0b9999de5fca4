"""Graphics for OBS's canvas: the fit of the 1920x1080 design into any size, and the port that draws for it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.canvas import fit, is_16_9, parse_size
from studio.graphics import Renderer
from studio.graphics.schema import RectBox
from studio.onair import LOCATION_BUG, BugStyle, RendererGraphics
from studio.rundown.model import GraphicCue

from .conftest import OVERLAYS


def test_a_16_9_canvas_is_a_plain_scale_and_another_is_centred_with_bars() -> None:
    assert fit((1920, 1080), (1280, 720)).point(96, 822) == pytest.approx((64, 548))
    assert fit((1920, 1080), (3840, 2160)).scale == 2
    square = fit((1920, 1080), (1440, 1080))  # 4:3: bars above and below, nothing cropped
    assert square.scale == 0.75 and square.dx == 0 and square.dy == 135
    assert square.point(1920, 1080) == (1440, 945)
    tall = fit((1920, 1080), (1080, 1920))
    assert tall.point(0, 0)[1] > 0 and tall.point(1920, 1080)[0] == 1080


def test_canvas_sizes_are_read_and_checked() -> None:
    assert parse_size("1280x720") == (1280, 720) and parse_size(" 3840 X 2160 ") == (3840, 2160)
    assert is_16_9((1280, 720)) and is_16_9((3840, 2160)) and not is_16_9((1440, 1080))
    for bad in ("1280", "1280x", "0x0", "99999x720", "wide"):
        with pytest.raises(ValueError, match="not a canvas size"):
            parse_size(bad)


@pytest.mark.parametrize("canvas", [(1280, 720), (1920, 1080), (3840, 2160), (1024, 576), (1440, 1080)])
def test_every_shipped_graphic_is_drawn_inside_the_frame_and_its_text_inside_title_safe(templates, facts, canvas) -> None:
    from studio.graphics.render import render

    data = {
        "lower-third": {"name": "Асқар Бекмұхамбетов", "role": "бақылаушылар желісінің үйлестірушісі"},
        "location-bug": {"region": "east-kz", "time": "05:12"}, "fact-card": {"fact": "f-101"},
        "debunk-card": {"fact": "f-102"}, "turnout-board": {"hour": "10:00"}, "slate": {},
        "turnout-map": {"hour": "10:00"}, "turnout-map-corner": {"hour": "10:00", "language": "ru"},
        "results-board": {"result": "final"},
            "card": {"title_kk": "Үзіліс", "title_ru": "Перерыв"},
        "breaking-banner": {"text_kk": "ОРК қатысуды жариялады", "text_ru": "ЦРК объявила явку"},
    }
    for name, template in templates.items():
        rendered = render(template, data[name], facts, canvas=canvas)
        drawn = rendered.prepared.template
        where = rendered.placement
        assert 0 <= where.x and where.right <= canvas[0] and 0 <= where.y and where.bottom <= canvas[1], name
        assert rendered.image.size == (where.width, where.height)
        for box in drawn.boxes:  # panels may run to the frame's edge (a banner); text keeps to title-safe
            assert where.contains(box) and (isinstance(box, RectBox) or drawn.safe.contains(box)), (name, canvas, box)


def test_the_port_draws_for_the_canvas_it_is_given_and_the_station_s_bug(tmp_path: Path) -> None:
    size = [(1920, 1080)]
    port = RendererGraphics(Renderer(OVERLAYS, tmp_path / "out"), canvas=lambda: size[0],
                            bug=BugStyle(live_word="ЭФИРДЕ", clock=False))
    cue = GraphicCue(LOCATION_BUG, {"region": "astana", "time": "07:02"})
    first = port.render(cue)
    size[0] = (1280, 720)  # OBS reconnected with another canvas: the next rendering follows it
    second = port.render(cue)
    assert (first.canvas, second.canvas) == ((1920, 1080), (1280, 720))
    assert first.placement == (1344, 54, 480, 178) and second.placement == (896, 36, 320, 119)
    assert "-1280x720-" in Path(second.path).name
    record = json.loads(Path(second.path).with_suffix(".json").read_text("utf-8"))
    assert record["text"]["live_kk"] == record["text"]["live_ru"] == "ЭФИРДЕ" and "time" not in record["text"]
    lower = port.render(GraphicCue("lower-third", {"name": "Дана Ким"}))  # not the bug: its data as it is
    assert lower.provenance["data"] == {"name": "Дана Ким"}


def test_by_default_the_bug_says_live_in_both_languages_and_shows_the_time(tmp_path: Path) -> None:
    port = RendererGraphics(Renderer(OVERLAYS, tmp_path / "out"))
    record = json.loads(Path(port.render(GraphicCue(LOCATION_BUG, {"region": "astana", "time": "07:02"})).path)
                        .with_suffix(".json").read_text("utf-8"))
    assert (record["text"]["live_kk"], record["text"]["live_ru"], record["text"]["time"]) == (
        "ТІКЕЛЕЙ ЭФИР", "ПРЯМОЙ ЭФИР", "07:02")
