"""The YouTube panel and its actions in the console, over an in-process broadcaster (no network, no OBS).

The watch's timing is tested step by step in test_youtube_watch.py; here the
console's side: what the producer sees (snapshots at 120x40), that the actions
are keys that ask first, show their progress and say why they were refused,
in the interface language, and that no stream key is ever on screen.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from textual.pilot import Pilot

from studio.tui.commands import StudioCommands
from studio.tui.screens.confirm import ConfirmScreen
from studio.tui.widgets.youtube import YouTubePanel
from studio.youtube.errors import YouTubeError
from tests.tui.test_languages import english_fragments, screen_text
from tests.tui.test_obs_panel import CONNECTED, StandInSwitcher
from tests.tui.youtube_fakes import KEY, LIVE, RECEIVING, SCHEDULED, FakeBroadcaster, fake_watch

SIZE = (120, 40)


@pytest.fixture
def console(make, tmp_path, clock):
    """``console(broadcaster, obs=..., signed_in=...)``: the show process's console with that YouTube."""

    def build(broadcaster: FakeBroadcaster, *, obs=CONNECTED, signed_in: bool = True, language: str = "en"):
        switcher = StandInSwitcher(obs)
        watch = fake_watch(tmp_path, broadcaster, clock=clock, obs=switcher.health, signed_in=signed_in)
        return make(language, obs=switcher, youtube=watch), watch

    return build


def panel_text(app: Any) -> str:
    panel = app.screen.query_one(YouTubePanel)
    return " ".join(str(line.render()) for line in panel.query("Readout, #youtube-verdict"))


def palette(app: Any) -> list[str]:
    """The command palette's titles over the producer screen."""
    return [command.title for command in StudioCommands(app.screen).commands()]


def notes(app: Any, title: str) -> list[str]:
    return [note.message for note in app._notifications if note.title == title]


async def press_and_settle(pilot: Pilot[Any], settle: Any, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


# --- what the producer sees ------------------------------------------------------------


def test_not_signed_in_says_how_to_sign_in(snap_compare, console) -> None:
    app, _ = console(FakeBroadcaster(), signed_in=False)
    assert snap_compare(app, run_before=lambda pilot: pilot.pause(), terminal_size=SIZE)


def test_live_and_good_with_its_history(snap_compare, console, clock) -> None:
    broadcaster = FakeBroadcaster(LIVE, RECEIVING)
    app, watch = console(broadcaster)
    watch.poll()  # signs in
    for _ in range(12):  # six minutes on air before this frame: a look every 30 s
        watch.poll()
        clock.advance(seconds=30)
    assert snap_compare(app, run_before=lambda pilot: pilot.app.workers.wait_for_complete(), terminal_size=SIZE)


def test_bad_raises_an_alert(snap_compare, console, clock) -> None:
    broadcaster = FakeBroadcaster(LIVE, replace(RECEIVING, health="ok", issues=("Video bitrate is low",)))
    app, watch = console(broadcaster)
    watch.poll()
    for _ in range(5):  # fair (a warning) while OBS was sending
        watch.poll()
        clock.advance(seconds=30)
    app.services.switcher.snapshot = replace(CONNECTED, streaming=False)  # then OBS stops: the panel's first look finds it

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


@pytest.mark.parametrize("language", ["kk", "ru"])
async def test_the_panel_speaks_the_interface_language(console, settle, language: str) -> None:
    broadcaster = FakeBroadcaster(LIVE, replace(RECEIVING, health="ok"))
    app, _ = console(broadcaster, obs=replace(CONNECTED, streaming=False), language=language)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one(YouTubePanel).begin("youtube.go_live")
        await pilot.pause()
        shown = screen_text(app)
        assert "watch?v=Xy12abCD34e" in shown
        assert sorted(fragment for fragment in english_fragments(language) if fragment in shown) == []


async def test_no_stream_key_on_screen_and_the_alert_rings(console, settle) -> None:
    app, _ = console(FakeBroadcaster(LIVE, RECEIVING), obs=replace(CONNECTED, streaming=False))
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "watch?v=Xy12abCD34e" in panel_text(app) and KEY not in app.export_screenshot()
        assert notes(app, "YouTube stream health is BAD") == ["The broadcast is on YouTube but OBS is not streaming."]
        assert bells == [1] and app.screen.query_one(YouTubePanel).has_class("-bad")


# --- the actions -------------------------------------------------------------------------


async def test_going_live_asks_first_then_shows_each_step(console, settle) -> None:
    broadcaster = FakeBroadcaster(SCHEDULED, RECEIVING)
    app, _ = console(broadcaster)
    messages: list[Any] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(YouTubePanel)
        await press_and_settle(pilot, settle, "f7")
        assert isinstance(app.screen, ConfirmScreen)
        await press_and_settle(pilot, settle, "n")
        assert "go_live" not in broadcaster.calls
        await press_and_settle(pilot, settle, "f7", "y")
        assert broadcaster.calls.count("go_live") == 1
        steps = [message.step for message in messages if isinstance(message, YouTubePanel.Progress)]
        assert steps == ["obs", "receiving", "testing", "live"]
        assert notes(app, "YouTube") == ["LIVE on YouTube: https://www.youtube.com/watch?v=Xy12abCD34e"]
        assert "● LIVE · unlisted" in panel_text(app) and panel.border_subtitle == ""
        # how a step reads while the action runs
        panel.begin("youtube.go_live")
        panel.progress("receiving")
        await pilot.pause()
        steps = "OBS streams ✓ › YouTube receives… › testing › live"
        assert panel.border_subtitle == f"Go live on YouTube: {steps}"


async def test_a_refused_action_is_explained_in_the_interface_language(console, settle) -> None:
    broadcaster = FakeBroadcaster()
    app, _ = console(broadcaster, language="kk")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        broadcaster.fail = YouTubeError("quota", "scheduling the broadcast: YouTube's daily quota is used up")
        await press_and_settle(pilot, settle, "f6")
        (refusal,) = notes(app, "YouTube-та жоспарлау: бас тартылды")
        assert refusal.startswith("YouTube-тың тәуліктік квотасы таусылды")
        assert refusal.endswith("\nscheduling the broadcast: YouTube's daily quota is used up")  # Google's words below
        assert "⚠ YouTube-тың тәуліктік квотасы таусылды" in panel_text(app)
        assert not app.screen.query_one(YouTubePanel).busy  # the next action may run


async def test_ending_asks_first_and_an_unknown_code_shows_youtubes_words(console, settle) -> None:
    broadcaster = FakeBroadcaster(LIVE, RECEIVING)
    app, _ = console(broadcaster)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        broadcaster.fail = YouTubeError("teapot", "YouTube is a teapot today")
        await press_and_settle(pilot, settle, "f8", "y")
        assert notes(app, "End the YouTube broadcast: refused") == ["YouTube is a teapot today"]
        broadcaster.fail = None
        await press_and_settle(pilot, settle, "f8", "y")
        assert notes(app, "YouTube") == ["YouTube broadcast: ended"]


async def test_without_a_sign_in_the_actions_are_absent(console, settle) -> None:
    broadcaster = FakeBroadcaster()
    app, _ = console(broadcaster, signed_in=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, settle, "f6", "f7", "f8")
        assert broadcaster.calls == [] and not isinstance(app.screen, ConfirmScreen)
        assert "studio youtube auth" in panel_text(app)
        assert not [title for title in palette(app) if "YouTube" in title]


async def test_the_actions_are_in_the_command_palette_and_the_keymap(make, tmp_path, clock, settle) -> None:
    broadcaster = FakeBroadcaster()
    switcher = StandInSwitcher(CONNECTED)
    watch = fake_watch(tmp_path, broadcaster, clock=clock, obs=switcher.health)
    app = make("en", obs=switcher, youtube=watch, keymap={"youtube.schedule": "ctrl+y"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [title for title in palette(app) if "YouTube" in title]
        assert titles == [
            "YouTube: Schedule on YouTube", "YouTube: Go live on YouTube", "YouTube: End the YouTube broadcast"
        ]
        await press_and_settle(pilot, settle, "ctrl+y")
        assert broadcaster.calls[-2:] == ["schedule", "status"]  # then a look, to show the broadcast


async def test_switching_the_language_redraws_the_panel(console, settle) -> None:
    app, _ = console(FakeBroadcaster(LIVE, RECEIVING))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "● LIVE · unlisted" in panel_text(app)
        await press_and_settle(pilot, settle, "f2")  # en → kk
        assert "● ЭФИРДЕ · сілтеме арқылы" in panel_text(app) and "ЖАҚСЫ" in panel_text(app)
