"""The observers' bot on the console's health line (studio/tui/widgets/health.py): what ``studio bot`` last
published as its ``telegram`` health snapshot (studio/store/health.py), absent while no bot ever ran here."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from studio.i18n import catalogue
from studio.store import open_store
from studio.store.health import Health, publish
from studio.store.telegram import HEALTH_SOURCE
from studio.tui.widgets.health import HealthLine, bot_said
from studio.tui.widgets.text import Readout
from tests.tui.conftest import ALMATY, START

SIZE = (120, 40)


def said_by_bot(store_path: Any, clock: Any, detail: dict[str, Any], *, ago: float = 0.0) -> None:
    """``studio bot`` publishing its health on the console's store, from its own connection."""
    store = open_store(store_path)
    try:
        publish(store.db, HEALTH_SOURCE, detail | {"updates": 12}, clock() - timedelta(seconds=ago))
    finally:
        store.close()


async def refreshed(pilot: Any, settle: Any) -> tuple[bool, str]:
    """Whether the health line shows, and what it says of the bot."""
    pilot.app.request_view()  # what the refresh tick does four times a second
    await settle(pilot)
    line = pilot.app.producer.query_one(HealthLine)
    return line.display, line.query_one("#bot", Readout).text


@pytest.mark.parametrize(
    "detail, ago, said, style",
    [
        ({"state": "polling", "reason": "", "retry_s": None}, 3, "Observers' bot: polling", "green"),
        ({"state": "retrying", "reason": "another_poller", "retry_s": 4.2}, 0,
         "Observers' bot: retrying in 4 s, another bot polls with its token", "bold yellow"),
        ({"state": "retrying", "reason": "network: TimedOut", "retry_s": 0.4}, 0,
         "Observers' bot: retrying in 1 s, no network to Telegram (TimedOut)", "bold yellow"),
        ({"state": "stopped", "reason": "token_refused", "retry_s": None}, 600,
         "Observers' bot: STOPPED, Telegram refused its token", "bold red"),
        ({"state": "stopped", "reason": "", "retry_s": None}, 0, "Observers' bot: STOPPED", "bold red"),
        ({"state": "polling", "reason": "", "retry_s": None}, 60, "Observers' bot: SILENT since 09:57:00",
         "bold red"),
    ],
    ids=["polling", "another-poller", "network", "token-refused", "stopped", "killed"],
)
def test_each_state_of_the_bot_is_said_with_its_reason(detail, ago, said, style, monkeypatch) -> None:
    monkeypatch.setattr(catalogue, "language", "en")  # the line is said in the console's language: English here
    now = START.astimezone(ALMATY)
    health = Health(HEALTH_SOURCE, now - timedelta(seconds=ago), detail)
    assert bot_said(health, now, ALMATY) == (said, style)


def test_no_bot_ever_ran_so_nothing_is_said() -> None:
    assert bot_said(None, START, ALMATY) is None


async def test_the_health_line_follows_the_bot_and_is_absent_while_none_ran(make, store_path, clock, settle) -> None:
    app = make("en")
    async with app.run_test(size=SIZE) as pilot:
        assert (await refreshed(pilot, settle))[0] is False
        said_by_bot(store_path, clock, {"state": "polling", "reason": "", "retry_s": None})
        assert await refreshed(pilot, settle) == (True, "Observers' bot: polling")
        said_by_bot(store_path, clock, {"state": "retrying", "reason": "rate_limited", "retry_s": 7})
        assert await refreshed(pilot, settle) == (True, "Observers' bot: retrying in 7 s, Telegram asks it to wait")
        await pilot.press("f2")  # Қазақша
        await settle(pilot)
        said = "Байқаушылар боты: 7 с кейін қайталайды, Telegram күтуді сұрайды"
        assert await refreshed(pilot, settle) == (True, said)


def test_console_in_russian_with_the_bot_retrying(snap_compare, make, store_path, clock) -> None:
    app = make("ru")
    said_by_bot(store_path, clock, {"state": "retrying", "reason": "network: ConnectError", "retry_s": 8})

    async def run_before(pilot: Any) -> None:
        pilot.app.request_view()
        for _ in range(2):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
