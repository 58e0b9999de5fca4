"""The quota ledger and the health-poll plan: a 16-hour day with restarts stays inside the allowance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from studio.store.backends import open_database
from studio.store.youtube import YouTubeStore
from studio.youtube.quota import (
    COSTS,
    DAILY_ALLOWANCE,
    HEALTH_POLL_COST,
    MIN_POLL,
    RESERVE,
    StoreLedger,
    poll_interval,
    quota_day,
    resets_at,
)
from tests.clock import Clock


def test_quota_day_is_pacific_and_resets_at_its_midnight():
    # 07:59 UTC on 15 March is 00:59 PDT (DST began 8 March 2026): already the 15th in Pacific time.
    assert quota_day(datetime(2026, 3, 15, 7, 59, tzinfo=UTC)) == "2026-03-15"
    assert quota_day(datetime(2026, 3, 15, 6, 59, tzinfo=UTC)) == "2026-03-14"
    assert resets_at(datetime(2026, 3, 15, 7, 59, tzinfo=UTC)) == datetime(2026, 3, 16, 7, 0, tzinfo=UTC)


def test_costs_follow_googles_table():
    assert COSTS["liveBroadcasts.list"] == COSTS["liveStreams.list"] == COSTS["videos.list"] == 1
    assert {COSTS[m] for m in ("liveBroadcasts.insert", "liveBroadcasts.bind", "liveBroadcasts.transition")} == {50}
    assert COSTS["videos.update"] == 50


def test_ledger_survives_a_restart(store_location):
    clock = Clock(datetime(2026, 3, 15, 3, 0, tzinfo=UTC))  # 08:00 in Kazakhstan
    ledger = StoreLedger(YouTubeStore(open_database(store_location)), clock)
    ledger.charge("liveBroadcasts.insert")
    ledger.charge("liveStreams.list")
    ledger.charge("liveStreams.list")
    restarted = StoreLedger(YouTubeStore(open_database(store_location)), clock)
    assert restarted.spent_today() == 52
    assert restarted.by_method() == {"liveBroadcasts.insert": (1, 50), "liveStreams.list": (2, 2)}
    clock.advance(hours=24)
    assert restarted.spent_today() == 0  # a new quota day


def test_a_16_hour_show_with_restarts_stays_well_inside_the_allowance():
    """Poll as the plan says from 07:00 to 23:00 Almaty; each of 5 restarts re-schedules and re-reads."""
    now = datetime(2026, 3, 15, 2, 0, tzinfo=UTC)
    end = now + timedelta(hours=16)
    spent = 0
    lifecycle_per_start = COSTS["liveBroadcasts.list"] * 2 + COSTS["liveStreams.list"]
    spent += COSTS["liveBroadcasts.insert"] + COSTS["liveStreams.insert"] + COSTS["liveBroadcasts.bind"]
    spent += 3 * COSTS["liveBroadcasts.transition"] + COSTS["videos.list"] + COSTS["videos.update"]
    restarts = {now + timedelta(hours=h) for h in (2, 5, 8, 11, 14)}
    polls = 0
    while now < end:
        if any(abs((now - r).total_seconds()) < 30 for r in restarts):
            spent += lifecycle_per_start
        interval = poll_interval(spent, now)
        assert interval is not None and interval >= MIN_POLL
        spent += HEALTH_POLL_COST
        polls += 1
        now += interval
    assert polls >= 16 * 60  # at least one poll a minute
    assert spent <= 0.5 * DAILY_ALLOWANCE, spent


@given(
    spent=st.integers(min_value=0, max_value=DAILY_ALLOWANCE),
    minutes=st.integers(min_value=0, max_value=24 * 60 - 1),
)
def test_polling_never_eats_the_reserve(spent, minutes):
    now = datetime(2026, 3, 15, 7, 0, tzinfo=UTC) + timedelta(minutes=minutes)
    interval = poll_interval(spent, now)
    if interval is None:
        assert DAILY_ALLOWANCE - RESERVE - spent < HEALTH_POLL_COST
        return
    polls_until_reset = (resets_at(now) - now) / interval
    # Polling at this pace until the reset costs no more than what is left above the reserve,
    # unless the minimum interval already keeps it that slow (the cap of 10 minutes aside).
    assert polls_until_reset * HEALTH_POLL_COST <= DAILY_ALLOWANCE - RESERVE - spent + HEALTH_POLL_COST or (
        interval == timedelta(minutes=10)
    )
