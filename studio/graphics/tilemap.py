"""The turnout map: a tile cartogram of the 20 units, one tile per unit where the country lies.

The layout is data in the template (``tiles = { astana = [4, 1], ... }``: column and row); it is checked
when the template loads (``layout_problems``): every unit of studio/regions.toml once, no two on one cell,
none outside the grid. A tile is filled by the step of a sequential single-hue scale its verified figure
falls in, and prints the unit's short name and the figure as published (decimal comma). A unit with no
verified figure for the hour is hatched and says "no data", or "being checked" when a figure is there
but not verified (held in a conflict, in review): never blank, never a figure of another hour, because
the board the gate built (gate.turnout_board) holds that hour's verified facts only. Cities of
republican significance wear a ring. The legend names the steps, the hatching and the ring.

Labels take whichever of the box's two text colours contrasts more with the tile (WCAG 2 contrast
ratio); the tests require at least 4.5:1 on every step and a scale that darkens step by step, so it
reads without hue (colour-blind viewers) and in greyscale.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Hashable

from PIL import Image, ImageDraw

from studio.graphics.errors import TextDoesNotFit
from studio.graphics.fit import fit_text
from studio.graphics.fonts import text_mask, text_width
from studio.graphics.gate import TurnoutBoard, percent, percent_text
from studio.graphics.kept import Kept
from studio.graphics.schema import RGBA, TurnoutMap
from studio.i18n import Msg
from studio.regions import regions

if TYPE_CHECKING:  # template.py imports this module for the layout check
    from studio.graphics.template import Template

CHECKING = {"kk": "тексерілуде", "ru": "проверяется"}
NO_DATA = {"kk": "дерек жоқ", "ru": "нет данных"}
CITY = {"kk": "қала", "ru": "город"}
NAME_LINE_HEIGHT = 1.1


def _said(words: dict[str, str], language: str) -> str:
    return words.get(language, words["kk"])  # another language: the choice field refuses it before drawing


def layout_problems(box: TurnoutMap) -> list[tuple[str, Msg, Msg]]:
    """What is wrong with a map's layout and scale: (key, message, hint) each."""
    problems: list[tuple[str, Msg, Msg]] = []
    known = regions()
    unknown = sorted(set(box.tiles) - set(known))
    absent = [region for region in known if region not in box.tiles]
    if unknown:
        problems.append(("tiles", Msg("diag.map.unknown_units", units=", ".join(unknown)),
                         Msg("diag.map.hint.units", units=", ".join(known))))
    if absent:
        problems.append(("tiles", Msg("diag.map.absent_units", units=", ".join(absent)),
                         Msg("diag.map.hint.units", units=", ".join(known))))
    cells: dict[tuple[int, int], str] = {}
    for region, (column, row) in box.tiles.items():
        if not (0 <= column < box.columns and 0 <= row < box.rows):
            problems.append(("tiles", Msg("diag.map.off_grid", unit=region, column=column, row=row),
                             Msg("diag.map.hint.off_grid", columns=box.columns, rows=box.rows)))
        elif (column, row) in cells:
            problems.append(("tiles", Msg("diag.map.same_cell", first=cells[(column, row)], second=region,
                                          column=column, row=row), Msg("diag.map.hint.same_cell")))
        cells.setdefault((column, row), region)
    if len(box.steps) != len(box.scale) or box.steps[0] != 0 or any(
            b <= a for a, b in zip(box.steps, box.steps[1:])):
        problems.append(("steps", Msg("diag.map.steps", steps=len(box.steps), colours=len(box.scale)),
                         Msg("diag.map.hint.steps")))
    return problems


def luminance(colour: RGBA) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGBA, b: RGBA) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def label_colour(fill: RGBA, dark: RGBA, light: RGBA) -> RGBA:
    return dark if contrast(fill, dark) >= contrast(fill, light) else light


def step_of(box: TurnoutMap, value: Decimal) -> int:
    return max(index for index, bound in enumerate(box.steps) if value >= Decimal(str(bound)))


def _number(bound: float) -> str:
    return f"{bound:g}".replace(".", ",")


def step_labels(box: TurnoutMap) -> list[str]:
    """«0–20%», «20–40%» ... «80–100%»."""
    bounds = [*box.steps, 100]
    return [f"{_number(a)}–{_number(b)}%" for a, b in zip(bounds, bounds[1:])]


Origin = tuple[int, int]


def _label(image: Image.Image, font: Path, cap_height: float, size: int, text: str, x: float, centre: float,
           colour: RGBA, align: str = "m", origin: Origin = (0, 0)) -> None:
    """``text`` with capitals centred optically on ``centre``, aligned on x (l, m, r); positions are on the
    map's image, ``origin`` is where ``image`` (a patch of it) lies there, so the rounding is the map's."""
    mask, left, top = text_mask(font, size, text, align)
    baseline = round(centre + cap_height * size / 2)
    x0, y0 = round(x) + left - origin[0], baseline + top - origin[1]
    image.paste(colour, (x0, y0, x0 + mask.width, y0 + mask.height), mask)


def _hatched(width: int, height: int, ground: RGBA, stripe: RGBA, radius: int) -> Image.Image:
    tile = Image.new("RGBA", (width, height), ground)
    pen = ImageDraw.Draw(tile)
    step = max(8, height // 6)
    for start in range(-height, width, step):
        pen.line((start, height, start + height, 0), fill=stripe, width=max(2, step // 3))
    mask = Image.new("L", (width, height), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, width - 1, height - 1), radius, fill=255)
    tile.putalpha(mask)
    return tile


TILES_MEMORY = 12 << 20  # drawn tiles kept: the 20 units in both languages at 1080p (~110 KB each), one at 4K
LEGENDS_MEMORY = 8 << 20  # drawn legends kept: both languages of both placements at 1080p (~0.9 MB each)


@dataclass(frozen=True, slots=True)
class Tile:
    """Everything one tile's pixels depend on, where it stands on the map included: its drawing's cache key."""

    left: int
    top: int
    width: int
    height: int
    radius: int
    fill: RGBA | None  # None: hatched (no figure, or being checked)
    hatch: RGBA
    stripe: RGBA
    ring: RGBA | None  # a city's ring
    ring_width: int
    ink: RGBA
    name_font: Path
    name_cap: float
    name_size: int
    name_lines: tuple[str, ...]
    name_first: float  # centre of the first line
    name_step: int
    value_font: Path
    value_cap: float
    value_size: int
    value: str
    value_centre: float


def _draw_tile(patch: Image.Image, tile: Tile) -> None:
    """Draw ``tile`` on ``patch``, an image of the tile's size holding what lies under it."""
    shape = (0, 0, tile.width - 1, tile.height - 1)
    pen = ImageDraw.Draw(patch)
    if tile.fill is not None:
        pen.rounded_rectangle(shape, tile.radius, fill=tile.fill)
    else:
        patch.alpha_composite(_hatched(tile.width, tile.height, tile.hatch, tile.stripe, tile.radius))
    if tile.ring is not None:
        pen.rounded_rectangle(shape, tile.radius, outline=tile.ring, width=tile.ring_width)
    origin, middle = (tile.left, tile.top), tile.left + tile.width / 2
    for number, line in enumerate(tile.name_lines):
        _label(patch, tile.name_font, tile.name_cap, tile.name_size, line, middle,
               tile.name_first + tile.name_step * number, tile.ink, origin=origin)
    _label(patch, tile.value_font, tile.value_cap, tile.value_size, tile.value, middle, tile.value_centre, tile.ink,
           origin=origin)


def _pixels(patch: Image.Image) -> int:
    return 4 * patch.width * patch.height


def _drawn(kept: Kept[Image.Image], key: Hashable, draw: Callable[[], Image.Image]) -> Image.Image:
    """The patch kept for ``key``, else ``draw()``-n and kept (two threads may both draw it: the same pixels)."""
    patch = kept.get(key)
    if patch is None:
        patch = draw()
        kept.put(key, patch)
    return patch


tiles: Kept[Image.Image] = Kept(TILES_MEMORY, _pixels)  # shared patches: only ever pasted, never drawn on
legends: Kept[Image.Image] = Kept(LEGENDS_MEMORY, _pixels)


def _on_ground(size: tuple[int, int], ground: RGBA, draw: Callable[[Image.Image], None]) -> Image.Image:
    patch = Image.new("RGBA", size, ground)
    draw(patch)
    return patch


def _patch(image: Image.Image, area: tuple[int, int, int, int], kept: Kept[Image.Image], key: Hashable,
           draw: Callable[[Image.Image], None]) -> None:
    """Paint the part ``area`` of ``image`` with ``draw``: re-used from ``kept`` when what lies under it is one
    flat colour (the panel), else drawn on a copy of what lies under it. Either way the pixels are those of
    drawing straight on ``image``."""
    under = image.crop(area)
    colours = under.getcolors(1)
    if colours is not None:
        ground = colours[0][1]
        image.paste(_drawn(kept, (key, ground), partial(_on_ground, under.size, ground, draw)), area[:2])
    else:
        draw(under)
        image.paste(under, area[:2])


def draw_map(image: Image.Image, template: Template, box: TurnoutMap, x: int, y: int, board: TurnoutBoard,
             language: str) -> None:
    """Draw ``box`` at (x, y) of ``image`` from the board of one hour.

    Each tile and the legend are drawn once per content and place (kept in ``tiles`` and ``legends``): a map
    re-rendered with one changed figure draws that one tile again and pastes the rest.
    """
    known = regions()
    figures = {view.region: view for view in board.rows}
    checking = set(board.checking)
    right = box.legend == "right"
    grid_width = box.width - (box.legend_size + box.gap if right else 0)
    grid_height = box.height - (0 if right else box.legend_size + box.gap)
    cell_w = (grid_width - box.gap * (box.columns - 1)) // box.columns
    cell_h = (grid_height - box.gap * (box.rows - 1)) // box.rows
    pad = max(4, cell_h // 12)
    value_height = round(box.value_size * 1.25)
    name_height = cell_h - value_height - 2 * pad
    name_font = template.font_path(box.font)
    names = {region: known[region].short(language) for region in box.tiles}
    fit = partial(_fitted, font_path=name_font, width=cell_w - 2 * pad, height=name_height, min_size=box.smallest,
                  max_lines=2, line_height=NAME_LINE_HEIGHT, template=template.name, box=box.id or "turnout-map")
    size = min(fit(name, size=box.size).size for name in names.values())  # one size for all: the map reads evenly
    dark, light = template.color(box.color), template.color(box.light_color)
    radius = max(2, cell_h // 10)
    ring = max(3, cell_h // 30)
    step = round(size * NAME_LINE_HEIGHT)
    for region, (column, row) in box.tiles.items():
        left = x + column * (cell_w + box.gap)
        top = y + row * (cell_h + box.gap)
        view = figures.get(region)
        number = percent(view) if view is not None else None
        if number is not None:
            fill: RGBA | None = template.color(box.scale[step_of(box, number)])
            ink, value = label_colour(fill, dark, light), percent_text(view.value or "")  # type: ignore[arg-type,union-attr]
            value_font = box.value_font
        else:
            fill, ink, value_font = None, light, box.font
            value = _said(CHECKING if region in checking else NO_DATA, language)
        lines = fit(names[region], size=size).lines
        value_size = box.value_size if number is not None else size  # a word, not a figure: quieter
        while value_size > box.smallest and _too_wide(template, value_font, value_size, value, cell_w - 2 * pad):
            value_size -= 1
        tile = Tile(
            left=left, top=top, width=cell_w, height=cell_h, radius=radius, fill=fill,
            hatch=template.color(box.hatch), stripe=template.color(box.stripe),
            ring=template.color(box.city) if known[region].kind == "city" else None, ring_width=ring, ink=ink,
            name_font=name_font, name_cap=template.fonts[box.font].cap_height, name_size=size, name_lines=lines,
            name_first=top + pad + (name_height - step * len(lines)) / 2 + step / 2, name_step=step,
            value_font=template.font_path(value_font), value_cap=template.fonts[value_font].cap_height,
            value_size=value_size, value=value, value_centre=top + cell_h - pad - value_height / 2,
        )
        _patch(image, (left, top, left + cell_w, top + cell_h), tiles, tile, partial(_draw_tile, tile=tile))
    area = ((x + grid_width, y, x + box.width, y + grid_height) if right
            else (x, y + grid_height, x + box.width, y + box.height))
    legend = partial(_legend, template=template, box=box, x=x, y=y, grid_width=grid_width, grid_height=grid_height,
                     language=language, radius=radius, ring=ring, origin=area[:2])
    # what the legend depends on: the template (file and fonts), its size on the canvas, the box, the words
    key = (template.sha256, template.canvas.width, template.canvas.height, box.id, area, language, radius, ring)
    _patch(image, area, legends, key, legend)


def _too_wide(template: Template, font: str, size: int, text: str, width: int) -> bool:
    return text_width(template.font_path(font), size, text) > width


_fitted = lru_cache(maxsize=256)(fit_text)  # the same names fitted on every render: fitting is pure


def forget_drawn() -> None:
    """Forget the drawn tiles, legends and fitted names (the bench's first render after start)."""
    tiles.clear()
    legends.clear()
    _fitted.cache_clear()


def _legend(patch: Image.Image, template: Template, box: TurnoutMap, x: int, y: int, grid_width: int,
            grid_height: int, language: str, radius: int, ring: int, origin: Origin) -> None:
    """The steps, lightest first, then the hatching and the city ring: down the right side (names may
    wrap to two lines), or in one line along the bottom at the smallest size. Drawn on ``patch``, the
    part of the map's image at ``origin``."""
    pen = ImageDraw.Draw(patch)
    ox, oy = origin
    light = template.color(box.light_color)
    font = template.font_path(box.font)
    items: list[tuple[str, str]] = [("step", label) for label in step_labels(box)]
    items += [("hatch", f"{_said(NO_DATA, language)} / {_said(CHECKING, language)}"), ("city", _said(CITY, language))]
    if box.legend == "right":
        size = box.size
        row = min(grid_height // len(items), round(size * 2.6))
        swatch = round(row * 0.7)
        places = [(x + grid_width + box.gap, y + index * row) for index in range(len(items))]
        widths = [box.legend_size - swatch - size] * len(items)
    else:
        size = box.smallest
        row = box.legend_size
        swatch = round(row * 0.7)
        widths = [text_width(font, size, text) + 1 for _, text in items]
        used = sum(swatch + size // 2 + width for width in widths)
        spacing = min(size * 2, (box.width - used) // (len(items) - 1))
        if spacing < size // 2:
            raise TextDoesNotFit(template.name, box.id or "turnout-map",
                                 Msg("diag.map.legend_too_long", width=box.width, need=used + size // 2 * len(items)),
                                 Msg("diag.map.hint.legend_too_long"))
        places, left = [], x
        for width in widths:
            places.append((left, y + grid_height + box.gap))
            left += swatch + size // 2 + width + spacing
    step_index = 0
    for (kind, text), (item_x, item_y), width in zip(items, places, widths):
        box_top = item_y + (row - swatch) // 2
        shape = (item_x - ox, box_top - oy, item_x - ox + swatch - 1, box_top - oy + swatch - 1)
        if kind == "step":
            pen.rounded_rectangle(shape, max(2, radius // 2), fill=template.color(box.scale[step_index]))
            step_index += 1
        elif kind == "hatch":
            patch.alpha_composite(_hatched(swatch, swatch, template.color(box.hatch), template.color(box.stripe),
                                           max(2, radius // 2)), dest=(item_x - ox, box_top - oy))
        else:
            pen.rounded_rectangle(shape, max(2, radius // 2), outline=template.color(box.city), width=ring)
        fitted = _fitted(text, font, width=width, height=row, size=size, min_size=box.smallest, max_lines=2,
                         line_height=NAME_LINE_HEIGHT, template=template.name, box=box.id or "turnout-map")
        step = round(fitted.size * NAME_LINE_HEIGHT)
        first = item_y + (row - step * len(fitted.lines)) / 2 + step / 2
        for number, line in enumerate(fitted.lines):
            _label(patch, font, template.fonts[box.font].cap_height, fitted.size, line, item_x + swatch + size // 2,
                   first + step * number, light, align="l", origin=origin)
