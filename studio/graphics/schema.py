"""The template schema: what a template file may say, as typed, frozen models.

Read by template.py, which adds positions (file, line) to every error and
the checks that span sections (fonts exist and cover Kazakh, boxes stay in
the region, text stays in the safe area, placeholders name fields).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

from studio.graphics.sanitize import HARD_LIMIT
from studio.i18n import LANGUAGES, messages
from studio.validated import Strict

RENDERER_VERSION = "1"  # bump when a code change alters pixels: every cached file name changes
MIN_TEXT_SIZE = 16  # px at 1080p; smaller is not legible on a phone watching YouTube

GATED_TYPES = ("fact", "debunk", "turnout", "results")
RESULTS_IN_EACH_LANGUAGE = ("stage", "sources", "turnout")
"""A results field's attributes a bilingual graphic (a social card) takes in each language: ``stage_kk``..."""
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "text": ("",),
    "choice": ("",),
    "clock": ("",),
    "region": ("kk", "ru", "en"),
    "fact": ("claim_kk", "claim_ru", "value", "sources", "as_of", "verifier", "region_kk", "region_ru"),
    "debunk": ("claim_kk", "claim_ru", "correction_kk", "correction_ru", "sources", "as_of", "verifier", "verdict"),
    "turnout": ("", "national", "sources", "count", "coverage", "as_of"),
    "results": ("", "title", "stage", "sources", "yes_label", "yes_percent", "yes", "no_label", "no_percent", "no",
                "turnout_label", "turnout", "invalid_label", "invalid", "regions_title",
                *(f"{attribute}_{language}" for attribute in RESULTS_IN_EACH_LANGUAGE for language in ("kk", "ru"))),
}
CLOCK_OFF = "off"  # a clock field's value for "show no time" (a station that turned the bug's clock off)
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?:\.([a-z][a-z0-9_]*))?\}")
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_COLOUR = re.compile(r"^#([0-9A-Fa-f]{6})([0-9A-Fa-f]{2})?$")

RGBA = tuple[int, int, int, int]


class Area(Strict):
    x: int = Field(ge=0)
    y: int = Field(ge=0)
    width: int = Field(gt=0)
    height: int = Field(gt=0)

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    def contains(self, other: Area) -> bool:
        return self.x <= other.x and self.y <= other.y and other.right <= self.right and other.bottom <= self.bottom


class Canvas(Strict):
    width: int = Field(default=1920, gt=0, le=7680)
    height: int = Field(default=1080, gt=0, le=4320)


class FieldSpec(Strict):
    type: Literal["text", "choice", "region", "clock", "fact", "debunk", "turnout", "results"]
    required: bool = True
    max_length: int = Field(default=80, ge=1, le=HARD_LIMIT)
    language: Literal["kk", "ru", "kk-latn", "any"] = "any"
    choices: list[str] = []
    default: str | None = None
    default_from: str | None = None  # a catalogue key: the default is its text in the field's language (kk, ru)
    description: str = ""

    @property
    def fallback(self) -> str | None:
        """The value when the data gives none: ``default``, else the catalogue's ``default_from``."""
        if self.default_from is not None and self.language in LANGUAGES:
            return messages(self.language).get(self.default_from)
        return self.default


class RectBox(Area):
    kind: Literal["rect"]
    id: str = ""
    fill: str
    radius: int = Field(default=0, ge=0)
    when: str | None = None  # a field: draw this rectangle only when the data gives that field


class TextBox(Area):
    kind: Literal["text"]
    id: str = ""
    text: str = Field(min_length=1)
    font: str
    size: int = Field(gt=0, le=400)
    min_size: int | None = Field(default=None, gt=0)
    max_lines: int = Field(default=1, ge=1, le=8)
    line_height: float = Field(default=1.2, ge=0.9, le=2.0)
    color: str
    align: Literal["left", "center", "right"] = "left"
    valign: Literal["top", "middle", "bottom"] = "middle"
    omit_if_same: str | None = None  # id of a text box: draw this one only when its text differs
    grow_into: str | None = None  # id of a text box: when that one is not drawn, take its area too

    @property
    def smallest(self) -> int:
        return self.min_size or self.size


class TurnoutTable(Area):
    COLOURS: ClassVar[tuple[str, ...]] = ("color", "value_color", "bar", "track")

    kind: Literal["turnout-table"]
    source_type: ClassVar[str] = "turnout"
    value_share: ClassVar[float] = 0.26  # of a column's width, for the figure
    id: str = ""
    source: str  # a field of type turnout (results for a results-table)
    language: str = "kk"  # "kk", "ru" or "{field}" naming a choice field
    columns: int = Field(default=2, ge=1, le=4)
    rows: int = Field(default=10, ge=1, le=30)
    gap: int = Field(default=24, ge=0)
    font: str
    value_font: str
    size: int = Field(gt=0, le=200)
    min_size: int | None = Field(default=None, gt=0)
    color: str
    value_color: str
    bar: str
    track: str

    @property
    def smallest(self) -> int:
        return self.min_size or self.size


class TurnoutMap(Area):
    """A tile cartogram of the units (tilemap.py): one tile per region at its column and row, filled by a
    sequential scale, with a legend on the right or at the bottom of the box."""

    COLOURS: ClassVar[tuple[str, ...]] = ("color", "light_color", "hatch", "stripe", "city")

    kind: Literal["turnout-map"]
    source_type: ClassVar[str] = "turnout"
    id: str = ""
    source: str  # a field of type turnout
    language: str = "kk"  # "kk", "ru" or "{field}" naming a choice field
    columns: int = Field(ge=1, le=16)
    rows: int = Field(ge=1, le=16)
    tiles: dict[str, tuple[int, int]]  # region id -> (column, row), from the top left
    gap: int = Field(default=8, ge=0)
    steps: list[float] = Field(min_length=2)  # the lower bound (%) of each step of the scale, rising from 0
    scale: list[str] = Field(min_length=2)  # a colour for each step, lightest first
    legend: Literal["right", "bottom"] = "right"
    legend_size: int = Field(gt=0)  # px of the box's width (right) or height (bottom) the legend takes
    font: str
    value_font: str
    size: int = Field(gt=0, le=200)  # the names on the tiles
    min_size: int | None = Field(default=None, gt=0)
    value_size: int = Field(gt=0, le=200)  # the figures
    color: str  # text on light steps
    light_color: str  # text on dark steps, on hatched tiles and in the legend
    hatch: str  # a tile with no verified figure: its ground and its stripes
    stripe: str
    city: str  # the ring that marks a city of republican significance

    @property
    def smallest(self) -> int:
        return self.min_size or self.size


class ResultsTable(TurnoutTable):
    """The results board's region lines: a region's name, its yes and no, a bar of its yes."""

    kind: Literal["results-table"]  # type: ignore[assignment]
    source_type: ClassVar[str] = "results"
    value_share: ClassVar[float] = 0.55  # «ИӘ 87,15% · ЖОҚ 9,84%»


Box = RectBox | TextBox | TurnoutTable | TurnoutMap
BOX_KINDS: dict[str, type[BaseModel]] = {
    "rect": RectBox, "text": TextBox, "turnout-table": TurnoutTable, "results-table": ResultsTable,
    "turnout-map": TurnoutMap,
}


class TemplateIn(Strict):
    version: int = Field(ge=1)
    description: str = ""
    canvas: Canvas = Canvas()
    safe: Area | None = None
    region: Area
    colors: dict[str, str] = {}
    fonts: dict[str, str] = Field(min_length=1)
    fields: dict[str, dict[str, Any]] = {}
    box: list[dict[str, Any]] = Field(min_length=1)


def parse_colour(text: str) -> RGBA | None:
    found = _COLOUR.match(text)
    if not found:
        return None
    rgb = bytes.fromhex(found[1])
    return (rgb[0], rgb[1], rgb[2], int(found[2], 16) if found[2] else 255)


def default_safe(canvas: Canvas) -> Area:
    """Title-safe: 90% of the frame, centred (SMPTE ST 2046-1)."""
    x, y = round(canvas.width * 0.05), round(canvas.height * 0.05)
    return Area(x=x, y=y, width=canvas.width - 2 * x, height=canvas.height - 2 * y)
