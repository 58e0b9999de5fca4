"""The rehearsal's one clock: the plan's day, at any speed, counted on a monotonic clock."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from studio.rehearsal.clock import SimulatedClock

START = datetime(2026, 3, 15, 7, 0, tzinfo=ZoneInfo("Asia/Almaty"))


class Seconds:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_it_reads_the_start_until_the_day_begins_then_runs_at_its_speed() -> None:
    real = Seconds()
    clock = SimulatedClock(START, 60, monotonic=real)
    real.now += 5
    assert clock() == START  # setting up takes no simulated time
    clock.begin()
    real.now += 2.5
    assert clock() == START + timedelta(minutes=2.5)
    assert clock.real_until(START + timedelta(minutes=3.5)) == pytest.approx(1.0)
    assert clock.real_until(START) == 0.0


@pytest.mark.parametrize("speed", [0, -1])
def test_a_speed_that_does_not_move_forward_is_refused(speed: float) -> None:
    with pytest.raises(ValueError):
        SimulatedClock(START, speed)


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError):
        SimulatedClock(datetime(2026, 3, 15, 7, 0), 1)
