"""Data to image: pure, no network, no files written (fonts are read once).

``render(template, data, facts=...)`` resolves the data (schema, sanitising,
the gate), fits every text box and draws the template's region only: a
lower third is its own strip, not a 1920x1080 frame of mostly nothing. The
result carries the image, where OBS must place it on the canvas, a content
key for its file name and the record that becomes its sidecar.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw

from studio.canvas import Size
from studio.graphics.errors import DataError, TextDoesNotFit
from studio.graphics.fit import fit_text
from studio.graphics.fonts import text_mask
from studio.graphics.gate import FactSource, percent, percent_text
from studio.graphics.resolve import (
    CHECKING,
    FACT_ID_MAX,
    ZONE,
    Resolved,
    board_language,
    not_a_field,
    resolve,
    said,
)
from studio.graphics.sanitize import Rejection, clean
from studio.graphics.scale import at_canvas
from studio.graphics.results import STAGES, region_row
from studio.graphics.schema import (
    PLACEHOLDER, RENDERER_VERSION, Area, RectBox, ResultsTable, TextBox, TurnoutMap, TurnoutTable,
)
from studio.graphics.tilemap import draw_map
from studio.graphics.template import Template
from studio.i18n import Msg
from studio.regions import regions
from studio.validated import parse_clock


@dataclass(frozen=True)
class Prepared:
    """Everything decided before drawing: what will be printed, and the file name it gets."""

    template: Template
    resolved: Resolved
    key: str  # sha256 of template (file, fonts, renderer version) + data + every printed string + fact statuses

    @property
    def name(self) -> str:
        """``lower-third-1280x720-<key>``: one file per content and output size."""
        canvas = self.template.canvas
        return f"{self.template.name}-{canvas.width}x{canvas.height}-{self.key[:20]}"

    @property
    def placement(self) -> Area:
        return self.template.region

    def record(self) -> dict[str, Any]:
        """The sidecar: template, data and provenance, and where OBS places the image."""
        t = self.template
        region = t.region
        return {
            "template": t.name,
            "template_version": t.version,
            "template_sha256": t.sha256,
            "renderer": RENDERER_VERSION,
            "key": self.key,
            "placement": {"x": region.x, "y": region.y, "width": region.width, "height": region.height},
            "canvas": {"width": t.canvas.width, "height": t.canvas.height},
            "data": self.resolved.data,
            "text": self.resolved.values,
            "facts": list(self.resolved.facts),
            "withheld": list(self.resolved.withheld),
        }


@dataclass(frozen=True)
class Rendered:
    prepared: Prepared
    image: Image.Image  # RGBA, the size of the template's region

    @property
    def name(self) -> str:
        return self.prepared.name

    @property
    def placement(self) -> Area:
        return self.prepared.placement


def prepare(
    template: Template, data: Mapping[str, Any], facts: FactSource | None = None, *,
    now: datetime | None = None, zone: ZoneInfo = ZONE, canvas: Size | None = None,
) -> Prepared:
    """Resolve ``data`` and name the result; drawn for ``canvas`` (OBS's size), else the template's own."""
    resolved = resolve(template, data, facts, now=now, zone=zone)
    if canvas is not None:
        template = at_canvas(template, canvas)
    content = {
        "renderer": RENDERER_VERSION, "template": template.name, "version": template.version,
        "canvas": [template.canvas.width, template.canvas.height],
        "sha256": template.sha256, "data": resolved.data, "text": resolved.values,
        "facts": [{k: f[k] for k in ("id", "version", "status", "verifier", "as_of", "value")} for f in resolved.facts],
    }
    key = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return Prepared(template, resolved, key)


def check(template: Template, data: Mapping[str, Any], *, now: datetime | None = None) -> None:
    """What `studio check` can know before the day: raise GraphicsError if ``data`` can never air.

    A free-text graphic is rendered in full (schema, sanitising, fitting: a
    name too long for its box fails here, not on air). A graphic that states
    facts is checked for its shape only (a fact id, an hour): whether the
    fact is verified is decided at air time, by the gate.
    """
    if not template.gated:
        draw(prepare(template, data, now=now))
        return
    unknown = [key for key in data if key not in template.fields]
    if unknown:
        raise not_a_field(template, str(unknown[0]))
    for name, spec in template.fields.items():
        value = data.get(name, spec.fallback)
        if value is None:
            if spec.required:
                raise DataError(template.name, name, Msg("diag.graphics.required"), spec.description)
            continue
        try:
            if spec.type in ("fact", "debunk"):
                clean(value, max_length=FACT_ID_MAX)
            elif spec.type in ("turnout", "clock"):
                parse_clock(value)
            elif spec.type == "results" and value not in STAGES:
                raise ValueError(Msg("diag.graphics.not_one_of", value=repr(value), choices=", ".join(STAGES)))
            elif spec.type == "choice" and value not in spec.choices:
                raise ValueError(Msg("diag.graphics.not_one_of", value=repr(value), choices=", ".join(spec.choices)))
        except Rejection as error:
            raise DataError(template.name, name, error.message, spec.description) from None
        except ValueError as error:
            raise DataError(template.name, name, said(error), spec.description) from None


def render(
    template: Template, data: Mapping[str, Any], facts: FactSource | None = None, *,
    now: datetime | None = None, zone: ZoneInfo = ZONE, canvas: Size | None = None,
) -> Rendered:
    """Render ``data`` with ``template`` (for ``canvas``). Raises GraphicsError if anything is refused."""
    return draw(prepare(template, data, facts, now=now, zone=zone, canvas=canvas))


def draw(prepared: Prepared) -> Rendered:
    template, resolved = prepared.template, prepared.resolved
    region = template.region
    image = Image.new("RGBA", (region.width, region.height), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    # What every text box will say, decided before drawing: which are left out, which grow.
    texts: dict[int, str | None] = {}
    by_id: dict[str, int] = {}
    for index, box in enumerate(template.boxes):
        if isinstance(box, TextBox):
            texts[index] = _substitute(box.text, template.placeholders.get(index, ()), resolved)
            if box.id:
                by_id[box.id] = index
    for index, box in enumerate(template.boxes):
        if isinstance(box, TextBox) and box.omit_if_same is not None:
            if texts[index] == texts[by_id[box.omit_if_same]]:
                texts[index] = None
    painted: list[Area] = []
    for index, box in enumerate(template.boxes):
        if isinstance(box, RectBox):
            if box.when is not None and box.when not in resolved.data:
                continue
            _rect(image, pen, box, box.x - region.x, box.y - region.y, template.color(box.fill), painted)
            painted.append(box)
        elif isinstance(box, TextBox):
            text = texts[index]
            if text is None:
                continue  # an optional field is absent, or the text repeats another box
            area: Area = box
            if box.grow_into is not None and texts[by_id[box.grow_into]] is None:
                other = template.boxes[by_id[box.grow_into]]
                left, top = min(box.x, other.x), min(box.y, other.y)
                area = Area(x=left, y=top, width=max(box.right, other.right) - left,
                            height=max(box.bottom, other.bottom) - top)
            _text(image, template, box, area, region, text)
        elif isinstance(box, TurnoutMap):
            draw_map(image, template, box, box.x - region.x, box.y - region.y, resolved.boards[box.source],
                     board_language(template, box.source, resolved.data))
        else:
            _turnout(image, pen, template, box, box.x - region.x, box.y - region.y, resolved)
    return Rendered(prepared, image)


def _overlaps(a: Area, b: Area) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def _rect(
    image: Image.Image, pen: ImageDraw.ImageDraw, box: RectBox, x: int, y: int, colour: tuple[int, int, int, int],
    painted: list[Area],
) -> None:
    """Fill a rectangle; a translucent one over earlier boxes is composited, not pasted.

    ImageDraw replaces RGBA pixels rather than blending them, which is right
    (and fastest) on empty canvas but would punch a translucent hole through
    a panel. So a translucent fill over something already drawn is
    composited ("over"), on a tile of its own size.
    """
    if colour[3] == 255 or not any(_overlaps(box, other) for other in painted):
        shape = (x, y, x + box.width - 1, y + box.height - 1)
        if box.radius:
            pen.rounded_rectangle(shape, box.radius, fill=colour)
        else:
            pen.rectangle(shape, fill=colour)
        return
    tile = Image.new("RGBA", (box.width, box.height), colour if not box.radius else (0, 0, 0, 0))
    if box.radius:
        ImageDraw.Draw(tile).rounded_rectangle((0, 0, box.width - 1, box.height - 1), box.radius, fill=colour)
    image.alpha_composite(tile, dest=(x, y))


def _substitute(text: str, used: tuple[tuple[str, str], ...], resolved: Resolved) -> str | None:
    for name, attribute in used:
        if resolved.get(name, attribute) is None:
            return None
    return PLACEHOLDER.sub(lambda m: resolved.get(m[1], m[2] or "") or "", text)


def _baseline(template: Template, font_name: str, size: int, centre: float) -> int:
    """Baseline that centres capitals and x-height optically on ``centre``."""
    return round(centre + template.fonts[font_name].cap_height * size / 2)


def _paste_text(image: Image.Image, path: Path, size: int, text: str, align: str, x: int, y: int,
                colour: tuple[int, int, int, int]) -> None:
    """Draw ``text`` with its baseline at y, aligned on x: a cached text mask pasted in ``colour``."""
    mask, left, top = text_mask(path, size, text, align)
    image.paste(colour, (x + left, y + top, x + left + mask.width, y + top + mask.height), mask)


def _text(image: Image.Image, template: Template, box: TextBox, area: Area, region: Area, text: str) -> None:
    path = template.font_path(box.font)
    x, y = area.x - region.x, area.y - region.y
    fitted = fit_text(
        text, path, width=area.width, height=area.height, size=box.size, min_size=box.smallest,
        max_lines=box.max_lines, line_height=box.line_height, template=template.name, box=box.id or box.text,
    )
    step = round(fitted.size * box.line_height)
    block = step * len(fitted.lines)
    top = {"top": y, "middle": y + (area.height - block) / 2, "bottom": y + area.height - block}[box.valign]
    anchor_x, align = {
        "left": (x, "l"), "center": (x + area.width / 2, "m"), "right": (x + area.width, "r"),
    }[box.align]
    colour = template.color(box.color)
    for number, line in enumerate(fitted.lines):
        baseline = _baseline(template, box.font, fitted.size, top + step * (number + 0.5))
        _paste_text(image, path, fitted.size, line, align, round(anchor_x), baseline, colour)


def _table_rows(template: Template, box: TurnoutTable, resolved: Resolved) -> list[tuple[str, str, Decimal | None]]:
    """A table's rows: a region's name, its figure as printed, the percent its bar shows (None: being checked)."""
    language = board_language(template, box.source, resolved.data)
    known = regions()
    if isinstance(box, ResultsTable):
        return [(known[region].name(language), *region_row(lines, language))
                for region, lines in resolved.results[box.source].regions]
    board = resolved.boards[box.source]
    return [
        (known[v.region].name(language), percent_text(v.value or ""), percent(v))  # type: ignore[index]
        for v in board.rows
    ] + [(known[region].name(language), CHECKING.get(language, CHECKING["kk"]), None) for region in board.checking]


def _turnout(
    image: Image.Image, pen: ImageDraw.ImageDraw, template: Template, box: TurnoutTable, x: int, y: int,
    resolved: Resolved,
) -> None:
    rows = _table_rows(template, box, resolved)
    capacity = box.columns * box.rows
    if len(rows) > capacity:
        raise TextDoesNotFit(template.name, box.id or "turnout-table",
                             Msg("diag.graphics.no_room", regions=len(rows), capacity=capacity),
                             Msg("diag.graphics.hint.no_room"))
    column_width = (box.width - box.gap * (box.columns - 1)) // box.columns
    row_height = box.height // box.rows
    value_width = round(column_width * box.value_share)
    name_width = column_width - value_width - 16
    # one size for every name, so the board reads as a table
    name_path, value_path = template.font_path(box.font), template.font_path(box.value_font)
    size = box.size
    for name, _, _ in rows:
        size = min(size, fit_text(name, name_path, width=name_width, height=row_height, size=size,
                                  min_size=box.smallest, max_lines=1, line_height=1.0, template=template.name,
                                  box=box.id or "turnout-table").size)
    bar_height = max(4, row_height // 12)
    for index, (name, value, number) in enumerate(rows):
        column, row = divmod(index, box.rows)
        left = x + column * (column_width + box.gap)
        top = y + row * row_height
        centre = top + (row_height - bar_height) / 2
        _paste_text(image, name_path, size, name, "l", left, _baseline(template, box.font, size, centre),
                    template.color(box.color))
        if number is None:  # being checked: the word in the names' font, fitted to the figures' column
            word = fit_text(value, name_path, width=value_width, height=row_height, size=size, min_size=box.smallest,
                            max_lines=1, line_height=1.0, template=template.name, box=box.id or "turnout-table")
            _paste_text(image, name_path, word.size, value, "r", left + column_width,
                        _baseline(template, box.font, word.size, centre), template.color(box.color))
        else:
            _paste_text(image, value_path, box.size, value, "r", left + column_width,
                        _baseline(template, box.value_font, box.size, centre), template.color(box.value_color))
        bar_top = top + row_height - bar_height - 4
        track = template.color(box.track)
        if track[3] == 255:
            pen.rectangle((left, bar_top, left + column_width - 1, bar_top + bar_height - 1), fill=track)
        else:
            image.alpha_composite(Image.new("RGBA", (column_width, bar_height), track), dest=(left, bar_top))
        filled = round(column_width * float(number or 0) / 100)
        if filled > 0:
            pen.rectangle((left, bar_top, left + filled - 1, bar_top + bar_height - 1), fill=template.color(box.bar))
