"""Desk claims on both databases (studio/store/claims.py): one live claim an item, one item a person, a
claim another terminal notices, a stale one free again."""

from __future__ import annotations

from studio.store.claims import CLAIM_TTL, claim, claims, release
from studio.store.desk import open_desk
from tests.desk.conftest import T0


def test_an_item_is_claimed_by_one_person_until_released_or_stale(desk) -> None:
    other = open_desk(desk.location)  # another terminal
    try:
        assert claim(desk, "fact", 1, who="aigerim", at=T0) is not None
        assert other.changed_elsewhere()
        assert claim(other, "fact", 1, who="bolat", at=T0) is None  # taken, and kept
        assert claim(desk, "group", 7, who="aigerim", at=T0) is not None  # opening another drops the first
        assert set(claims(other, now=T0)) == {("group", 7)}
        release(desk, who="aigerim")
        assert claims(other, now=T0) == {}
        claim(desk, "fact", 1, who="aigerim", at=T0)
        assert claim(other, "fact", 1, who="bolat", at=T0 + CLAIM_TTL + CLAIM_TTL) is not None  # stale: free
    finally:
        other.close()
