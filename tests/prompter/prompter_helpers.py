"""Helpers for the prompter tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

SHOW = Path(__file__).parent / "prompter_show.toml"
"""The prompter tests' show: a long Kazakh cue first."""


async def settle(pilot: Pilot[Any]) -> None:
    """Let posted messages land and the screen repaint."""
    for _ in range(3):
        await pilot.pause()
