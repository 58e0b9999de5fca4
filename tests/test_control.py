"""The controller: takes, holds, skips, undo, edits, and several processes on one store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from studio.graphics import Renderer
from studio.onair import LOCATION_BUG, OnAirGraphic, RendererGraphics
from studio.paths import shipped
from studio.rundown.model import Bilingual, Kind, Segment
from studio.show import ControlError, Controller
from studio.show.view import Status
from studio.store import open_store


class RecordingSwitcher:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.cues: list[str | None] = []
        self.shown: list[OnAirGraphic] = []
        self.slate_report: Callable[[bool], object] = lambda covers: None

    def watch_slate(self, report: Callable[[bool], object]) -> None:
        self.slate_report = report

    def slate(self) -> None:
        """As ObsSwitcher does: the slate on programme, and word of it to the controller."""
        self.calls.append("slate")
        self.slate_report(True)

    def cue(self, segment: Segment | None) -> None:
        self.cues.append(segment.id if segment else None)

    def feed_up(self, segment: Segment) -> bool | None:
        return segment.id == "live-almaty"

    def take(self, segment: Segment, graphics: Sequence[OnAirGraphic] = ()) -> None:
        self.calls.append(f"take {segment.id}")
        self.shown = list(graphics)

    def graphics(self, items: Sequence[OnAirGraphic]) -> None:
        self.calls.append("graphics " + ",".join(g.template for g in items))
        self.shown = list(items)

    def end(self) -> None:
        self.calls.append("end")


@pytest.fixture
def controller(store_location: Path | str, small_rundown, clock) -> Controller:
    """A console on a new show store, on SQLite and then on PostgreSQL."""
    return Controller(open_store(store_location), small_rundown, operator="aigerim", clock=clock)


def statuses(controller: Controller) -> dict[str, Status]:
    return {line.segment.id: line.status for line in controller.view().lines}


def test_take_next_walks_the_rundown_and_freezes_the_played_record(controller, clock) -> None:
    assert controller.rehearsal
    assert controller.view().next.id == "open"
    controller.take_next()
    clock.advance(minutes=11)
    controller.take_next(expect_on_air="open", check=True)
    assert statuses(controller) == {
        "open": Status.PLAYED,
        "guests": Status.ON_AIR,
        "brief-10": Status.NEXT,
        "live-almaty": Status.PENDING,
        "late": Status.PENDING,
    }
    (played,) = controller.view().played
    assert (played.segment_id, played.duration, played.deviation, played.taken_by) == (
        "open",
        timedelta(minutes=11),
        timedelta(minutes=1),
        "aigerim",
    )
    # plan edits never rewrite what was played
    controller.set_duration("open", timedelta(minutes=2))
    assert controller.view().played[0].planned == timedelta(minutes=10)
    assert [e.action for e in controller.store.events("small")] == ["plan", "take", "take", "duration"]


def test_a_stale_take_next_is_refused_so_nothing_is_skipped(controller) -> None:
    controller.take_next(expect_on_air=None, check=True)
    with pytest.raises(ControlError) as refused:
        controller.take_next(expect_on_air=None, check=True)  # a second terminal saw nothing on air
    assert refused.value.code == "take_conflict" and refused.value.params == {"segment": "open"}
    assert controller.view().on_air.segment_id == "open"


def test_hold_and_skip_are_passed_over_and_can_be_released(controller) -> None:
    controller.take_next()
    assert controller.hold("guests") is True
    assert controller.skip("brief-10") is True
    assert controller.view().next.id == "live-almaty"
    assert statuses(controller)["guests"] is Status.HELD
    assert controller.hold("guests") is False
    assert controller.view().next.id == "guests"
    with pytest.raises(ControlError, match="on air"):
        controller.skip("open")


def test_a_played_segment_cannot_be_held_or_skipped(controller) -> None:
    controller.take_next()
    controller.take_next()
    for toggle in (controller.hold, controller.skip):
        with pytest.raises(ControlError) as refused:
            toggle("open")
        assert refused.value.code == "already_played" and refused.value.params == {"segment": "open"}
    assert statuses(controller)["open"] is Status.PLAYED
    assert [row.segment_id for row in controller.asrun()][:1] == ["open"]


def test_taking_a_held_segment_releases_it(controller) -> None:
    controller.hold("brief-10")
    controller.take("brief-10")
    assert statuses(controller)["brief-10"] is Status.ON_AIR
    assert controller.view().next.id == "live-almaty"


def test_undo_restores_the_previous_segment_with_its_start(controller, clock) -> None:
    controller.take_next()
    started = controller.view().on_air.started_at
    clock.advance(minutes=3)
    controller.take_next()
    controller.undo_take()
    view = controller.view()
    assert view.on_air.segment_id == "open" and view.on_air.started_at == started and view.played == ()
    assert view.next.id == "guests"
    controller.undo_take()
    assert controller.view().on_air is None
    with pytest.raises(ControlError) as refused:
        controller.undo_take()
    assert refused.value.code == "nothing_to_undo"


def test_end_show_and_nothing_left(controller) -> None:
    for _ in range(5):
        controller.take_next()
    with pytest.raises(ControlError) as refused:
        controller.take_next()
    assert refused.value.code == "nothing_next"
    controller.end_show()
    view = controller.view()
    assert view.on_air is None and view.ended and len(view.played) == 5


def test_edits_never_touch_the_on_air_segment(controller) -> None:
    controller.take_next()
    for edit in (
        lambda: controller.drop("open"),
        lambda: controller.set_duration("open", timedelta(minutes=1)),
        lambda: controller.move("open", 1),
    ):
        with pytest.raises(ControlError) as refused:
            edit()
        assert refused.value.code == "on_air_frozen"
    with pytest.raises(ControlError) as refused:
        controller.move("guests", -1)  # above what is on air
    assert refused.value.code == "cannot_move"
    controller.move("live-almaty", -2)
    controller.drop("late")
    extra = Segment("extra", Kind.STUDIO, Bilingual("Қосымша", "Дополнительно"), timedelta(minutes=3))
    controller.insert("open", extra)
    with pytest.raises(ControlError, match="already exists"):
        controller.insert("open", extra)
    assert [line.segment.id for line in controller.view().lines] == ["open", "extra", "live-almaty", "guests", "brief-10"]
    assert controller.view().on_air.segment_id == "open"


def test_switcher_is_told_after_the_state_is_committed(store_location, small_rundown, clock) -> None:
    seen: list[str | None] = []
    store = open_store(store_location)
    observer = open_store(store_location)

    class Checking(RecordingSwitcher):
        def take(self, segment: Segment, graphics: Sequence[OnAirGraphic] = ()) -> None:
            on_air = observer.state("small").on_air
            seen.append(on_air.segment_id if on_air else None)
            super().take(segment, graphics)

    switcher = Checking()
    controller = Controller(store, small_rundown, switcher=switcher, clock=clock)
    assert not controller.rehearsal
    controller.take_next()
    controller.take_next()
    controller.undo_take()
    controller.end_show()
    assert seen == ["open", "guests", "open"]
    assert switcher.calls == ["take open", "take guests", "take open", "end"]
    assert switcher.cues == ["guests", "brief-10"]  # after each take, the next one is made ready


def test_two_processes_share_one_show(store_location, small_rundown, clock) -> None:
    path = store_location
    producer = Controller(open_store(path), small_rundown, operator="producer", clock=clock)
    second = Controller(open_store(path), small_rundown, operator="assistant", origin="console-2", clock=clock)
    producer.take_next()
    assert second.refresh() is True
    assert second.view().on_air.segment_id == "open"
    second.hold("guests")
    assert producer.refresh() and producer.view().next.id == "brief-10"
    assert not producer.refresh()
    events = producer.store.events("small")
    assert [(e.action, e.who, e.origin) for e in events[-2:]] == [
        ("take", "producer", "console"),
        ("hold", "assistant", "console-2"),
    ]


def test_live_edits_survive_a_restart_and_reload_keeps_on_air(store_location, small_rundown, clock) -> None:
    path = store_location
    first = Controller(open_store(path), small_rundown, clock=clock)
    first.take("live-almaty")
    first.drop("late")
    restarted = Controller(open_store(path), small_rundown, clock=clock)
    assert [s.id for s in restarted.rundown.segments][-1] == "live-almaty"
    assert restarted.differs_from(small_rundown)
    without_live = small_rundown.with_segments(tuple(s for s in small_rundown.segments if s.id != "live-almaty"))
    restarted.reload(without_live)
    assert [s.id for s in restarted.rundown.segments] == ["live-almaty", "open", "guests", "brief-10", "late"]
    assert restarted.view().on_air.segment_id == "live-almaty"


def test_timing_follows_the_clock_and_the_fixed_briefing(controller, clock) -> None:
    controller.take_next()  # 09:30 open, 10 min planned
    clock.advance(minutes=12)
    timing = controller.view().timing
    assert timing.on_air_remaining == timedelta(minutes=-2)
    assert timing.show_over_under == timedelta(minutes=2)
    # guests (15m) from 09:42 arrives at 09:57: 3 minutes to fill before the 10:00 briefing
    assert timing.next_fixed.segment_id == "brief-10" and timing.next_fixed.backtime == timedelta(minutes=3)


def test_feed_lost_notes_the_asrun_and_cuts_to_the_slate(store_location, small_rundown, clock) -> None:
    switcher = RecordingSwitcher()
    controller = Controller(open_store(store_location), small_rundown, switcher=switcher, clock=clock)
    controller.take("live-almaty")
    assert controller.feed_lost("guests") is False  # not on air: a late alarm changes nothing
    assert controller.feed_lost("live-almaty") is True
    assert controller.view().on_air.note == "feed lost"
    assert switcher.calls == ["take live-almaty", "slate"]
    assert [e.action for e in controller.store.events("small")[-2:]] == ["feed_lost", "slate_on"]
    assert controller.view().under_slate
    # a restarted show process keeps the slate up rather than a dead feed, and says so only once
    restarted = Controller(controller.store, small_rundown, switcher=RecordingSwitcher(), clock=clock)
    restarted.resume_air()
    assert restarted.switcher.calls == ["slate"] and restarted.view().under_slate
    assert [e.action for e in controller.store.events("small")].count("slate_on") == 1
    # the feed is back: the producer retakes the same inclusion; the as-run shows both
    controller.take("live-almaty")
    assert switcher.calls[-1] == "take live-almaty"
    assert [(r.segment_id, r.note) for r in controller.asrun()] == [("live-almaty", "feed lost"), ("live-almaty", "")]
    assert not controller.view().under_slate
    with pytest.raises(ControlError, match="already on air"):
        controller.take("live-almaty")


def test_preflight_asks_the_switcher_about_the_next_feed(store_location, tmp_path, small_rundown, clock) -> None:
    controller = Controller(open_store(store_location), small_rundown, switcher=RecordingSwitcher(), clock=clock)
    controller.resume_air()
    assert controller.switcher.cues == ["open"]
    assert controller.preflight() is None  # the next segment has no feed
    controller.take("brief-10")
    assert controller.switcher.cues[-1] == "live-almaty"
    assert controller.preflight() is True
    rehearsal = Controller(open_store(tmp_path / "other.db"), small_rundown, clock=clock)
    rehearsal.take("brief-10")
    assert rehearsal.preflight() is None


def test_the_switcher_follows_takes_made_by_another_process(store_location, small_rundown, clock) -> None:
    path = store_location
    switcher = RecordingSwitcher()
    show = Controller(open_store(path), small_rundown, switcher=switcher, clock=clock)
    remote = Controller(open_store(path), small_rundown, origin="api", clock=clock)
    remote.take_next()
    remote.hold("brief-10")
    assert show.refresh() and switcher.calls == ["take open"]
    remote.take_next()
    remote.undo_take()
    assert show.refresh() and switcher.calls == ["take open"]  # back to the same row: nothing to switch
    remote.end_show()
    assert show.refresh() and switcher.calls == ["take open", "end"]


def test_a_take_made_elsewhere_between_a_take_here_and_its_re_read_reaches_air(
    store_location, small_rundown, clock
) -> None:
    """The show process re-reads the store after its own take; another machine's take committed in between is in
    what it reads. The switcher still follows it: a refresh compares the store with what the switcher was last
    asked to show, not with the state read before (once, OBS stayed on the local take)."""
    remote = Controller(open_store(store_location), small_rundown, origin="api", clock=clock)

    class TakenElsewhereMeanwhile(RecordingSwitcher):
        def take(self, segment: Segment, graphics: Sequence[OnAirGraphic] = ()) -> None:
            super().take(segment, graphics)
            if self.calls == ["take open"]:
                remote.take("brief-10")  # committed after this process's take, before its re-read

    switcher = TakenElsewhereMeanwhile()
    show = Controller(open_store(store_location), small_rundown, switcher=switcher, clock=clock)
    show.take_next()
    assert show.view().on_air.segment_id == "brief-10" and switcher.calls == ["take open"]
    assert show.refresh() and switcher.calls == ["take open", "take brief-10"]
    assert not show.refresh() and switcher.calls == ["take open", "take brief-10"]


def test_a_take_here_read_back_asks_the_switcher_nothing_more(store_location, small_rundown, clock, tmp_path) -> None:
    """What a take told the switcher (its segment, its start, its location bug) is what the store reads back: a
    refresh that reads the store again, after another machine's change elsewhere in the show, switches nothing."""
    switcher = RecordingSwitcher()
    graphics = RendererGraphics(Renderer(shipped("overlays"), tmp_path / "out"))
    show = Controller(open_store(store_location), small_rundown, switcher=switcher, clock=clock, graphics=graphics)
    remote = Controller(open_store(store_location), small_rundown, origin="api", clock=clock)
    show.take("live-almaty")
    assert [g.template for g in switcher.shown] == [LOCATION_BUG]
    remote.hold("guests")
    assert show.refresh() and switcher.calls == ["take live-almaty"]


def test_a_take_onto_a_feed_that_is_down_is_refused_unless_confirmed(store_location, small_rundown, clock) -> None:
    """Never black: the controller asks its switcher (the Switcher port) before a take; a feed
    that is down (or shows nothing yet) is taken only when the producer confirms it."""

    class DeadFeed(RecordingSwitcher):
        def feed_up(self, segment: Segment) -> bool | None:
            return False

    switcher = DeadFeed()
    controller = Controller(open_store(store_location), small_rundown, switcher=switcher, clock=clock)
    controller.take("brief-10")
    with pytest.raises(ControlError) as refused:
        controller.take_next(expect_on_air="brief-10", check=True)
    assert (refused.value.code, refused.value.params) == ("feed_down", {"segment": "live-almaty"})
    assert controller.view().on_air.segment_id == "brief-10" and switcher.calls == ["take brief-10"]
    assert controller.preflight() is False  # the OBS panel's "next: DOWN" is the same answer

    controller.take_next(expect_on_air="brief-10", check=True, confirm=True)
    assert controller.view().on_air.segment_id == "live-almaty"
    assert switcher.calls == ["take brief-10", "take live-almaty"]
    take = controller.store.events("small")[-1]
    assert (take.action, take.detail["confirmed_feed_down"]) == ("take", True)


def test_a_take_rereads_the_store_when_another_terminal_committed_while_the_feed_was_asked(
    store_location, small_rundown, clock
) -> None:
    """The feed is asked before the store is locked; what was read then is reused only if no other
    connection committed since (PRAGMA data_version; NOTIFY on PostgreSQL). Here one did: the double press
    is caught."""
    remote = Controller(open_store(store_location), small_rundown, operator="dana", clock=clock)

    class TakenMeanwhile(RecordingSwitcher):
        def feed_up(self, segment: Segment) -> bool | None:
            remote.take("live-almaty")  # the other terminal's take lands while OBS is asked
            return True

    controller = Controller(open_store(store_location), small_rundown, switcher=TakenMeanwhile(), clock=clock)
    controller.take("brief-10")
    with pytest.raises(ControlError) as refused:
        controller.take_next(expect_on_air="brief-10", check=True)
    assert (refused.value.code, refused.value.params) == ("take_conflict", {"segment": "live-almaty"})


def test_a_take_reads_the_store_again_when_another_terminal_committed_since_it_last_loaded(
    store_location, small_rundown, clock
) -> None:
    """Without a feed to ask, a take reuses the state its console last loaded, only while no connection has
    committed since (the store's stamp). Here each terminal takes without having seen the other's take."""
    controller = Controller(open_store(store_location), small_rundown, clock=clock)
    remote = Controller(open_store(store_location), small_rundown, operator="dana", clock=clock)
    controller.take("open")
    remote.take("live-almaty")  # loaded before "open": the other row is closed, not a second one opened
    with pytest.raises(ControlError) as refused:
        controller.take_next(expect_on_air="open", check=True)
    assert (refused.value.code, refused.value.params) == ("take_conflict", {"segment": "live-almaty"})
    controller.take("brief-10")
    assert [(row.segment_id, row.ended_at is None) for row in controller.asrun()] == [
        ("open", False), ("live-almaty", False), ("brief-10", True)
    ]


def test_a_take_without_a_feed_or_with_an_unknown_one_asks_nothing(store_location, small_rundown, clock) -> None:
    class Unknown(RecordingSwitcher):
        def feed_up(self, segment: Segment) -> bool | None:
            return None  # OBS cannot be asked: the switcher holds the slate itself until the feed's frames

    controller = Controller(open_store(store_location), small_rundown, switcher=Unknown(), clock=clock)
    controller.take("open")
    controller.take("live-almaty")
    assert controller.view().on_air.segment_id == "live-almaty"
