"""A plan on today's clock (studio/rundown/today.py): one offset moves the show's day and start, every
fixed and soft time and the turnout hours; the day a show belongs to; ``--start``'s values.

The property: for a plan of any date mapped onto any "now", and a show that then runs to plan, the
expected starts never go backwards and no figure of the timing is larger than the show's planned span.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from studio.rundown.load import load_rundown, show_dict, show_from_dict
from studio.rundown.model import Bilingual, Kind, Rundown, Segment, Show
from studio.rundown.timing import OnAir, Span, Timing, compute, plan
from studio.rundown.today import PLAN, OnToday, like_live, parse_start, show_day, still_to_come

ALMATY = ZoneInfo("Asia/Almaty")
SAMPLE = load_rundown(Path(__file__).resolve().parents[2] / "studio" / "sample" / "referendum-day.toml")
TURNOUT = tuple(time(hour) for hour in (10, 12, 14, 16, 18, 20))
TODAY = date(2026, 12, 6)
NOTHING: frozenset[str] = frozenset()


def local(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), ALMATY)


# --------------------------------------------------------------------------- the mapping


def test_the_sample_starting_now_keeps_every_interval_and_moves_fixed_starts_and_turnout_with_it() -> None:
    now = local(TODAY, 14, 30, 44)
    mapping = OnToday.starting_now(now, ALMATY)
    assert mapping == OnToday(TODAY, time(14, 31))  # the next whole minute: nothing is late before the first take
    moved = mapping.rundown(SAMPLE)
    assert moved.show.date == TODAY and moved.show.start == time(14, 31)
    assert moved.show.plan_date == date(2026, 3, 15)
    briefing = moved.get("crc-1000")
    assert briefing is not None and briefing.fixed == time(17, 31)  # 10:00 is 3 h after 07:00: 3 h after 14:31
    night = moved.get(next(s.id for s in SAMPLE.segments if s.fixed == time(0, 30)))
    assert night is not None and night.fixed == time(8, 1)  # 00:30 the next day: 17:30 after the start
    soft = [(before.soft, after.soft) for before, after in zip(SAMPLE.segments, moved.segments) if before.soft]
    assert soft and all(
        datetime.combine(TODAY, moved_soft) - datetime.combine(TODAY, planned) in (timedelta(hours=7, minutes=31),
                                                                                    timedelta(hours=-16, minutes=-29))
        for planned, moved_soft in soft
    )
    assert mapping.hours(SAMPLE.show, TURNOUT)[0] == time(17, 31)
    # Every slot of the plan is the planned one moved by the offset, to the second.
    offset = local(TODAY, 14, 31) - SAMPLE.show.starts_at
    assert [(s.start, s.end) for s in plan(moved)] == [(s.start + offset, s.end + offset) for s in plan(SAMPLE)]


def test_start_plan_keeps_the_plans_time_of_day_and_a_given_start_is_today_at_that_time() -> None:
    kept = OnToday(TODAY).rundown(SAMPLE)
    assert kept.show.start == time(7) and kept.get("crc-1000").fixed == time(10)  # type: ignore[union-attr]
    assert kept.show.starts_at == local(TODAY, 7)
    late = OnToday(TODAY, time(22, 15)).rundown(SAMPLE)
    assert late.get("crc-1000").fixed == time(1, 15)  # type: ignore[union-attr]
    assert late.show.at(time(1, 15)) == local(TODAY + timedelta(days=1), 1, 15)  # after midnight: the next day


def test_the_moved_show_is_kept_in_the_store_with_the_day_it_was_planned_for() -> None:
    moved = OnToday(TODAY, time(9)).show(SAMPLE.show)
    assert show_from_dict(show_dict(moved)) == moved
    assert "plan_date" not in show_dict(SAMPLE.show)  # a show on its own day is stored as it always was
    assert show_from_dict(show_dict(SAMPLE.show)) == SAMPLE.show


def test_a_rundown_file_read_again_comes_on_the_live_clock() -> None:
    live = OnToday(TODAY, time(9, 5)).rundown(SAMPLE)
    assert like_live(live.show, SAMPLE) == live
    assert like_live(SAMPLE.show, SAMPLE) is SAMPLE


def test_the_day_of_a_show_runs_from_midnight_of_its_date_to_its_start_the_next_day() -> None:
    show = SAMPLE.show  # 2026-03-15 from 07:00
    assert show_day(show, local(date(2026, 3, 15), 0, 0))
    assert show_day(show, local(date(2026, 3, 16), 0, 40))  # on air past midnight: still today's show
    assert not show_day(show, local(date(2026, 3, 16), 7, 0))
    assert not show_day(show, local(date(2026, 3, 14), 23, 59))
    assert still_to_come(show, local(date(2026, 3, 14), 23, 59))
    assert not still_to_come(show, local(date(2026, 12, 6), 9))


@pytest.mark.parametrize(
    ("given", "expected"),
    [("9:00", time(9)), ("09:30", time(9, 30)), ("23:59:30", time(23, 59, 30)), ("plan", PLAN), (" Plan ", PLAN)],
)
def test_start_accepts_a_time_of_day_or_plan(given: str, expected: object) -> None:
    assert parse_start(given) == expected


@pytest.mark.parametrize("given", ["24:00", "9", "9:60", "noon", "09:00+05:00", ""])
def test_start_refuses_anything_else(given: str) -> None:
    with pytest.raises(ValueError):
        parse_start(given)


# --------------------------------------------------------------------------- the property


@st.composite
def plans(draw: st.DrawFn) -> Rundown:
    """A plan that can be played as written: each fixed start is at or after the flow's arrival."""
    start = time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45])))
    show = Show("any", Bilingual("k", "r"), draw(st.dates(date(2000, 1, 1), date(2099, 12, 31))), ALMATY, start)
    arrival = show.starts_at
    segments = []
    for index in range(draw(st.integers(1, 8))):
        duration = timedelta(minutes=draw(st.integers(1, 90)))
        gap = draw(st.none() | st.integers(0, 30))
        fixed = None
        if gap is not None:
            pinned = arrival + timedelta(minutes=gap)
            fixed = pinned.timetz().replace(tzinfo=None)
            arrival = pinned
        segments.append(Segment(f"s{index}", Kind.STUDIO, Bilingual("k", "r"), duration, fixed=fixed))
        arrival += duration
    return Rundown(show, tuple(segments))


def run_to_plan(rundown: Rundown, played: int, into: float) -> tuple[list[Span], OnAir | None, datetime]:
    """The as-run of a show that ran exactly to plan: ``played`` segments done, the next on air for
    ``into`` of its length (the instant is the third value); all done when ``played`` is their number."""
    slots = plan(rundown)
    spans = [Span(s.segment.id, s.start, s.end, s.segment.duration) for s in slots[:played]]
    if played == len(slots):
        return spans, None, slots[-1].end
    slot = slots[played]
    now = slot.start + slot.segment.duration * into
    return spans, OnAir(slot.segment.id, slot.start, slot.segment.duration), now


def figures(timing: Timing) -> dict[str, timedelta]:
    """Every length of time the console shows (the turnout countdown aside: see below)."""
    found = {
        "over/under": timing.show_over_under,
        "projected end": timing.projected_end - timing.now,
        **{f"backtime {item.segment_id}": item.backtime for item in timing.expected if item.backtime is not None},
    }
    for name in ("on_air_elapsed", "on_air_remaining"):
        if (value := getattr(timing, name)) is not None:
            found[name] = value
    if timing.next_fixed is not None:
        found["countdown to the fixed start"] = timing.next_fixed.start - timing.now
    return found


def check_on_todays_clock(rundown: Rundown, now: datetime, played: int, into: float) -> None:
    mapping = OnToday.starting_now(now, ALMATY)
    moved = mapping.rundown(rundown)
    assert moved.show.starts_at - now < timedelta(minutes=1) and moved.show.starts_at >= now
    hours = mapping.hours(rundown.show, TURNOUT)
    if played == 0 and into == 0:
        spans, on_air, at = [], None, now  # the first screen, when the console opens
    else:
        spans, on_air, at = run_to_plan(moved, played, into)
    timing = compute(moved, spans, on_air, NOTHING, at, hours)

    starts = [item.start for item in timing.expected]
    assert starts == sorted(starts), "expected starts go backwards"
    assert all(start >= at for start in starts), "a segment not played is expected in the past"
    slots = {slot.segment.id: slot for slot in plan(moved)}
    assert all(item.start == slots[item.segment_id].start for item in timing.expected)  # run to plan: as planned

    planned_span = plan(moved)[-1].end - moved.show.starts_at
    bound = planned_span + timedelta(minutes=1)  # the show starts within the minute
    too_large = {name: value for name, value in figures(timing).items() if abs(value) > bound}
    assert not too_large, f"larger than the show ({planned_span}): {too_large}"
    # The turnout hours follow the mapping: the next one is within the show's day, never months away.
    if timing.next_turnout is not None:
        assert timedelta(0) < timing.next_turnout - at <= timedelta(hours=24)


ANY_NOW = st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31), timezones=st.just(UTC))


@settings(max_examples=300, deadline=None)
@given(rundown=plans(), now=ANY_NOW, played=st.integers(0, 8), into=st.floats(0, 1))
def test_any_plan_on_todays_clock_never_goes_backwards_and_no_figure_is_larger_than_the_show(
    rundown: Rundown, now: datetime, played: int, into: float
) -> None:
    check_on_todays_clock(rundown, now, min(played, len(rundown.segments)), into)


@settings(max_examples=60, deadline=None)
@given(day=st.dates(date(2000, 1, 1), date(2099, 12, 31)), now=ANY_NOW, played=st.integers(0, 82), into=st.floats(0, 1))
def test_the_sample_day_of_any_date_on_todays_clock_makes_sense(day: date, now: datetime, played: int, into: float) -> None:
    sample = Rundown(Show(SAMPLE.show.id, SAMPLE.show.title, day, ALMATY, SAMPLE.show.start), SAMPLE.segments)
    check_on_todays_clock(sample, now, min(played, len(sample.segments)), into)


def test_the_reported_nonsense_is_gone() -> None:
    """The sample of 2026-03-15 opened on 2026-12-05 at 04:37: "briefing in 0:00 — cut 6381:37:03",
    expected starts from 04:37 to 10:00 and back to 04:52. On today's clock it starts at 04:38."""
    now = local(date(2026, 12, 5), 4, 37, 3)
    mapping = OnToday.starting_now(now, ALMATY)
    moved = mapping.rundown(SAMPLE)
    timing = compute(moved, [], None, NOTHING, now, mapping.hours(SAMPLE.show, TURNOUT))
    assert timing.next_fixed is not None and timing.next_fixed.backtime == timedelta(0)  # on time, no cut
    assert timing.next_fixed.start == local(date(2026, 12, 5), 7, 38)
    assert timing.next_turnout == local(date(2026, 12, 5), 7, 38)
    assert timing.projected_end - now < timedelta(hours=19)
    check_on_todays_clock(SAMPLE, now, 0, 0)
