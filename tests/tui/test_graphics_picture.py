"""The armed graphic's picture in half blocks: pure functions, Pillow in, Rich Text out."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from rich.color import Color
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from studio.onair import RenderedGraphic
from studio.tui.widgets.graphics.panel import fit
from studio.tui.widgets.graphics.picture import BACKDROP, UPPER_HALF, frame, halfblocks, thumbnail

RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)


def cells(text: Text) -> list[list[tuple[str, Style]]]:
    """Each line of ``text`` as Rich draws it: (character, style) per cell."""
    lines = Segment.split_lines(text.render(Console(width=200, color_system="truecolor")))
    return [[(character, segment.style or Style()) for segment in line for character in segment.text] for line in lines]


def colours(style: Style) -> tuple[Color | None, Color | None]:
    return style.color, style.bgcolor


def test_top_pixel_is_the_foreground_and_bottom_pixel_the_background() -> None:
    image = Image.new("RGB", (3, 2), RED)
    image.paste(BLUE, (0, 1, 3, 2))
    text = halfblocks(image)
    assert text.plain == UPPER_HALF * 3
    assert {colours(style) for _, style in cells(text)[0]} == {(Color.from_rgb(*RED), Color.from_rgb(*BLUE))}
    assert len(text.spans) == 1  # one run of equal cells, one span


def test_size_in_cells_is_the_width_by_half_the_height_and_an_odd_row_has_no_background() -> None:
    image = Image.new("RGB", (5, 7), WHITE)
    image.putpixel((4, 6), RED)
    lines = cells(halfblocks(image))
    assert [len(line) for line in lines] == [5, 5, 5, 5]
    assert colours(lines[-1][4][1]) == (Color.from_rgb(*RED), None)
    assert colours(lines[0][0][1]) == (Color.from_rgb(*WHITE), Color.from_rgb(*WHITE))


def test_the_graphic_sits_at_its_place_on_the_dark_canvas_with_its_alpha() -> None:
    graphic = Image.new("RGBA", (40, 20), (255, 0, 0, 255))
    graphic.paste((0, 0, 255, 0), (20, 0, 40, 20))  # its right half is transparent
    picture = frame(graphic, (80, 60, 40, 20), (160, 90), (16, 9))  # a tenth: the graphic is 4x2 at (8, 6)
    assert picture.size == (16, 9) and picture.mode == "RGB"
    assert picture.getpixel((8, 6)) == RED and picture.getpixel((9, 7)) == RED
    assert picture.getpixel((10, 6)) == BACKDROP  # transparent: the backdrop shows through
    assert picture.getpixel((0, 0)) == BACKDROP and picture.getpixel((7, 6)) == BACKDROP


def test_half_covered_pixels_blend_instead_of_vanishing() -> None:
    rule = Image.new("RGBA", (160, 5), (255, 255, 255, 255))  # a thin rule, half a picture pixel high
    picture = frame(rule, (0, 40, 160, 5), (160, 90), (16, 9))
    blended = picture.getpixel((0, 4))
    assert all(dark < channel < 255 for dark, channel in zip(BACKDROP, blended))


def test_a_thumbnail_reads_the_rendered_png(tmp_path: Path) -> None:
    path = tmp_path / "lower-third.png"
    Image.new("RGBA", (960, 174), (255, 0, 0, 255)).save(path)
    text = thumbnail(RenderedGraphic("lower-third", str(path), (96, 822, 960, 174)), 32, 9)
    lines = cells(text)
    assert len(lines) == 9 and {len(line) for line in lines} == {32}
    assert colours(lines[0][0][1]) == (Color.from_rgb(*BACKDROP), Color.from_rgb(*BACKDROP))
    assert Color.from_rgb(*RED) in {colours(style)[1] for _, style in lines[7]}  # the bottom left, about half wide


@pytest.mark.parametrize(
    ("room", "size"),
    [((56, 7), (25, 7)), ((27, 7), (25, 7)), ((13, 7), (13, 4)), ((80, 3), (11, 3)),
     ((0, 7), (0, 0)), ((30, 0), (0, 0))],
)
def test_the_picture_keeps_16_9_within_its_room(room: tuple[int, int], size: tuple[int, int]) -> None:
    assert fit(*room) == size
