"""The OBS panel and the feed watchdog's alarm, with an in-process stand-in for the switcher.

Real OBS drives the same switcher API in tests/obs/test_obs_switcher.py; here
the console's side is checked: what the producer sees, and that a lost feed
is noted, alarmed and can be retaken.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from studio.obs.switcher import ObsHealth
from studio.obs.watchdog import FeedHealth, Verdict
from studio.rundown.model import Segment
from studio.tui.screens import ConfirmScreen

SIZE = (120, 40)


class StandInSwitcher:
    """Records what the controller asks and answers health() with a set snapshot."""

    def __init__(self, health: ObsHealth) -> None:
        self.snapshot = health
        self.calls: list[str] = []
        self.on_feed_lost: Any = None
        self.feed: bool | None = False  # the next feed is down: the pre-flight must say so

    def take(self, segment: Segment, graphics: Any = ()) -> None:
        self.calls.append(f"take {segment.id}")

    def watch_slate(self, report: Any) -> None:
        self.slate_report = report

    def slate(self) -> None:
        self.calls.append("slate")
        self.slate_report(True)

    def end(self) -> None:
        self.calls.append("end")

    def cue(self, segment: Segment | None) -> None:
        self.calls.append(f"cue {segment.id if segment else None}")

    def feed_up(self, segment: Segment) -> bool | None:
        return self.feed

    def health(self) -> ObsHealth:
        return self.snapshot


CONNECTED = ObsHealth(
    connected=True,
    reason="connected to OBS 29.0.2",
    wanted_scene="Live",
    in_sync=True,
    program_scene="Live",
    preview_scene="Studio",
    streaming=True,
    recording=False,
    stream_congestion=0.02,
    stream_dropped_frames=3,
    render_skipped_frames=1,
    encoder_skipped_frames=0,
    active_fps=29.97,
    cpu_percent=4.5,
    feed=FeedHealth(segment_id="astana-live", input_name="feed-astana", verdict=Verdict.ALIVE, cursor=1200),
)


def test_connected_obs_and_the_next_feed_down(snap_compare, make, settle) -> None:
    switcher = StandInSwitcher(replace(CONNECTED, program_scene="Studio", feed=FeedHealth()))
    app = make("en", obs=switcher)

    async def run_before(pilot: Any) -> None:
        await pilot.press("space")  # the studio opening; the Astana inclusion is next
        await settle(pilot)
        app._check_next_feed()  # its pre-flight finds the feed down: red on the panel
        await settle(pilot)
        app.request_view()
        await settle(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
    assert switcher.calls == ["take open", "cue astana-live"]


async def test_disconnected_obs_is_shown_plainly_with_the_reason(make, settle) -> None:
    down = ObsHealth(connected=False, reason="cannot connect to OBS at 127.0.0.1:4455 (Connection refused)")
    app = make("en", obs=StandInSwitcher(down))
    async with app.run_test(size=SIZE) as pilot:
        app.request_view()
        await settle(pilot)
        panel = app.screen.query_one("#obs")
        text = " ".join(str(r.text) for r in panel.query("Readout"))
        assert "DISCONNECTED · retrying" in text and "Connection refused" in text
        assert panel.has_class("-disconnected")


async def test_a_lost_feed_is_noted_alarmed_and_can_be_retaken(make, settle) -> None:
    switcher = StandInSwitcher(CONNECTED)
    switcher.feed = True
    app = make("en", obs=switcher)
    async with app.run_test(size=SIZE) as pilot:
        assert switcher.on_feed_lost == app.feed_lost  # the console wires the watchdog to itself
        for _ in range(2):  # each take once the screen shows the one before (a stale screen is refused)
            await pilot.press("space")
            await settle(pilot)
        watchdog = threading.Thread(target=app.feed_lost, args=("astana-live",))  # the watchdog's own thread
        watchdog.start()
        watchdog.join()
        await settle(pilot)
        assert switcher.calls[-1] == "slate"
        assert app.controller.view().on_air.note == "feed lost"
        notes = [n for n in app._notifications if n.title == "Feed lost"]
        assert len(notes) == 1 and "Прямое включение из Астаны" in notes[0].message
        # the feed is back: the producer retakes the inclusion from its line
        app.screen.query_one("#rundown").select("astana-live")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        rows = [(r.segment_id, r.note) for r in app.controller.asrun()]
        assert rows[-2:] == [("astana-live", "feed lost"), ("astana-live", "")]
        assert switcher.calls[-2:] == ["take astana-live", "cue briefing-10"]


async def test_a_take_onto_a_dead_feed_asks_first_and_goes_on_only_when_confirmed(make, settle) -> None:
    """The next feed is down ("next: DOWN"): space asks; n takes nothing; y takes it (the switcher then
    holds the slate until the feed's first frames: tests/obs/test_obs_never_black.py)."""
    switcher = StandInSwitcher(CONNECTED)
    app = make("en", obs=switcher)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")  # the studio opening has no feed: nothing to ask
        await settle(pilot)
        assert app.controller.view().on_air.segment_id == "open"
        await pilot.press("space")  # the Astana inclusion, whose feed is down
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Прямое включение из Астаны" in app.screen.question and "slate" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert app.controller.view().on_air.segment_id == "open" and "take astana-live" not in switcher.calls
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.controller.view().on_air.segment_id == "astana-live"
        assert "take astana-live" in switcher.calls
        take = [e for e in app.controller.store.events("referendum") if e.action == "take"][-1]
        assert take.detail.get("confirmed_feed_down") is True


async def test_a_take_onto_a_live_feed_asks_nothing(make, settle) -> None:
    switcher = StandInSwitcher(CONNECTED)
    switcher.feed = True
    app = make("en", obs=switcher)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(2):  # each take once the screen shows the one before (a stale screen is refused)
            await pilot.press("space")
            await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.controller.view().on_air.segment_id == "astana-live"


async def test_the_panel_says_the_slate_stands_in_until_the_feed_s_first_frames(make, settle) -> None:
    awaiting = replace(
        CONNECTED, awaiting_feed=True, program_scene="fallback-slate",
        feed=replace(CONNECTED.feed, verdict=Verdict.STARTING),
    )
    switcher = StandInSwitcher(awaiting)
    switcher.feed = True
    app = make("en", obs=switcher)
    async with app.run_test(size=SIZE) as pilot:
        app.request_view()
        await settle(pilot)
        feeds = app.screen.query_one("#obs-feeds")
        assert "feed on air: SLATE until its first frames" in str(feeds.text)
        switcher.snapshot = CONNECTED  # the first frames came: the programme cut to the feed
        app.request_view()
        await settle(pilot)
        assert "feed on air: alive" in str(app.screen.query_one("#obs-feeds").text)
