"""The social cards of an hour as the console lists them: each card's name and state, read from the folder.

A card is ``withdrawn`` when it is in ``withdrawn/`` (or its sidecar says so), ``published`` when its
sidecar names a post (``studio social publish`` writes it), else ``ready``. Reads files only: call it
off the console's event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from studio.social.sidecar import WITHDRAWN, Sidecar, cards_in, hour_folders

CardState = Literal["ready", "published", "withdrawn"]


@dataclass(frozen=True, slots=True)
class ListedCard:
    name: str
    state: CardState


@dataclass(frozen=True, slots=True)
class HourCards:
    """The cards of the local hour ``hour`` ("14:00"): ready ones first, then published, then withdrawn."""

    hour: str
    cards: tuple[ListedCard, ...]
    unreadable: int = 0  # sidecars that could not be read (``studio social publish`` names them)


ORDER: dict[CardState, int] = {"ready": 0, "published": 1, "withdrawn": 2}


def hour_cards(out: Path, now: datetime, zone: tzinfo) -> HourCards:
    local = now.astimezone(zone)
    found: list[ListedCard] = []
    unreadable = 0
    for folder, _ in hour_folders(out, local.date().isoformat(), local.hour):
        for path in cards_in(folder):
            try:
                sidecar = Sidecar.read(path)
            except (OSError, ValueError, ValidationError):
                unreadable += 1
                continue
            found.append(ListedCard(sidecar.card, _state(sidecar, path)))
    found.sort(key=lambda card: (ORDER[card.state], card.name))
    return HourCards(f"{local.hour:02d}:00", tuple(found), unreadable)


def _state(sidecar: Sidecar, path: Path) -> CardState:
    if sidecar.withdrawn is not None or path.parent.name == WITHDRAWN:
        return "withdrawn"
    return "published" if sidecar.published.telegram else "ready"
