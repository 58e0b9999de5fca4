"""Clock and duration text for the console: one place for every time format."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from studio.desk.model import person
from studio.i18n import t
from studio.machine import SHORT_PATH, short_path
from studio.regions import NATIONAL, regions
from studio.rundown.timing import span

if TYPE_CHECKING:
    from studio.i18n import Catalogue
    from studio.rundown.model import Segment

_ZERO = timedelta(0)


@lru_cache(maxsize=4096)
def clock(instant: datetime | None, zone: tzinfo) -> str:
    """Local wall-clock time, ``09:58:00``; a dash when there is none.

    Cached: the rundown table asks for the same few hundred instants every tick.
    """
    return "—" if instant is None else f"{instant.astimezone(zone):%H:%M:%S}"


def short_clock(instant: datetime, zone: tzinfo) -> str:
    return f"{instant.astimezone(zone):%H:%M}"


def countdown(remaining: timedelta) -> str:
    """The big on-air figure: ``03:37`` counting down, ``+01:23`` once over.

    Remaining time rounds up (a segment with 0.4 s left still shows 00:01),
    overrun rounds down, so the display turns to ``+00:00`` exactly when the
    planned duration is reached.
    """
    if remaining > _ZERO:
        total = -int(-remaining.total_seconds() // 1)  # ceiling
        prefix = ""
    else:
        total = int(-remaining.total_seconds())
        prefix = "+"
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    body = f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes:02}:{seconds:02}"
    return prefix + body


def describe(segment: Segment, catalogue: Catalogue) -> str:
    """``kind · region · 5:00`` for a segment, in the catalogue's language (console and prompters)."""
    parts = [catalogue.t(f"kind.{segment.kind.value}")]
    if segment.region:
        region = regions().get(segment.region)
        parts.append(region.name(catalogue.language) if region else segment.region)
    parts.append(span(segment.duration))
    return " · ".join(parts)


def operator(who: str) -> str:
    """An operator's name as a header shows it: a name nobody proved (sign-in off) says so."""
    name = person(who)
    return who if name == who else t("operators.not_signed_in", name=name)


def region_name(region: str | None, language: str) -> str:
    """A region in ``language``; the whole country for None or NATIONAL; an unknown id as it is."""
    if region is None or region == NATIONAL:
        return t("desk.national")
    found = regions().get(region)
    return found.name(language) if found else region


def region_choices(language: str) -> list[tuple[str, str]]:
    """Every place a chooser offers: the whole country (NATIONAL), then each region in file order."""
    return [(region_name(NATIONAL, language), NATIONAL)] + [
        (region.name(language), region.id) for region in regions().values()
    ]


def where(store: Path | str, show: str | None = None) -> str:
    """Which store, and which show, a program is on: every header says it (``studio up`` starts
    the services on one store; the people's terminals must be on that one too)."""
    if show is None:
        return t("header.store", store=short_path(store, SHORT_PATH))
    return t("header.store_show", store=short_path(store, SHORT_PATH), show=show)
