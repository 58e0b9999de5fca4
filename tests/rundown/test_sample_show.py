"""The shipped referendum-day rundown is a realistic full day."""

from datetime import time
from pathlib import Path

from studio.regions import regions
from studio.rundown.load import load_rundown
from studio.rundown.model import Kind
from studio.rundown.timing import plan

SAMPLE = Path(__file__).resolve().parents[2] / "studio" / "sample" / "referendum-day.toml"


def test_a_full_day_through_every_region() -> None:
    rundown = load_rundown(SAMPLE)
    assert len(rundown.segments) >= 60
    assert {s.region for s in rundown.segments if s.kind is Kind.LIVE} == set(regions())
    briefings = [s.fixed for s in rundown.segments if s.kind is Kind.BRIEFING]
    assert briefings == [time(h) for h in (10, 12, 14, 16, 18, 20)]
    slots = plan(rundown)
    assert slots[0].start.astimezone(rundown.show.zone).time() == time(7)
    assert slots[-1].end.astimezone(rundown.show.zone).date() > rundown.show.date  # past midnight
    assert {k for s in rundown.segments for k in [s.kind]} == set(Kind)
    assert all(s.title.kk != s.title.ru for s in rundown.segments if s.kind is not Kind.BREAK)


def test_every_fixed_start_is_hit_exactly() -> None:
    """The durations before each briefing add up to its fixed time: nothing to cut, nothing to fill."""
    slots = plan(load_rundown(SAMPLE))
    fixed = [slot for slot in slots if slot.fixed]
    assert fixed, "the sample has fixed starts"
    missed = {slot.segment.id: slot.miss.total_seconds() for slot in fixed if slot.miss}
    assert missed == {}, f"fixed starts missed by seconds (negative: a gap): {missed}"
