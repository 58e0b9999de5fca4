"""What the producer sees, pinned as SVG screenshots (regenerate: make test-snapshot-update).

Deterministic: the clock is fixed and moved by the test, the refresh timers
are off (live=False), animations are off and the cursor does not blink.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

SIZE = (120, 40)


def take_then_wait(clock: Any, **delta: float) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("space")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        clock.advance(**delta)
        pilot.app.request_view()
        for _ in range(2):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    return run_before


def test_main_screen_in_kazakh_with_a_segment_on_air(snap_compare, make, clock) -> None:
    app = make("kk")
    assert snap_compare(app, run_before=take_then_wait(clock, minutes=1, seconds=23), terminal_size=SIZE)


def test_overrun_turns_the_countdown_red(snap_compare, make, clock) -> None:
    app = make("kk")
    assert snap_compare(app, run_before=take_then_wait(clock, minutes=4, seconds=30), terminal_size=SIZE)


def test_russian_interface(snap_compare, make, clock) -> None:
    app = make("ru")
    assert snap_compare(app, run_before=take_then_wait(clock, minutes=2), terminal_size=SIZE)


def test_command_palette_open(snap_compare, make) -> None:
    app = make("en")
    assert snap_compare(app, press=["ctrl+p"], terminal_size=SIZE)
