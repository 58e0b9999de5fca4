"""The armed graphic as a picture in any terminal: Unicode upper-half blocks, no graphics protocol.

Each cell shows two pixels: "▀" in the top pixel's colour on a background of
the bottom pixel's colour. A picture ``w`` cells wide and ``r`` rows high is
so a ``w`` x ``2r`` image, and as a cell is about twice as tall as it is wide,
its pixels are about square. The graphic is placed where it sits on the
programme (a dark canvas), so the producer sees where, not only what.

Pure functions, Pillow in and Rich Text out; the panel calls them from a
thread worker (reading a PNG and scaling a full frame take a few ms).
"""

from __future__ import annotations

from itertools import groupby

from PIL import Image
from rich.color import Color
from rich.style import Style
from rich.text import Text

from studio.onair import Box, RenderedGraphic

BACKDROP = (38, 40, 46)
"""The programme behind the graphic: dark like air, yet apart from the console's own background."""
UPPER_HALF = "▀"

Pixel = tuple[int, int, int]


def frame(graphic: Image.Image, placement: Box, canvas: tuple[int, int], size: tuple[int, int]) -> Image.Image:
    """``graphic`` at ``placement`` over the dark ``canvas``, scaled down to ``size`` pixels (RGB)."""
    programme = Image.new("RGB", canvas, BACKDROP)
    rgba = graphic.convert("RGBA")
    programme.paste(rgba, placement[:2], rgba)  # its alpha over the backdrop, at full size: edges blend right
    # BOX averages every canvas pixel under a picture pixel: at about 1/77 of the frame a thin rule
    # or a line of text still tints its pixel instead of falling between a sharper filter's taps.
    return programme.resize(size, Image.Resampling.BOX)


def _style(top: Pixel, bottom: Pixel | None) -> Style:
    return Style(color=Color.from_rgb(*top), bgcolor=Color.from_rgb(*bottom) if bottom else None)


def halfblocks(image: Image.Image) -> Text:
    """``image`` as lines of "▀", one cell per pixel column and one line per two pixel rows.

    An odd last pixel row is drawn over the terminal's own background.
    """
    rgb = image.convert("RGB")
    width, height = rgb.size
    pixels = rgb.load()
    assert pixels is not None  # None only for an image with no pixels in memory; a converted one has them
    text = Text(no_wrap=True, overflow="crop", end="")
    for y in range(0, height, 2):
        if y:
            text.append("\n")
        cells = ((pixels[x, y], pixels[x, y + 1] if y + 1 < height else None) for x in range(width))
        for (top, bottom), run in groupby(cells):  # one span per run of equal cells: flat overlays have long ones
            text.append(UPPER_HALF * sum(1 for _ in run), _style(top, bottom))
    return text


def thumbnail(rendered: RenderedGraphic, cells: int, rows: int) -> Text:
    """The rendered graphic's PNG where it sits on its canvas, ``cells`` wide and ``rows`` high."""
    with Image.open(rendered.path) as graphic:
        return halfblocks(frame(graphic, rendered.placement, rendered.canvas, (cells, 2 * rows)))
