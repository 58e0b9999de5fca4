"""The programme's canvas: its size, and how a 16:9 design is fitted into it.

Templates are designed on a 1920x1080 canvas; OBS's canvas may be any size.
A design is fitted whole (uniform scale, never cropped) and centred, so a
canvas that is not 16:9 gets bars rather than lost edges. Pure: the graphics
renderer and the OBS switcher both place by these numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.i18n import Msg

Size = tuple[int, int]  # width, height in pixels

DESIGN: Size = (1920, 1080)
"""The canvas templates are drawn on, and OBS's size until OBS says otherwise."""


@dataclass(frozen=True, slots=True)
class Fit:
    """A design canvas fitted into an output canvas: ``x_out = dx + x * scale``."""

    scale: float
    dx: float
    dy: float

    def point(self, x: float, y: float) -> tuple[float, float]:
        return self.dx + x * self.scale, self.dy + y * self.scale


def fit(design: Size, canvas: Size) -> Fit:
    """``design`` scaled uniformly to fit ``canvas`` without cropping, centred."""
    scale = min(canvas[0] / design[0], canvas[1] / design[1])
    return Fit(scale, (canvas[0] - design[0] * scale) / 2, (canvas[1] - design[1] * scale) / 2)


def is_16_9(size: Size) -> bool:
    return size[0] * 9 == size[1] * 16


_SIZE = re.compile(r"^\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*$")


def parse_size(text: str) -> Size:
    """``"1280x720"`` -> (1280, 720); ValueError (its Msg) names the expected form."""
    found = _SIZE.match(text)
    if not found or not (16 <= int(found[1]) <= 7680 and 16 <= int(found[2]) <= 4320):
        raise ValueError(Msg("canvas.bad_size", size=text))
    return int(found[1]), int(found[2])
