"""Fixtures for the desk screen: a seeded store file, desks built the way
``studio desk`` builds them (each with its own connection), a still clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from studio.config import Config
from studio.desk.model import Claim, Draft, Fact, ReportKind, SourceKind
from studio.desk.turnout import import_turnout
from studio.store.desk import DeskStore, NewReport, open_desk
from studio.tui.desk import DeskApp, make_desk
from studio.tui.desk.attachments import Opener, system_opener
from tests.settling import settled

TURNOUT = Path(__file__).resolve().parent.parent / "data" / "referendum-2026-turnout.csv"
NOW = datetime(2026, 3, 15, 10, 40, tzinfo=UTC)  # 15:40 in Almaty
F = TypeVar("F")


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture(autouse=True)
def store_at_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # the header's store is ~/desk.db in every screenshot


class DeskClock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def desk_clock() -> DeskClock:
    return DeskClock()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A desk test runs on each database (issue 22), as tests/tui's do; a screenshot on the SQLite file only,
    as its header names the store (~/desk.db) and its snapshot's name must not change. Taken on PostgreSQL,
    every desk screenshot here is the same frame but for that header's store (checked 2026-12-06)."""
    if "desk_path" in metafunc.fixturenames and "snap_compare" not in metafunc.fixturenames:
        databases = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
        metafunc.parametrize("desk_path", databases, indirect=True)


@pytest.fixture
def desk_path(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path | str:
    """The desk's store: ~/desk.db, or a database of its own on the session's PostgreSQL server, whose
    files folder is then ~ too ($STUDIO_FILES), where a SQLite store keeps its own."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return tmp_path / "desk.db"
    monkeypatch.setenv("STUDIO_FILES", str(tmp_path))
    return request.getfixturevalue("pg_server").new_database()


def seed(desk: DeskStore, *, turnout: bool = True) -> dict[str, int]:
    """Turnout from the commission (in review, by aigerim), two observer reports
    (Kazakh, Russian) and a violation fact made from the Russian one (new, by bolat)."""
    at = datetime(2026, 3, 15, 10, 0, tzinfo=UTC)
    if turnout:
        import_turnout(desk, TURNOUT, operator="aigerim", now=lambda: at)
    kk = desk.add_report(
        NewReport("Әлия Серікқызы", "bot", datetime(2026, 3, 15, 10, 12, tzinfo=UTC), "shymkent", 114,
                  ReportKind.QUEUE, "№114 учаскеде кезек 40 адамға жетті, дауыс беру баяулады"),
        by="aigerim", at=at,
    )
    ru = desk.add_report(
        NewReport("Игорь Ким", "form", datetime(2026, 3, 15, 10, 20, tzinfo=UTC), "karaganda", 27,
                  ReportKind.VIOLATION, "На участке №27 наблюдателю не дали сфотографировать протокол"),
        by="aigerim", at=at,
    )
    source = desk.add_source(SourceKind.MEDIA, "https://vlast.kz/novosti/27", by="bolat", at=at, origin="Власть")
    fact = desk.create_fact(
        Draft(ReportKind.VIOLATION, Claim(kk="№27 учаскеде байқаушыға хаттаманы суретке түсіруге рұқсат етілмеді",
                                          ru="На участке №27 наблюдателю не дали сфотографировать протокол"),
              region="karaganda", station=27),
        by="bolat", at=datetime(2026, 3, 15, 10, 25, tzinfo=UTC), source_ids=[source.id], report_ids=[ru.id],
    )
    return {"kk_report": kk.id, "ru_report": ru.id, "violation": fact.id}


def with_commission_page(desk: DeskStore, fact_id: int, by: str = "aigerim") -> Fact:
    """The imported figure with the commission's own release attached: a news site's reprint
    alone is one media source, not enough to verify (the station's default policy)."""
    fact = desk.get(fact_id)
    at = fact.created_at
    page = desk.add_source(SourceKind.OFFICIAL, "https://www.election.gov.kz/rus/news/turnout-1000", by=by, at=at)
    return desk.attach_source(fact.id, fact.version, page.id, by=by, at=at)


@pytest.fixture
def seeded(desk_path: Path) -> Iterator[dict[str, int]]:
    store = open_desk(desk_path)
    try:
        yield seed(store)
    finally:
        store.close()


@pytest.fixture
def other(desk_path: Path, seeded: dict[str, int]) -> Iterator[DeskStore]:
    """Another desk process on the same store file (its own connection)."""
    store = open_desk(desk_path)
    yield store
    store.close()


def desk_config(language: str = "en", operator: str = "dana", keymap: dict[str, str] | None = None) -> Config:
    return Config.model_validate({"station": {"language": language, "operator": operator}, "keymap": keymap or {}})


@pytest.fixture
def make_desk_app(desk_path: Path, desk_clock: DeskClock, seeded: dict[str, int]) -> Iterator[Callable[..., DeskApp]]:
    apps: list[DeskApp] = []

    def build(
        language: str = "en", *, operator: str = "dana", live: bool = False, opener: Opener = system_opener,
        **config: Any,
    ) -> DeskApp:
        app = make_desk(open_desk(desk_path), desk_config(language, operator, **config), clock=desk_clock, live=live,
                        opener=opener)
        app.animation_level = "none"
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.client.store.close()


async def desk_settle(pilot: Pilot[Any]) -> None:
    await settled(pilot, rounds=4)


@pytest.fixture
def settle_desk() -> Callable[[Pilot[Any]], Any]:
    return desk_settle


async def open_item(pilot: Pilot[Any], key: str) -> None:
    """Select the queue's row ``key`` ("fact:106", "group:1") and open it."""
    table = pilot.app.desk.query_one("#desk-queue", DataTable)
    table.move_cursor(row=table.get_row_index(key), animate=False)
    await pilot.press("enter")
    await desk_settle(pilot)
    kind, number = key.split(":")
    assert pilot.app.desk.opened == (kind, int(number))


async def open_form(pilot: Pilot[Any], key: str, form: type[F]) -> F:
    """Press ``key`` on the desk and return the form it opened, which must be a ``form``."""
    await pilot.press(key)
    await desk_settle(pilot)
    opened = pilot.app.screen
    assert isinstance(opened, form), opened
    return opened
