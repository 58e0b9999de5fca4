"""Which cards an hour of the show has, read from the rundown: pure, no store, no files.

- an **announcement** for each live inclusion and each briefing planned to start in the hour
  (``live-<segment>``, ``briefing-<segment>``): the segment's own title in Kazakh and Russian, its
  planned local start, the centre's name and the show's YouTube link;
- ``announce-next``: the next three live inclusions from the hour on, with time and region;
- a **fact card** for each fact the segments of the hour cue on air: ``fact-<id>`` (a fact card),
  ``debunk-<id>`` (a debunk card), ``turnout-<HHMM>`` (a turnout board or map of a release hour).
  Whether one may be published is the gate's decision when it is rendered (studio/social/folder.py),
  exactly as on air.

Times are the plan's (studio/rundown/timing.py ``plan``): a fixed segment at its fixed start, the others
end to end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from studio.graphics.results import STAGES
from studio.graphics.schema import CLOCK_OFF
from studio.regions import regions
from studio.rundown.model import Bilingual, Kind, Rundown
from studio.rundown.timing import plan

HOUR = timedelta(hours=1)
NEXT_SHOWN = 3
FACT_TEMPLATES = {"fact-card": "fact", "debunk-card": "debunk"}
TURNOUT_TEMPLATES = ("turnout-board", "turnout-map", "turnout-map-corner")
RESULTS_TEMPLATE = "results-board"
NEXT_TITLE = Bilingual(kk="Келесі тікелей байланыстар", ru="Следующие прямые включения")
"""The next inclusions card's heading: on-air words, as the boards' own (studio/graphics/results.py WORDS)."""


@dataclass(frozen=True)
class Card:
    """One card to render: its name in the hour folder, its kind, the template (``social-<design>-<shape>``)
    and the template's data."""

    name: str
    kind: Literal["announcement", "fact"]
    design: Literal["announce", "fact", "debunk", "turnout", "result"]
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Branding:
    """What every announcement carries: the centre's name (the rundown's show title) and where to watch."""

    centre: Bilingual
    link: str | None = None


def safe_name(text: str) -> str:
    """A fact id as part of a file name: letters, digits and dashes only."""
    return re.sub(r"[^A-Za-z0-9-]+", "-", text.strip()).strip("-") or "x"


def hour_cards(rundown: Rundown, hour: datetime, branding: Branding) -> list[Card]:
    """The cards of the local hour starting at ``hour`` (an aware instant), in rundown order; the next
    inclusions last."""
    zone = rundown.show.zone
    slots = plan(rundown)
    cards: dict[str, Card] = {}
    for slot in slots:
        if not hour <= slot.start < hour + HOUR:
            continue
        segment = slot.segment
        if segment.kind in (Kind.LIVE, Kind.BRIEFING):
            name = f"announce-{safe_name(segment.id)}"
            cards[name] = announcement(name, segment.title, f"{slot.start.astimezone(zone):%H:%M}", branding)
        for cue in segment.graphics:
            if cue.template in FACT_TEMPLATES and isinstance(cue.data.get("fact"), str):
                design = FACT_TEMPLATES[cue.template]
                name = f"{design}-{safe_name(cue.data['fact'])}"
                cards.setdefault(name, Card(name, "fact", design, {"fact": cue.data["fact"].strip()}))  # type: ignore[arg-type]
            elif cue.template in TURNOUT_TEMPLATES and isinstance(cue.data.get("hour"), str):
                release = cue.data["hour"].strip()
                name = f"turnout-{safe_name(release.replace(':', ''))}"
                cards.setdefault(name, Card(name, "fact", "turnout", {"hour": release}))
            elif cue.template == RESULTS_TEMPLATE and cue.data.get("result") in STAGES:
                stage = cue.data["result"]
                cards.setdefault(f"result-{stage}", Card(f"result-{stage}", "fact", "result", {"result": stage}))
    coming = [slot for slot in slots if slot.segment.kind is Kind.LIVE and slot.start >= hour][:NEXT_SHOWN]
    if coming:
        lines = {f"line{number}": inclusion(slot.start.astimezone(zone), slot.segment.region)
                 for number, slot in enumerate(coming, 1)}
        cards["announce-next"] = announcement("announce-next", NEXT_TITLE, CLOCK_OFF, branding, **lines)
    return list(cards.values())


def announcement(name: str, title: Bilingual, time: str, branding: Branding, **lines: str) -> Card:
    data = {"centre_kk": branding.centre.kk, "centre_ru": branding.centre.ru, "title_kk": title.kk,
            "title_ru": title.ru, "time": time, **lines}
    if branding.link:
        data["link"] = branding.link
    return Card(name, "announcement", "announce", data)


def inclusion(start: datetime, region: str | None) -> str:
    """«15:20 · Шымкент», «16:20 · Батыс Қазақстан облысы · Западно-Казахстанская область»."""
    known = regions().get(region or "")
    if known is None:
        return f"{start:%H:%M}"
    names = dict.fromkeys((known.kk, known.ru))  # a city is named alike in both languages
    return " · ".join((f"{start:%H:%M}", *names))
