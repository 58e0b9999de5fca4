"""One "what comes next": the console's NEXT, the segment ``take_next`` takes and the timing forecast's
first segment after the on-air one are the same, whatever has been played, held, skipped or dropped."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from studio.rundown.model import Bilingual, Kind, Rundown, Segment, Show
from studio.rundown.next import next_segment, resume_index, upcoming
from studio.rundown.timing import Span
from studio.show import ControlError, Controller
from studio.show.view import Status, show_view
from studio.store import AsRunRow, ShowState, open_store
from tests.clock import Clock

ALMATY = ZoneInfo("Asia/Almaty")
SHOW = Show("next", Bilingual("Келесі", "Следующий"), date(2026, 3, 15), ALMATY, time(9, 0))
START = SHOW.starts_at.astimezone(UTC)
GONE = ("gone-1", "gone-2")  # played, then dropped from the plan (or an on-air insert the plan no longer has)


def segment(segment_id: str, minutes: int = 5, fixed: time | None = None) -> Segment:
    return Segment(segment_id, Kind.STUDIO, Bilingual(segment_id, segment_id), timedelta(minutes=minutes), fixed=fixed)


@st.composite
def rundowns(draw: st.DrawFn) -> Rundown:
    ids = draw(st.permutations([f"s{n}" for n in range(draw(st.integers(1, 10)))]))
    fixed = st.none() | st.sampled_from([time(9, 20), time(9, 45), time(10, 30)])
    return Rundown(SHOW, tuple(segment(i, draw(st.integers(1, 20)), draw(fixed)) for i in ids))


def row(number: int, segment_id: str, started: datetime, ended: datetime | None) -> AsRunRow:
    return AsRunRow(number, segment_id, "studio", segment_id, segment_id, None, timedelta(minutes=5), started, ended,
                    "aigerim", "console", "")


@st.composite
def states(draw: st.DrawFn, rundown: Rundown) -> ShowState:
    """Any as-run record: takes of planned and dropped segments (retakes too), the last one on air or not,
    rows closed in any order of their ends, any holds and skips."""
    ids = [s.id for s in rundown.segments]
    taken = draw(st.lists(st.sampled_from([*ids, *GONE]), max_size=8))
    rows = []
    for number, segment_id in enumerate(taken):
        started = START + timedelta(minutes=10 * number)
        ended = started + timedelta(minutes=draw(st.integers(0, 30)))
        rows.append(row(number, segment_id, started, ended))
    on_air = None
    if rows and draw(st.booleans()):
        on_air = rows.pop()
        on_air = row(on_air.id, on_air.segment_id, on_air.started_at, None)
    return ShowState(
        show=None, segments=None, revision=1,
        held=draw(st.frozensets(st.sampled_from(ids))), skipped=draw(st.frozensets(st.sampled_from(ids))),
        played=tuple(rows), on_air=on_air,
    )


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_the_consoles_next_is_the_forecasts_first_segment(data: st.DataObject) -> None:
    rundown = data.draw(rundowns())
    state = data.draw(states(rundown))
    now = START + timedelta(minutes=data.draw(st.integers(0, 240)))
    view = show_view(rundown, state, (), False, now)
    forecast = [expected.segment_id for expected in view.timing.expected]
    assert (view.next.id if view.next else None) == (forecast[0] if forecast else None)
    assert [line.segment.id for line in view.lines if line.status is Status.NEXT] == forecast[:1]
    if view.next is not None:  # never one that is done
        assert view.next.id not in {r.segment_id for r in state.played} | state.held | state.skipped
        assert state.on_air is None or view.next.id != state.on_air.segment_id


def test_next_follows_the_on_air_segment_else_the_last_finished_one_else_the_top() -> None:
    plan = [segment(i) for i in ("a", "b", "c", "d")]
    first, second = START, START + timedelta(minutes=5)
    c_then_a = [Span("c", first, second, timedelta(minutes=5)), Span("a", second, second, timedelta(minutes=5))]
    assert resume_index(plan, None, []) == 0
    assert resume_index(plan, "b", c_then_a) == 2  # on air wins
    assert resume_index(plan, "gone-1", c_then_a) == 1  # on air but not in the plan: after the last finished, a
    assert [s.id for s in upcoming(plan, "gone-1", c_then_a, set())] == ["b", "d"]
    out_of_order = [Span("a", second, second, timedelta(0)), Span("c", first, second, timedelta(0))]
    assert resume_index(plan, None, out_of_order) == 3  # a tie on the end: the last one listed
    assert resume_index(plan, None, [Span("gone-1", first, second, timedelta(0))]) == 0
    assert next_segment(plan, "b", c_then_a, {"d"}) is None


@st.composite
def operations(draw: st.DrawFn) -> list[tuple[str, str]]:
    verbs = st.sampled_from(["take_next", "take", "hold", "skip", "drop", "move", "undo", "end"])
    return draw(st.lists(st.tuples(verbs, st.sampled_from([f"s{n}" for n in range(6)])), max_size=12))


@settings(max_examples=40, deadline=None)
@given(rundowns(), operations())
def test_a_console_driven_at_random_takes_what_it_shows_as_next(rundown: Rundown, steps) -> None:
    """The real controller on a real store: after any run of takes, holds, skips, drops, moves, undos
    and ends, the NEXT line is the forecast's first segment, and take_next takes exactly that one."""
    clock = Clock(START)
    folder = tempfile.TemporaryDirectory(prefix="next-")
    store = open_store(Path(folder.name) / "show.db")
    controller = Controller(store, rundown, operator="aigerim", clock=clock)
    acts = {
        "take_next": lambda _: controller.take_next(), "take": controller.take, "hold": controller.hold,
        "skip": controller.skip, "drop": controller.drop, "move": lambda s: controller.move(s, -1),
        "undo": lambda _: controller.undo_take(), "end": lambda _: controller.end_show(),
    }
    try:
        for verb, segment_id in steps:
            clock.advance(minutes=3)
            try:
                acts[verb](segment_id)
            except ControlError:
                pass  # refused (unknown, on air, nothing to undo...): the show goes on
            view = controller.view()
            forecast = [expected.segment_id for expected in view.timing.expected]
            assert (view.next.id if view.next else None) == (forecast[0] if forecast else None)
        if view_next := controller.view().next:
            assert controller.take_next().id == view_next.id
    finally:
        store.close()
        folder.cleanup()
