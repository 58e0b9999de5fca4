"""What the presenter sees, pinned as SVG screenshots (regenerate: pytest --snapshot-update tests/prompter).

Deterministic: the clock is fixed and moved by the test, the follow loop and
auto-scroll are off (live=False), animations are off.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.prompter.prompter_helpers import settle

SIZE = (120, 40)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """The header names the store: one screenshot, on the SQLite file (test_prompter_app runs on both)."""
    return tmp_path / "studio.db"


async def _settle(pilot: Pilot[Any]) -> None:
    await settle(pilot)


def test_kazakh_cue_on_air(snap_compare, make, producer, clock) -> None:
    producer.take_next()
    clock.advance(minutes=1, seconds=23)
    assert snap_compare(make("kk"), run_before=_settle, terminal_size=SIZE)


def test_overrun_in_russian_at_the_largest_size(snap_compare, make, producer, clock) -> None:
    producer.take("almaty-live")
    clock.advance(minutes=4, seconds=30)
    assert snap_compare(make("ru", size=5), run_before=_settle, terminal_size=SIZE)
