"""Fixtures for the social cards: the sample day's desk (studio demo-data) in a store of its own, the
sample rundown, a fixed clock; golden images are the graphics tests' (tests/graphics/golden/social-*.png)."""

from __future__ import annotations

import io
import queue
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

import pytest

from studio.desk import rules
from studio.desk.demo import VERIFIER, load_demo
from studio.desk.model import ReportKind, Status
from studio.paths import sample_rundown
from studio.social.folder import Outcome
from studio.social.run import SocialRun
from studio.store.desk import DeskStore, open_desk
from tests.graphics.conftest import golden  # noqa: F401  (the fixture, shared)

NOW = datetime(2026, 3, 15, 5, 30, tzinfo=UTC)  # 10:30 in Almaty, the sample day
ZONE = ZoneInfo("Asia/Almaty")


def verify_national_turnout(desk: DeskStore, hour: str) -> None:
    """The commission's national figure of ``hour`` verified by the second person, as at the desk."""
    for fact in desk.facts(status=Status.IN_REVIEW, kind=ReportKind.TURNOUT):
        if fact.region is None and fact.as_of is not None and f"{fact.as_of.astimezone(ZONE):%H:%M}" == hour:
            desk.change(fact.id, fact.version, rules.Verify(), by=VERIFIER, at=NOW)


def sample_day(location: Path | str) -> DeskStore:
    """The sample day at the desk: F1 retracted, F2 false, F3 verified, the turnout in review but the
    country's 10:00 figure, verified."""
    desk = open_desk(location, rules.EvidencePolicy(reprint_counts_as_official=True))  # nur.kz reprints the commission
    load_demo(desk)
    verify_national_turnout(desk, "10:00")
    return desk


@pytest.fixture
def sample_desk(tmp_path: Path):
    """The sample day in a SQLite file: (its path, the desk)."""
    path = tmp_path / "studio.db"
    desk = sample_day(path)
    yield path, desk
    desk.close()


@pytest.fixture
def sample_store(store_location: Path | str):
    """The sample day on each database: (the store's path or URL, the desk)."""
    desk = sample_day(store_location)
    yield store_location, desk
    desk.close()


def social_run(path: Path | str, out: Path, hour: int, clock=lambda: NOW) -> tuple[SocialRun, io.StringIO, io.StringIO]:
    stdout, stderr = io.StringIO(), io.StringIO()
    run = SocialRun(sample_rundown(), open_desk(path), out, hour, "en", stdout, stderr, clock=clock)
    return run, stdout, stderr


def watch_two_rounds(run: SocialRun, between: Callable[[Outcome], None]) -> tuple[Outcome, Outcome]:
    """The watcher in a thread: its first round, then ``between(first)`` (the desk changing on its own
    connection), then the round that change brings; the watcher stopped and its connection closed."""
    rounds: queue.Queue = queue.Queue()
    stop = threading.Event()
    watcher = threading.Thread(target=run.watch, args=(stop, rounds.put))
    watcher.start()
    try:
        first = rounds.get(timeout=120)
        between(first)
        return first, rounds.get(timeout=120)
    finally:
        stop.set()
        watcher.join(timeout=120)
        run.desk.close()
