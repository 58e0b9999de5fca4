"""Desk fixtures: a throwaway store, people, a moving clock, quick facts and sources."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Callable

import pytest

from studio.desk import rules
from studio.desk.model import Claim, Draft, Fact, ReportKind, Source, SourceKind
from studio.store.desk import DeskStore, NewReport, open_desk

T0 = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)  # 10:00 in Almaty
DATA = Path(__file__).resolve().parent.parent / "data"


class Ticker:
    """A clock that moves a second every time it is read."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def desk(store_location: Path | str, tmp_path: Path) -> DeskStore:
    """A new desk store, on SQLite (the file desk.db, which some tests open again by name) and then on PostgreSQL."""
    store = open_desk(tmp_path / "desk.db" if isinstance(store_location, Path) else store_location)
    yield store
    store.close()


@pytest.fixture
def tick() -> Ticker:
    return Ticker()


@pytest.fixture
def new_fact(desk: DeskStore, tick: Ticker) -> Callable[..., Fact]:
    """A fact created by ``by`` and taken into review, with these sources and reports."""

    def make(by: str = "aigerim", sources=(), reports=(), review: bool = True, **content) -> Fact:
        draft = Draft(
            kind=content.pop("kind", ReportKind.VIOLATION),
            claim=content.pop("claim", Claim(ru="На участке 12 вбросы бюллетеней")),
            region=content.pop("region", "astana"),
            station=content.pop("station", 12),
            **content,
        )
        fact = desk.create_fact(
            draft, by=by, at=tick(), source_ids=[s.id for s in sources], report_ids=[r.id for r in reports]
        )
        if review:
            fact = desk.change(fact.id, fact.version, rules.StartReview(), by=by, at=tick())
        return fact

    return make


@pytest.fixture
def source(desk: DeskStore, tick: Ticker) -> Callable[..., Source]:
    def make(kind: SourceKind, origin: str, reference: str = "") -> Source:
        return desk.add_source(kind, reference or f"ref:{kind}:{origin}", origin=origin, by="desk", at=tick())

    return make


@pytest.fixture
def report(desk: DeskStore, tick: Ticker):
    def make(observer: str, text: str = "Вбросы на участке 12", **fields):
        fields = {"channel": "bot", "region": "astana", "station": 12, "kind": ReportKind.VIOLATION} | fields
        return desk.add_report(
            NewReport(observer=observer, received_at=tick(), text=text, **fields), by="desk", at=tick()
        )

    return make
