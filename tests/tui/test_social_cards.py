"""The Graphics panel lists the hour's social cards with their state, read from the folder off the event loop."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from studio.social.listing import hour_cards
from studio.social.sidecar import Published, Sidecar, TelegramPost
from tests.social_publish.conftest import withdraw, write_card
from tests.test_onair_control import StandInGraphics
from tests.tui.test_graphics_panel import with_graphics

SIZE = (120, 40)
ZONE = ZoneInfo("Asia/Almaty")


def cards_of_the_hour(out: Path, now: datetime) -> None:
    """Three cards of the clock's hour: one ready, one published, one withdrawn; and one of the next hour."""
    local = now.astimezone(ZONE)
    folder = out / "referendum" / f"{local:%Y-%m-%d}T{local.hour:02d}"
    write_card(folder, "announce-next")
    posted = write_card(folder, "fact-F3")
    sidecar = Sidecar.read(posted)
    post = TelegramPost(chat="@observers_centre", message_id=7, at=now)
    sidecar.model_copy(update={"published": Published(telegram=(post,))}).write(folder)
    withdraw(write_card(folder, "fact-F9"))
    write_card(out / "referendum" / f"{local:%Y-%m-%d}T{(local.hour + 1) % 24:02d}", "later")


def console(make: Any, rundown_file: Path, out: Path, clock: Any, language: str = "en") -> Any:
    with_graphics(rundown_file)
    app = make(language)
    app.controller.renderer = StandInGraphics()
    app.services.social_cards = lambda: hour_cards(out, clock(), ZONE)
    return app


async def test_the_panel_lists_the_hours_cards_with_their_state(make, settle, rundown_file, tmp_path, clock) -> None:
    out = tmp_path / "social"
    cards_of_the_hour(out, clock())
    app = console(make, rundown_file, out, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await settle(pilot)
        line = app.screen.query_one("#graphics-cards")
        hour = f"{clock().astimezone(ZONE).hour:02d}:00"
        assert line.display and str(line.text) == (
            f"Cards {hour}: announce-next ready · fact-F3 published · fact-F9 withdrawn")
        assert app.screen.query_one("#middle").has_class("-cards")
        assert app.screen.query_one("#middle").outer_size.height == 11  # rows of its own: the on-air lines keep theirs


async def test_an_hour_without_cards_shows_no_line(make, settle, rundown_file, tmp_path, clock) -> None:
    app = console(make, rundown_file, tmp_path / "social", clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await settle(pilot)
        assert not app.screen.query_one("#graphics-cards").display
        assert not app.screen.query_one("#middle").has_class("-cards")


def test_the_cards_in_the_graphics_panel(snap_compare, make, rundown_file, tmp_path, clock) -> None:
    out = tmp_path / "social"
    cards_of_the_hour(out, clock())
    app = console(make, rundown_file, out, clock, "kk")

    async def run_before(pilot: Any) -> None:
        await pilot.press("space")
        for _ in range(3):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
