"""A template drawn for another canvas: its geometry scaled, its text re-fitted, no bitmap scaled.

Templates are designed on their own canvas (1920x1080). For OBS's canvas
(1280x720, 3840x2160, or a size that is not 16:9) every box, radius, gap
and text size is mapped through ``studio.canvas.fit`` before drawing, so
text is rasterised at the output resolution and stays sharp. Box edges are
mapped (not widths), so boxes that touch on the design still touch; text
sizes round down, so a text that fits its box on the design fits the
mapped box too (the fitter shrinks it further if it must).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TypeVar

from studio.canvas import Fit, Size, fit
from studio.graphics.schema import Area, Canvas, RectBox, TextBox, TurnoutMap, TurnoutTable
from studio.graphics.template import Template

A = TypeVar("A", bound=Area)


def _area(area: A, to: Fit, **more: int | None) -> A:
    left, top = to.point(area.x, area.y)
    right, bottom = to.point(area.right, area.bottom)
    x, y = round(left), round(top)
    return area.model_copy(update={"x": x, "y": y, "width": max(1, round(right) - x),
                                   "height": max(1, round(bottom) - y), **more})


def _size(value: int | None, scale: float) -> int | None:
    return None if value is None else max(1, math.floor(value * scale))


def at_canvas(template: Template, size: Size) -> Template:
    """``template`` as drawn on a ``size`` canvas (itself when that is its own canvas)."""
    design = (template.canvas.width, template.canvas.height)
    if size == design:
        return template
    to = fit(design, size)
    s = to.scale
    boxes = []
    for box in template.boxes:
        if isinstance(box, RectBox):
            boxes.append(_area(box, to, radius=round(box.radius * s)))
        elif isinstance(box, TextBox):
            boxes.append(_area(box, to, size=_size(box.size, s), min_size=_size(box.min_size, s)))
        elif isinstance(box, TurnoutTable):
            boxes.append(_area(box, to, size=_size(box.size, s), min_size=_size(box.min_size, s),
                               gap=round(box.gap * s)))
        else:
            assert isinstance(box, TurnoutMap)
            boxes.append(_area(box, to, size=_size(box.size, s), min_size=_size(box.min_size, s),
                               value_size=_size(box.value_size, s), gap=round(box.gap * s),
                               legend_size=max(1, round(box.legend_size * s))))
    return replace(
        template, canvas=Canvas(width=size[0], height=size[1]), safe=_area(template.safe, to),
        region=_area(template.region, to), boxes=tuple(boxes),
    )
