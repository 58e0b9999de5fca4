"""Letting a Textual app under test settle: its workers done and the messages they post handled."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.pilot import Pilot


async def settled(pilot: Pilot[Any], rounds: int) -> None:
    """``rounds`` times: every worker finished, then the messages it posted handled (a worker's message may start
    the next worker: an action's, then the view refresh it asks for). Each worker is waited for on its own:
    Textual's ``wait_for_complete`` gathers them and returns at the first one that failed or was cancelled (a
    refused action, an exclusive worker replaced on a busy machine), leaving the others running."""
    for _ in range(rounds):
        await asyncio.gather(*(worker.wait() for worker in list(pilot.app.workers)), return_exceptions=True)
        await pilot.pause()
