"""Time formats on the console."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from studio.tui import format as fmt


@pytest.mark.parametrize(
    ("remaining", "shown"),
    [
        (timedelta(minutes=3, seconds=37), "03:37"),
        (timedelta(seconds=0.4), "00:01"),  # still running: rounds up
        (timedelta(0), "+00:00"),  # the planned end: overrun starts
        (timedelta(seconds=-0.6), "+00:00"),
        (timedelta(minutes=-1, seconds=-30), "+01:30"),
        (timedelta(hours=1, minutes=2, seconds=3), "1:02:03"),
    ],
)
def test_countdown_counts_down_then_shows_the_overrun(remaining: timedelta, shown: str) -> None:
    assert fmt.countdown(remaining) == shown


def test_span_and_clock() -> None:
    assert fmt.span(timedelta(minutes=4, seconds=5)) == "4:05"
    assert fmt.span(timedelta(hours=1, seconds=3)) == "1:00:03"
    assert fmt.span(timedelta(seconds=-65)) == "1:05"
    assert fmt.span(None) == "—"
    noon_utc = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)
    assert fmt.clock(noon_utc, ZoneInfo("Asia/Almaty")) == "10:00:00"  # UTC+5 since March 2024
    assert fmt.clock(None, UTC) == "—"
