"""The timing engine: plan, on-air clock, backtimes, forecast of the rest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, strategies as st

from studio.rundown.model import Bilingual, Kind, Rundown, Segment, Show
from studio.rundown.timing import (
    Expected,
    OnAir,
    Span,
    Timing,
    compute,
    plan,
)

ALMATY = ZoneInfo("Asia/Almaty")
SHOW = Show(
    "referendum", Bilingual("Референдум", "Референдум"), date(2026, 3, 15), ALMATY, time(7, 0)
)
NOTHING: frozenset[str] = frozenset()


def seg(
    segment_id: str, minutes: int = 0, seconds: int = 0, fixed: time | None = None
) -> Segment:
    return Segment(
        id=segment_id,
        kind=Kind.STUDIO,
        title=Bilingual(segment_id, segment_id),
        duration=timedelta(minutes=minutes, seconds=seconds),
        fixed=fixed,
    )


def rundown(*segments: Segment) -> Rundown:
    return Rundown(SHOW, tuple(segments))


def at(hour: int, minute: int = 0, second: int = 0, day: int = 15) -> datetime:
    """A local Almaty instant on the show day (or the given March day)."""
    return datetime(2026, 3, day, hour, minute, second, tzinfo=ALMATY)


def span(segment: Segment, started: datetime, ended: datetime) -> Span:
    return Span(segment.id, started, ended, segment.duration)


def starts(timing: Timing) -> dict[str, datetime]:
    return {item.segment_id: item.start for item in timing.expected}


# ---------------------------------------------------------------- plan


def test_plan_lays_segments_end_to_end_from_the_show_start() -> None:
    slots = plan(rundown(seg("a", 5), seg("b", 10), seg("c", 2, 30)))

    assert [(s.segment.id, s.start, s.end) for s in slots] == [
        ("a", at(7, 0), at(7, 5)),
        ("b", at(7, 5), at(7, 15)),
        ("c", at(7, 15), at(7, 17, 30)),
    ]
    assert not any(s.fixed for s in slots)
    assert all(s.miss is None for s in slots)


def test_plan_fixed_briefing_reached_early_leaves_a_gap() -> None:
    # 2h59m30s of programme before a 10:00 briefing: arrives 09:59:30.
    slots = plan(
        rundown(
            seg("open", 179, 30),
            seg("briefing", 20, fixed=time(10, 0)),
            seg("after", 5),
        )
    )

    briefing, after = slots[1], slots[2]
    assert briefing.fixed
    assert briefing.start == at(10, 0)
    assert briefing.end == at(10, 20)
    assert briefing.miss == timedelta(seconds=-30)
    assert after.start == at(10, 20)
    assert after.miss is None


def test_plan_fixed_briefing_reached_late_is_not_moved() -> None:
    # 3h00m45s before the 10:00 briefing: the plan overruns it by 45 s.
    slots = plan(
        rundown(
            seg("open", 180, 45),
            seg("briefing", 20, fixed=time(10, 0)),
            seg("after", 5),
        )
    )

    assert slots[0].end == at(10, 0, 45)
    assert slots[1].start == at(10, 0)
    assert slots[1].miss == timedelta(seconds=45)
    assert slots[2].start == at(10, 20)


def test_fixed_time_after_midnight_belongs_to_the_next_day() -> None:
    late = rundown(
        seg("evening", 60 * 17),  # 07:00 + 17h = 00:00 on the 16th
        seg("final", 15, fixed=time(0, 30)),
    )

    slots = plan(late)
    assert slots[1].start == at(0, 30, day=16)
    assert slots[1].miss == timedelta(minutes=-30)

    timing = compute(late, [], None, NOTHING, at(6, 0))
    final = timing.expected_for("final")
    assert final is not None
    assert final.start == at(0, 30, day=16)
    assert final.backtime == timedelta(minutes=30)
    assert timing.projected_end == at(0, 45, day=16)


# ---------------------------------------------------------- on air


ONE = rundown(seg("a", 5), seg("b", 10), seg("c", 20), seg("d", 5))
A, B, C, D = ONE.segments


def test_on_air_overrun_counts_into_show_over_under() -> None:
    played = [span(A, at(7, 0), at(7, 5, 40))]  # +40 s
    on_air = OnAir("b", at(7, 5, 40), B.duration)

    timing = compute(ONE, played, on_air, NOTHING, at(7, 18))

    assert timing.on_air_elapsed == timedelta(minutes=12, seconds=20)
    assert timing.on_air_remaining == timedelta(minutes=-2, seconds=-20)
    assert timing.on_air_over == timedelta(minutes=2, seconds=20)
    assert timing.show_over_under == timedelta(minutes=3)
    # The overrunning segment ends "now" at the earliest.
    assert starts(timing) == {"c": at(7, 18), "d": at(7, 38)}


def test_on_air_within_time_does_not_count_as_under() -> None:
    played = [span(A, at(7, 0), at(7, 5, 40))]
    on_air = OnAir("b", at(7, 5, 40), B.duration)

    timing = compute(ONE, played, on_air, NOTHING, at(7, 10, 40))

    assert timing.on_air_elapsed == timedelta(minutes=5)
    assert timing.on_air_remaining == timedelta(minutes=5)
    assert timing.on_air_over == timedelta(minutes=-5)
    assert timing.show_over_under == timedelta(seconds=40)
    assert starts(timing) == {"c": at(7, 15, 40), "d": at(7, 35, 40)}


def test_short_segments_put_the_show_under() -> None:
    played = [span(A, at(7, 0), at(7, 4)), span(B, at(7, 4), at(7, 13, 30))]

    timing = compute(ONE, played, None, NOTHING, at(7, 13, 30))

    assert timing.show_over_under == timedelta(minutes=-1, seconds=-30)
    assert timing.on_air_elapsed is None
    assert timing.on_air_remaining is None
    assert timing.on_air_over is None
    assert starts(timing) == {"c": at(7, 13, 30), "d": at(7, 33, 30)}


def test_now_in_another_zone_gives_the_same_figures() -> None:
    played = [span(A, at(7, 0), at(7, 5, 40))]
    on_air = OnAir("b", at(7, 5, 40), B.duration)
    local = compute(ONE, played, on_air, NOTHING, at(7, 18))
    utc = compute(ONE, played, on_air, NOTHING, at(7, 18).astimezone(UTC))

    assert utc.on_air_over == local.on_air_over
    assert utc.show_over_under == local.show_over_under
    assert utc.expected == local.expected
    assert utc.projected_end == local.projected_end


# ------------------------------------------------------- backtime


BRIEFED = rundown(
    seg("a", 5), seg("b", 20), seg("briefing", 10, fixed=time(8, 0)), seg("d", 5)
)


def test_backtime_to_the_next_fixed_segment_is_time_to_fill() -> None:
    on_air = OnAir("a", at(7, 2), timedelta(minutes=5))

    timing = compute(BRIEFED, [], on_air, NOTHING, at(7, 3))

    # a ends 07:07, b runs 07:07-07:27, the briefing is pinned at 08:00.
    assert timing.next_fixed == Expected(
        "briefing", at(8, 0), at(8, 10), True, timedelta(minutes=33)
    )
    assert timing.expected_for("b") == Expected("b", at(7, 7), at(7, 27), False, None)
    assert timing.expected_for("d") == Expected("d", at(8, 10), at(8, 15), False, None)
    assert timing.projected_end == at(8, 15)


def test_backtime_goes_negative_when_the_flow_overruns_the_fixed_time() -> None:
    on_air = OnAir("a", at(7, 2), timedelta(minutes=5))

    # a started at 07:02 and is still running at 07:47: b would end 08:07.
    timing = compute(BRIEFED, [], on_air, NOTHING, at(7, 47))

    briefing = timing.next_fixed
    assert briefing is not None
    assert briefing.start == at(8, 0)
    assert briefing.backtime == timedelta(minutes=-7)
    assert timing.expected_for("d") == Expected("d", at(8, 10), at(8, 15), False, None)


def test_no_fixed_segment_left() -> None:
    timing = compute(ONE, [], None, NOTHING, at(6, 0))
    assert timing.next_fixed is None


def test_a_blown_fixed_slot_keeps_its_time_but_nothing_after_starts_in_the_past() -> None:
    on_air = OnAir("a", at(7, 2), timedelta(minutes=5))

    timing = compute(BRIEFED, [], on_air, NOTHING, at(8, 30))

    # a overruns to 08:30, so b would run 08:30-08:50, 50 min past 08:00.
    assert timing.expected_for("b") == Expected("b", at(8, 30), at(8, 50), False, None)
    assert timing.expected_for("briefing") == Expected(
        "briefing", at(8, 0), at(8, 10), True, timedelta(minutes=-50)
    )
    # d would flow from 08:10, already past: it cannot start before now.
    assert timing.expected_for("d") == Expected("d", at(8, 30), at(8, 35), False, None)
    # The show cannot end before b, still listed, would.
    assert timing.projected_end == at(8, 50)


# -------------------------------------------------- projected end


def test_projected_end_is_the_end_of_the_last_remaining_segment() -> None:
    played = [span(A, at(7, 0), at(7, 5))]
    timing = compute(ONE, played, OnAir("b", at(7, 5), B.duration), NOTHING, at(7, 6))
    assert timing.projected_end == at(7, 40)


def test_projected_end_with_only_the_on_air_segment_left() -> None:
    on_air = OnAir("d", at(7, 35), D.duration)

    early = compute(ONE, [], on_air, NOTHING, at(7, 36))
    late = compute(ONE, [], on_air, NOTHING, at(7, 44, 10))

    assert early.expected == ()
    assert early.projected_end == at(7, 40)
    assert late.projected_end == at(7, 44, 10)


def test_projected_end_before_the_show_follows_the_plan() -> None:
    timing = compute(BRIEFED, [], None, NOTHING, at(5, 0))
    assert timing.projected_end == plan(BRIEFED)[-1].end == at(8, 15)


def test_late_top_of_show_chains_from_now() -> None:
    timing = compute(ONE, [], None, NOTHING, at(7, 1, 15))
    assert starts(timing)["a"] == at(7, 1, 15)
    assert timing.projected_end == at(7, 41, 15)


# ------------------------------------------------------- turnout


HOURS = (time(20, 0), time(10, 0), time(14, 0), time(12, 0))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(6, 0), at(10, 0)),
        (at(11, 59, 59), at(12, 0)),
        (at(12, 0), at(14, 0)),  # strictly after now
        (at(19, 0), at(20, 0)),
        (at(20, 0), None),
        (at(23, 0), None),
    ],
)
def test_next_turnout_hour(now: datetime, expected: datetime | None) -> None:
    assert compute(ONE, [], None, NOTHING, now, HOURS).next_turnout == expected


def test_turnout_hour_after_midnight_is_on_the_next_day() -> None:
    timing = compute(ONE, [], None, NOTHING, at(22, 0), (time(10, 0), time(0, 0)))
    assert timing.next_turnout == at(0, 0, day=16)


def test_no_turnout_hours() -> None:
    assert compute(ONE, [], None, NOTHING, at(8, 0)).next_turnout is None


# ------------------------------------------- remaining and excluded


FIVE = rundown(seg("a", 5), seg("b", 10), seg("c", 20), seg("d", 5), seg("e", 1))


def test_excluded_segments_are_left_out_and_the_chain_closes_up() -> None:
    on_air = OnAir("a", at(7, 0), timedelta(minutes=5))

    timing = compute(FIVE, [], on_air, frozenset({"c", "e"}), at(7, 1))

    assert [item.segment_id for item in timing.expected] == ["b", "d"]
    assert starts(timing) == {"b": at(7, 5), "d": at(7, 15)}
    assert timing.projected_end == at(7, 20)
    assert timing.expected_for("c") is None
    assert timing.expected_for("a") is None  # on air, not forecast


def test_nothing_on_air_resumes_after_the_last_played_segment() -> None:
    a, b, c, d, e = FIVE.segments
    # b was skipped; c ran after a. b is not revived.
    played = [span(a, at(7, 0), at(7, 5)), span(c, at(7, 5), at(7, 26))]

    timing = compute(FIVE, played, None, frozenset({"b"}), at(7, 27))

    assert [item.segment_id for item in timing.expected] == ["d", "e"]
    assert starts(timing) == {"d": at(7, 27), "e": at(7, 32)}
    assert timing.show_over_under == timedelta(minutes=1)


def test_played_segments_are_never_forecast_again() -> None:
    a, b, c, d, e = FIVE.segments
    # d was brought forward and played before c went on air.
    played = [span(a, at(7, 0), at(7, 5)), span(d, at(7, 5), at(7, 10))]
    on_air = OnAir("b", at(7, 10), b.duration)

    timing = compute(FIVE, played, on_air, NOTHING, at(7, 11))

    assert [item.segment_id for item in timing.expected] == ["c", "e"]
    assert starts(timing) == {"c": at(7, 20), "e": at(7, 40)}
    assert timing.expected_for("d") is None


def test_an_on_air_insert_outside_the_rundown_resumes_after_the_last_played() -> None:
    c = FIVE.segments[2]
    # The director jumped straight to c; a and b were never played.
    played = [span(c, at(7, 0), at(7, 20))]
    insert = OnAir("breaking-news", at(7, 20), timedelta(minutes=3))

    timing = compute(FIVE, played, insert, NOTHING, at(7, 21))

    assert [item.segment_id for item in timing.expected] == ["d", "e"]
    assert starts(timing) == {"d": at(7, 23), "e": at(7, 28)}


def test_the_latest_finished_span_sets_the_resume_point_whatever_its_order() -> None:
    a, b, c, d, e = FIVE.segments
    played = [span(c, at(7, 15), at(7, 35)), span(a, at(7, 0), at(7, 5))]

    timing = compute(FIVE, played, None, frozenset({"b"}), at(7, 30))

    assert starts(timing) == {"d": at(7, 35), "e": at(7, 40)}


# ------------------------------------------------------ properties


DAY = 24 * 3600


@dataclass(frozen=True)
class Situation:
    rundown: Rundown
    played: list[Span]
    deviations: list[int]  # seconds, as drawn (independent of Span.deviation)
    on_air: OnAir | None
    after: int  # rundown index the forecast resumes after (-1: top)
    excluded: frozenset[str]
    now: datetime


@st.composite
def rundowns(draw: st.DrawFn) -> Rundown:
    count = draw(st.integers(1, 40))
    durations = draw(st.lists(st.integers(0, 1800), min_size=count, max_size=count))
    pinned = draw(st.lists(st.integers(0, 5).map(lambda n: n == 0), min_size=count, max_size=count))
    # Fixed starts: increasing offsets into the 24 h after the show start.
    offsets = sorted(
        draw(
            st.lists(
                st.integers(0, DAY - 1),
                min_size=sum(pinned),
                max_size=sum(pinned),
                unique=True,
            )
        )
    )
    clocks = iter((SHOW.starts_at + timedelta(seconds=o)).time() for o in offsets)
    return rundown(
        *(
            seg(f"s{i}", seconds=d, fixed=next(clocks) if p else None)
            for i, (d, p) in enumerate(zip(durations, pinned))
        )
    )


@st.composite
def situations(draw: st.DrawFn) -> Situation:
    plan_ = draw(rundowns())
    segments = plan_.segments
    ran = draw(st.integers(0, len(segments)))
    played: list[Span] = []
    deviations: list[int] = []
    skipped: set[str] = set()
    last_played = -1
    cursor = SHOW.starts_at + timedelta(seconds=draw(st.integers(-300, 600)))
    for position, segment in enumerate(segments[:ran]):
        if draw(st.integers(0, 4)) == 0:
            skipped.add(segment.id)
            continue
        planned = int(segment.duration.total_seconds())
        deviation = draw(st.integers(-planned, 900))
        ended = cursor + timedelta(seconds=planned + deviation)
        played.append(Span(segment.id, cursor, ended, segment.duration))
        deviations.append(deviation)
        cursor, last_played = ended, position
    on_air = None
    after = last_played
    if ran < len(segments) and draw(st.booleans()):
        on_air = OnAir(segments[ran].id, cursor, segments[ran].duration)
        after = ran
    later = [s.id for s in segments[ran:]]
    held = draw(st.sets(st.sampled_from(later))) if later else set()
    now = cursor + timedelta(seconds=draw(st.integers(-3600, 6 * 3600)))
    if draw(st.booleans()):
        now = now.astimezone(UTC)
    return Situation(plan_, played, deviations, on_air, after, frozenset(skipped | held), now)


def run(case: Situation) -> Timing:
    return compute(case.rundown, case.played, case.on_air, case.excluded, case.now)


def resume_point(case: Situation) -> datetime:
    """Where the forecast should start, from the drawn facts."""
    if case.on_air is not None:
        return max(case.now, case.on_air.started_at + case.on_air.planned)
    if case.played:
        return max(case.now, case.played[-1].ended_at)
    return max(case.now, SHOW.starts_at)


@given(situations())
def test_floating_starts_never_go_backwards(case: Situation) -> None:
    expected = run(case).expected
    for earlier, later in zip(expected, expected[1:]):
        if not earlier.fixed and not later.fixed:
            assert later.start >= earlier.start


@given(situations())
def test_fixed_segment_is_always_at_its_fixed_start(case: Situation) -> None:
    timing = run(case)
    arrival = resume_point(case)
    for item in timing.expected:
        segment = case.rundown.get(item.segment_id)
        assert segment is not None
        if item.fixed:
            assert item.start == SHOW.at(segment.fixed)
            assert item.backtime == item.start - arrival
        else:
            assert segment.fixed is None
            assert item.backtime is None
            assert item.start == max(arrival, case.now)
        assert item.end == item.start + segment.duration
        arrival = item.end


@given(situations())
def test_show_over_under_sums_deviations_and_on_air_overrun(case: Situation) -> None:
    timing = run(case)
    total = timedelta(seconds=sum(case.deviations))
    if case.on_air is None:
        assert timing.show_over_under == total
    else:
        over = case.now - case.on_air.started_at - case.on_air.planned
        assert timing.on_air_over == over
        assert timing.show_over_under == total + max(timedelta(0), over)


@given(situations())
def test_projected_end_is_never_before_now(case: Situation) -> None:
    timing = run(case)
    assert timing.projected_end >= case.now
    if timing.expected:
        assert timing.projected_end >= timing.expected[-1].end
    else:
        assert timing.projected_end == resume_point(case)


@given(situations())
def test_remaining_are_the_unplayed_unexcluded_segments_in_order(case: Situation) -> None:
    timing = run(case)
    done = {s.segment_id for s in case.played}
    remaining = [
        s.id
        for s in case.rundown.segments[case.after + 1 :]
        if s.id not in case.excluded and s.id not in done
    ]
    assert [item.segment_id for item in timing.expected] == remaining
    assert timing.next_fixed == next((i for i in timing.expected if i.fixed), None)
    for item in timing.expected:
        assert timing.expected_for(item.segment_id) is item
    for segment_id in case.excluded | done:
        assert timing.expected_for(segment_id) is None


@given(rundowns())
def test_plan_pins_fixed_slots_and_chains_the_rest(plan_: Rundown) -> None:
    arrival = SHOW.starts_at
    for slot in plan(plan_):
        if slot.segment.fixed is not None:
            assert slot.fixed
            assert slot.start == SHOW.at(slot.segment.fixed)
            assert slot.miss == arrival - slot.start
        else:
            assert not slot.fixed
            assert slot.miss is None
            assert slot.start == arrival
        assert slot.end == slot.start + slot.segment.duration
        arrival = slot.end


@given(rundowns(), st.integers(0, 6 * 3600))
def test_forecast_before_the_show_matches_the_plan(plan_: Rundown, early: int) -> None:
    timing = compute(plan_, [], None, NOTHING, SHOW.starts_at - timedelta(seconds=early))
    slots = plan(plan_)
    assert [(i.segment_id, i.start, i.end) for i in timing.expected] == [
        (s.segment.id, s.start, s.end) for s in slots
    ]
    assert [i.backtime for i in timing.expected] == [
        None if s.miss is None else -s.miss for s in slots
    ]
