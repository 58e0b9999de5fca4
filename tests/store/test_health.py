"""Health snapshots in the store: upsert, read back with their time, publish on change or heartbeat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studio.store.backends import open_database
from studio.store.health import Publisher, publish, read

AT = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)


def test_publish_upserts_one_row_a_source_and_read_gives_every_source(store_location: Path | str) -> None:
    db = open_database(store_location)
    assert read(db) == {}
    publish(db, "obs", {"connected": False, "reason": "no OBS yet"}, AT)
    publish(db, "obs", {"connected": True, "reason": "connected to OBS 30.2"}, AT + timedelta(seconds=5))
    publish(db, "youtube", {"status": "live", "viewers": 120}, AT)
    found = read(open_database(store_location))  # another process's connection
    assert sorted(found) == ["obs", "youtube"]
    assert found["obs"].detail == {"connected": True, "reason": "connected to OBS 30.2"}
    assert found["obs"].at == AT + timedelta(seconds=5) and found["obs"].at.tzinfo is not None
    assert found["youtube"].detail["viewers"] == 120
    assert found["obs"].age(AT + timedelta(seconds=20)) == 15.0


def test_times_are_kept_in_utc_whatever_zone_they_come_in(store_location: Path | str) -> None:
    from zoneinfo import ZoneInfo

    db = open_database(store_location)
    publish(db, "obs", {}, AT.astimezone(ZoneInfo("Asia/Almaty")))
    row = db.execute("SELECT at FROM health").fetchone()
    assert row[0] == "2026-03-15T05:00:00+00:00"


@pytest.mark.parametrize(
    ("source", "detail", "at", "says"),
    [
        ("", {}, AT, "needs a name"),
        ("obs", {}, AT.replace(tzinfo=None), "aware"),
        ("obs", {"stale": False}, AT, "reserved"),
        ("obs", {"cpu": float("nan")}, AT, "JSON"),
    ],
)
def test_bad_snapshots_are_refused_and_nothing_is_written(store_location, source, detail, at, says) -> None:
    db = open_database(store_location)
    with pytest.raises(ValueError, match=says if says != "JSON" else None):
        publish(db, source, detail, at)
    assert read(db) == {}


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_publisher_writes_on_a_change_in_substance_or_as_a_heartbeat(store_location: Path | str) -> None:
    db = open_database(store_location)
    ticks = Ticks()
    publisher = Publisher(db, "obs", volatile={"cpu"}, heartbeat=5.0, monotonic=ticks)
    assert publisher.offer({"connected": True, "cpu": 3.0}, AT) is True  # the first one always
    ticks.now += 1
    assert publisher.offer({"connected": True, "cpu": 7.5}, AT) is False  # only a volatile figure moved
    ticks.now += 1
    assert publisher.offer({"connected": False, "cpu": 7.5}, AT + timedelta(seconds=2)) is True  # substance
    assert read(db)["obs"].detail == {"connected": False, "cpu": 7.5}
    ticks.now += 4.9
    assert publisher.offer({"connected": False, "cpu": 9.0}, AT) is False
    ticks.now += 0.1
    assert publisher.offer({"connected": False, "cpu": 9.0}, AT + timedelta(seconds=7)) is True  # heartbeat
    assert read(db)["obs"].at == AT + timedelta(seconds=7) and read(db)["obs"].detail["cpu"] == 9.0


def test_a_failed_write_is_tried_again_at_the_next_offer(store_location: Path | str) -> None:
    db = open_database(store_location)
    publisher = Publisher(db, "obs", monotonic=Ticks())
    with pytest.raises(ValueError):
        publisher.offer({"at": "reserved"}, AT)
    assert publisher.offer({"connected": True}, AT) is True
