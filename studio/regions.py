"""The regions of Kazakhstan, loaded once from ``regions.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

NATIONAL = "national"
"""The whole country where a region id is expected: a national figure, a filter, a command's --region."""


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    kind: str  # "city" (of republican significance) or "region" (oblys)
    kk: str
    ru: str
    en: str
    centre: str
    short_kk: str = ""  # the name on a map tile (studio/graphics/tilemap.py); empty: the full name
    short_ru: str = ""

    def name(self, language: str) -> str:
        return getattr(self, language)

    def short(self, language: str) -> str:
        return getattr(self, f"short_{language}", "") or self.name(language)


@cache
def regions() -> dict[str, Region]:
    """All regions by id, in the order of the data file."""
    data = tomllib.loads(resources.files("studio").joinpath("regions.toml").read_text("utf-8"))
    return {row["id"]: Region(**row) for row in data["region"]}
