"""The terminal prompter: it follows takes made in other processes, never writes,
and answers the presenter's keys."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from studio.config import Config
from studio.rundown.load import load_rundown
from studio.show import Controller
from studio.store import open_store
from studio.tui.prompter import make_prompter
from studio.tui.prompter.widgets import SIZES, CueText, OnAirBar
from studio.tui.widgets.text import Readout
from studio.web.follow import NotReadOnly
from tests.prompter.prompter_helpers import SHOW, settle

ROOT = Path(__file__).resolve().parents[2]

# A second studio process: takes what it reads on stdin, says when each take is committed.
TAKER = """
import sys
from pathlib import Path
from studio.show import Controller
from studio.rundown.load import load_rundown
from studio.store import open_store
from studio.store.location import location_of
store, show = open_store(location_of(sys.argv[1])), load_rundown(Path(sys.argv[2]))
controller = Controller(store, show, operator="dana", origin="console")
print("ready", flush=True)
for line in sys.stdin:
    controller.take(line.strip())
    print("taken", flush=True)
"""


async def wait_for(condition, timeout: float = 60.0) -> None:
    """Wait until ``condition()``: the bound only ends a hang (a busy CI machine is slow, not wrong)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the prompter did not follow in time")
        await asyncio.sleep(0.005)


async def test_a_take_in_another_process_shows_on_the_prompter(make, store_path) -> None:
    """How fast is bench/prompter_latency.py's business; here, that every take shows, in order."""
    app = make("kk", live=True)
    taker = await asyncio.create_subprocess_exec(
        sys.executable, "-c", TAKER, str(store_path), str(SHOW),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    assert (await asyncio.wait_for(taker.stdout.readline(), 30)).strip() == b"ready"
    async with app.run_test(size=(120, 40)):
        for segment in ["open", "astana-live", "almaty-live", "open", "briefing-10"]:
            taker.stdin.write(f"{segment}\n".encode())
            await asyncio.wait_for(taker.stdout.readline(), 10)
            await wait_for(lambda segment=segment: app.card is not None and app.card.segment_id == segment, 10)
            assert app.query_one("#title", Readout).text == load_rundown(SHOW).get(segment).title.kk
    taker.stdin.close()
    await taker.wait()


async def test_the_prompter_never_writes(make, producer: Controller, store_path) -> None:
    app = make("kk", live=True)
    async with app.run_test(size=(120, 40)):
        producer.take_next()
        await wait_for(lambda: app.card.segment_id == "open")
        await asyncio.sleep(0.3)
        with pytest.raises(sqlite3.OperationalError, match="readonly|read-only"):  # SQLite's words, PostgreSQL's
            app.follower._show.store.set_flag(producer.show_id, "astana-live", "held")
    assert {event.origin for event in producer.store.events(producer.show_id)} == {"console"}


def test_a_prompter_refuses_a_controller_with_a_switcher(store_path, clock) -> None:
    class Switcher:
        def take(self, segment, graphics=()): ...
        def graphics(self, items): ...
        def slate(self): ...
        def end(self): ...
        def cue(self, segment): ...
        def feed_up(self, target): ...
        def watch_slate(self, report): ...

    controller = Controller(open_store(store_path), load_rundown(SHOW), switcher=Switcher(), clock=clock)
    with pytest.raises(NotReadOnly):
        make_prompter(controller, Config())


async def test_overrun_turns_the_countdown_red(make, producer: Controller, clock) -> None:
    producer.take_next()
    clock.advance(minutes=3, seconds=30)
    app = make("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.card.countdown == "+00:30" and app.card.overrun
        assert app.query_one(OnAirBar).has_class("-overrun")
        assert app.query_one("#count-label", Readout).text == "OVERRUN"


async def test_nothing_on_air_then_the_show_ended(make, producer: Controller) -> None:
    app = make("ru")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.query_one("#title", Readout).text == "В эфире ничего нет"
        assert app.card.next_title == "Открытие эфира"


async def test_presenter_keys_size_pause_scroll_and_language(make, producer: Controller) -> None:
    producer.take_next()
    app = make("kk", size=5)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        cue = app.query_one(CueText)
        assert cue.max_scroll_y > 0  # size 5: the long Kazakh cue overflows
        await pilot.press("down", "down")
        await settle(pilot)
        assert cue.position == 2 * (1 + SIZES[4][1])
        await pilot.press("up")
        await settle(pilot)
        assert cue.position == 1 + SIZES[4][1]
        await pilot.press("home")
        assert cue.position == 0
        await pilot.press("minus", "minus")
        assert app.size_step == 3
        await pilot.press("plus")
        assert app.size_step == 4
        await pilot.press("space")
        assert app.paused
        assert app.query_one("#status", Readout).text.startswith("Айналдыру кідіртілді")
        await pilot.press("p")
        assert not app.paused
        await pilot.press("f2")
        await settle(pilot)
        assert app.query_one("#title", Readout).text == "Открытие эфира"
        assert app.query_one("#next-label", Readout).text == "Далее"


async def test_auto_scroll_moves_the_text_and_pause_stops_it(make, producer: Controller) -> None:
    producer.take_next()
    app = make("kk", size=5)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        cue = app.query_one(CueText)
        cue.advance(60.0, 180.0)  # a third of the planned time: a third of the way
        assert cue.position == pytest.approx(cue.max_scroll_y / 3)
        await pilot.press("space")
        before = cue.position
        app._scroll_tick()
        assert cue.position == before


async def test_prompter_keys_are_rebindable_by_id(make, producer: Controller) -> None:
    app = make("en", keymap={"prompter.pause": "f5", "rundown.take_next": "f1"})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        assert app.paused
        assert list(app._notifications) == []  # a producer id in the shared keymap is not the prompter's business


async def test_a_clash_in_the_keymap_is_told_once(make) -> None:
    app = make("en", keymap={"prompter.pause": "minus"})  # "minus" is also Smaller
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        messages = [notification.message for notification in app._notifications]
        assert any("minus" in message and "prompter.pause" in message for message in messages), messages


async def test_an_unreadable_store_is_shown_and_the_prompter_keeps_following(make, producer: Controller) -> None:
    app = make("en", live=True)
    real_poll = app.follower.poll
    failures = iter([sqlite3.OperationalError("database is locked")])

    def flaky_poll():
        for error in failures:
            raise error
        return real_poll()

    app.follower.poll = flaky_poll
    async with app.run_test(size=(120, 40)):
        await wait_for(lambda: app.warning != "")
        assert app.query_one("#status", Readout).text == "Cannot read the show: database is locked. Retrying."
        producer.take_next()
        await wait_for(lambda: app.card.segment_id == "open")
        assert app.warning == "" and app.query_one("#status", Readout).text.startswith("Scrolling")
