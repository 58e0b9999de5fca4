"""Desk claims: which desk terminal has which item open, so the others see it as taken.

A claim is advisory and light: one row per open item (a fact, or a group of
reports not yet a fact), refreshed by its terminal while the item stays open
and stale after ``CLAIM_TTL``, so a terminal that died frees its item by
itself. A person has at most one claim: opening an item drops their other
ones. Claims decide nothing: two people can never both change a fact
unknowingly because DeskStore.change checks the version they read.
Writing a claim moves the store's data_version, so other terminals polling
``changed_elsewhere()`` notice it at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from studio.store.db import Connection, immediate
from studio.store.intake import utc_text

CLAIM_TTL = timedelta(minutes=2)
"""A claim not refreshed for this long is stale: the item is free again."""

CLAIM_REFRESH = timedelta(seconds=30)
"""How often a terminal refreshes the claim of the item it has open."""

Item = Literal["fact", "group"]


@dataclass(frozen=True, slots=True)
class DeskClaim:
    item: Item
    item_id: int
    who: str
    at: datetime


def claim(store: Connection, item: Item, item_id: int, *, who: str, at: datetime) -> DeskClaim | None:
    """Claim an item for ``who`` (dropping their other claims); None if it is
    taken by someone else with a live claim, which is kept."""
    with immediate(store.db):
        row = store.db.execute(
            "SELECT who, at FROM desk_claim WHERE item = ? AND item_id = ?", (item, item_id)
        ).fetchone()
        if row is not None and row[0] != who and datetime.fromisoformat(row[1]) > at - CLAIM_TTL:
            return None
        store.db.execute("DELETE FROM desk_claim WHERE who = ? AND NOT (item = ? AND item_id = ?)", (who, item, item_id))
        store.db.execute(
            "INSERT INTO desk_claim (item, item_id, who, at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (item, item_id) DO UPDATE SET who = excluded.who, at = excluded.at",
            (item, item_id, who, utc_text(at)),
        )
    return DeskClaim(item, item_id, who, at)


def release(store: Connection, *, who: str) -> None:
    """Drop every claim of ``who`` (the item was closed)."""
    with immediate(store.db):
        store.db.execute("DELETE FROM desk_claim WHERE who = ?", (who,))


def claims(store: Connection, *, now: datetime) -> dict[tuple[str, int], DeskClaim]:
    """The live claims by (item, item_id)."""
    return {
        (row[0], row[1]): DeskClaim(row[0], row[1], row[2], datetime.fromisoformat(row[3]))
        for row in store.db.execute(
            "SELECT item, item_id, who, at FROM desk_claim WHERE at > ?", (utc_text(now - CLAIM_TTL),)
        )
    }
